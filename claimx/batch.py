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
import concurrent.futures
import contextlib
import functools
import hashlib
import json
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx

from claimx import errors, inputs, strategies
from claimx.inputs import ArticleInput
from claimx.pipeline import aextract, settings_from
from claimx.schema import ClaimDrafts, Usage
from claimx.settings import Settings
from claimx.store import Store, cache_key, cache_key_of, fingerprint, work_key
from claimx.text import prepare

Status = Literal["extracted", "cached", "skipped", "failed"]
Stage = Literal["input", "fetch", "extract"]
# Errors that would fail every article alike: stop the batch instead of failing each one.
FATAL = (errors.AuthenticationError, errors.ModelNotFoundError, errors.ConfigurationError, errors.LocalModelError)
COMPLETION_GUESS = 256  # completion tokens reserved per call before the real count is known


# ---------------------------------------------------------------------------------------------
# Prices


@dataclass(frozen=True)
class Price:
    """US dollars per million prompt (input) and completion (output) tokens."""

    input_per_million: float = 0.0
    output_per_million: float = 0.0

    def cost(self, usage: Usage) -> float:
        return (usage.prompt_tokens * self.input_per_million + usage.completion_tokens * self.output_per_million) / 1e6


FREE = Price()


def parse_price(spec: str) -> tuple[str, Price]:
    """`MODEL=INPUT,OUTPUT` in dollars per million tokens, e.g. `gpt-4o-mini=0.15,0.60`."""
    model, sep, numbers = spec.rpartition("=")
    parts = numbers.replace(":", ",").split(",")
    try:
        if not sep or not model.strip() or len(parts) != 2:
            raise ValueError
        return model.strip(), Price(float(parts[0]), float(parts[1]))
    except ValueError:
        raise errors.ConfigurationError(
            f"price {spec!r} should be MODEL=INPUT,OUTPUT in dollars per million tokens, e.g. gpt-4o-mini=0.15,0.60"
        ) from None


def load_prices(path: str | Path) -> dict[str, Price]:
    """A JSON price table: {"model": {"input": 0.15, "output": 0.6}, …} (dollars per million tokens)."""
    try:
        table = json.loads(Path(path).read_text(encoding="utf-8"))
        return {str(m): Price(float(p["input"]), float(p["output"])) for m, p in table.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise errors.ConfigurationError(
            f"cannot read the price table {path}: {exc}. Expected JSON like "
            '{"gpt-4o-mini": {"input": 0.15, "output": 0.6}} in dollars per million tokens.'
        ) from None


def price_for(model: str, settings: Settings, prices: dict[str, Price] | None) -> Price:
    """The price of a model: from the table (exact name, else the longest matching prefix);
    nothing for the local model or a model not in the table."""
    if settings.is_local or not prices:
        return FREE
    if model in prices:
        return prices[model]
    prefixes = [m for m in prices if model.startswith(m)]
    return prices[max(prefixes, key=len)] if prefixes else FREE


# ---------------------------------------------------------------------------------------------
# Rate limits


@dataclass
class Grant:
    """A reservation in a `RateLimiter` window; `settle` corrects its amount."""

    at: float
    amount: float
    live: bool = True


class RateLimiter:
    """At most `limit` units (requests, tokens) in any sliding window of `period` seconds.

    Waiters are served first come, first served. A request bigger than the whole limit waits for
    an empty window and then goes alone, so it is slow but never stuck. The amount reserved before
    the work can be corrected once the real one is known (`settle`)."""

    def __init__(self, limit: float, period: float = 60.0, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Any] = asyncio.sleep) -> None:
        if limit <= 0:
            raise ValueError("a rate limit must be positive")
        self.limit = float(limit)
        self.period = period
        self._clock = clock
        self._sleep = sleep
        self._window: deque[Grant] = deque()
        self._used = 0.0
        self._lock = asyncio.Lock()

    @property
    def used(self) -> float:
        self._prune(self._clock())
        return self._used

    def _prune(self, now: float) -> None:
        while self._window and self._window[0].at + self.period <= now:
            gone = self._window.popleft()
            gone.live = False
            self._used -= gone.amount

    async def acquire(self, amount: float) -> Grant:
        async with self._lock:
            while True:
                now = self._clock()
                self._prune(now)
                if not self._window or self._used + amount <= self.limit:
                    grant = Grant(now, amount)
                    self._window.append(grant)
                    self._used += amount
                    return grant
                excess, until = self._used + amount - self.limit, self._window[-1].at + self.period
                freed = 0.0
                for old in self._window:
                    freed += old.amount
                    if freed >= excess:
                        until = old.at + self.period
                        break
                await self._sleep(max(until - now, 0.001))

    def settle(self, grant: Grant, amount: float) -> None:
        """Replace a reservation's estimate by the amount actually used (if still in the window)."""
        self._prune(self._clock())
        if grant.live:
            self._used += amount - grant.amount
        grant.amount = amount


@functools.cache
def _schema_chars() -> int:
    return len(json.dumps(ClaimDrafts.model_json_schema()))


def estimate_tokens(units: list[strategies.Unit], max_tokens: int) -> int:
    """Tokens an article's calls will use, guessed before sending (about 4 characters a token):
    templates, the text each call shows, the JSON schema, and a completion allowance."""
    schema = _schema_chars()
    total = 0
    for unit in units:
        context = unit.context
        shown = (len(context.get("before", "")) + 2 * len(context["sentence"]) + len(context.get("after", ""))
                 if "sentence" in context else len(context.get("article", "")))
        chars = sum(len(m["content"]) for m in unit.messages) + shown + schema
        total += chars // 4 + min(COMPLETION_GUESS, max_tokens)
    return total


# ---------------------------------------------------------------------------------------------
# Outcomes


@dataclass(frozen=True)
class ArticleOutcome:
    """What happened to one article in a batch."""

    article_id: str
    origin: str
    status: Status
    run_id: int | None = None
    claims: int = 0
    usage: Usage = field(default_factory=Usage)
    cost: float = 0.0
    seconds: float = 0.0
    stage: Stage | None = None
    error: str | None = None


@dataclass
class BatchReport:
    """Everything a batch did; `outcomes` holds one entry per distinct article, in finishing order."""

    batch_id: int
    db: Path
    total: int
    status: str = "running"
    outcomes: list[ArticleOutcome] = field(default_factory=list)
    duplicates: list[ArticleInput] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None

    def _count(self, status: Status) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def extracted(self) -> int:
        return self._count("extracted")

    @property
    def cached(self) -> int:
        return self._count("cached")

    @property
    def skipped(self) -> int:
        return self._count("skipped")

    @property
    def failed(self) -> list[ArticleOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def claims(self) -> int:
        return sum(o.claims for o in self.outcomes if o.status != "skipped")

    @property
    def usage(self) -> Usage:
        total = Usage()
        for outcome in self.outcomes:
            total.add(outcome.usage)
        return total

    @property
    def cost(self) -> float:
        return sum(o.cost for o in self.outcomes)

    def counts(self) -> dict[str, Any]:
        usage = self.usage
        return {"articles": self.total, "extracted": self.extracted, "cached": self.cached, "skipped": self.skipped,
                "failed": len(self.failed), "duplicates": len(self.duplicates), "claims": self.claims,
                "llm_calls": usage.llm_calls, "prompt_tokens": usage.prompt_tokens,
                "completion_tokens": usage.completion_tokens, "cost": round(self.cost, 6)}

    def summary(self) -> str:
        c = self.counts()
        line = (f"batch {self.batch_id} {self.status}: {c['articles']} article(s) — {c['extracted']} extracted, "
                f"{c['cached']} served from the store, {c['skipped']} already done, {c['failed']} failed; "
                f"{c['claims']} claim(s), {c['llm_calls']} LLM call(s), {c['prompt_tokens']}+{c['completion_tokens']}"
                f" tokens, ${c['cost']:.4f}, {self.seconds:.1f} s → {self.db}")
        if self.duplicates:
            line += f"\n{len(self.duplicates)} duplicate id(s) skipped (the first occurrence was kept)"
        return line


@dataclass(frozen=True)
class Limits:
    """Requests and tokens per minute; None means no limit."""

    requests_per_minute: float | None = None
    tokens_per_minute: float | None = None


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
        self, store: Store, settings: Settings, *, concurrency: int = 4, limits: Limits | None = None,
        prices: dict[str, Price] | None = None, max_fetch_bytes: int = inputs.MAX_FETCH_BYTES,
        on_outcome: Callable[[ArticleOutcome], None] | None = None,
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
        self._requests = RateLimiter(self.limits.requests_per_minute) if self.limits.requests_per_minute else None
        self._tokens = RateLimiter(self.limits.tokens_per_minute) if self.limits.tokens_per_minute else None
        self._client: httpx.AsyncClient | None = None
        self._fatal: BaseException | None = None

    async def run(self, articles: Iterable[ArticleInput]) -> BatchReport:
        todo, repeats = dedupe(articles)
        batch_id = self.store.start_batch(
            model=self.model, base_url=self.settings.base_url, strategy=self.strategy,
            options={"concurrency": self.concurrency, "requests_per_minute": self.limits.requests_per_minute,
                     "tokens_per_minute": self.limits.tokens_per_minute, "parameters": self.fingerprint["parameters"]},
        )
        report = BatchReport(batch_id=batch_id, db=self.store.path, total=len(todo), duplicates=repeats)
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
            async with inputs.new_client() as self._client:
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

    def _finish(self, report: BatchReport) -> None:
        with contextlib.suppress(sqlite3.Error):  # bookkeeping must never hide the real outcome
            self.store.finish_batch(report.batch_id, report.status, report.counts(), report.error)

    def _fail(self, article: ArticleInput, key: str, batch_id: int, stage: Stage, error: str, started: float,
              usage: Usage | None = None) -> ArticleOutcome:
        seconds = time.monotonic() - started
        cost = self.price.cost(usage) if usage else 0.0
        self.store.record_failure(article, work_key=key, stage=stage, error=error, batch_id=batch_id,
                                  model=self.model, usage=usage, latency=seconds, cost=cost)
        return ArticleOutcome(article.id, article.origin, "failed", usage=usage or Usage(), cost=cost,
                              seconds=seconds, stage=stage, error=error)

    async def _one(self, article: ArticleInput, batch_id: int) -> ArticleOutcome:
        started = time.monotonic()
        key = work_key(self.fingerprint, article.published, article.publisher)
        if article.problem:
            return self._fail(article, key, batch_id, "input", article.problem, started)
        if article.text is None:
            if (done := self.store.find_done(article.id, key)) is not None:
                return ArticleOutcome(article.id, article.origin, "skipped", run_id=done)
            try:
                assert self._client is not None and article.url is not None
                page = await inputs.afetch(article.url, client=self._client, max_bytes=self.max_fetch_bytes)
            except errors.InputError as exc:
                return self._fail(article, key, batch_id, "fetch", str(exc), started)
            article = article.with_text(page.text, published=page.published, publisher=page.publisher)
        assert article.text is not None
        try:
            prepared = prepare(article.text, max_chars=self.settings.max_chars)
        except errors.InputError as exc:
            return self._fail(article, key, batch_id, "input", str(exc), started)
        text_sha = hashlib.sha256(prepared.text.encode()).hexdigest()
        ckey = cache_key(text_sha, self.fingerprint, article.published, article.publisher)
        if (done := self.store.find_run(article.id, ckey)) is not None:
            return ArticleOutcome(article.id, article.origin, "skipped", run_id=done)
        if (source := self.store.find_cached(ckey)) is not None:
            run_id, result = self.store.save_copy(article, source, work_key=key, cache_key=ckey, batch_id=batch_id)
            return ArticleOutcome(article.id, article.origin, "cached", run_id=run_id, claims=len(result.claims),
                                  seconds=time.monotonic() - started)
        return await self._extract(article, prepared.text, key, ckey, batch_id, started)

    async def _extract(self, article: ArticleInput, text: str, key: str, ckey: str, batch_id: int,
                       started: float) -> ArticleOutcome:
        meta = {"publisher": article.publisher or "unknown",
                "published": article.published.isoformat() if article.published else "unknown"}
        units = strategies.plan(self.strategy, text, meta)
        grants = []
        if units and self._requests is not None:
            grants.append((self._requests, await self._requests.acquire(len(units))))
        if units and self._tokens is not None:
            grants.append((self._tokens, await self._tokens.acquire(estimate_tokens(units, self.settings.max_tokens))))
        usage: Usage | None = None
        try:
            result = await aextract(article.text or text, settings=self.settings, published=article.published,
                                    publisher=article.publisher)
            usage = result.usage
        except errors.ExtractionError as exc:
            usage = exc.partial.usage if exc.partial is not None else None
            return self._fail(article, key, batch_id, "extract", str(exc), started, usage)
        except FATAL as exc:
            self._fatal = exc
            return self._fail(article, key, batch_id, "extract", str(exc), started)
        except errors.ClaimxError as exc:
            return self._fail(article, key, batch_id, "extract", f"{type(exc).__name__}: {exc}", started)
        except Exception as exc:  # noqa: BLE001 - one article's surprise must not stop the others
            return self._fail(article, key, batch_id, "extract", f"unexpected {type(exc).__name__}: {exc}", started)
        finally:
            for limiter, grant in grants:
                if limiter is self._requests:
                    limiter.settle(grant, usage.llm_calls if usage else len(units))
                elif usage is not None:
                    limiter.settle(grant, usage.prompt_tokens + usage.completion_tokens)
        seconds = time.monotonic() - started
        cost = self.price.cost(result.usage)
        # The key computed before the call must describe what ran; if the pipeline ever records
        # something else, file the result under what actually ran, so the cache never lies.
        run_id = self.store.save_result(article, result, work_key=key, cache_key=cache_key_of(result),
                                        batch_id=batch_id, latency=seconds, cost=cost)
        return ArticleOutcome(article.id, article.origin, "extracted", run_id=run_id, claims=len(result.claims),
                              usage=result.usage, cost=cost, seconds=seconds)


async def arun_batch(
    articles: Iterable[ArticleInput], store: Store | str | Path | None = None, *, settings: Settings | None = None,
    concurrency: int = 4, requests_per_minute: float | None = None, tokens_per_minute: float | None = None,
    prices: dict[str, Price] | None = None, on_outcome: Callable[[ArticleOutcome], None] | None = None,
    max_fetch_bytes: int = inputs.MAX_FETCH_BYTES, **options: Any,
) -> BatchReport:
    """Extract claims from many articles into a store (path or `Store`; default ./claimx.db).

    `concurrency` is articles in flight at once (each may make up to `settings.concurrency` calls
    at once with the `sentences` strategy). `options` are `Settings` fields (model, base_url,
    api_key, strategy, retry_attempts, …) used when `settings` is not given.
    """
    settings = settings or settings_from(**options)
    own = not isinstance(store, Store)
    db = store if isinstance(store, Store) else Store(store or "claimx.db")
    try:
        batch = Batch(db, settings, concurrency=concurrency, prices=prices, on_outcome=on_outcome,
                      limits=Limits(requests_per_minute, tokens_per_minute), max_fetch_bytes=max_fetch_bytes)
        return await batch.run(articles)
    finally:
        if own:
            db.close()


def run_batch(articles: Iterable[ArticleInput], store: Store | str | Path | None = None, **kwargs: Any) -> BatchReport:
    """Synchronous `arun_batch`; also safe to call from inside a running event loop (e.g. Jupyter)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(arun_batch(articles, store, **kwargs))
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, arun_batch(articles, store, **kwargs)).result()


__all__ = [
    "FREE",
    "ArticleOutcome",
    "Batch",
    "BatchReport",
    "Limits",
    "Price",
    "RateLimiter",
    "arun_batch",
    "dedupe",
    "estimate_tokens",
    "load_prices",
    "parse_price",
    "price_for",
    "run_batch",
]
