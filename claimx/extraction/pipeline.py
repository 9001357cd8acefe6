"""One article's journey: checked text → units → LLM drafts → grounded claims → result.

`prepare` does everything that costs no model call (input checks, the plan of calls; at most one GET of
an endpoint's context size for a long article); `aextract` sends the calls. A batch prepares each
article once, files it under the job's cache key, and hands the same `Job` to `aextract`.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from claimx import errors
from claimx.extraction import calls, chunks, identity, language, plan, profiles
from claimx.extraction.claims import Assembled, assemble
from claimx.extraction.cues import cue_for
from claimx.extraction.drafts import EnglishPhrases, SourceSentences
from claimx.extraction.layout import Reflowed, reflowed
from claimx.extraction.llm import LLM, Gate
from claimx.extraction.text import check_encodable, prepare_text
from claimx.result import Article, CallRecord, Chunk, Claim, ExtractionWarning, Provenance, Result
from claimx.settings import Settings, Strategy, settings_from
from claimx.sync import run_sync
from claimx.version import __version__

Progress = Callable[[int, int], None]
NO_CLAIM_BEARING_SENTENCE = "no_claim_bearing_sentence"
"""The warning of an article that got no call at all: none of its sentences names a source."""


@dataclass(frozen=True)
class Job:
    """One article ready to send: the checked text with its metadata, the settings it was prepared with, the
    calls to make, and what the input check and the plan found worth a warning (it leads the result's
    warnings). `layout` holds the re-flowed text the calls read when the article is hard-wrapped; `chunks` the
    parts of a long article under `whole`."""

    article: Article
    settings: Settings = field(repr=False, compare=False)
    strategy: Strategy
    units: list[plan.Unit]
    warnings: list[ExtractionWarning] = field(default_factory=list)
    layout: Reflowed | None = None
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def selects(self) -> bool:
        """Whether a cheap call must first pick the sentences that cite a source (a language without a lexicon)."""
        return self.strategy == "sentences" and cue_for(self.article.language) is None

    @cached_property
    def fingerprint(self) -> dict[str, Any]:
        """What decides the result besides the text (`identity.fingerprint` in the article's language): the
        result's provenance and the job's cache key. Taken once, on first use: it may ask the server what it
        is, which `prepare` does not."""
        return identity.in_language(identity.fingerprint(self.settings), self.article.language)

    @property
    def cache_key(self) -> str:
        """Where a store files this work: identical work has the same key."""
        a = self.article
        return identity.cache_key(a.sha256, self.fingerprint, a.published, a.publisher)

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
    """Check the article and plan its calls; raise a typed `InputError` before any call. Hard-wrapped text is
    re-flowed for the calls (`layout`); a long article under `whole` is cut into chunks, and when no context
    is known for its endpoint, asks the server for it (once per endpoint: `identity.served_context`)."""
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
        language=settings.language or language.detect(prepared.text),
    )
    meta = {
        "publisher": publisher or "unknown",
        "published": published_date.isoformat() if published_date else "unknown",
    }
    strategy = settings.effective_strategy
    layout = reflowed(article.text)
    seen = layout.text if layout else article.text
    size = chunks.chunk_chars(identity.context_tokens(settings), settings.max_tokens)
    if strategy == "whole" and len(seen) > size:  # too long for the assumed context: ask the server for its own
        size = chunks.chunk_chars(identity.context_tokens(settings, probe=True), settings.max_tokens)
    answer = chunks.claims_per_answer(settings.max_tokens)
    planned = plan.plan(
        strategy,
        seen,
        meta,
        article.language,
        chunk_chars=size,
        answer_claims=answer,
        max_calls=settings.max_calls,
    )
    units, skipped = planned[: settings.max_calls], planned[settings.max_calls :]
    warnings = [*prepared.warnings, *_layout_warnings(article.text, layout), *_limit_warnings(skipped, settings)]
    if not units:
        warnings.append(
            ExtractionWarning(
                code=NO_CLAIM_BEARING_SENTENCE,
                message=f"No sentence names a source (language: {language.name(article.language)}), so no model "
                "call was made and the article has no claims. If it is not in that language, give it with "
                "--language / language=; or try --strategy whole.",
            )
        )
    chunked = strategy == "whole" and len(planned) > 1
    record = [_chunk(u, layout, skipped=i >= len(units)) for i, u in enumerate(planned)] if chunked else []
    return Job(article, settings, strategy, units, warnings, layout, record)


def _chunk(unit: plan.Unit, layout: Reflowed | None, *, skipped: bool) -> Chunk:
    """A chunk's call as recorded on the result: its span in the article as given."""
    start, end = unit.position, unit.position + len(unit.context["article"])
    if layout is not None:
        start, end = layout.to_original(start, end)
    return Chunk(unit=unit.key, start=start, end=end, skipped=skipped)


def _layout_warnings(text: str, layout: Reflowed | None) -> list[ExtractionWarning]:
    if layout is None:
        return []
    return [
        ExtractionWarning(
            code="reflowed",
            message=f"The text is hard-wrapped ({text.count(chr(10)) + 1} lines): its lines were joined into "
            f"{layout.text.count(chr(10)) + 1} before it was split and sent. Evidence offsets point into the text "
            "as given; a quote across a line break is `normalised`.",
        )
    ]


def _limit_warnings(skipped: list[plan.Unit], settings: Settings) -> list[ExtractionWarning]:
    """Calls past `max_calls` are not sent, and the result says which."""
    if not skipped:
        return []
    return [
        ExtractionWarning(
            code="call_limit",
            message=f"{len(skipped)} call(s) past the limit of {settings.max_calls} per article were not sent: "
            + ", ".join(u.label for u in skipped)
            + ". Raise it with max_calls= / --max-calls / CLAIMX_MAX_CALLS.",
        )
    ]


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
        profile=profiles.choose(settings, where),
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
    """Extract attributed, grounded claims from one article (its text, or a `Job` that `prepare` made with the
    same settings: its fingerprint is the result's provenance).

    `options` are any other `Settings` fields (max_reasks, max_chars, concurrency, …). Input is
    checked before any call. A call with no usable answer makes the result `partial` (its claims from
    the other calls are kept); with `resume`, a partial result of the same article, only its failed
    calls are sent again and its claims are kept. If every call fails, `ExtractionError.partial`
    holds the failed result. `llm` (from `connect`) is an endpoint the caller keeps open across articles;
    without it, one is opened and closed for this article.
    """
    settings = settings or settings_from(model=model, strategy=strategy, base_url=base_url, api_key=api_key, **options)
    job = text if isinstance(text, Job) else prepare(text, settings, published=published, publisher=publisher)
    units, print_ = job.pending(resume), job.fingerprint
    own = llm is None
    llm = connect(settings) if llm is None else llm
    started, clock = datetime.now().astimezone(), time.monotonic()
    done = 0
    picked = Assembled()

    def progress(_: calls.UnitResult) -> None:
        nonlocal done
        done += 1
        if on_progress is not None:
            on_progress(done, len(units))

    rendered = Assembled()
    try:
        if job.selects and resume is None and units:  # a language without a lexicon: a cheap call chooses first
            units, picked = await _select(llm, job)
        if on_progress is not None:
            on_progress(0, len(units))
        results = await calls.run(llm, units, concurrency=settings.concurrency, on_done=progress)
        new = assemble(
            job.article.text,
            job.article.sha256,
            results,
            {c.id for c in resume.claims} if resume else None,
            published=job.article.published,
            layout=job.layout,
            language=job.article.language,
        )
        if plan.renders(job.article.language, settings.fields_language) and new.claims:
            new.claims, rendered = await in_english(llm, job.article, new.claims)
    finally:
        if own:
            await llm.aclose()
    new.usage.add(picked.usage)
    new.usage.add(rendered.usage)
    new.calls = [*picked.calls, *new.calls, *rendered.calls]
    new.warnings = [*picked.warnings, *new.warnings, *rendered.warnings]
    if not new.claims and results and not new.failed and resume is None:
        new.warnings.append(
            ExtractionWarning(
                code="no_claims",
                message=f"{len(results)} call(s) answered and none found an attributed claim "
                f"(language: {language.name(job.article.language)}).",
            )
        )
    claims, usage, seconds = new.claims, new.usage, time.monotonic() - clock
    warnings = [*job.warnings, *new.warnings]
    if resume is not None:  # keep what the earlier run finished; drop what it said about the calls sent again
        rerun = {u.key for u in units}
        claims = sorted([*resume.claims, *claims], key=_reading_order)
        warnings = [w for w in resume.warnings if w.unit not in rerun] + new.warnings
        usage = resume.usage.model_copy()
        usage.add(new.usage)
        seconds += resume.provenance.seconds
    failed = len(new.failed) == (len(units) if resume is None else len(job.units)) > 0
    result = Result(
        article=job.article,
        claims=claims,
        usage=usage,
        status="failed" if failed else "partial" if new.failed else "complete",
        failed_units=new.failed,
        warnings=warnings,
        chunks=job.chunks,
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


async def _select(llm: LLM, job: Job) -> tuple[list[plan.Unit], Assembled]:
    """The candidate sentences the cheap call says cite a source, with its cost and log. When it gives no
    usable answer every candidate is sent, with a warning: a failed choice must not cost the claims."""
    messages, context = plan.selection(job.units, job.article.language)
    outcome = await llm.draft(messages, context, SourceSentences)
    picked = Assembled(usage=outcome.usage)
    picked.calls = _logged(outcome.calls, job.article, "select", "selection")
    if outcome.drafts is None:
        reason = "; ".join(outcome.unresolved)
        picked.warnings.append(
            ExtractionWarning(
                code="selection_failed",
                message=f"the call choosing the sentences that cite a source gave no usable answer ({reason}): "
                f"all {len(job.units)} sentences were sent",
            )
        )
        return job.units, picked
    chosen = set(outcome.drafts.sentences)
    units = [unit for n, unit in enumerate(job.units, start=1) if n in chosen]
    if not units:
        picked.warnings.append(
            ExtractionWarning(
                code=NO_CLAIM_BEARING_SENTENCE,
                message=f"The model found no sentence that names a source among {len(job.units)} (language: "
                f"{language.name(job.article.language)}), so the article has no claims. Try --strategy whole.",
            )
        )
    return units, picked


async def in_english(llm: LLM, article: Article, claims: list[Claim]) -> tuple[list[Claim], Assembled]:
    """The claims with their target, method and outcome in English, from one call on their distinct phrases,
    with its cost and log. Without a usable answer the claims keep the article's words, and a warning says so."""
    phrases = list(dict.fromkeys(p for c in claims for p in (c.target, *c.method, c.outcome) if p))
    if not phrases:
        return claims, Assembled()
    messages, context = plan.rendering(phrases, article.language)
    outcome = await llm.draft(messages, context, EnglishPhrases.sized(len(phrases)))
    rendered = Assembled(usage=outcome.usage)
    rendered.calls = _logged(outcome.calls, article, "english", "English")
    if outcome.drafts is None:
        rendered.warnings.append(
            ExtractionWarning(
                code="fields_not_in_english",
                message=f"the call rendering target, method and outcome in English gave no usable answer "
                f"({'; '.join(outcome.unresolved)}): they stay in {language.name(article.language)}",
            )
        )
        return claims, rendered
    english_of = {p: e.strip() or p for p, e in zip(phrases, outcome.drafts.english, strict=True)}

    def render(phrase: str | None) -> str | None:
        return english_of.get(phrase, phrase) if phrase else phrase

    return [
        c.model_copy(
            update={
                "target": render(c.target),
                "method": [english_of.get(m, m) for m in c.method],
                "outcome": render(c.outcome),
            }
        )
        for c in claims
    ], rendered


def _logged(records: list[CallRecord], article: Article, unit: str, label: str) -> list[CallRecord]:
    """The records of a call of the article's own (not of a planned unit), the article referenced, not copied."""
    return [
        c.referencing(article.text, article.sha256).model_copy(update={"unit": unit, "label": label}) for c in records
    ]


def _reading_order(claim: Claim) -> int:
    """Where a claim's first located quote starts (unlocated ones last), for merging two runs' claims."""
    starts = [e.start for e in claim.evidence if e.start is not None]
    return min(starts) if starts else sys.maxsize


def extract(text: str | bytes | Job, **kwargs: Any) -> Result:
    """Synchronous `aextract`; also safe to call from inside a running event loop (e.g. Jupyter)."""
    return run_sync(lambda: aextract(text, **kwargs))
