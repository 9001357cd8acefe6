"""Per event: how many independent sources say so, and where the sources contradict each other.

A claim's source is its original claimant's entity (else the first relay's, else the publisher's): three
outlets relaying the same anonymous official count as one source, and a chain that only relays a claimant
already counted adds nothing. Outlets (publishers) are counted apart.

Contradictions, each between two claims:
- `denied`: an act claimed or said to be one party's (not a threat of one still to come), and that party's
  denial (claimant or actor of the denial);
- `rival_claims`: responsibility claimed for two different parties: two claims of responsibility whose
  parties (the resolved claimant and actor) share none, so a spokesman's claim for his group is no rival to
  the group's own. Within one article, only when the story marks one of them as another party's ("another
  group calling itself …"): a story that tells of two claimants of one attack says so, and one that does
  not is naming one claimant twice ("Al-Qaida's Iraqi affiliate" in the lede, "the Islamic State of Iraq"
  below);
- `figures`: death figures whose ranges cannot both be true ("12 killed" against "40 killed"; "at least 12"
  and "40" agree), read by `claimx.store.fatalities`, qualifiers kept ("the toll" read as the death toll);
  denials' figures are not compared. Only figures for the same dead are compared (`victims`: two gunmen
  killed and 147 people dead are no contradiction, nor two French citizens and six soldiers), and only between
  claims published the same day: a toll published on a later day is a revision of the count, not a rival to it
  (an undated article's figures are compared only with its own: its day may be a later one). Figures of one
  day's reports that disagree are a contradiction, even where one says it is an earlier report: which of them
  stands is for a reader to judge.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Literal

from claimx.corpus.entities import Resolution
from claimx.result import Stance
from claimx.store.fatalities import Fatalities, parse_fatalities
from claimx.store.links import ClaimKey
from claimx.store.queries import StoredClaim

Kind = Literal["denied", "rival_claims", "figures"]
KINDS: tuple[Kind, ...] = ("denied", "rival_claims", "figures")


@dataclass(frozen=True)
class Contradiction:
    kind: Kind
    a: ClaimKey
    b: ClaimKey
    detail: str


def key_of(item: StoredClaim) -> ClaimKey:
    return item.article_id, item.claim.id


def source_of(item: StoredClaim, resolution: Resolution) -> str:
    """The entity id of where the claim originates: claimant, else first relay, else publisher, else the article."""
    claim, key = item.claim, key_of(item)
    return (
        resolution.entity(key, "claimant", claim.claimant)
        or resolution.entity(key, "via", claim.via[0] if claim.via else None)
        or resolution.entity(key, "publisher", item.publisher)
        or f"article:{item.article_id}"
    )


def outlet_of(item: StoredClaim, resolution: Resolution) -> str:
    return resolution.entity(key_of(item), "publisher", item.publisher) or f"article:{item.article_id}"


def _parties(item: StoredClaim, resolution: Resolution) -> set[str]:
    """Whom the claim makes responsible (the actor; for a claim of responsibility or a denial, the claimant too)."""
    claim, key = item.claim, key_of(item)
    found = {resolution.entity(key, "actor", claim.actor)}
    if claim.stance in (Stance.CLAIMED_RESPONSIBILITY, Stance.DENIED):
        found.add(resolution.entity(key, "claimant", claim.claimant))
    return {p for p in found if p}


_ATTACKERS = frozenset(
    "gunman gunmen attacker assailant militant bomber fighter terrorist insurgent extremist jihadist perpetrator "
    "hostage-taker kidnapper".split()
)
_PEOPLE = frozenset({"people", "person", "persons", "victim", "", "others", "lives"})
_NOT_NOUNS = frozenset(
    "of the their his her its our were was have has had been are is be being reportedly all and or also more "
    "at least than some about nearly almost over up to as many an estimated".split()
)
_DEATH_WORD = re.compile(r"\b(?:killed|dead|died|deaths|fatalities|perished|slain)\b")
_BARE_TOLL = re.compile(r"(?<!death )\btoll\b", re.IGNORECASE)


def victims(wording: str) -> str:
    """Who a death count counts, from its wording: "attackers" for the attackers' own dead ("2 of the gunmen
    have been killed", "4 assailants"), "people" for a count that names nobody in particular ("147 people are
    dead", "killing more than 70", a toll), else the noun counted, singular ("2 of their citizens" → "citizen")."""
    death = _DEATH_WORD.search(wording)
    words = re.findall(r"[a-z][a-z'’-]*", wording[: death.start()] if death else "")
    nouns = [w for w in words if w not in _NOT_NOUNS and not w.startswith(("kill", "claim", "death", "toll"))]
    noun = nouns[-1] if nouns else ""
    singular = noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun
    if noun in _ATTACKERS or singular in _ATTACKERS:
        return "attackers"
    return "people" if noun in _PEOPLE or singular in _PEOPLE else singular


@dataclass(frozen=True)
class _Figure:
    deaths: Fatalities
    victims: frozenset[str]
    published: date | None
    article_id: str

    def contradicts(self, other: _Figure) -> bool:
        same_day = self.article_id == other.article_id or (
            self.published is not None and self.published == other.published
        )
        return same_day and self.victims == other.victims and not self.deaths.agrees_with(other.deaths)


def _figure(item: StoredClaim) -> _Figure | None:
    if item.claim.stance == Stance.DENIED or not item.claim.outcome:
        return None
    deaths = parse_fatalities(_BARE_TOLL.sub("death toll", item.claim.outcome))
    if deaths is None:
        return None
    return _Figure(deaths, frozenset(victims(w) for w in deaths.wording), item.published, item.article_id)


_ANOTHER = re.compile(r"\b(?:another|rival|competing|separate(?:ly)?|second|different|also)\b", re.I)
"""Words by which a story sets a claim of responsibility beside another party's."""


_NOT_DENIABLE = (Stance.DENIED, Stance.THREATENED)
"""Stances no denial contradicts: another denial, and a threat, which speaks of an act still to come."""


def _rivals(x: StoredClaim, y: StoredClaim) -> bool:
    """Whether two claims of responsibility for different parties are told as rivals (see the docstring)."""
    return x.article_id != y.article_id or any(_ANOTHER.search(e.quote) for i in (x, y) for e in i.claim.evidence)


def contradictions(items: Sequence[StoredClaim], resolution: Resolution, names: dict[str, str]) -> list[Contradiction]:
    """The contradictions among one event's claims (see the module's docstring)."""
    found: list[Contradiction] = []
    parties = {key_of(i): _parties(i, resolution) for i in items}
    figures = {key_of(i): figure for i in items if (figure := _figure(i))}
    for x, y in combinations(items, 2):
        kx, ky = key_of(x), key_of(y)
        for a, b in ((x, y), (y, x)):
            ka, kb = key_of(a), key_of(b)
            shared = parties[ka] & parties[kb]
            if a.claim.stance not in _NOT_DENIABLE and b.claim.stance == Stance.DENIED and shared:
                who = names.get(min(shared), min(shared))
                found.append(Contradiction("denied", ka, kb, f"{who}: {a.claim.stance.value} against denied"))
                break
        responsible = (x.claim.stance, y.claim.stance) == (Stance.CLAIMED_RESPONSIBILITY,) * 2
        if responsible and parties[kx] and parties[ky] and not parties[kx] & parties[ky] and _rivals(x, y):
            who = " against ".join(", ".join(sorted(names.get(p, p) for p in parties[k])) for k in (kx, ky))
            found.append(Contradiction("rival_claims", kx, ky, f"responsibility claimed for {who}"))
        fx, fy = figures.get(kx), figures.get(ky)
        if fx and fy and fx.contradicts(fy):
            dx, dy = fx.deaths, fy.deaths
            detail = (
                f"deaths: {', '.join(dx.wording)} ({dx.range_text}) against {', '.join(dy.wording)} ({dy.range_text})"
            )
            found.append(Contradiction("figures", kx, ky, detail))
    return found
