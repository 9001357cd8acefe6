"""A small constructed corpus for the cross-article tests: two events reported by several articles, with
the names, relays and figures that entity resolution, corroboration and contradictions must handle."""

from __future__ import annotations

from datetime import date
from typing import Any

from claimx.store import Store
from tests.helpers import build_result, save


def claim(sentence: str, claimant: str, kind: str, stance: str, **fields: Any) -> dict[str, Any]:
    return {"evidence": [sentence], "claimant": claimant, "claimant_kind": kind, "stance": stance, **fields}


A1 = "The Islamic Resistance in Iraq (IRI) said it attacked the Ain al-Assad base with drones on Wednesday."
A2 = "A US official said the attack on the Ain al-Assad base killed 12 people."
B1 = "The Iraqi Resistance said its drones struck Ain al-Assad airbase."
B2 = "A US official told Reuters that the strike on Ain al-Assad base killed 40 people."
C1 = "Kataib Hezbollah said it carried out the drone attack on the Ain al-Assad base."
C2 = "The IRI said it attacked Ain al-Assad base again with drones."
D1 = "The Farabundo Marti National Liberation Front (FMLN) denied that its fighters attacked the San Miguel barracks."
E1 = "The army said FMLN guerrillas attacked the San Miguel barracks on Monday, killing at least 12 soldiers."
F1 = "The Defence Ministry said the FMLN attacked the San Miguel barracks, killing 15 soldiers."

ARTICLES: dict[str, tuple[str, date, list[dict[str, Any]]]] = {
    "al-mayadeen": (
        "Al Mayadeen",
        date(2023, 12, 14),
        [
            claim(
                A1,
                "The Islamic Resistance in Iraq",
                "armed_group",
                "claimed_responsibility",
                actor="The Islamic Resistance in Iraq",
                target="the Ain al-Assad base",
                method=["drones"],
                event_date="2023-12-13",
                place="Ain al-Assad",
            ),
            claim(
                A2,
                "A US official",
                "anonymous_official",
                "asserted",
                target="the Ain al-Assad base",
                outcome="killed 12 people",
                event_date="2023-12-13",
                place="Ain al-Assad",
            ),
        ],
    ),
    "reuters": (
        "Reuters",
        date(2023, 12, 14),
        [
            claim(
                B1,
                "The Iraqi Resistance",
                "armed_group",
                "claimed_responsibility",
                actor="The Iraqi Resistance",
                target="Ain al-Assad airbase",
                method=["drones"],
                place="Ain al-Assad",
            ),
            claim(
                B2,
                "A US official",
                "anonymous_official",
                "asserted",
                via=["Reuters"],
                target="Ain al-Assad base",
                method=["strike"],
                outcome="killed 40 people",
                place="Ain al-Assad",
            ),
        ],
    ),
    "ap": (
        "AP",
        date(2023, 12, 15),
        [
            claim(
                C1,
                "Kataib Hezbollah",
                "armed_group",
                "claimed_responsibility",
                actor="Kataib Hezbollah",
                target="the Ain al-Assad base",
                method=["drone"],
                event_date="2023-12-13",
                place="Ain al-Assad",
            ),
        ],
    ),
    "later": (
        "AP",
        date(2023, 12, 28),
        [
            claim(
                C2,
                "The IRI",
                "armed_group",
                "claimed_responsibility",
                actor="The IRI",
                target="Ain al-Assad base",
                method=["drones"],
                event_date="2023-12-27",
                place="Ain al-Assad",
            ),
        ],
    ),
    "fmln-denial": (
        "El Diario",
        date(1989, 11, 14),
        [
            claim(
                D1,
                "The Farabundo Marti National Liberation Front",
                "armed_group",
                "denied",
                actor="its fighters",
                target="the San Miguel barracks",
                place="San Miguel",
            ),
        ],
    ),
    "army": (
        "La Prensa",
        date(1989, 11, 14),
        [
            claim(
                E1,
                "The army",
                "official_body",
                "asserted",
                actor="FMLN",
                target="the San Miguel barracks",
                outcome="killing at least 12 soldiers",
                event_date="1989-11-13",
                place="San Miguel",
            ),
        ],
    ),
    "ministry": (
        "El Mundo",
        date(1989, 11, 15),
        [
            claim(
                F1,
                "The Defence Ministry",
                "official_body",
                "asserted",
                actor="FMLN",
                target="the San Miguel barracks",
                outcome="killing 15 soldiers",
                place="San Miguel",
            ),
        ],
    ),
}


def store_corpus(store: Store, names: list[str] | None = None) -> None:
    """Store the articles named (all by default) through the real store API."""
    for article_id in names or list(ARTICLES):
        publisher, published, drafts = ARTICLES[article_id]
        text = "Headline\n" + " ".join(d["evidence"][0] for d in drafts) + "\n"
        save(store, build_result(text, drafts, published=published, publisher=publisher), article_id)
