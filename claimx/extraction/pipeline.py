"""One article's journey: checked text → units → LLM drafts → grounded claims → result.

`prepare` does everything that costs nothing (input checks, the plan of calls); `aextract` sends
the calls. A batch prepares each article once, files it under its cache key, and hands the same
`Job` to `aextract`.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from claimx import errors
from claimx.extraction import calls, identity, plan, profiles
from claimx.extraction.claims import assemble
from claimx.extraction.llm import LLM, Gate
from claimx.extraction.text import check_encodable, prepare_text
from claimx.result import Article, Claim, ExtractionWarning, Provenance, Result
from claimx.settings import Settings, Strategy, settings_from
from claimx.sync import run_sync
from claimx.version import __version__

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Job:
    """One article ready to send: the checked text with its metadata, the calls to make, and what
    the input check found worth a warning (it leads the result's warnings)."""

    article: Article
    strategy: Strategy
    units: list[plan.Unit]
    warnings: list[ExtractionWarning] = field(default_factory=list)

    def pending(self, resume: Result | None = None) -> list[plan.Unit]:
        """The calls still to make: all of them, or those `resume` (a partial result of this article) failed."""
        if resume is None:
            return self.units
        if resume.article.sha256 != self.article.sha256:
            raise ValueError("resume= must be a result of the same article text")
        missing = {f.key for f in resume.failed_units}
        return [u for u in self.units if u.key in missing]


def prepare(
    text: str | bytes, settings: Settings, *, published: date | str | None = None, publisher: str | None = None
) -> Job:
    """Check the article and plan its calls; raise a typed `InputError` before any call."""
    if publisher is not None:
        check_encodable(publisher, "The publisher")
    prepared = prepare_text(text, max_chars=settings.max_chars, max_input_bytes=settings.max_input_bytes)
    published_date = date.fromisoformat(published) if isinstance(published, str) else published
    article = Article(
        text=prepared.text,
        sha256=hashlib.sha256(prepared.text.encode()).hexdigest(),
        source=prepared.source,
        publisher=publisher,
        published=published_date,
    )
    meta = {
        "publisher": publisher or "unknown",
        "published": published_date.isoformat() if published_date else "unknown",
    }
    strategy = settings.effective_strategy
    return Job(article, strategy, plan.plan(strategy, article.text, meta), prepared.warnings)


def connect(settings: Settings, *, gate: Gate | None = None) -> LLM:
    """The endpoint to use: the configured one, or the local model (started if needed), asked the way its
    profile says. A batch connects once and hands the `LLM` to every `aextract` (one HTTP client, one CA
    bundle load), with a `gate` around each request."""
    where = identity.endpoint(settings, start=True)
    return LLM(
        endpoint=where,
        api_key=settings.api_key.get_secret_value() if settings.api_key else None,
        timeout=settings.timeout,
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
        max_reasks=settings.max_reasks,
        retry_attempts=settings.retry_attempts,
        retry_max_seconds=settings.retry_max_seconds,
        profile=profiles.choose(settings, where.base_url),
        gate=gate,
    )


async def aextract(
    text: str | bytes | Job,
    *,
    model: str | None = None,
    published: date | str | None = None,
    publisher: str | None = None,
    strategy: Strategy | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    settings: Settings | None = None,
    on_progress: Progress | None = None,
    resume: Result | None = None,
    llm: LLM | None = None,
    **options: Any,
) -> Result:
    """Extract attributed, grounded claims from one article (its text, or a `Job` from `prepare`).

    `options` are any other `Settings` fields (max_reasks, max_chars, concurrency, …). Input is
    checked before any call. A call with no usable answer makes the result `partial` (its claims from
    the other calls are kept); with `resume`, a partial result of the same article, only its failed
    calls are sent again and its claims are kept. If every call fails, `ExtractionError.partial`
    holds the failed result. `llm` (from `connect`) is an endpoint the caller keeps open across articles;
    without it, one is opened and closed for this article.
    """
    settings = settings or settings_from(model=model, strategy=strategy, base_url=base_url, api_key=api_key, **options)
    job = text if isinstance(text, Job) else prepare(text, settings, published=published, publisher=publisher)
    units = job.pending(resume)
    print_ = identity.fingerprint(settings.model_copy(update={"strategy": job.strategy}))
    own = llm is None
    llm = connect(settings) if llm is None else llm
    started, clock = datetime.now().astimezone(), time.monotonic()
    done = 0

    def progress(_: calls.UnitResult) -> None:
        nonlocal done
        done += 1
        if on_progress is not None:
            on_progress(done, len(units))

    if on_progress is not None:
        on_progress(0, len(units))
    try:
        results = await calls.run(llm, units, concurrency=settings.concurrency, on_done=progress)
    finally:
        if own:
            await llm.aclose()
    known = {c.id for c in resume.claims} if resume else None
    new = assemble(job.article.text, job.article.sha256, results, known, published=job.article.published)
    claims, usage, seconds = new.claims, new.usage, time.monotonic() - clock
    warnings = [*job.warnings, *new.warnings]
    if resume is not None:  # keep what the earlier run finished; drop what it said about the calls sent again
        rerun = {u.key for u in units}
        claims = sorted([*resume.claims, *claims], key=_reading_order)
        warnings = [w for w in resume.warnings if w.unit not in rerun] + new.warnings
        usage = resume.usage.model_copy()
        usage.add(new.usage)
        seconds += resume.provenance.seconds
    failed = len(new.failed) == len(job.units) > 0
    result = Result(
        article=job.article,
        claims=claims,
        usage=usage,
        status="failed" if failed else "partial" if new.failed else "complete",
        failed_units=new.failed,
        warnings=warnings,
        calls=new.calls,
        provenance=Provenance(
            model=llm.model,
            base_url=llm.base_url,
            strategy=job.strategy,
            prompt_hashes=print_["prompt_hashes"],
            schema_hash=print_["schema_hash"],
            parameters=print_["parameters"],
            claimx_version=__version__,
            started_at=started,
            seconds=round(seconds, 3),
        ),
    )
    if failed:
        raise errors.ExtractionError(f"no call gave a usable answer; first: {new.failed[0].reason}", partial=result)
    return result


def _reading_order(claim: Claim) -> int:
    """Where a claim's first located quote starts (unlocated ones last), for merging two runs' claims."""
    starts = [e.start for e in claim.evidence if e.start is not None]
    return min(starts) if starts else sys.maxsize


def extract(text: str | bytes | Job, **kwargs: Any) -> Result:
    """Synchronous `aextract`; also safe to call from inside a running event loop (e.g. Jupyter)."""
    return run_sync(lambda: aextract(text, **kwargs))
