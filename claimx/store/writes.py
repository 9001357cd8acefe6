"""The rows the store writes: an article, a run with its claims and evidence spans, an attempt's cost,
a failure (each idempotent: ON CONFLICT), a verification (always a new row), and the attempt's requests
(`calllog`). Each runs inside the caller's transaction, so `Store` decides what is written together."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from claimx.inputs import ArticleInput
from claimx.result import Claim, Result, Usage, Verification, event_range
from claimx.store.calllog import insert_calls


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All or nothing: BEGIN IMMEDIATE … COMMIT, rolled back on any exception."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def timestamp() -> str:
    """Now, as the store records times: local, with its offset, to the second."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def upsert_article(db: sqlite3.Connection, article: ArticleInput, result: Result | None = None) -> None:
    """The article, completed by what its extraction learnt (prepared text, publisher, date); known values stay."""
    now = timestamp()
    prepared = result.article if result is not None else None
    published = (prepared.published if prepared else None) or article.published
    db.execute(
        """INSERT INTO articles (id, sha256, text, source, url, publisher, published, origin, added_at, updated_at,
                                 language)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET
             sha256 = COALESCE(excluded.sha256, sha256), text = COALESCE(excluded.text, text),
             language = COALESCE(excluded.language, language),
             source = COALESCE(excluded.source, source), url = COALESCE(excluded.url, url),
             publisher = COALESCE(excluded.publisher, publisher),
             published = COALESCE(excluded.published, published),
             origin = COALESCE(excluded.origin, origin), updated_at = excluded.updated_at""",
        (
            article.id,
            prepared.sha256 if prepared else None,
            prepared.text if prepared else article.text,
            prepared.source if prepared else None,
            article.url,
            (prepared.publisher if prepared else None) or article.publisher,
            published.isoformat() if published else None,
            article.origin or None,
            now,
            now,
            prepared.language if prepared else None,
        ),
    )


def record_attempt(
    db: sqlite3.Connection,
    *,
    batch_id: int | None,
    article_id: str,
    run_id: int | None,
    outcome: str,
    model: str | None,
    usage: Usage | None,
    latency: float | None,
    cost: float,
    error: str | None,
) -> None:
    """What an attempt cost; one row per (batch, article), the latest attempt's."""
    usage = usage or Usage()
    db.execute(
        """INSERT INTO llm_calls (batch_id, article_id, run_id, outcome, model, calls, reasks, prompt_tokens,
                                  completion_tokens, latency_seconds, cost, error, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (batch_id, article_id) DO UPDATE SET
             run_id = excluded.run_id, outcome = excluded.outcome, model = excluded.model,
             calls = excluded.calls, reasks = excluded.reasks, prompt_tokens = excluded.prompt_tokens,
             completion_tokens = excluded.completion_tokens, latency_seconds = excluded.latency_seconds,
             cost = excluded.cost, error = excluded.error, at = excluded.at""",
        (
            batch_id,
            article_id,
            run_id,
            outcome,
            model,
            usage.llm_calls,
            usage.reasks,
            usage.prompt_tokens,
            usage.completion_tokens,
            latency,
            cost,
            error,
            timestamp(),
        ),
    )


def insert_run(
    db: sqlite3.Connection,
    article: ArticleInput,
    result: Result,
    *,
    work_key: str,
    cache_key: str,
    batch_id: int | None,
    cached_from: int | None,
) -> tuple[int, bool]:
    """The run with its claims; returns its id, and whether it is new or completes a partial run (False: the
    same work was stored complete before). Claims a partial run already holds stay as they are."""
    p = result.provenance
    stored = result.model_copy(update={"verifications": []}).model_dump_json()
    row = db.execute(
        """INSERT INTO runs (article_id, cache_key, work_key, text_sha256, model, base_url, strategy,
                             prompt_hashes, schema_hash, parameters, claimx_version, started_at, seconds,
                             claim_count, warning_count, result, cached_from, batch_id, created_at, status)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (article_id, cache_key) DO UPDATE SET
             status = excluded.status, result = excluded.result, claim_count = excluded.claim_count,
             warning_count = excluded.warning_count, seconds = excluded.seconds, started_at = excluded.started_at,
             batch_id = excluded.batch_id
           WHERE runs.status = 'partial'
           RETURNING id""",
        (
            article.id,
            cache_key,
            work_key,
            result.article.sha256,
            p.model,
            p.base_url,
            p.strategy,
            json.dumps(p.prompt_hashes, sort_keys=True),
            p.schema_hash,
            json.dumps(p.parameters, sort_keys=True),
            p.claimx_version,
            p.started_at.isoformat(),
            p.seconds,
            len(result.claims),
            len(result.warnings),
            stored,
            cached_from,
            batch_id,
            timestamp(),
            "complete" if result.status == "complete" else "partial",
        ),
    ).fetchone()
    if row is None:  # already there: an earlier run of the same work
        found = db.execute(
            "SELECT id FROM runs WHERE article_id = ? AND cache_key = ?", (article.id, cache_key)
        ).fetchone()
        return int(found[0]), False
    run_id = int(row[0])
    _insert_claims(db, run_id, article.id, result.claims)
    return run_id, True


def _insert_claims(db: sqlite3.Connection, run_id: int, article_id: str, claims: list[Claim]) -> None:
    """The claims the run does not hold yet; a completed partial run lists its new claims after the old. Two
    statements for all of them (claims, then their evidence), not one per row."""
    held = {row[0] for row in db.execute("SELECT id FROM claims WHERE run_id = ?", (run_id,))}
    new = [c for c in claims if c.id not in held]
    db.executemany(
        """INSERT INTO claims (run_id, id, article_id, position, claimant, claimant_kind, via, stance, actor,
                               target, method, outcome, time_text, event_date, event_start, event_end,
                               place, grounded, claimant_english, event_type)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (run_id, id) DO NOTHING""",
        [
            (
                run_id,
                claim.id,
                article_id,
                position,
                claim.claimant,
                claim.claimant_kind.value,
                json.dumps(claim.via),
                claim.stance.value,
                claim.actor,
                claim.target,
                json.dumps(claim.method),
                claim.outcome,
                claim.time_text,
                claim.event_date,
                *_event_range(claim),
                claim.place,
                int(claim.grounded),
                claim.claimant_english,
                claim.event_type.value,
            )
            for position, claim in enumerate(new, start=len(held))
        ],
    )
    db.executemany(
        """INSERT INTO evidence (run_id, claim_id, position, quote, start, "end", status, mismatches)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
        [
            (run_id, claim.id, index, span.quote, span.start, span.end, span.status.value, json.dumps(span.mismatches))
            for claim in new
            for index, span in enumerate(claim.evidence)
        ],
    )


def _event_range(claim: Claim) -> tuple[str | None, str | None]:
    """The first and last day the claim's event date can mean, as stored (ISO dates; None when unknown)."""
    days = event_range(claim.event_date)
    return (days[0].isoformat(), days[1].isoformat()) if days else (None, None)


def upsert_failure(
    db: sqlite3.Connection, article_id: str, *, work_key: str, stage: str, error: str, batch_id: int | None
) -> None:
    """Why the article's latest attempt at this job failed, and how many attempts have."""
    db.execute(
        """INSERT INTO failures (article_id, work_key, stage, error, attempts, batch_id, at)
           VALUES (?, ?, ?, ?, 1, ?, ?)
           ON CONFLICT (article_id, work_key) DO UPDATE SET
             stage = excluded.stage, error = excluded.error, attempts = attempts + 1,
             batch_id = excluded.batch_id, at = excluded.at""",
        (article_id, work_key, stage, error, batch_id, timestamp()),
    )


def insert_verification(db: sqlite3.Connection, record: Verification) -> None:
    """A verdict, as a new row: verifications are never updated (a trigger refuses it)."""
    db.execute(
        "INSERT INTO verifications (claim_id, verdict, by, at, evidence, note) VALUES (?, ?, ?, ?, ?, ?)",
        (
            record.claim_id,
            record.verdict.value,
            record.by,
            record.at.isoformat(),
            json.dumps(record.evidence),
            record.note,
        ),
    )


def save_outcome(
    db: sqlite3.Connection,
    article: ArticleInput,
    result: Result,
    *,
    work_key: str,
    cache_key: str,
    batch_id: int | None,
    cached_from: int | None,
    usage: Usage | None,
    latency: float | None,
    cost: float,
) -> int:
    """Article, run (new, completed or existing), the attempt, its requests (once: none when the run was
    stored before), and the article's failure: the reasons of a partial result, or none once it is complete.
    Inside the caller's transaction; returns the run id."""
    upsert_article(db, article, result)
    run_id, new = insert_run(
        db, article, result, work_key=work_key, cache_key=cache_key, batch_id=batch_id, cached_from=cached_from
    )
    if new:
        insert_calls(db, result.calls, article_id=article.id, run_id=run_id, batch_id=batch_id)
    partial = result.status != "complete"
    if new or batch_id is not None:
        record_attempt(
            db,
            batch_id=batch_id,
            article_id=article.id,
            run_id=run_id,
            outcome="partial" if partial else "extracted" if cached_from is None else "cached",
            model=result.provenance.model,
            usage=usage,
            latency=latency,
            cost=cost,
            error=None,
        )
    if partial:
        reasons = "; ".join(f.reason for f in result.failed_units)
        error = f"partial: {len(result.failed_units)} call(s) gave no usable answer: {reasons}"
        upsert_failure(db, article.id, work_key=work_key, stage="extract", error=error, batch_id=batch_id)
    else:
        db.execute("DELETE FROM failures WHERE article_id = ? AND work_key = ?", (article.id, work_key))
    return run_id


def save_failure(
    db: sqlite3.Connection,
    article: ArticleInput,
    *,
    work_key: str,
    stage: str,
    error: str,
    batch_id: int | None,
    model: str | None,
    usage: Usage | None,
    latency: float | None,
    cost: float,
    partial: Result | None = None,
) -> None:
    """The article, why it failed, and what the failed attempt cost; with the extraction's `partial` result,
    the text it sent (on the article) and its requests. Inside the caller's transaction."""
    upsert_article(db, article, partial)
    if partial is not None:
        insert_calls(db, partial.calls, article_id=article.id, run_id=None, batch_id=batch_id)
    upsert_failure(db, article.id, work_key=work_key, stage=stage, error=error, batch_id=batch_id)
    if stage == "extract" or usage is not None:
        record_attempt(
            db,
            batch_id=batch_id,
            article_id=article.id,
            run_id=None,
            outcome="failed",
            model=model,
            usage=usage,
            latency=latency,
            cost=cost,
            error=error,
        )
