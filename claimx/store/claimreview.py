"""schema.org ClaimReview JSON-LD for claims that carry a verification (unverified ones are left out)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from claimx.result import ClaimantKind, Verdict
from claimx.store.formats import first_quote, text_out
from claimx.store.queries import StoredClaim

_VERDICT_RATING = {
    Verdict.TRUE: (5, "True"),
    Verdict.MOSTLY_TRUE: (4, "Mostly true"),
    Verdict.MIXED: (3, "Mixed"),
    Verdict.MOSTLY_FALSE: (2, "Mostly false"),
    Verdict.FALSE: (1, "False"),
    Verdict.UNPROVEN: (None, "Unproven"),
}
_PERSON_KINDS = {ClaimantKind.NAMED_PERSON, ClaimantKind.ANONYMOUS_OFFICIAL, ClaimantKind.JOURNALIST}


def _agent(name: str | None, kind: ClaimantKind | None = None) -> dict[str, Any]:
    return {"@type": "Person" if kind in _PERSON_KINDS else "Organization", "name": name or "Unknown"}


def claim_review(
    item: StoredClaim, *, reviewer_url: str | None = None, reviewer_type: str = "Organization"
) -> dict[str, Any] | None:
    """A schema.org ClaimReview for the claim's latest verdict, or None when it has none."""
    verdict = item.verification
    if verdict is None:
        return None
    claim = item.claim
    quote, _, _ = first_quote(claim)
    value, label = _VERDICT_RATING[verdict.verdict]
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": label}
    if value is not None:
        rating.update(ratingValue=value, bestRating=5, worstRating=1)
    appearance: dict[str, Any] = {"@type": "CreativeWork"}
    if item.url:
        appearance["url"] = item.url
    if item.publisher:
        appearance["publisher"] = {"@type": "Organization", "name": item.publisher}
    if item.published:
        appearance["datePublished"] = item.published.isoformat()
    appearance["identifier"] = f"claimx:article:{item.article_id}"
    reviewed: dict[str, Any] = {
        "@type": "Claim",
        "author": _agent(claim.claimant, claim.claimant_kind),
        "appearance": appearance,
    }
    if item.published:
        reviewed["datePublished"] = item.published.isoformat()
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": f"claimx:claim:{claim.id}",
        "claimReviewed": quote or claim.outcome or claim.chain,
        "author": {"@type": reviewer_type, "name": verdict.by},
        "datePublished": verdict.at.date().isoformat(),
        "reviewRating": rating,
        "itemReviewed": reviewed,
    }
    if reviewer_url:
        review["url"] = reviewer_url
    if verdict.note:
        review["reviewBody"] = verdict.note
    if verdict.evidence:
        review["citation"] = list(verdict.evidence)
    return review


def write_claimreview(
    items: Iterable[StoredClaim],
    target: str | Path | IO[str] | None,
    *,
    reviewer_url: str | None = None,
    reviewer_type: str = "Organization",
) -> int:
    """A JSON array of ClaimReview objects, one per verified claim (unverified ones are left out)."""
    reviews = [
        r
        for r in (claim_review(i, reviewer_url=reviewer_url, reviewer_type=reviewer_type) for i in items)
        if r is not None
    ]
    with text_out(target) as out:
        out.write(json.dumps(reviews, ensure_ascii=False, indent=2) + "\n")
    return len(reviews)
