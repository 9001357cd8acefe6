"""Many articles at once, into the store: bounded concurrency, request and token rate limits, each
article's outcome stored whole (the articles that finish together in one transaction), failures recorded
with their reason while the rest go on, and identical work served from the store instead of the LLM.

    >>> from claimx.batch import run_batch
    >>> from claimx.inputs import iter_inputs
    >>> report = run_batch(iter_inputs(["articles/"]), "claimx.db", model="gpt-4o-mini",
    ...                    base_url="https://api.openai.com/v1", concurrency=8, requests_per_minute=500)
    >>> print(report.summary())

Re-running the same batch resumes it: finished articles are skipped (no call, no new row), failed
ones are tried again, and a batch stopped by its budget goes on where it stopped.

Each article goes through `article.Steps` (the steps the Ray engine takes too); this module adds the
store's leases and lookups (`StoreLedger`), the budget and rate limits, and writes outcomes in groups
(writer.py). Throughput: every article shares one `LLM` (one HTTP client) whose requests pass one
`AdaptiveLimit` (concurrency.py): at most `concurrency` × `settings.concurrency` in flight, fewer while the
server is overloaded. Twice `concurrency` articles are worked on at once, so that while some wait for the
server the others are prepared and checked against the store, and the server never idles waiting for claimx.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimx import errors, fetch
from claimx.batch import writer
from claimx.batch.article import Admission, Attempt, Copied, Extracted, Settled, Steps
from claimx.batch.limits import Budget, Grant, Limits, RateLimiter
from claimx.batch.outcomes import ArticleOutcome, BatchOutcome
from claimx.batch.prices import FREE, Price
from claimx.extraction.identity import endpoint
from claimx.inputs import ArticleInput
from claimx.result import Result, Usage
from claimx.settings import Settings, settings_from
from claimx.store import DEFAULT_PATH, Store
from claimx.store.work import LeaseState
from claimx.sync import run_sync


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


class StoreLedger:
    """The store as a batch's `Ledger`: its runs, and leases so two batches never extract the same article."""

    def __init__(self, store: Store, batch_id: int) -> None:
        self.store, self.batch_id = store, batch_id

    def claim(self, article_id: str, key: str, *, by_url: bool) -> LeaseState:
        return self.store.claim(article_id, key, self.batch_id, done_by_work_key=by_url)

    def done(self, article_id: str, key: str) -> int | None:
        return self.store.find_done(article_id, key)

    def complete(self, article_id: str, ckey: str) -> int | None:
        return self.store.find_run(article_id, ckey)

    def partial(self, article_id: str, ckey: str) -> Result | None:
        run = self.store.find_partial(article_id, ckey)
        return self.store.result_of_run(run, with_verifications=False) if run is not None else None

    def identical(self, ckey: str) -> int | None:
        return self.store.find_cached(ckey)

    def release(self, article_id: str, key: str) -> None:
        self.store.release(article_id, key)


@dataclass
class _Reserved:
    """What an article took from the budget and the rate limits before its calls."""

    budget: float
    grants: list[tuple[RateLimiter, Grant]]


class Batch(Steps):
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
        commit_articles: int = writer.ARTICLES,
        commit_seconds: float = writer.SECONDS,
    ) -> None:
        super().__init__(
            settings,
            concurrency=concurrency,
            prices=prices,
            max_fetch_bytes=max_fetch_bytes,
            log_calls=log_calls,
            adaptive=adaptive,
        )
        self.store = store
        self.limits = limits or Limits()
        if budget is not None and budget.unit == "usd" and self.price == FREE:
            raise errors.ConfigurationError(
                f"a budget in dollars needs the price of model {self.model!r}, which the built-in table does not "
                "have: give it with --price MODEL=IN,OUT (dollars per million tokens), or a budget in tokens"
            )
        self.budget = budget
        self.on_outcome = on_outcome
        self.writer = writer.Writer(store, articles=commit_articles, seconds=commit_seconds)
        self._requests = RateLimiter(self.limits.requests_per_minute) if self.limits.requests_per_minute else None
        self._tokens = RateLimiter(self.limits.tokens_per_minute) if self.limits.tokens_per_minute else None
        self._fatal: str | None = None
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
            try:
                await self._work(todo, report)
            finally:
                self.writer.flush()  # what finished is kept, however the batch ends
                await self.aclose()
            if self.writer.error is not None:
                raise self.writer.error
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
            report.status, report.error = "aborted", self._fatal
        elif self._over_budget is not None:
            report.status, report.error = "stopped", self._over_budget
        else:
            report.status = "finished"
        self._finish(report)
        return report

    async def _work(self, todo: list[ArticleInput], report: BatchOutcome) -> None:
        """Twice `concurrency` workers take articles in order until none is left, a fatal error, the budget or
        a store that fails; each outcome is reported once it is stored."""
        queue = iter(todo)
        ledger = StoreLedger(self.store, report.batch_id)

        def stored(outcome: ArticleOutcome) -> None:
            report.outcomes.append(outcome)
            if self.on_outcome is not None:
                self.on_outcome(outcome)

        async def worker() -> None:
            for article in queue:
                if self._fatal is not None or self._over_budget is not None or self.writer.error is not None:
                    return
                attempt = await self.attempt(article, ledger)
                if attempt is None:  # over budget: not started
                    return
                self._write(attempt, report.batch_id, stored)

        workers = [asyncio.create_task(worker()) for _ in range(min(2 * self.concurrency, len(todo)) or 1)]
        try:
            await asyncio.gather(*workers)
        except BaseException:
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            raise

    def _write(self, attempt: Attempt, batch_id: int, stored: Callable[[ArticleOutcome], None]) -> None:
        """The attempt into the store, with the next group of outcomes (nothing to write: reported at once)."""
        store = self.store
        if isinstance(attempt, Settled):
            stored(attempt.outcome())
        elif isinstance(attempt, Copied):
            copied = attempt

            def copy() -> tuple[int, Result]:
                return store.save_copy(
                    copied.article, copied.source, work_key=copied.key, cache_key=copied.ckey, batch_id=batch_id
                )

            self.writer.put(copy, lambda saved: stored(copied.outcome(*saved)))
        elif isinstance(attempt, Extracted):
            done = attempt

            def save() -> int:
                return store.save_result(
                    done.article,
                    done.result,
                    work_key=done.key,
                    cache_key=done.ckey,
                    batch_id=batch_id,
                    latency=done.seconds,
                    cost=done.cost,
                    usage=done.usage,
                )

            self.writer.put(save, lambda run_id: stored(done.outcome(run_id)))
        else:
            failed = attempt
            if failed.fatal is not None:
                self._fatal = failed.error

            def fail() -> None:
                store.record_failure(
                    failed.article,
                    work_key=failed.key,
                    stage=failed.stage,
                    error=failed.error,
                    batch_id=batch_id,
                    model=self.model,
                    usage=failed.usage,
                    latency=failed.seconds,
                    cost=failed.cost,
                    partial=failed.partial,
                )

            self.writer.put(fail, lambda _: stored(failed.outcome()))

    def _finish(self, report: BatchOutcome) -> None:
        with contextlib.suppress(sqlite3.Error):  # bookkeeping must never hide the real outcome
            self.store.release_leases()
            # The store knows a batch as running, finished, interrupted or aborted: one stopped by its
            # budget was interrupted, and says why.
            status = "interrupted" if report.status == "stopped" else report.status
            self.store.finish_batch(report.batch_id, status, report.counts(), report.error)

    async def admit(self, article: ArticleInput, estimate: Usage, sends: bool) -> Admission | None:
        """Within the budget (then it is reserved; once one article may not start, none may, so a resumed run
        goes on in input order), and a reservation in the request and token rate limits."""
        reserved = self._spend(estimate) if sends else 0.0
        if self.budget is not None and reserved:
            if self._over_budget is not None or self._committed + reserved > self.budget.amount:
                self._over_budget = self._over_budget or (
                    f"the budget of {self.budget} would be exceeded by the next article ({article.id}, "
                    f"estimated {self._describe(estimate)}); run the same command again to go on"
                )
                return None
            self._committed += reserved
        grants = []
        if estimate.llm_calls and self._requests is not None:
            grants.append((self._requests, await self._requests.acquire(estimate.llm_calls)))
        if estimate.llm_calls and self._tokens is not None:
            tokens = estimate.prompt_tokens + estimate.completion_tokens
            grants.append((self._tokens, await self._tokens.acquire(tokens)))
        return Admission(estimate, _Reserved(reserved if self.budget is not None else 0.0, grants))

    def settle(self, admission: Admission, usage: Usage | None, units: int) -> None:
        assert isinstance(admission.reserved, _Reserved)
        if self.budget is not None:
            self._committed += (self._spend(usage) if usage else 0.0) - admission.reserved.budget
        for limiter, grant in admission.reserved.grants:
            if limiter is self._requests:
                limiter.settle(grant, usage.llm_calls if usage else units)
            elif usage is not None:
                limiter.settle(grant, usage.prompt_tokens + usage.completion_tokens)

    def _spend(self, usage: Usage) -> float:
        """What `usage` takes from the budget: tokens, or dollars."""
        if self.budget is not None and self.budget.unit == "usd":
            return self.price.cost(usage)
        return float(usage.prompt_tokens + usage.completion_tokens)

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
    commit_articles: int = writer.ARTICLES,
    commit_seconds: float = writer.SECONDS,
    **options: Any,
) -> BatchOutcome:
    """Extract claims from many articles into a store (path or `Store`; default ./claimx.db).

    `concurrency` is articles whose calls are in flight at once (each may make up to
    `settings.concurrency` calls at once with the `sentences` strategy; twice as many articles are worked
    on); with `adaptive` (the default) fewer requests are in flight while the server answers 429/503 or
    slows down, and more again as it recovers. With `log_calls` False the store's audit log (`claimx logs`)
    gets no record of the requests. With a `budget`, no article starts whose estimated cost would take the
    run's spending over it: the batch stops (status `stopped`) and the same call later goes on from there.
    The articles that finish within `commit_seconds` of each other (up to `commit_articles`) are stored in
    one transaction; a killed batch loses at most those, which the next run extracts again. `options` are
    `Settings` fields (model, base_url, api_key, strategy, retry_attempts, …) used when `settings` is not given.
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
            commit_articles=commit_articles,
            commit_seconds=commit_seconds,
        )
        return await batch.run(articles)
    finally:
        if own:
            db.close()


def run_batch(articles: Iterable[ArticleInput], store: Store | str | Path | None = None, **kwargs: Any) -> BatchOutcome:
    """Synchronous `arun_batch`; also safe to call from inside a running event loop (e.g. Jupyter)."""
    return run_sync(lambda: arun_batch(articles, store, **kwargs))
