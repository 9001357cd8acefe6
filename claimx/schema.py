"""Two layers of data: what the model fills (drafts, quotes as text) and what users receive
(claims with offsets and grounding status that claimx computed, inside a result that records
how it was made). Verification is a separate record the model can never fill."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from claimx.grounding import GroundingStatus, locate


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


# Words that make a sentence somebody's assertion rather than the article's own voice.
ATTRIBUTION_CUE = re.compile(
    r"\b(said|says|say|saying|told|tells|tell|claim\w*|announc\w*|confirm\w*|report\w*|reveal\w*|"
    r"accord\w*|den(?:y|ies|ied|ial)|warn\w*|accus\w*|alleg\w*|stat(?:ed|es|ement\w*)|threat\w*|vow\w*|"
    r"insist\w*|blam\w*|acknowledg\w*|admit\w*|declar\w*|assert\w*|add(?:ed|s)|shar(?:ed|es)|"
    r"publish\w*|releas\w*|posted|tweet\w*|wrote|writes|explain\w*|made it \w*\s*clear|quot\w*)\b"
    r"|[\"\u201c\u201d]",
    re.I,
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(/\d{4}-\d{2}-\d{2})?")


class ClaimDraft(BaseModel):
    """One claim as the model fills it. Field order is generation order: evidence first, so the
    model copies the sentence before it interprets it."""

    evidence: list[str] = Field(
        min_length=1, description="Exact words copied from the article that state the claim, most specific first."
    )
    claimant: str | None = Field(description="Original speaker; null when the sentence has no source.")
    claimant_kind: ClaimantKind
    via: list[str] = Field(default_factory=list, description="Relays between article and claimant, outermost first.")
    stance: Stance
    actor: str | None = Field(None, description="Who did it, according to the claimant.")
    target: str | None = None
    method: list[str] = Field(default_factory=list, description="Weapons or means the evidence names; else empty.")
    outcome: str | None = Field(None, description="The result as the claimant states it.")
    time_text: str | None = Field(None, description="The time as the article states it.")
    event_date: str | None = Field(None, description="ISO date or interval a/b, resolved against the publication date.")
    place: str | None = None

    @model_validator(mode="after")
    def _check_against_article(self, info: ValidationInfo) -> ClaimDraft:
        """Checks that feed back to the model as a re-ask; skipped when no article is in the
        context (lenient parsing of a final answer keeps the claim and warns instead)."""
        context = info.context or {}
        article = context.get("article")
        if article is None or context.get("lenient"):
            return self
        problems = draft_problems(self, article)
        if problems:
            raise ValueError("; ".join(problems))
        return self


_STOPWORDS = frozenset("a an the of in on at to for and or by with from its it is was were be has have had".split())


def _content_words(text: str) -> set[str]:
    """Content words cut to five letters, so "hits"/"hit" and "wounding"/"wounded" still meet."""
    return {w[:5] for w in re.findall(r"\w+", text.lower()) if w not in _STOPWORDS}


def _mostly_within(phrase: str, words: set[str]) -> bool:
    """A field restates its quote and never adds to it: of its content words, at most one in
    four may be missing from the evidence (none when it has fewer than four)."""
    own = _content_words(phrase)
    return len(own - words) <= len(own) // 4


def draft_problems(draft: ClaimDraft, article: str) -> list[str]:
    """What is wrong with a draft against the article text, phrased as instructions to the model."""
    problems = []
    for quote in draft.evidence:
        if not locate(quote, article).status.grounded:
            problems.append(
                f"evidence quote {quote!r} does not appear in the article: copy the words exactly as written"
            )
    if not draft.claimant or not draft.claimant.strip():
        what = "an outcome" if draft.outcome else "a claim"
        problems.append(
            f"{what} needs a claimant who states it; if the sentence has no source, return no claim for it"
        )
    elif not any(ATTRIBUTION_CUE.search(q) for q in draft.evidence):
        problems.append(
            "the evidence has no attribution cue (said, told, claimed, announced, according to, a quotation): "
            "a sentence in the article's own voice is not a claim; quote the words that name the source or drop it"
        )
    quoted = _content_words(" ".join(draft.evidence))
    if draft.outcome and not _mostly_within(draft.outcome, quoted):
        problems.append(
            f"outcome {draft.outcome!r} is not stated in the evidence: use the claimant's own words from it, or null"
        )
    for means in draft.method:
        if not _mostly_within(means, quoted):
            problems.append(
                f"method {means!r} is not named in the evidence: list only weapons or means its words name, "
                "or an empty list"
            )
    for relay in draft.via:
        if not _content_words(relay) & quoted:
            problems.append(f"via entry {relay!r} is not named in the evidence: list only relays the quote names")
    if draft.event_date is not None and not _ISO_DATE.fullmatch(draft.event_date.strip()):
        problems.append(
            f"event_date {draft.event_date!r} must be YYYY-MM-DD, an interval YYYY-MM-DD/YYYY-MM-DD, or null"
        )
    return problems


class ClaimDrafts(BaseModel):
    """The model's whole answer for one call."""

    claims: list[ClaimDraft] = Field(default_factory=list)


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

    @property
    def grounded(self) -> bool:
        """Grounded when at least one quote was found exactly or after normalisation."""
        return any(e.grounded for e in self.evidence)

    @property
    def chain(self) -> str:
        """`claimant ← relay ← … ← article`, the way the claim reached the reader."""
        return " ← ".join([self.claimant or "(no source)", *self.via])


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
    text: str = Field(description="The text claims were extracted from (HTML already reduced to text).")
    sha256: str
    source: str = Field(description="`text`, or `html` when the input was reduced from HTML.")
    publisher: str | None = None
    published: date | None = None


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
    llm_calls: int = 0
    reasks: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

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


class Result(BaseModel):
    article: Article
    claims: list[Claim]
    provenance: Provenance
    usage: Usage
    warnings: list[ExtractionWarning] = Field(default_factory=list)
    verifications: list[Verification] = Field(default_factory=list)

    @field_validator("verifications")
    @classmethod
    def _verifications_name_claims(cls, value: list[Verification], info: ValidationInfo) -> list[Verification]:
        ids = {c.id for c in info.data.get("claims", [])}
        unknown = [v.claim_id for v in value if v.claim_id not in ids]
        if unknown:
            raise ValueError(f"verifications name unknown claims: {unknown}")
        return value

    def verify(
        self, claim_id: str, *, verdict: Verdict | str, by: str, evidence: list[str] | None = None,
        note: str | None = None, at: datetime | None = None,
    ) -> Verification:
        """Record a verdict on one claim as a separate record; the claim itself is untouched."""
        if claim_id not in {c.id for c in self.claims}:
            raise KeyError(f"no claim {claim_id!r} in this result")
        record = Verification(
            claim_id=claim_id, verdict=Verdict(verdict), by=by, evidence=evidence or [], note=note,
            at=at or datetime.now().astimezone(),
        )
        self.verifications.append(record)
        return record

    def verification_of(self, claim_id: str) -> Verification | None:
        """The latest verdict on a claim, or None: every claim is unverified until one is recorded."""
        return next((v for v in reversed(self.verifications) if v.claim_id == claim_id), None)
