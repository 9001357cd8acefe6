"""Many articles at once, into the store: bounded concurrency, request and token rate limits,
one transaction per article, failures recorded with their reason while the rest go on, and
identical work served from the store instead of the LLM.

    >>> from claimx.batch import run_batch
    >>> from claimx.inputs import iter_inputs
    >>> report = run_batch(iter_inputs(["articles/"]), "claimx.db", model="gpt-4o-mini",
    ...                    base_url="https://api.openai.com/v1", concurrency=8, requests_per_minute=500)
    >>> print(report.summary())

Re-running the same batch resumes it: finished articles are skipped (no call, no new row), failed
ones are tried again, and a batch stopped by its budget goes on where it stopped.

Throughput: every article shares one `LLM` (one HTTP client) whose requests pass one `AdaptiveLimit`
(concurrency.py): at most `concurrency` × `settings.concurrency` in flight, fewer while the server is
overloaded. Twice `concurrency` articles are worked on at once, so that while some wait for the server
the others are prepared, checked against the store and written to it, and the server never idles
waiting for claimx.
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
from claimx.batch.concurrency import AdaptiveLimit
from claimx.batch.limits import Budget, Grant, Limits, RateLimiter, estimate_usage
from claimx.batch.outcomes import ArticleOutcome, BatchOutcome, Stage
from claimx.batch.prices import FREE, Price, price_for
from claimx.extraction.identity import cache_key, cache_key_of, endpoint, fingerprint, in_language, work_key
from claimx.extraction.llm import LLM
from claimx.extraction.pipeline import NO_CLAIM_BEARING_SENTENCE, Job, aextract, connect, prepare
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
        adaptive: bool = True,
        budget: Budget | None = None,
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
        if budget is not None and budget.unit == "usd" and self.price == FREE:
            raise errors.ConfigurationError(
                f"a budget in dollars needs the price of model {self.model!r}, which the built-in table does not "
                "have: give it with --price MODEL=IN,OUT (dollars per million tokens), or a budget in tokens"
            )
        self.budget = budget
        self.max_fetch_bytes = max_fetch_bytes
        self.on_outcome = on_outcome
        self.log_calls = log_calls
        # Requests in flight: articles × calls per article (`whole` makes one call per article).
        most = concurrency * (settings.concurrency if self.strategy == "sentences" else 1)
        self.gate = AdaptiveLimit(most, minimum=1 if adaptive else most)
        self._requests = RateLimiter(self.limits.requests_per_minute) if self.limits.requests_per_minute else None
        self._tokens = RateLimiter(self.limits.tokens_per_minute) if self.limits.tokens_per_minute else None
        self._client: httpx.AsyncClient | None = None
        self._llm: LLM | None = None
        self._fatal: BaseException | None = None
        self._committed = 0.0  # budget spent by finished articles plus the estimate of those in flight
        self._over_budget: str | None = None

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
                "adaptive": self.gate.minimum < self.gate.maximum,
                "budget": str(self.budget) if self.budget else None,
                "parameters": self.fingerprint["parameters"],
            },
        )
        report = BatchOutcome(batch_id=batch_id, db=self.store.path, total=len(todo), duplicates=repeats)
        clock = time.monotonic()
        try:
            async with fetch.new_client() as self._client:
                try:
                    await self._work(todo, report)
                finally:
                    if self._llm is not None:
                        await self._llm.aclose()
        except (asyncio.CancelledError, KeyboardInterrupt):
            report.status, report.seconds = "interrupted", time.monotonic() - clock
            self._finish(report)
            raise
        except Exception as exc:  # the store itself failed (disk full, locked too long, …)
            report.status, report.error, report.seconds = "aborted", str(exc), time.monotonic() - clock
            self._finish(report)
            raise
        report.seconds = time.monotonic() - clock
        report.concurrency = [(c.answers, c.limit) for c in self.gate.history]
        if self._fatal is not None:
            report.status, report.error = "aborted", str(self._fatal)
        elif self._over_budget is not None:
            report.status, report.error = "stopped", self._over_budget
        else:
            report.status = "finished"
        self._finish(report)
        return report

    async def _work(self, todo: list[ArticleInput], report: BatchOutcome) -> None:
        """Twice `concurrency` workers take articles in order until none is left, a fatal error or the budget."""
        queue = iter(todo)

        async def worker() -> None:
            for article in queue:
                if self._fatal is not None or self._over_budget is not None:
                    return
                outcome = await self._one(article, report.batch_id)
                if outcome is None:  # over budget: not started
                    return
                report.outcomes.append(outcome)
                if self.on_outcome is not None:
                    self.on_outcome(outcome)

        workers = [asyncio.create_task(worker()) for _ in range(min(2 * self.concurrency, len(todo)) or 1)]
        try:
            await asyncio.gather(*workers)
        except BaseException:
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            raise

    def _finish(self, report: BatchOutcome) -> None:
        with contextlib.suppress(sqlite3.Error):  # bookkeeping must never hide the real outcome
            self.store.release_leases()
            # The store knows a batch as running, finished, interrupted or aborted: one stopped by its
            # budget was interrupted, and says why.
            status = "interrupted" if report.status == "stopped" else report.status
            self.store.finish_batch(report.batch_id, status, report.counts(), report.error)

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
        estimate: Usage | None = None,
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
            estimate=estimate or Usage(),
            estimated_cost=self.price.cost(estimate) if estimate else 0.0,
        )

    def _logged(self, result: Result) -> Result:
        """The result as the store gets it: with its requests for the audit log, unless that is off."""
        return result if self.log_calls else result.model_copy(update={"calls": []})

    async def _one(self, article: ArticleInput, batch_id: int) -> ArticleOutcome | None:
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

    def _within_budget(self, article: ArticleInput, estimate: Usage, reserved: float) -> bool:
        """Whether an article expected to take `reserved` from the budget may start (then it is reserved);
        once one may not, none may, so a resumed run goes on in input order."""
        if self.budget is None or not reserved:
            return True
        if self._over_budget is None and self._committed + reserved <= self.budget.amount:
            self._committed += reserved
            return True
        self._over_budget = self._over_budget or (
            f"the budget of {self.budget} would be exceeded by the next article ({article.id}, "
            f"estimated {self._describe(estimate)}); run the same command again to go on"
        )
        return False

    async def _rates(self, estimate: Usage) -> list[tuple[RateLimiter, Grant]]:
        """Reservations in the request and token rate limits for an article's calls."""
        grants = []
        if estimate.llm_calls and self._requests is not None:
            grants.append((self._requests, await self._requests.acquire(estimate.llm_calls)))
        if estimate.llm_calls and self._tokens is not None:
            tokens = estimate.prompt_tokens + estimate.completion_tokens
            grants.append((self._tokens, await self._tokens.acquire(tokens)))
        return grants

    def _spend(self, usage: Usage) -> float:
        """What `usage` takes from the budget: tokens, or dollars."""
        if self.budget is not None and self.budget.unit == "usd":
            return self.price.cost(usage)
        return float(usage.prompt_tokens + usage.completion_tokens)

    async def _extract(
        self, article: ArticleInput, job: Job, key: str, batch_id: int, *, started: float, resume: Result | None
    ) -> ArticleOutcome | None:
        units = job.pending(resume)
        estimate = estimate_usage(units, self.settings.max_tokens)
        reserved = self._spend(estimate) if units else 0.0
        if not self._within_budget(article, estimate, reserved):
            self.store.release(article.id, key)
            return None
        grants = await self._rates(estimate)
        usage: Usage | None = None
        try:
            if self._llm is None:  # once, for every article: one HTTP client (and the local model started)
                self._llm = connect(self.settings, gate=self.gate)
            result = await aextract(job, settings=self.settings, resume=resume, llm=self._llm)
            usage = result.usage.since(resume.usage) if resume else result.usage
        except errors.ExtractionError as exc:
            usage = exc.partial.usage if exc.partial is not None else None
            return self._fail(
                article,
                key,
                batch_id,
                "extract",
                str(exc),
                started=started,
                usage=usage,
                partial=exc.partial,
                estimate=estimate,
            )
        except FATAL as exc:
            self._fatal = exc
            return self._fail(article, key, batch_id, "extract", str(exc), started=started, estimate=estimate)
        except errors.ClaimxError as exc:
            error = f"{type(exc).__name__}: {exc}"
            return self._fail(article, key, batch_id, "extract", error, started=started, estimate=estimate)
        except Exception as exc:
            error = f"unexpected {type(exc).__name__}: {exc}"
            return self._fail(article, key, batch_id, "extract", error, started=started, estimate=estimate)
        finally:
            self._committed += (self._spend(usage) if usage else 0.0) - reserved
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
            estimate=estimate,
            estimated_cost=self.price.cost(estimate),
        )

    def _describe(self, usage: Usage) -> str:
        """Tokens, and dollars when the model has a price, for messages."""
        tokens = f"{usage.prompt_tokens + usage.completion_tokens:,} tokens"
        return f"{tokens}, ${self.price.cost(usage):.4f}" if self.price != FREE else tokens


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
    adaptive: bool = True,
    budget: Budget | None = None,
    **options: Any,
) -> BatchOutcome:
    """Extract claims from many articles into a store (path or `Store`; default ./claimx.db).

    `concurrency` is articles whose calls are in flight at once (each may make up to
    `settings.concurrency` calls at once with the `sentences` strategy; twice as many articles are worked
    on); with `adaptive` (the default) fewer requests are in flight while the server answers 429/503 or
    slows down, and more again as it recovers. With `log_calls` False the store's audit log (`claimx logs`)
    gets no record of the requests. With a `budget`, no article starts whose estimated cost would take the
    run's spending over it: the batch stops (status `stopped`) and the same call later goes on from there.
    `options` are `Settings` fields (model, base_url, api_key, strategy,
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
            adaptive=adaptive,
            budget=budget,
        )
        return await batch.run(articles)
    finally:
        if own:
            db.close()


def run_batch(articles: Iterable[ArticleInput], store: Store | str | Path | None = None, **kwargs: Any) -> BatchOutcome:
    """Synchronous `arun_batch`; also safe to call from inside a running event loop (e.g. Jupyter)."""
    return run_sync(lambda: arun_batch(articles, store, **kwargs))
