"""Many articles at once, into the store: bounded concurrency, request and token rate limits,
one transaction per article, failures recorded with their reason while the rest go on, and
identical work served from the store instead of the LLM.

    >>> from claimx.batch import run_batch
    >>> from claimx.inputs import iter_inputs
    >>> report = run_batch(iter_inputs(["articles/"]), "claimx.db", model="gpt-4o-mini",
    ...                    base_url="https://api.openai.com/v1", concurrency=8, requests_per_minute=500)
    >>> print(report.summary())

Re-running the same batch resumes it: finished articles are skipped (no call, no new row), failed
ones are tried again.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import httpx

from claimx import errors, fetch
from claimx.batch.limits import Limits, RateLimiter, estimate_tokens
from claimx.batch.outcomes import ArticleOutcome, BatchOutcome, Stage
from claimx.batch.prices import Price, price_for
from claimx.extraction.identity import cache_key, cache_key_of, endpoint, fingerprint, in_language, work_key
from claimx.extraction.pipeline import NO_CLAIM_BEARING_SENTENCE, Job, aextract, prepare
from claimx.inputs import ArticleInput
from claimx.result import Result, Usage
from claimx.settings import Settings, settings_from
from claimx.store import DEFAULT_PATH, Store
from claimx.sync import run_sync

# Errors that would fail every article alike: stop the batch instead of failing each one.
FATAL = (errors.AuthenticationError, errors.ModelNotFoundError, errors.ConfigurationError, errors.LocalModelError)


def dedupe(articles: Iterable[ArticleInput]) -> tuple[list[ArticleInput], list[ArticleInput]]:
    """Distinct ids in first-seen order, and the later records that repeated an id."""
    seen: dict[str, ArticleInput] = {}
    repeats: list[ArticleInput] = []
    for article in articles:
        if article.id in seen:
            repeats.append(article)
        else:
            seen[article.id] = article
    return list(seen.values()), repeats


class _Abort(Exception):
    pass


class Batch:
    """One batch over a store. Use `run_batch` / `arun_batch` unless you need the pieces."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        concurrency: int = 4,
        limits: Limits | None = None,
        prices: dict[str, Price] | None = None,
        max_fetch_bytes: int = fetch.MAX_FETCH_BYTES,
        on_outcome: Callable[[ArticleOutcome], None] | None = None,
        log_calls: bool = True,
    ) -> None:
        if concurrency < 1:
            raise errors.ConfigurationError("concurrency must be at least 1")
        self.store = store
        self.settings = settings
        self.concurrency = concurrency
        self.limits = limits or Limits()
        self.fingerprint = fingerprint(settings)  # raises ConfigurationError before any work
        self.model = self.fingerprint["model"]
        self.strategy = self.fingerprint["strategy"]
        self.price = price_for(self.model, settings, prices)
        self.max_fetch_bytes = max_fetch_bytes
        self.on_outcome = on_outcome
        self.log_calls = log_calls
        self._requests = RateLimiter(self.limits.requests_per_minute) if self.limits.requests_per_minute else None
        self._tokens = RateLimiter(self.limits.tokens_per_minute) if self.limits.tokens_per_minute else None
        self._client: httpx.AsyncClient | None = None
        self._fatal: BaseException | None = None

    async def run(self, articles: Iterable[ArticleInput]) -> BatchOutcome:
        todo, repeats = dedupe(articles)
        batch_id = self.store.start_batch(
            model=self.model,
            base_url=endpoint(self.settings).base_url,
            strategy=self.strategy,
            options={
                "concurrency": self.concurrency,
                "requests_per_minute": self.limits.requests_per_minute,
                "tokens_per_minute": self.limits.tokens_per_minute,
                "parameters": self.fingerprint["parameters"],
            },
        )
        report = BatchOutcome(batch_id=batch_id, db=self.store.path, total=len(todo), duplicates=repeats)
        clock = time.monotonic()
        queue = iter(todo)

        async def worker() -> None:
            for article in queue:
                if self._fatal is not None:
                    return
                outcome = await self._one(article, batch_id)
                report.outcomes.append(outcome)
                if self.on_outcome is not None:
                    self.on_outcome(outcome)

        try:
            async with fetch.new_client() as self._client:
                workers = [asyncio.create_task(worker()) for _ in range(min(self.concurrency, len(todo)) or 1)]
                try:
                    await asyncio.gather(*workers)
                except BaseException:
                    for task in workers:
                        task.cancel()
                    await asyncio.gather(*workers, return_exceptions=True)
                    raise
        except (asyncio.CancelledError, KeyboardInterrupt):
            report.status, report.seconds = "interrupted", time.monotonic() - clock
            self._finish(report)
            raise
        except Exception as exc:  # the store itself failed (disk full, locked too long, …)
            report.status, report.error, report.seconds = "aborted", str(exc), time.monotonic() - clock
            self._finish(report)
            raise
        report.seconds = time.monotonic() - clock
        if self._fatal is not None:
            report.status, report.error = "aborted", str(self._fatal)
        else:
            report.status = "finished"
        self._finish(report)
        return report

    def _finish(self, report: BatchOutcome) -> None:
        with contextlib.suppress(sqlite3.Error):  # bookkeeping must never hide the real outcome
            self.store.release_leases()
            self.store.finish_batch(report.batch_id, report.status, report.counts(), report.error)

    def _fail(
        self,
        article: ArticleInput,
        key: str,
        batch_id: int,
        stage: Stage,
        error: str,
        *,
        started: float,
        usage: Usage | None = None,
        partial: Result | None = None,
    ) -> ArticleOutcome:
        seconds = time.monotonic() - started
        cost = self.price.cost(usage) if usage else 0.0
        self.store.record_failure(
            article,
            work_key=key,
            stage=stage,
            error=error,
            batch_id=batch_id,
            model=self.model,
            usage=usage,
            latency=seconds,
            cost=cost,
            partial=self._logged(partial) if partial is not None else None,
        )
        return ArticleOutcome(
            article.id,
            article.origin,
            "failed",
            usage=usage or Usage(),
            cost=cost,
            seconds=seconds,
            stage=stage,
            error=error,
        )

    def _logged(self, result: Result) -> Result:
        """The result as the store gets it: with its requests for the audit log, unless that is off."""
        return result if self.log_calls else result.model_copy(update={"calls": []})

    async def _one(self, article: ArticleInput, batch_id: int) -> ArticleOutcome:
        started = time.monotonic()
        key = work_key(self.fingerprint, article.published, article.publisher)
        if article.problem:
            return self._fail(article, key, batch_id, "input", article.problem, started=started)
        state = self.store.claim(article.id, key, batch_id, done_by_work_key=article.text is None)
        if state == "held":
            return ArticleOutcome(article.id, article.origin, "held")
        if state == "done":
            return ArticleOutcome(article.id, article.origin, "skipped", run_id=self.store.find_done(article.id, key))
        if article.text is None:
            try:
                assert self._client is not None and article.url is not None
                page = await fetch.afetch(article.url, client=self._client, max_bytes=self.max_fetch_bytes)
            except errors.InputError as exc:
                return self._fail(article, key, batch_id, "fetch", str(exc), started=started)
            article = article.with_text(page.text, published=page.published, publisher=page.publisher)
        assert article.text is not None
        try:
            job = prepare(article.text, self.settings, published=article.published, publisher=article.publisher)
        except errors.InputError as exc:
            return self._fail(article, key, batch_id, "input", str(exc), started=started)
        print_ = in_language(self.fingerprint, job.article.language)
        ckey = cache_key(job.article.sha256, print_, article.published, article.publisher)
        if (done := self.store.find_run(article.id, ckey)) is not None:
            self.store.release(article.id, key)
            return ArticleOutcome(article.id, article.origin, "skipped", run_id=done)
        resume = None
        if (partial := self.store.find_partial(article.id, ckey)) is not None:
            resume = self.store.result_of_run(partial, with_verifications=False)
        elif (source := self.store.find_cached(ckey)) is not None:
            run_id, result = self.store.save_copy(article, source, work_key=key, cache_key=ckey, batch_id=batch_id)
            return ArticleOutcome(
                article.id,
                article.origin,
                "cached",
                run_id=run_id,
                claims=len(result.claims),
                seconds=time.monotonic() - started,
            )
        return await self._extract(article, job, key, batch_id, started=started, resume=resume)

    async def _extract(
        self, article: ArticleInput, job: Job, key: str, batch_id: int, *, started: float, resume: Result | None
    ) -> ArticleOutcome:
        units = job.pending(resume)
        grants = []
        if units and self._requests is not None:
            grants.append((self._requests, await self._requests.acquire(len(units))))
        if units and self._tokens is not None:
            grants.append((self._tokens, await self._tokens.acquire(estimate_tokens(units, self.settings.max_tokens))))
        usage: Usage | None = None
        try:
            result = await aextract(job, settings=self.settings, resume=resume)
            usage = result.usage.since(resume.usage) if resume else result.usage
        except errors.ExtractionError as exc:
            usage = exc.partial.usage if exc.partial is not None else None
            return self._fail(
                article, key, batch_id, "extract", str(exc), started=started, usage=usage, partial=exc.partial
            )
        except FATAL as exc:
            self._fatal = exc
            return self._fail(article, key, batch_id, "extract", str(exc), started=started)
        except errors.ClaimxError as exc:
            return self._fail(article, key, batch_id, "extract", f"{type(exc).__name__}: {exc}", started=started)
        except Exception as exc:
            error = f"unexpected {type(exc).__name__}: {exc}"
            return self._fail(article, key, batch_id, "extract", error, started=started)
        finally:
            for limiter, grant in grants:
                if limiter is self._requests:
                    limiter.settle(grant, usage.llm_calls if usage else len(units))
                elif usage is not None:
                    limiter.settle(grant, usage.prompt_tokens + usage.completion_tokens)
        seconds = time.monotonic() - started
        cost = self.price.cost(usage)
        # The key computed before the call must describe what ran; if the pipeline ever records
        # something else, file the result under what actually ran, so the cache never lies.
        run_id = self.store.save_result(
            article,
            self._logged(result),
            work_key=key,
            cache_key=cache_key_of(result),
            batch_id=batch_id,
            latency=seconds,
            cost=cost,
            usage=usage,
        )
        partial = result.status == "partial"
        return ArticleOutcome(
            article.id,
            article.origin,
            "partial" if partial else "extracted",
            run_id=run_id,
            claims=len(result.claims),
            usage=usage,
            cost=cost,
            seconds=seconds,
            stage="extract" if partial else None,
            error="; ".join(f.reason for f in result.failed_units) if partial else None,
            no_claim_bearing=any(w.code == NO_CLAIM_BEARING_SENTENCE for w in result.warnings),
        )


async def arun_batch(
    articles: Iterable[ArticleInput],
    store: Store | str | Path | None = None,
    *,
    settings: Settings | None = None,
    concurrency: int = 4,
    requests_per_minute: float | None = None,
    tokens_per_minute: float | None = None,
    prices: dict[str, Price] | None = None,
    on_outcome: Callable[[ArticleOutcome], None] | None = None,
    max_fetch_bytes: int = fetch.MAX_FETCH_BYTES,
    log_calls: bool = True,
    **options: Any,
) -> BatchOutcome:
    """Extract claims from many articles into a store (path or `Store`; default ./claimx.db).

    `concurrency` is articles in flight at once (each may make up to `settings.concurrency` calls
    at once with the `sentences` strategy). With `log_calls` False the store's audit log (`claimx logs`)
    gets no record of the requests. `options` are `Settings` fields (model, base_url, api_key, strategy,
    retry_attempts, …) used when `settings` is not given.
    """
    settings = settings or settings_from(**options)
    own = not isinstance(store, Store)
    db = store if isinstance(store, Store) else Store(store or DEFAULT_PATH)
    try:
        batch = Batch(
            db,
            settings,
            concurrency=concurrency,
            prices=prices,
            on_outcome=on_outcome,
            limits=Limits(requests_per_minute, tokens_per_minute),
            max_fetch_bytes=max_fetch_bytes,
            log_calls=log_calls,
        )
        return await batch.run(articles)
    finally:
        if own:
            db.close()


def run_batch(articles: Iterable[ArticleInput], store: Store | str | Path | None = None, **kwargs: Any) -> BatchOutcome:
    """Synchronous `arun_batch`; also safe to call from inside a running event loop (e.g. Jupyter)."""
    return run_sync(lambda: arun_batch(articles, store, **kwargs))
