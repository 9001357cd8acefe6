"""ACLED-style candidate events: one row per claim in ACLED's column names, for a coder to review.

A row is never a coded event: its notes say whose claim it is, with what stance, and how it reached
the publisher; the event and sub-event types come from the method words the claim names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from claimx.result import NO_SOURCE, event_range
from claimx.store.formats import first_quote, write_rows
from claimx.store.queries import StoredClaim

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "location",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "claimx_claim_id",
    "claimx_article_id",
    "claimx_claimant",
    "claimx_stance",
    "claimx_grounded",
    "claimx_verdict",
)

# Method words → (ACLED event type, sub-event type); the first rule that matches wins, so the
# most specific come first.
SUB_EVENT_RULES: tuple[tuple[str, str, str], ...] = (
    (r"suicide", "Explosions/Remote violence", "Suicide bomb"),
    (r"chemical|sarin|chlorine|mustard gas|nerve agent", "Explosions/Remote violence", "Chemical weapon"),
    (r"intercept|shot down|air defen[cs]e|downed", "Strategic developments", "Disrupted weapons use"),
    (
        (
            r"\bdrones?\b|\buavs?\b|unmanned|air ?strikes?|airstrikes?|air raids?|warplanes?|fighter jets?|\bjets?\b|"
            r"aircraft|helicopters?|bombers?|aerial|kamikaze"
        ),
        "Explosions/Remote violence",
        "Air/drone strike",
    ),
    (
        r"\bied\b|improvised explosive|roadside bomb|landmines?|\bmines?\b|car bomb|vbied|booby",
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
    ),
    (r"grenades?", "Explosions/Remote violence", "Grenade"),
    (
        (
            r"shell(s|ing|ed)?\b|artillery|mortars?|rockets?|missiles?|howitzers?|katyushas?|projectiles?|\bgrad\b|"
            r"ballistic|cruise missile|mlrs|tank fire"
        ),
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    (r"abduct|kidnap|hostage", "Violence against civilians", "Abduction/forced disappearance"),
    (r"arrest|detain|detention", "Strategic developments", "Arrests"),
    (
        (
            r"clash|firefight|gunfight|gunfire|small arms|rifles?|snipers?|ambush|machine ?guns?|shooting|gunmen|"
            r"assault|raid|storm"
        ),
        "Battles",
        "Armed clash",
    ),
)


def sub_event(method: Iterable[str]) -> tuple[str, str]:
    """ACLED event type and sub-event type from a claim's method words ('' when none fits)."""
    words = " ".join(method).lower()
    for pattern, event_type, sub_event_type in SUB_EVENT_RULES:
        if words and re.search(pattern, words):
            return event_type, sub_event_type
    return "", ""


def _dedupe_chain(names: Iterable[str | None]) -> list[str]:
    chain: list[str] = []
    for name in names:
        if name and (not chain or chain[-1].lower() != name.lower()):
            chain.append(name)
    return chain


def acled_row(item: StoredClaim) -> dict[str, Any]:
    """A candidate event in ACLED's column names. actor1 is the reported perpetrator, else the
    claimant; actor2 the target; the date is the claim's event date (its start for an interval),
    else the publication date with month precision; source is the relay chain to the publisher."""
    claim = item.claim
    event_type, sub_event_type = sub_event(claim.method)
    days = event_range(claim.event_date)
    # ACLED time precision: 1 the day is known, 2 within a week, 3 within a month or less precise.
    precision: int | str
    if days:
        span = (days[1] - days[0]).days
        event_date, precision, dated = (
            days[0].isoformat(),
            1 if span == 0 else 2 if span <= 7 else 3,
            "event date as claimed",
        )
    elif item.published:
        event_date, precision, dated = item.published.isoformat(), 3, "date of publication (no event date stated)"
    else:
        event_date, precision, dated = "", "", "no date"
    chain = _dedupe_chain([claim.claimant or NO_SOURCE, *claim.via, item.publisher])
    quote, _, _ = first_quote(claim)
    relays = f", relayed by {' ← '.join(chain[1:])}" if len(chain) > 1 else ""
    verdict = item.verification
    notes = (
        f"CLAIM, not a verified event. Claimant: {claim.claimant or 'unnamed source'} "
        f'(stance: {claim.stance.value}){relays}. Quote: "{quote}". Date: {dated}.'
    )
    if claim.outcome:
        notes += f" Outcome as claimed: {claim.outcome}."
    notes += f" Verification: {verdict.verdict.value} by {verdict.by}." if verdict else " Unverified."
    return {
        "event_id_cnty": claim.id,
        "event_date": event_date,
        "year": event_date[:4] if event_date else "",
        "time_precision": precision,
        "disorder_type": _disorder_type(event_type),
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": claim.actor or claim.claimant or "",
        "actor2": claim.target or "",
        "location": claim.place or "",
        "source": " ← ".join(chain),
        "source_scale": "",
        "notes": notes,
        "fatalities": "",
        "claimx_claim_id": claim.id,
        "claimx_article_id": item.article_id,
        "claimx_claimant": claim.claimant or "",
        "claimx_stance": claim.stance.value,
        "claimx_grounded": "true" if claim.grounded else "false",
        "claimx_verdict": verdict.verdict.value if verdict else "",
    }


def _disorder_type(event_type: str) -> str:
    if not event_type:
        return ""
    return "Strategic developments" if event_type == "Strategic developments" else "Political violence"


def write_acled(items: Iterable[StoredClaim], target: str | Path | IO[str] | None) -> int:
    return write_rows((acled_row(i) for i in items), ACLED_COLUMNS, target)
