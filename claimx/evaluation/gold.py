"""The gold format, claimx-gold v1 (docs/gold-format.md): annotated articles whose every claim
is complete and whose every quote is found in the text, so any prediction can be scored against it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Self

from pydantic import BaseModel, Field, model_validator

from claimx.errors import InputError
from claimx.extraction.grounding import locate
from claimx.jsonl import parse_lines
from claimx.result import Claim, ClaimantKind, Stance


def locate_quote(text: str, quote: str) -> tuple[int, int] | None:
    """The ``[start, end)`` span of ``quote`` in ``text`` when claimx's aligner grounds it (exact or
    normalised; the first occurrence wins), else ``None``: gold and predictions are located alike."""
    match = locate(quote, text)
    if not match.status.grounded or match.start is None or match.end is None:
        return None
    return match.start, match.end


class GoldClaim(BaseModel):
    """One attributed claim; used for both gold and predicted claims.

    A prediction may leave out ``claimant_kind``, ``stance``, ``via`` and
    ``event_date`` when the system does not produce them; their accuracy is
    then computed only over pairs whose prediction has them. For the first
    three ``None`` means "not output". ``event_date`` can legitimately be null
    (no date stated), so for it "not output" means the field was not given at
    all (absent from ``model_fields_set``): ``event_date=None`` passed
    explicitly is a prediction of "no date". Serialise predictions with
    ``exclude_unset=True`` to keep that distinction.
    """

    claimant: str
    claimant_kind: ClaimantKind | None = None
    via: list[str] | None = None
    actor: str | None = None
    target: str | None = None
    method: list[str] = Field(default_factory=list)
    outcome: str | None = None
    stance: Stance | None = None
    event_date: str | None = None
    place: str | None = None
    evidence: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, claim: Claim) -> GoldClaim:
        """A claimx claim as a prediction: every field claimx produces, its quotes as evidence."""
        return cls(
            claimant=claim.claimant or "",
            claimant_kind=claim.claimant_kind,
            via=claim.via,
            actor=claim.actor,
            target=claim.target,
            method=claim.method,
            outcome=claim.outcome,
            stance=claim.stance,
            event_date=claim.event_date,
            place=claim.place,
            evidence=[e.quote for e in claim.evidence],
        )


class GoldArticle(BaseModel):
    """An annotated article; validation guarantees every gold claim is fully scorable."""

    id: str
    text: str
    publisher: str | None = None
    published: date | None = None
    language: str | None = None
    """The article's language as annotated (ISO 639-1), where the gold file says: what scores are broken down by."""
    claims: list[GoldClaim]

    @model_validator(mode="after")
    def _claims_complete_and_grounded(self) -> Self:
        for i, claim in enumerate(self.claims):
            missing = [f for f in ("claimant_kind", "stance", "via") if getattr(claim, f) is None]
            if missing:
                raise ValueError(f"claim {i}: gold claims need {', '.join(missing)}")
            if not claim.evidence:
                raise ValueError(f"claim {i}: gold claims need at least one evidence string")
            for j, quote in enumerate(claim.evidence):
                if locate_quote(self.text, quote) is None:
                    raise ValueError(f"claim {i}: evidence {j} is not in the text: {quote[:80]!r}")
        return self


def load_gold(path: str | Path) -> list[GoldArticle]:
    """Read a JSONL gold file, failing on the first bad line (or repeated id) with its line number."""
    articles: list[GoldArticle] = []
    seen: dict[str, int] = {}
    try:
        with Path(path).open(encoding="utf-8") as lines:
            for lineno, article in parse_lines(
                lines, GoldArticle.model_validate, name=str(path), what="a claimx-gold v1 article"
            ):
                if article.id in seen:
                    raise InputError(
                        f"{path}:{lineno}: duplicate article id {article.id!r} (first on line {seen[article.id]})"
                    )
                seen[article.id] = lineno
                articles.append(article)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from exc
    return articles
