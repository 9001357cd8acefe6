"""Drafts to claims: each quote located in the article, a stable id, duplicates merged, and every
answer the model gave either kept or named in a warning."""

from __future__ import annotations

import hashlib

from claimx.extraction.calls import UnitResult
from claimx.extraction.drafts import ClaimDraft, draft_problems
from claimx.extraction.grounding import locate
from claimx.result import Claim, Evidence, ExtractionWarning, Usage


def claim_id(article_sha: str, draft: ClaimDraft, evidence: list[Evidence]) -> str:
    """Stable across runs: the same claimant, stance and first quote position give the same id."""
    anchor = f"{evidence[0].start}" if evidence and evidence[0].start is not None else draft.evidence[0]
    key = "\x1f".join([article_sha, draft.claimant or "", draft.stance, anchor, draft.target or ""])
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def ground(draft: ClaimDraft, text: str, position: int) -> list[Evidence]:
    evidence = []
    for quote in draft.evidence:
        match = locate(quote, text, after=position)
        evidence.append(
            Evidence(quote=quote, start=match.start, end=match.end, status=match.status, mismatches=match.mismatches)
        )
    return evidence


def to_claim(draft: ClaimDraft, evidence: list[Evidence], article_sha: str) -> Claim:
    fields = draft.model_dump(exclude={"evidence"})
    return Claim(id=claim_id(article_sha, draft, evidence), evidence=evidence, **fields)


def assemble(
    text: str, article_sha: str, results: list[UnitResult]
) -> tuple[list[Claim], list[ExtractionWarning], Usage]:
    """Turn every unit's drafts into claims; nothing the model returned is dropped unannounced."""
    claims: list[Claim] = []
    warnings: list[ExtractionWarning] = []
    usage = Usage()
    seen: set[str] = set()
    for result in results:
        if result.error is not None:
            warnings.append(ExtractionWarning(code="call_failed", message=f"{result.unit.label}: {result.error}"))
            continue
        outcome = result.outcome
        assert outcome is not None
        usage.add(outcome.usage)
        if outcome.drafts is None:
            warnings.append(
                ExtractionWarning(
                    code="unparseable_output",
                    message=f"{result.unit.label}: no usable answer after {outcome.usage.llm_calls} call(s): "
                    + "; ".join(outcome.unresolved),
                    detail=outcome.raw,
                )
            )
            continue
        position = result.unit.position
        for draft in outcome.drafts.claims:
            evidence = ground(draft, text, position)
            claim = to_claim(draft, evidence, article_sha)
            if claim.id in seen:
                warnings.append(
                    ExtractionWarning(
                        code="duplicate_merged",
                        claim_id=claim.id,
                        message=f"{result.unit.label}: the same claim was returned twice; kept once",
                    )
                )
                continue
            seen.add(claim.id)
            claims.append(claim)
            if grounded := [e.start for e in evidence if e.grounded and e.start is not None]:
                position = max(position, min(grounded))
            problems = draft_problems(draft, text)
            if problems:
                warnings.append(
                    ExtractionWarning(
                        code="kept_unvalidated",
                        claim_id=claim.id,
                        message=f"kept after {outcome.usage.reasks} re-ask(s) with problems: " + "; ".join(problems),
                    )
                )
    return claims, warnings, usage
