"""One article's journey: checked text → units → LLM drafts → grounded claims → result."""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import time
from collections.abc import Callable
from datetime import date, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from claimx import errors, local, prompts, strategies
from claimx.grounding import locate
from claimx.llm import LLM
from claimx.schema import (
    Article,
    Claim,
    ClaimDraft,
    ClaimDrafts,
    Evidence,
    ExtractionWarning,
    Provenance,
    Result,
    Usage,
    draft_problems,
)
from claimx.settings import Settings, Strategy
from claimx.text import prepare

Progress = Callable[[int, int], None]


def _claimx_version() -> str:
    try:
        return version("claimx")
    except PackageNotFoundError:
        return "0+unknown"


def settings_from(**arguments: Any) -> Settings:
    """Arguments given (not None) override the environment, which overrides defaults."""
    return Settings(**{k: v for k, v in arguments.items() if v is not None})


def connect(settings: Settings) -> LLM:
    """The endpoint to use: the configured one, or the local model (started if needed)."""
    if settings.is_local:
        url, model = local.ensure_server(settings), settings.model or local.MODEL_NAME
    else:
        url = settings.base_url or "https://api.openai.com/v1"
        if not settings.model:
            raise errors.ConfigurationError(
                f"An endpoint is configured ({url}) but no model: pass model= / --model or set CLAIMX_MODEL."
            )
        model = settings.model
    return LLM(
        base_url=url, model=model, api_key=settings.api_key.get_secret_value() if settings.api_key else None,
        timeout=settings.timeout, temperature=settings.temperature, max_tokens=settings.max_tokens,
        max_reasks=settings.max_reasks, retry_attempts=settings.retry_attempts,
        retry_max_seconds=settings.retry_max_seconds,
    )


def claim_id(article_sha: str, draft: ClaimDraft, evidence: list[Evidence]) -> str:
    """Stable across runs: the same claimant, stance and first quote position give the same id."""
    anchor = f"{evidence[0].start}" if evidence and evidence[0].start is not None else draft.evidence[0]
    key = "\x1f".join([article_sha, draft.claimant or "", draft.stance, anchor, draft.target or ""])
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def ground(draft: ClaimDraft, text: str, position: int) -> list[Evidence]:
    evidence = []
    for quote in draft.evidence:
        match = locate(quote, text, after=position)
        evidence.append(Evidence(quote=quote, start=match.start, end=match.end, status=match.status,
                                 mismatches=match.mismatches))
    return evidence


def to_claim(draft: ClaimDraft, evidence: list[Evidence], article_sha: str) -> Claim:
    fields = draft.model_dump(exclude={"evidence"})
    return Claim(id=claim_id(article_sha, draft, evidence), evidence=evidence, **fields)


def assemble(
    text: str, article_sha: str, results: list[strategies.UnitResult]
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
            warnings.append(ExtractionWarning(
                code="unparseable_output",
                message=f"{result.unit.label}: no usable answer after {outcome.usage.llm_calls} call(s): "
                + "; ".join(outcome.unresolved),
                detail=outcome.raw,
            ))
            continue
        position = result.unit.position
        for draft in outcome.drafts.claims:
            evidence = ground(draft, text, position)
            claim = to_claim(draft, evidence, article_sha)
            if claim.id in seen:
                warnings.append(ExtractionWarning(
                    code="duplicate_merged", claim_id=claim.id,
                    message=f"{result.unit.label}: the same claim was returned twice; kept once",
                ))
                continue
            seen.add(claim.id)
            claims.append(claim)
            if grounded := [e.start for e in evidence if e.grounded and e.start is not None]:
                position = max(position, min(grounded))
            problems = draft_problems(draft, text)
            if problems:
                warnings.append(ExtractionWarning(
                    code="kept_unvalidated", claim_id=claim.id,
                    message=f"kept after {outcome.usage.reasks} re-ask(s) with problems: " + "; ".join(problems),
                ))
    return claims, warnings, usage


async def aextract(
    text: str | bytes,
    *,
    model: str | None = None,
    published: date | str | None = None,
    publisher: str | None = None,
    strategy: Strategy | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    settings: Settings | None = None,
    on_progress: Progress | None = None,
    **options: Any,
) -> Result:
    """Extract attributed, grounded claims from one article.

    `options` are any other `Settings` fields (max_reasks, max_chars, concurrency, …). Input is
    checked before any call; if calls fail part-way, `ExtractionError.partial` keeps what finished.
    """
    settings = settings or settings_from(
        model=model, strategy=strategy, base_url=base_url, api_key=api_key, **options
    )
    prepared = prepare(text, max_chars=settings.max_chars)
    published_date = date.fromisoformat(published) if isinstance(published, str) else published
    article = Article(
        text=prepared.text, sha256=hashlib.sha256(prepared.text.encode()).hexdigest(), source=prepared.source,
        publisher=publisher, published=published_date,
    )
    chosen = settings.effective_strategy
    llm = connect(settings)
    meta = {"publisher": publisher or "unknown", "published": published_date.isoformat() if published_date else "unknown"}
    units = strategies.plan(chosen, article.text, meta)
    started, clock = datetime.now().astimezone(), time.monotonic()
    done = 0

    def progress(_: strategies.UnitResult) -> None:
        nonlocal done
        done += 1
        if on_progress is not None:
            on_progress(done, len(units))

    if on_progress is not None:
        on_progress(0, len(units))
    try:
        results = await strategies.run(llm, units, concurrency=settings.concurrency, on_done=progress)
    finally:
        await llm.aclose()
    claims, warnings, usage = assemble(article.text, article.sha256, results)
    result = Result(
        article=article, claims=claims, usage=usage, warnings=warnings,
        provenance=Provenance(
            model=llm.model, base_url=llm.base_url, strategy=chosen,
            prompt_hashes={name: prompts.load(name).sha256 for name in strategies.PROMPT_NAMES[chosen]},
            schema_hash=prompts.schema_hash(ClaimDrafts), parameters=llm.parameters,
            claimx_version=_claimx_version(), started_at=started, seconds=round(time.monotonic() - clock, 3),
        ),
    )
    failed = [r for r in results if r.error is not None]
    if units and len(failed) == len(units):
        raise errors.ExtractionError(f"every LLM call failed; first error: {failed[0].error}", partial=result)
    return result


def extract(text: str | bytes, **kwargs: Any) -> Result:
    """Synchronous `aextract`; also safe to call from inside a running event loop (e.g. Jupyter)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(aextract(text, **kwargs))
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, aextract(text, **kwargs)).result()
