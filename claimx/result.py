"""What users receive: claims with the offsets and grounding status claimx computed, inside a
result that records how it was made. Verification is a separate record the model can never fill.
What the model itself fills (drafts, quotes as text) lives in `claimx.extraction.drafts`."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, computed_field, field_validator

from claimx.eventtypes import EventType, classify

NO_SOURCE = "(no source)"
"""How a claim without a claimant is shown wherever a chain is written out."""

ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:/(\d{4}-\d{2}-\d{2}))?")
"""The form of `event_date`: a day, or an interval `start/end`."""


def event_range(event_date: str | None) -> tuple[date, date] | None:
    """First and last day of an `event_date`; None when it is missing or not a valid ISO day or interval."""
    match = ISO_DATE.fullmatch((event_date or "").strip())
    if not match:
        return None
    try:
        start = date.fromisoformat(match.group(1))
        end = date.fromisoformat(match.group(2)) if match.group(2) else start
    except ValueError:
        return None
    return start, end


class ClaimantKind(StrEnum):
    NAMED_PERSON = "named_person"
    ANONYMOUS_OFFICIAL = "anonymous_official"
    OFFICIAL_BODY = "official_body"
    ARMED_GROUP = "armed_group"
    JOURNALIST = "journalist"
    NEWS_OUTLET = "news_outlet"
    ORGANIZATION = "organization"
    UNKNOWN = "unknown"


class Stance(StrEnum):
    ASSERTED = "asserted"
    CLAIMED_RESPONSIBILITY = "claimed_responsibility"
    REPORTED = "reported"
    DENIED = "denied"
    ALLEGED = "alleged"
    THREATENED = "threatened"


class GroundingStatus(StrEnum):
    EXACT = "exact"
    NORMALISED = "normalised"
    FUZZY = "fuzzy"
    NOT_FOUND = "not_found"

    @property
    def grounded(self) -> bool:
        return self in (GroundingStatus.EXACT, GroundingStatus.NORMALISED)


class Evidence(BaseModel):
    """A quote and where claimx found it in the article."""

    quote: str
    start: int | None = None
    end: int | None = None
    status: GroundingStatus
    mismatches: list[str] = Field(default_factory=list, description="Fuzzy hints: -only in quote, +only in text.")

    @property
    def grounded(self) -> bool:
        return self.status.grounded


class Claim(BaseModel):
    """An attributed claim: always somebody's assertion, never a verified fact."""

    model_config = ConfigDict(frozen=True)

    id: str
    claimant: str | None
    claimant_english: str | None = Field(
        None, description="The claimant in English: as the model rendered it for an article in another language."
    )
    claimant_kind: ClaimantKind
    via: list[str]
    stance: Stance
    actor: str | None
    target: str | None
    method: list[str]
    outcome: str | None
    time_text: str | None
    event_date: str | None
    place: str | None
    evidence: list[Evidence]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def event_type(self) -> EventType:
        """What kind of event the claim is about, read from its method, outcome and quotes (`eventtypes`)."""
        quotes = (e.quote for e in self.evidence)
        return classify(self.method, self.outcome, quotes, claimant=self.claimant, actor=self.actor)

    @property
    def grounded(self) -> bool:
        """Grounded when at least one quote was found exactly or after normalisation."""
        return any(e.grounded for e in self.evidence)

    @property
    def chain(self) -> str:
        """`claimant ← relay ← … ← article`, the way the claim reached the reader."""
        return " ← ".join([self.claimant or NO_SOURCE, *self.via])


class Verdict(StrEnum):
    TRUE = "true"
    MOSTLY_TRUE = "mostly_true"
    MIXED = "mixed"
    MOSTLY_FALSE = "mostly_false"
    FALSE = "false"
    UNPROVEN = "unproven"


class Verification(BaseModel):
    """A verdict recorded by a person or an external check; it never changes the claim."""

    model_config = ConfigDict(frozen=True)

    claim_id: str
    verdict: Verdict
    by: str = Field(min_length=1)
    at: datetime
    evidence: list[str] = Field(default_factory=list, description="URLs or references supporting the verdict.")
    note: str | None = None


class Article(BaseModel):
    text: str = Field(
        description="The text claims were extracted from (HTML already reduced to text), as given: evidence offsets "
        "index into it, also when hard-wrapped text was re-flowed for the model (a `reflowed` warning says so)."
    )
    sha256: str
    source: str = Field(description="`text`, or `html` when the input was reduced from HTML.")
    publisher: str | None = None
    published: date | None = None
    language: str | None = Field(
        default=None,
        description="ISO 639-1 code of the article's language, detected or given; None when unknown.",
    )


class Provenance(BaseModel):
    """Enough to reproduce and audit a run."""

    model: str
    base_url: str
    strategy: str
    prompt_hashes: dict[str, str]
    schema_hash: str
    parameters: dict[str, Any]
    claimx_version: str
    started_at: datetime
    seconds: float


class Usage(BaseModel):
    """What the work cost. `llm_calls` counts every HTTP request sent (retries and failed ones
    included); tokens count what the answers reported."""

    llm_calls: int = 0
    reasks: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def since(self, earlier: Usage) -> Usage:
        """What was spent after `earlier` (the usage of a result that this one continues)."""
        return Usage(**{name: getattr(self, name) - getattr(earlier, name) for name in Usage.model_fields})

    def add(self, other: Usage) -> None:
        self.llm_calls += other.llm_calls
        self.reasks += other.reasks
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens


class ExtractionWarning(BaseModel):
    """Something a reviewer should know: a claim kept despite failing validation, a failed chunk."""

    code: str
    message: str
    claim_id: str | None = None
    detail: str | None = None
    unit: str | None = Field(None, description="Key of the call it concerns, when it concerns one.")


CallKind = Literal["ask", "reask", "retry", "larger-limit"]
"""Why a request was sent: a unit's first, a validation re-ask, a retry after a transient failure, or the
first request of the second try with twice the token limit after an answer was cut off."""


def article_reference(sha256: str) -> str:
    """What stands for the article's text in logged messages, so a log holds the text once, in the store's
    articles table, instead of once per request."""
    return f"{{{{article:{sha256}}}}}"


class CallRecord(BaseModel):
    """One HTTP request an extraction made and what came back: the audit trail behind a result's claims.
    `messages` are as sent, with the article's text replaced by `article_reference` once the result is
    assembled (`referencing`; `expanding` restores it)."""

    unit: str = Field("", description="Key of the call of the plan it belongs to.")
    label: str = ""
    attempt: int = Field(ge=1, description="Its place among the unit's requests, from 1.")
    kind: CallKind
    reason: str | None = Field(
        None,
        description="Why it was sent again: the validation problems (reask), the failure (retry), the cut-off.",
    )
    messages: list[dict[str, Any]]
    parameters: dict[str, Any] = Field(default_factory=dict, description="The rest of the request but its schema.")
    response: str | None = Field(None, description="The answer's text, or the body that was not a completion.")
    error: str | None = None
    finish_reason: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    seconds: float = 0.0
    at: datetime
    claim_ids: list[str] = Field(default_factory=list, description="Claims its answer gave (the unit's last answer).")

    def _with_contents(self, old: str, new: str) -> CallRecord:
        messages = [
            {**m, "content": m["content"].replace(old, new)} if isinstance(m.get("content"), str) else m
            for m in self.messages
        ]
        return self.model_copy(update={"messages": messages})

    def referencing(self, text: str, sha256: str) -> CallRecord:
        """This record with the article `text` (of hash `sha256`) in its messages replaced by its reference."""
        return self._with_contents(text, article_reference(sha256)) if text else self

    def expanding(self, text: str, sha256: str) -> CallRecord:
        """This record with the reference to the article of hash `sha256` replaced by its `text`."""
        return self._with_contents(article_reference(sha256), text)


class FailedUnit(BaseModel):
    """A call of the article's plan that gave no usable answer; resuming sends exactly these again."""

    key: str
    label: str
    reason: str


class Chunk(BaseModel):
    """A part of a long article sent as one call of the `whole` strategy; chunks overlap, so a claim near a
    boundary is read whole at least once (and kept once)."""

    unit: str = Field(description="Key of its call.")
    start: int = Field(description="Where it starts in `Article.text`.")
    end: int
    skipped: bool = Field(False, description="Not sent: past the article's `max_calls` (a warning says so).")


Status = Literal["complete", "partial", "failed"]


class Result(BaseModel):
    """One article's extraction. `complete`: every call gave a usable answer; `partial`: some did not
    (`failed_units` says which and why, and the claims of the others are kept); `failed`: none did."""

    article: Article
    claims: list[Claim]
    provenance: Provenance
    usage: Usage
    status: Status = "complete"
    failed_units: list[FailedUnit] = Field(default_factory=list)
    warnings: list[ExtractionWarning] = Field(default_factory=list)
    verifications: list[Verification] = Field(default_factory=list)
    chunks: list[Chunk] = Field(
        default_factory=list, description="The chunks a long article was cut into under `whole`; empty otherwise."
    )
    calls: list[CallRecord] = Field(
        default_factory=list,
        exclude=True,  # every prompt in every saved result would bloat it: the store logs them in its own table
        description="The HTTP requests this extraction made (a resumed one: those it added); not in the JSON.",
    )

    @field_validator("verifications")
    @classmethod
    def _verifications_name_claims(cls, value: list[Verification], info: ValidationInfo) -> list[Verification]:
        ids = {c.id for c in info.data.get("claims", [])}
        unknown = [v.claim_id for v in value if v.claim_id not in ids]
        if unknown:
            raise ValueError(f"verifications name unknown claims: {unknown}")
        return value

    def verify(
        self,
        claim_id: str,
        *,
        verdict: Verdict | str,
        by: str,
        evidence: list[str] | None = None,
        note: str | None = None,
        at: datetime | None = None,
    ) -> Verification:
        """Record a verdict on one claim as a separate record; the claim itself is untouched."""
        if claim_id not in {c.id for c in self.claims}:
            raise KeyError(f"no claim {claim_id!r} in this result")
        record = Verification(
            claim_id=claim_id,
            verdict=Verdict(verdict),
            by=by,
            evidence=evidence or [],
            note=note,
            at=at or datetime.now().astimezone(),
        )
        self.verifications.append(record)
        return record

    def verification_of(self, claim_id: str) -> Verification | None:
        """The latest verdict on a claim, or None: every claim is unverified until one is recorded."""
        return next((v for v in reversed(self.verifications) if v.claim_id == claim_id), None)
