"""schema.org ClaimReview JSON-LD for claims that carry a verification (unverified ones are left out).

Only http(s) URLs are written as URLs: the reviewer's URL must be one, an article URL that is not is
left out, and evidence that is not a web link is cited by name (text), never as a link.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from claimx.result import ClaimantKind, Verdict
from claimx.store.formats import ExportError, first_quote, text_out, web_url
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


def reviewer_url_of(url: str | None) -> str | None:
    """The reviewer's URL, which must be http(s): it is where readers are sent to read the review."""
    if url is not None and web_url(url) is None:
        raise ExportError(
            f"the reviewer URL must be an http(s) URL, like https://factcheck.example/review/1; got {url!r}"
        )
    return url


def _citation(entry: str) -> str | dict[str, str]:
    """A web link as its URL; anything else (a document, an interview, another scheme) as a named work."""
    return entry if web_url(entry) else {"@type": "CreativeWork", "name": entry}


def claim_review(
    item: StoredClaim, *, reviewer_url: str | None = None, reviewer_type: str = "Organization"
) -> dict[str, Any] | None:
    """A schema.org ClaimReview for the claim's latest verdict, or None when it has none."""
    reviewer_url = reviewer_url_of(reviewer_url)
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
    if url := web_url(item.url):
        appearance["url"] = url
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
        review["citation"] = [_citation(entry) for entry in verdict.evidence]
    return review


def write_claimreview(
    items: Iterable[StoredClaim],
    target: str | Path | IO[str] | None,
    *,
    reviewer_url: str | None = None,
    reviewer_type: str = "Organization",
) -> int:
    """A JSON array of ClaimReview objects, one per verified claim (unverified ones are left out)."""
    reviewer_url = reviewer_url_of(reviewer_url)  # refused before anything is written
    reviews = [
        r
        for r in (claim_review(i, reviewer_url=reviewer_url, reviewer_type=reviewer_type) for i in items)
        if r is not None
    ]
    with text_out(target) as out:
        out.write(json.dumps(reviews, ensure_ascii=False, indent=2) + "\n")
    return len(reviews)
