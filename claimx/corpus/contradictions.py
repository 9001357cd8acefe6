"""Per event: how many independent sources say so, and where the sources contradict each other.

A claim's source is its original claimant's entity (else the first relay's, else the publisher's): three
outlets relaying the same anonymous official count as one source, and a chain that only relays a claimant
already counted adds nothing. Outlets (publishers) are counted apart.

Contradictions, each between two claims:
- `denied`: an act claimed or said to be one party's, and that party's denial (claimant or actor of the denial);
- `rival_claims`: responsibility claimed for two different parties;
- `figures`: death figures whose ranges cannot both be true ("12 killed" against "40 killed"; "at least 12"
  and "40" agree), read by `claimx.store.fatalities`, qualifiers kept; denials' figures are not compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from claimx.corpus.entities import Resolution
from claimx.result import Stance
from claimx.store.fatalities import parse_fatalities
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


def contradictions(items: Sequence[StoredClaim], resolution: Resolution, names: dict[str, str]) -> list[Contradiction]:
    """The contradictions among one event's claims (see the module's docstring)."""
    found: list[Contradiction] = []
    parties = {key_of(i): _parties(i, resolution) for i in items}
    figures = {key_of(i): parse_fatalities(i.claim.outcome) for i in items if i.claim.stance != Stance.DENIED}
    for x, y in combinations(items, 2):
        kx, ky = key_of(x), key_of(y)
        for a, b in ((x, y), (y, x)):
            ka, kb = key_of(a), key_of(b)
            shared = parties[ka] & parties[kb]
            if a.claim.stance != Stance.DENIED and b.claim.stance == Stance.DENIED and shared:
                who = names.get(min(shared), min(shared))
                found.append(Contradiction("denied", ka, kb, f"{who}: {a.claim.stance.value} against denied"))
                break
        responsible = (x.claim.stance, y.claim.stance) == (Stance.CLAIMED_RESPONSIBILITY,) * 2
        if responsible and parties[kx] and parties[ky] and not parties[kx] & parties[ky]:
            who = " against ".join(", ".join(sorted(names.get(p, p) for p in parties[k])) for k in (kx, ky))
            found.append(Contradiction("rival_claims", kx, ky, f"responsibility claimed for {who}"))
        fx, fy = figures.get(kx), figures.get(ky)
        if fx and fy and not fx.agrees_with(fy):
            detail = (
                f"deaths: {', '.join(fx.wording)} ({fx.range_text}) against {', '.join(fy.wording)} ({fy.range_text})"
            )
            found.append(Contradiction("figures", kx, ky, detail))
    return found
