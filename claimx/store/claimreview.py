"""schema.org ClaimReview JSON-LD for claims that carry a verification (unverified ones are left out).

Each review has its own URL (the reviewer's page with `#claim-<id>`), a short `claimReviewed` statement
built from the claim's fields (`claim_statement`), and the quote itself as the reviewed Claim's `text`.
Only http(s) URLs are written as URLs: the reviewer's URL must be one, an article URL that is not is
left out, and evidence that is not a web link is cited by name (text), never as a link.

Whether a reviewer (a verdict's `by`) is a Person or an Organization is never guessed from the name:
the caller says so, for every reviewer at once or name by name (`reviewer_type`), and an export with a
reviewer it was not told about is refused. The claimant's type follows its kind: a named person, an
anonymous official or a journalist is a Person, anything else an Organization.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

from claimx.eventtypes import EventType
from claimx.result import Claim, ClaimantKind, Stance, Verdict
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
AUTHOR_TYPES = ("Organization", "Person")
STATEMENT_LENGTH = 150
"""At most this many characters in `claimReviewed`: a short statement, the quote goes in the Claim's text."""

_STANCE_VERBS = {
    Stance.ASSERTED: "said",
    Stance.CLAIMED_RESPONSIBILITY: "said",
    Stance.REPORTED: "reported",
    Stance.DENIED: "denied",
    Stance.ALLEGED: "alleged",
    Stance.THREATENED: "threatened",
}
# What the actor did, by ACLED sub-event type (past, infinitive); any other method is an attack, "with" its
# weapons (drones, rockets) or, in a battle, with the kind of fight in brackets (ambush, raid).
_ACTS = {
    EventType.ARRESTS: ("arrested", "arrest"),
    EventType.ABDUCTION: ("abducted", "abduct"),
    EventType.DISRUPTED_WEAPONS_USE: ("intercepted", "intercept"),
}
ReviewerType = str | Mapping[str, str]


def _agent(name: str | None, kind: ClaimantKind | None = None) -> dict[str, Any]:
    return {"@type": "Person" if kind in _PERSON_KINDS else "Organization", "name": name or "Unknown"}


def claim_statement(claim: Claim) -> str:
    """A short statement of what the claimant claims: "<claimant> <stance verb> <actor> <act> <target>
    with <method> — <outcome>", e.g. "The Islamic Resistance in Iraq said it attacked the Ain al-Assad base
    with drones"; at most `STATEMENT_LENGTH` characters (cut at a word, with "…")."""
    who, verb = claim.claimant or "An unnamed source", _STANCE_VERBS[claim.stance]
    outcome = f" — {claim.outcome}" if claim.outcome else ""
    if not (claim.actor or claim.target or claim.method or claim.stance == Stance.CLAIMED_RESPONSIBILITY):
        statement = f"{who} {verb}: {claim.outcome or first_quote(claim)[0]}"
    else:
        statement = f"{who} {verb} {_act(claim)}{outcome}"
    if len(statement) <= STATEMENT_LENGTH:
        return statement
    return statement[: STATEMENT_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,;:—") + "…"


def _act(claim: Claim) -> str:
    """What the claimant says was (or was not, or will be) done: "it attacked the base with drones"."""
    past, infinitive = _ACTS.get(claim.event_type, ("attacked", "attack"))
    target = f" {claim.target}" if claim.target else ""
    method = ""
    if claim.method and past == "attacked":
        words = ", ".join(claim.method)
        method = f" ({words})" if claim.event_type == EventType.ARMED_CLASH else f" with {words}"
    if claim.stance == Stance.THREATENED:
        return f"to {infinitive}{target}{method}"
    by_itself = claim.stance == Stance.CLAIMED_RESPONSIBILITY or (
        claim.actor is not None and claim.actor.casefold() == (claim.claimant or "").casefold()
    )
    subject = "it" if by_itself and claim.claimant_kind not in _PERSON_KINDS else claim.actor or claim.claimant
    that = "that " if claim.stance in (Stance.DENIED, Stance.REPORTED, Stance.ALLEGED) else ""
    if not by_itself and not claim.actor:  # nobody named as doing it
        return f"{that}{claim.target} was {past}{method}" if claim.target else f"an attack{method}"
    return f"{that}{subject} {past}{target}{method}"


def review_url(reviewer_url: str, claim_id: str) -> str:
    """The review of one claim: the reviewer's page with the claim as its fragment."""
    return urlunsplit(urlsplit(reviewer_url)._replace(fragment=f"claim-{claim_id}"))


def reviewer_types(items: Iterable[StoredClaim], reviewer_type: ReviewerType | None) -> dict[str, str]:
    """Each reviewer's schema.org type, from what the caller said: one type for every reviewer, or one per
    name. A reviewer left unsaid is refused rather than guessed ("Jane Doe" may be a person or an agency)."""
    names = sorted({v.by for item in items if (v := item.verification) is not None})
    given = {name: reviewer_type for name in names} if isinstance(reviewer_type, str) else dict(reviewer_type or {})
    if bad := {t for t in given.values() if t not in AUTHOR_TYPES}:
        raise ExportError(f"a reviewer type is Organization or Person; got {', '.join(sorted(bad))}")
    if missing := [name for name in names if name not in given]:
        raise ExportError(
            f"say whether each reviewer is an Organization or a Person (claimx never guesses it from a name): "
            f"{', '.join(map(repr, missing))}; one type for every reviewer, or one per name "
            f"(reviewer_type={{'NAME': 'Person'}}; on the command line --reviewer-type 'NAME=Person')"
        )
    return given


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
    item: StoredClaim, *, reviewer_type: ReviewerType, reviewer_url: str | None = None
) -> dict[str, Any] | None:
    """A schema.org ClaimReview for the claim's latest verdict, or None when it has none."""
    reviewer_url = reviewer_url_of(reviewer_url)
    verdict = item.verification
    if verdict is None:
        return None
    author_type = reviewer_types([item], reviewer_type)[verdict.by]
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
    if quote:
        reviewed["text"] = quote
    if item.published:
        reviewed["datePublished"] = item.published.isoformat()
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": f"claimx:claim:{claim.id}",
        "claimReviewed": claim_statement(claim),
        "author": {"@type": author_type, "name": verdict.by},
        "datePublished": verdict.at.date().isoformat(),
        "reviewRating": rating,
        "itemReviewed": reviewed,
    }
    if reviewer_url:
        review["url"] = review_url(reviewer_url, claim.id)
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
    reviewer_type: ReviewerType | None = None,
) -> int:
    """A JSON array of ClaimReview objects, one per verified claim (unverified ones are left out).
    `reviewer_type` is "Organization" or "Person" for every reviewer, or a {name: type} mapping; it is
    required once a verified claim is written, and refused before anything is written when it misses one."""
    reviewer_url = reviewer_url_of(reviewer_url)  # refused before anything is written
    verified = [i for i in items if i.verification is not None]
    types = reviewer_types(verified, reviewer_type)
    reviews = [r for r in (claim_review(i, reviewer_url=reviewer_url, reviewer_type=types) for i in verified) if r]
    with text_out(target) as out:
        out.write(json.dumps(reviews, ensure_ascii=False, indent=2) + "\n")
    return len(reviews)
