"""The claim store: one SQLite file (`claimx.db` by default) that keeps every article, every
extraction run with its full `Result`, its claims and evidence spans, what each attempt cost in
LLM calls and tokens, the failures, and the verification records people add later.

Guarantees:

- Each article's outcome is written in ONE transaction (a batch groups the articles that finish
  together into one), so an interrupted batch (Ctrl-C, `kill -9`) never leaves half an article
  behind: an article is stored whole, or absent and extracted again on resume.
- Re-running never duplicates a row: runs are unique per (article, cache key), claims per
  (run, claim id), evidence per (run, claim id, position), attempts per (batch, article).
- Identical work is never paid for twice: the cache key (text sha256, model, strategy, prompt
  and schema hashes, parameters, publisher and date) is computed before any call.
- Claims are immutable (a trigger refuses updates); a verdict is a separate, append-only record.

The schema, views and search index are `migrations`, the rows written `writes`, what reads return and how
they are asked for `queries`, flat tables for pandas and Arrow `frames`; this module is the `Store` over them.

    >>> from claimx.store import Store
    >>> with Store("claimx.db") as store:
    ...     for item in store.claims(stance="claimed_responsibility", grounded_only=True):
    ...         print(item.claim.id, item.claim.chain, item.claim.target)
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from claimx.errors import StoreError, StoreNotFoundError
from claimx.inputs import ArticleInput
from claimx.result import Result, Usage, Verdict, Verification
from claimx.store import calllog, frames, links, queries, work, writes
from claimx.store.calllog import LogFilter, LoggedCall
from claimx.store.migrations import migrate
from claimx.store.queries import ArticleFilter, ClaimFilter, Failure, RunInfo, StoredArticle, StoredClaim

if TYPE_CHECKING:
    import pandas
    import pyarrow

DEFAULT_PATH = Path("claimx.db")


class Store:
    """A claimx SQLite store. One connection, used from one thread (the batch's event loop)."""

    def __init__(self, path: str | Path = DEFAULT_PATH, *, timeout: float = 30.0, create: bool = True) -> None:
        """Open (or create) the store; with `create=False` a missing file is a `StoreNotFoundError`."""
        self.path = Path(path)
        if not create and not self.path.is_file():  # a mistyped path must not leave an empty store behind
            raise StoreNotFoundError(
                f"no claim store at {self.path}: check --db / CLAIMX_DB; `claimx batch` creates one"
            )
        uri = f"{self.path.absolute().as_uri()}?mode={'rwc' if create else 'rw'}"  # rw never creates the file
        try:
            # One thread at a time uses the connection, not always the one that opened it (a batch
            # started from a notebook runs its event loop in a worker thread).
            self._db = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc
        self._db.row_factory = sqlite3.Row
        self._grouped = False
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        # NORMAL in WAL mode: a committed article survives a killed process; only a power cut
        # could roll back the last few commits.
        self._db.execute("PRAGMA synchronous=NORMAL")
        migrate(self._db, self.path)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """All or nothing: BEGIN IMMEDIATE … COMMIT, rolled back on any exception."""
        return writes.transaction(self._db)

    @contextmanager
    def group(self) -> Iterator[None]:
        """One transaction for the articles' outcomes written inside (`save_result`, `save_copy`,
        `record_failure`), instead of one each: a batch commits the articles that finished together at once.
        All or nothing, so each article is still stored whole or not at all."""
        with self.transaction():
            self._grouped = True
            try:
                yield
            finally:
                self._grouped = False

    def _outcome(self) -> AbstractContextManager[object]:
        """The transaction an article's outcome is written in: the group's, else its own."""
        return nullcontext() if self._grouped else self.transaction()

    def calls(self, filter: LogFilter | None = None, *, full: bool = False) -> list[LoggedCall]:
        """The audit log: logged requests, newest first (see `calllog.logged_calls`)."""
        return calllog.logged_calls(self._db, filter, full=full)

    # -- writes ---------------------------------------------------------------------------------

    def save_result(
        self,
        article: ArticleInput,
        result: Result,
        *,
        work_key: str,
        cache_key: str,
        batch_id: int | None = None,
        latency: float | None = None,
        cost: float = 0.0,
        usage: Usage | None = None,
    ) -> int:
        """Store an extraction (article, run, claims, evidence, cost) in one transaction; returns the run
        id. A partial result is stored as a partial run with its reasons as the article's failure, and
        completed in place by a later save of the same work; saving complete work again changes nothing.
        `usage` is what this attempt cost, when it is less than the result's own (a resumed run)."""
        return self._save(
            article,
            result,
            work_key=work_key,
            cache_key=cache_key,
            batch_id=batch_id,
            cached_from=None,
            usage=usage or result.usage,
            latency=latency,
            cost=cost,
        )

    def save_copy(
        self, article: ArticleInput, source_run: int, *, work_key: str, cache_key: str, batch_id: int | None = None
    ) -> tuple[int, Result]:
        """Serve identical work from the store: the earlier run's result, recorded for this
        article, with no LLM call."""
        result = self.result_of_run(source_run, with_verifications=False)
        run_id = self._save(
            article,
            result,
            work_key=work_key,
            cache_key=cache_key,
            batch_id=batch_id,
            cached_from=source_run,
            usage=None,
            latency=0.0,
            cost=0.0,
        )
        return run_id, result

    def _save(
        self,
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
        """One transaction: article, run (new or existing), the attempt, and the end of any recorded failure."""
        with self._outcome():
            run_id = writes.save_outcome(
                self._db,
                article,
                result,
                work_key=work_key,
                cache_key=cache_key,
                batch_id=batch_id,
                cached_from=cached_from,
                usage=usage,
                latency=latency,
                cost=cost,
            )
            work.release(self._db, article.id, work_key)
        return run_id

    def record_failure(
        self,
        article: ArticleInput,
        *,
        work_key: str,
        stage: str,
        error: str,
        batch_id: int | None = None,
        model: str | None = None,
        usage: Usage | None = None,
        latency: float | None = None,
        cost: float = 0.0,
        partial: Result | None = None,
    ) -> None:
        """Record why an article failed and a `partial` result's requests (one transaction); the next batch retries."""
        with self._outcome():
            writes.save_failure(
                self._db,
                article,
                work_key=work_key,
                stage=stage,
                error=error,
                batch_id=batch_id,
                model=model,
                usage=usage,
                latency=latency,
                cost=cost,
                partial=partial,
            )
            work.release(self._db, article.id, work_key)

    def close_abandoned_batches(self) -> int:
        """Mark as interrupted the batches still `running` whose process on this machine is gone
        (killed with -9, or the machine restarted); returns how many."""
        with self.transaction():
            gone = work.abandoned_batches(self._db)
            for batch_id in gone:
                self._db.execute(
                    "UPDATE batches SET status = 'interrupted', error = ? WHERE id = ? AND status = 'running'",
                    ("the process ended before the batch finished (killed?)", batch_id),
                )
        return len(gone)

    def start_batch(
        self, *, model: str | None, base_url: str | None, strategy: str | None, options: dict[str, Any] | None = None
    ) -> int:
        self.close_abandoned_batches()
        with self.transaction():
            return work.insert_batch(self._db, model=model, base_url=base_url, strategy=strategy, options=options or {})

    def claim(
        self, article_id: str, work_key: str, batch_id: int | None = None, *, done_by_work_key: bool = False
    ) -> work.LeaseState:
        """Take the lease on an article's job unless another live batch holds it (or it is done)."""
        with self.transaction():
            return work.claim(self._db, article_id, work_key, batch_id, done_by_work_key=done_by_work_key)

    def release(self, article_id: str, work_key: str) -> None:
        """Give back the lease on a job this process found nothing to do for."""
        with self.transaction():
            work.release(self._db, article_id, work_key)

    def release_leases(self) -> None:
        """Give back every lease this process still holds (the end of its batch, however it ended)."""
        with self.transaction():
            work.release_all(self._db)

    def finish_batch(self, batch_id: int, status: str, counts: dict[str, Any], error: str | None = None) -> None:
        with self.transaction():
            self._db.execute(
                "UPDATE batches SET status = ?, finished_at = ?, counts = ?, error = ? WHERE id = ?",
                (status, writes.timestamp(), json.dumps(counts), error, batch_id),
            )

    def verify(
        self,
        claim_id: str,
        *,
        verdict: Verdict | str,
        by: str,
        evidence: Sequence[str] | None = None,
        note: str | None = None,
        at: datetime | None = None,
    ) -> Verification:
        """Add a verdict on a claim as a new record; the claim itself is never changed."""
        if not self._db.execute("SELECT 1 FROM claims WHERE id = ? LIMIT 1", (claim_id,)).fetchone():
            raise StoreError(f"no claim {claim_id!r} in {self.path}; list claims with `claimx claims`")
        record = Verification(
            claim_id=claim_id,
            verdict=Verdict(verdict),
            by=by.strip(),
            evidence=list(evidence or []),
            note=note,
            at=at or datetime.now().astimezone(),
        )
        with self.transaction():
            writes.insert_verification(self._db, record)
        return record

    # -- reads ----------------------------------------------------------------------------------

    def _resolve(self, table: str, kind: str, prefix: str) -> str:
        prefix = prefix.strip()
        rows = self._db.execute(
            f"SELECT DISTINCT id FROM {table} WHERE id = ? OR (length(?) >= 4 AND substr(id, 1, length(?)) = ?) "
            "ORDER BY id LIMIT 6",
            (prefix, prefix, prefix, prefix),
        ).fetchall()
        ids = [str(r[0]) for r in rows]
        if prefix in ids:
            return prefix
        if len(ids) == 1:
            return ids[0]
        if not ids:
            raise StoreError(f"no {kind} {prefix!r} in {self.path}")
        raise StoreError(f"{kind} id {prefix!r} is ambiguous: {', '.join(ids[:5])}{', …' if len(ids) > 5 else ''}")

    def resolve_article(self, prefix: str) -> str:
        """The full article id for an id or a unique prefix of at least 4 characters."""
        return self._resolve("articles", "article", prefix)

    def resolve_claim(self, prefix: str) -> str:
        """The full claim id for an id or a unique prefix of at least 4 characters."""
        return self._resolve("claims", "claim", prefix)

    def find_run(self, article_id: str, cache_key: str) -> int | None:
        row = self._db.execute(
            "SELECT id FROM runs WHERE article_id = ? AND cache_key = ? AND status = 'complete'",
            (article_id, cache_key),
        ).fetchone()
        return int(row[0]) if row else None

    def find_partial(self, article_id: str, cache_key: str) -> int | None:
        """A partial run of this very work, which the next attempt completes in place."""
        row = self._db.execute(
            "SELECT id FROM runs WHERE article_id = ? AND cache_key = ? AND status = 'partial'", (article_id, cache_key)
        ).fetchone()
        return int(row[0]) if row else None

    def find_done(self, article_id: str, work_key: str) -> int | None:
        """A finished run of this job, whatever the text turned out to be (URLs: no re-fetch)."""
        row = self._db.execute(
            "SELECT max(id) FROM runs WHERE article_id = ? AND work_key = ? AND status = 'complete'",
            (article_id, work_key),
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def find_cached(self, cache_key: str) -> int | None:
        """The first run of identical work, for any article."""
        row = self._db.execute(
            "SELECT min(id) FROM runs WHERE cache_key = ? AND status = 'complete'", (cache_key,)
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def verifications(self, claim_ids: Sequence[str] | None = None) -> list[Verification]:
        """Verdicts in the order they were recorded, for some claims or all."""
        return queries.select_verifications(self._db, claim_ids)

    def result_of_run(self, run_id: int, *, with_verifications: bool = True) -> Result:
        row = self._db.execute("SELECT result FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise StoreError(f"no run {run_id} in {self.path}")
        data = json.loads(row["result"])
        if with_verifications:
            ids = [c["id"] for c in data.get("claims", [])]
            data["verifications"] = [v.model_dump(mode="json") for v in self.verifications(ids)]
        return Result.model_validate(data)

    def result(self, article_id: str, *, run_id: int | None = None, model: str | None = None) -> Result:
        """Rebuild the Result of an article's latest run (or the run given), with its verdicts."""
        if run_id is None:
            query = "SELECT max(id) FROM runs WHERE article_id = ?" + (" AND model = ?" if model else "")
            row = self._db.execute(query, (article_id, model) if model else (article_id,)).fetchone()
            if row is None or row[0] is None:
                known = self._db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
                if known:
                    raise StoreError(f"article {article_id!r} has no finished run yet (see `claimx batch`)")
                raise StoreError(f"no article {article_id!r} in {self.path}")
            run_id = int(row[0])
        else:
            owner = self._db.execute("SELECT article_id FROM runs WHERE id = ?", (run_id,)).fetchone()
            if owner is None or owner[0] != article_id:
                raise StoreError(f"article {article_id!r} has no run {run_id}")
        return self.result_of_run(run_id)

    def runs(self, article_id: str | None = None) -> list[RunInfo]:
        query = "SELECT * FROM runs" + (" WHERE article_id = ?" if article_id else "") + " ORDER BY id"
        rows = self._db.execute(query, (article_id,) if article_id else ()).fetchall()
        return [queries.run_info_of(r) for r in rows]

    def failures(self) -> list[Failure]:
        rows = self._db.execute(
            "SELECT f.*, a.origin FROM failures f JOIN articles a ON a.id = f.article_id ORDER BY f.at, f.article_id"
        ).fetchall()
        return [queries.failure_of(r) for r in rows]

    def claims(self, filter: ClaimFilter | None = None, **criteria: Any) -> list[StoredClaim]:
        """Claims matching a `ClaimFilter` (or its fields as keywords), from each article's latest
        run unless `all_runs`; ordered by article and position (a search: best match first)."""
        return queries.select_claims(self._db, filter or ClaimFilter(**criteria))

    def search(self, query: str, *, limit: int | None = None, **criteria: Any) -> list[StoredClaim]:
        """Claims whose evidence quotes or claimant match an FTS5 query, best match first (`ClaimFilter.search`)."""
        return self.claims(search=query, limit=limit, **criteria)

    def articles(self, filter: ArticleFilter | None = None, **criteria: Any) -> list[StoredArticle]:
        """Stored articles matching an `ArticleFilter` (or its fields as keywords), with their latest run."""
        return queries.select_articles(self._db, filter or ArticleFilter(**criteria))

    def to_pandas(self, filter: ClaimFilter | None = None, **criteria: Any) -> pandas.DataFrame:
        """The flat claims table (`claims(...)`, one row per claim, the CSV columns); needs `claimx[pandas]`."""
        return frames.to_pandas(self.claims(filter, **criteria))

    def to_arrow(self, filter: ClaimFilter | None = None, **criteria: Any) -> pyarrow.Table:
        """The flat claims table as Arrow, typed as the Parquet export; needs `claimx[parquet]`."""
        return frames.to_arrow(self.claims(filter, **criteria))

    # -- links across articles (claimx.corpus computes them) ----------------------------------------

    def aliases(self) -> list[links.Alias]:
        """The user's alias file as last loaded (`set_aliases`)."""
        return links.aliases(self._db)

    def set_aliases(self, entries: Sequence[links.Alias]) -> None:
        """Replace the loaded aliases; they seed and override every later entity resolution."""
        with self.transaction():
            links.replace_aliases(self._db, entries)

    def decisions(self) -> list[links.Decision]:
        """The merge and split decisions people recorded, oldest first."""
        return links.decisions(self._db)

    def decide(self, decision: links.Decision) -> None:
        """Record a merge or split of surface forms the latest linking found; it holds on every later run."""
        known = links.known_forms(self._db)
        named = [decision.form, *([decision.other] if decision.other else [])]
        if unknown := [form for form in named if form not in known]:
            raise StoreError(
                f"no surface form {unknown[0]!r} in {self.path}: give a name exactly as `claimx entities` lists it"
            )
        with self.transaction():
            links.add_decision(self._db, decision)

    def article_texts(self) -> dict[str, str]:
        """Every article's text by article id."""
        return links.article_texts(self._db)

    def save_links(self, entities: Sequence[links.EntityRow], events: Sequence[links.EventRow]) -> None:
        """Replace the entities, surface forms, events and members with a linking run's, in one transaction."""
        with self.transaction():
            links.save(self._db, entities, events)

    def linked_entities(self) -> list[links.EntityRow]:
        """The entities the latest linking run found, each with its surface forms."""
        return links.entities(self._db)

    def linked_events(self) -> list[links.EventRow]:
        """The events the latest linking run found, each with its members."""
        return links.events(self._db)

    def summary(self) -> dict[str, int]:
        """Counts of what the store holds."""
        tables = ("articles", "runs", "claims", "evidence", "llm_calls", "failures", "verifications", "batches")
        return {t: int(self._db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Read-only escape hatch for analysts and tests (any SQL; use with care)."""
        return self._db.execute(sql, params).fetchall()


def open_store(path: str | Path | None = None, *, create: bool = True) -> Store:
    """The store at `path`, else $CLAIMX_DB, else ./claimx.db; created on first use unless `create` is False."""
    return Store(path or os.environ.get("CLAIMX_DB") or DEFAULT_PATH, create=create)
