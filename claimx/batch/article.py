"""One article's steps, the same in both engines: `claimx batch` (runner.py, one process, into the store) and
`--engine ray` (distributed.py, actors, into Parquet records).

A record with a problem fails at `input`; a URL is fetched (`fetch`); the text is prepared once (`input`); work
already done is skipped, a partial run is resumed (only its failed calls are sent again) and identical work
is copied instead of sent; the rest is extracted (`extract`) through one `LLM` per engine instance, whose
requests pass one adaptive gate. What the article came to is an `Attempt`; each engine writes it its own way.
Where earlier work is looked up is the engine's `Ledger`: the store itself, or what the store held when a
distributed batch began.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal, Protocol

import httpx

from claimx import errors, fetch
from claimx.batch.concurrency import AdaptiveLimit
from claimx.batch.limits import estimate_usage
from claimx.batch.outcomes import ArticleOutcome, Stage
from claimx.batch.prices import Price, price_for
from claimx.extraction.identity import cache_key_of, fingerprint, work_key
from claimx.extraction.llm import LLM
from claimx.extraction.pipeline import NO_CLAIM_BEARING_SENTENCE, Job, aextract, connect, prepare
from claimx.inputs import ArticleInput
from claimx.result import Result, Usage
from claimx.settings import Settings
from claimx.store.work import LeaseState

# Errors that would fail every article alike: stop the batch instead of failing each one.
FATAL = (errors.AuthenticationError, errors.ModelNotFoundError, errors.ConfigurationError, errors.LocalModelError)


class Ledger(Protocol):
    """Where an engine looks up earlier work (runs by id) and holds its articles while it works on them."""

    def claim(self, article_id: str, key: str, *, by_url: bool) -> LeaseState:
        """`taken` (this engine works on it), `held` (another live batch does) or `done` (a URL whose job has a
        complete run: it is not fetched again)."""

    def done(self, article_id: str, key: str) -> int | None:
        """The complete run of a job found `done` by `claim`."""

    def complete(self, article_id: str, ckey: str) -> int | None:
        """The complete run of this very work."""

    def partial(self, article_id: str, ckey: str) -> Result | None:
        """A partial run of this very work, which the attempt completes."""

    def identical(self, ckey: str) -> int | None:
        """The first complete run of identical work, for any article, to copy."""

    def release(self, article_id: str, key: str) -> None:
        """Give back the lease `claim` took, when there is nothing to write."""


@dataclass(frozen=True)
class Settled:
    """Nothing to write: another batch holds the article, or its work is done."""

    article: ArticleInput
    status: Literal["held", "skipped"]
    run_id: int | None = None

    def outcome(self) -> ArticleOutcome:
        return ArticleOutcome(self.article.id, self.article.origin, self.status, run_id=self.run_id)


@dataclass(frozen=True)
class Copied:
    """Identical work the ledger holds (`source`), to be recorded for this article without a call."""

    article: ArticleInput
    key: str
    ckey: str
    source: int
    seconds: float

    def outcome(self, run_id: int, result: Result) -> ArticleOutcome:
        a = self.article
        return ArticleOutcome(a.id, a.origin, "cached", run_id=run_id, claims=len(result.claims), seconds=self.seconds)


@dataclass(frozen=True)
class Extracted:
    """A result, complete or partial; `ckey` is what actually ran (so a cache never lies), `usage` what this
    attempt cost (less than the result's own when it completed a partial run)."""

    article: ArticleInput
    result: Result
    key: str
    usage: Usage
    seconds: float
    cost: float
    estimate: Usage
    estimated_cost: float

    @property
    def ckey(self) -> str:
        return cache_key_of(self.result)

    def outcome(self, run_id: int) -> ArticleOutcome:
        a, result = self.article, self.result
        partial = result.status == "partial"
        return ArticleOutcome(
            a.id,
            a.origin,
            "partial" if partial else "extracted",
            run_id=run_id,
            claims=len(result.claims),
            usage=self.usage,
            cost=self.cost,
            seconds=self.seconds,
            stage="extract" if partial else None,
            error="; ".join(f.reason for f in result.failed_units) if partial else None,
            no_claim_bearing=any(w.code == NO_CLAIM_BEARING_SENTENCE for w in result.warnings),
            estimate=self.estimate,
            estimated_cost=self.estimated_cost,
        )


@dataclass(frozen=True)
class Failed:
    """Where and why the article failed, what the attempt cost, and the failed extraction's result if any;
    `fatal` names the error's class when it would fail every article alike (the batch stops)."""

    article: ArticleInput
    key: str
    stage: Stage
    error: str
    seconds: float
    ckey: str | None = None
    usage: Usage | None = None
    cost: float = 0.0
    partial: Result | None = None
    estimate: Usage | None = None
    estimated_cost: float = 0.0
    fatal: str | None = None

    def outcome(self) -> ArticleOutcome:
        a = self.article
        return ArticleOutcome(
            a.id,
            a.origin,
            "failed",
            usage=self.usage or Usage(),
            cost=self.cost,
            seconds=self.seconds,
            stage=self.stage,
            error=self.error,
            estimate=self.estimate or Usage(),
            estimated_cost=self.estimated_cost,
        )


Attempt = Settled | Copied | Extracted | Failed


@dataclass(frozen=True)
class Started:
    """An article on its way to the model: prepared, its keys known, its clock running."""

    article: ArticleInput
    job: Job
    key: str
    ckey: str
    clock: float


@dataclass
class Admission:
    """An article let in to be extracted: its estimate and what an engine reserved for it (budget, rates)."""

    estimate: Usage
    reserved: object = None


class Steps:
    """The per-article steps with what they share across an engine instance's articles: the settings and
    their fingerprint, the price, one HTTP client for pages, one `LLM` for the model (opened on first use) and
    the gate its requests pass (`concurrency` articles' calls in flight, fewer while the server is overloaded).
    An engine adds admission (budget, rate limits) by overriding `admit` and `settle`."""

    def __init__(
        self,
        settings: Settings,
        *,
        concurrency: int,
        prices: dict[str, Price] | None = None,
        max_fetch_bytes: int = fetch.MAX_FETCH_BYTES,
        log_calls: bool = True,
        adaptive: bool = True,
    ) -> None:
        if concurrency < 1:
            raise errors.ConfigurationError("concurrency must be at least 1")
        self.settings = settings
        self.concurrency = concurrency
        self.fingerprint = fingerprint(settings)  # raises ConfigurationError before any work
        self.model = self.fingerprint["model"]
        self.strategy = self.fingerprint["strategy"]
        self.price = price_for(self.model, settings, prices)
        self.max_fetch_bytes = max_fetch_bytes
        self.log_calls = log_calls
        # Requests in flight: articles × calls per article (`whole` makes one call per article).
        most = concurrency * (settings.concurrency if self.strategy == "sentences" else 1)
        self.gate = AdaptiveLimit(most, minimum=1 if adaptive else most)
        self._pages: httpx.AsyncClient | None = None
        self._llm: LLM | None = None

    async def aclose(self) -> None:
        """Close the clients inside the event loop that used them."""
        if self._llm is not None:
            await self._llm.aclose()
            self._llm = None
        if self._pages is not None:
            await self._pages.aclose()
            self._pages = None

    def logged(self, result: Result) -> Result:
        """The result as it is written: with its requests for the audit log, unless that is off."""
        return result if self.log_calls else result.model_copy(update={"calls": []})

    async def admit(self, article: ArticleInput, estimate: Usage, sends: bool) -> Admission | None:
        """Whether the article may be extracted now (None: not now, the batch stops before it)."""
        return Admission(estimate)

    def settle(self, admission: Admission, usage: Usage | None, units: int) -> None:
        """What an admitted article actually used (None: unknown), once its extraction ended."""

    async def attempt(self, article: ArticleInput, ledger: Ledger) -> Attempt | None:
        """The article's steps up to what is to be written; None when `admit` kept it from starting."""
        started, by_url = time.monotonic(), article.text is None
        key = work_key(self.fingerprint, article.published, article.publisher)
        if article.problem:
            return Failed(article, key, "input", article.problem, time.monotonic() - started)
        state = ledger.claim(article.id, key, by_url=by_url)
        if state != "taken":  # held by another batch, or a URL whose job is done (not fetched again)
            return (
                Settled(article, "held")
                if state == "held"
                else Settled(article, "skipped", ledger.done(article.id, key))
            )
        if by_url:
            if self._pages is None:
                self._pages = fetch.new_client()
            try:
                assert article.url is not None
                page = await fetch.afetch(article.url, client=self._pages, max_bytes=self.max_fetch_bytes)
            except errors.InputError as exc:
                return Failed(article, key, "fetch", str(exc), time.monotonic() - started)
            article = article.with_text(page.text, published=page.published, publisher=page.publisher)
        assert article.text is not None
        try:
            job = prepare(article.text, self.settings, published=article.published, publisher=article.publisher)
        except errors.InputError as exc:
            return Failed(article, key, "input", str(exc), time.monotonic() - started)
        ckey = job.cache_key
        if (done := ledger.complete(article.id, ckey)) is not None:
            ledger.release(article.id, key)
            return Settled(article, "skipped", done)
        resume = ledger.partial(article.id, ckey)
        if resume is None and (source := ledger.identical(ckey)) is not None:
            return Copied(article, key, ckey, source, time.monotonic() - started)
        units = job.pending(resume)
        estimate = estimate_usage(units, self.settings.max_tokens)
        admission = await self.admit(article, estimate, bool(units))
        if admission is None:
            ledger.release(article.id, key)
            return None
        return await self._extract(Started(article, job, key, ckey, started), resume, admission, len(units))

    async def _extract(self, at: Started, resume: Result | None, admission: Admission, units: int) -> Attempt:
        """The calls (only the failed ones of a partial run), as a result or a failure."""
        usage: Usage | None = None
        error: str | None = None
        partial: Result | None = None
        fatal: str | None = None
        try:
            if self._llm is None:  # once, for every article: one HTTP client (and the local model started)
                self._llm = connect(self.settings, gate=self.gate)
            result = await aextract(at.job, settings=self.settings, resume=resume, llm=self._llm)
            usage = result.usage.since(resume.usage) if resume else result.usage
        except errors.ExtractionError as exc:
            error, partial = str(exc), exc.partial
            usage = partial.usage if partial is not None else None
        except FATAL as exc:
            error, fatal = str(exc), type(exc).__name__
        except errors.ClaimxError as exc:
            error = f"{type(exc).__name__}: {exc}"
        except Exception as exc:
            error = f"unexpected {type(exc).__name__}: {exc}"
        finally:
            self.settle(admission, usage, units)
        seconds = time.monotonic() - at.clock
        cost = self.price.cost(usage) if usage else 0.0
        estimate = admission.estimate
        if error is not None:
            logged = self.logged(partial) if partial is not None else None
            return Failed(
                at.article,
                at.key,
                "extract",
                error,
                seconds,
                at.ckey,
                usage,
                cost,
                logged,
                estimate,
                self.price.cost(estimate),
                fatal,
            )
        assert usage is not None
        return Extracted(
            at.article, self.logged(result), at.key, usage, seconds, cost, estimate, self.price.cost(estimate)
        )
