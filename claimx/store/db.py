"""The claim store: one SQLite file (`claimx.db` by default) that keeps every article, every
extraction run with its full `Result`, its claims and evidence spans, what each attempt cost in
LLM calls and tokens, the failures, and the verification records people add later.

Guarantees:

- Each article's outcome is written in ONE transaction, so an interrupted batch (Ctrl-C,
  `kill -9`) loses nothing that had finished, and never leaves half an article behind.
- Re-running never duplicates a row: runs are unique per (article, cache key), claims per
  (run, claim id), evidence per (run, claim id, position), attempts per (batch, article).
- Identical work is never paid for twice: the cache key (text sha256, model, strategy, prompt
  and schema hashes, parameters, publisher and date) is computed before any call.
- Claims are immutable (a trigger refuses updates); a verdict is a separate, append-only record.

    >>> from claimx.store import Store
    >>> with Store("claimx.db") as store:
    ...     for item in store.claims(stance="claimed_responsibility", grounded_only=True):
    ...         print(item.claim.id, item.claim.chain, item.claim.target)
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Self

from claimx import errors
from claimx.inputs import ArticleInput
from claimx.result import Claim, Evidence, Result, Stance, Usage, Verdict, Verification, event_range

DEFAULT_PATH = Path("claimx.db")
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE articles (
    id          TEXT PRIMARY KEY,
    sha256      TEXT,               -- of `text` once prepared (HTML reduced); NULL if never prepared
    text        TEXT,               -- the text claims were extracted from (offsets refer to it)
    source      TEXT,               -- text | html
    url         TEXT,
    publisher   TEXT,
    published   TEXT,               -- YYYY-MM-DD
    origin      TEXT,               -- file, file:line, stdin or URL it came from
    added_at    TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE batches (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL CHECK (status IN ('running', 'finished', 'interrupted', 'aborted')),
    model       TEXT,
    base_url    TEXT,
    strategy    TEXT,
    options     TEXT NOT NULL DEFAULT '{}',
    counts      TEXT NOT NULL DEFAULT '{}',
    error       TEXT
);
CREATE TABLE runs (                 -- one finished extraction of one article under one configuration
    id             INTEGER PRIMARY KEY,
    article_id     TEXT NOT NULL REFERENCES articles(id),
    cache_key      TEXT NOT NULL,   -- text sha256 + model + strategy + prompts + schema + parameters + meta
    work_key       TEXT NOT NULL,   -- the same without the text: identifies the job before a URL is fetched
    text_sha256    TEXT NOT NULL,
    model          TEXT NOT NULL,
    base_url       TEXT NOT NULL,
    strategy       TEXT NOT NULL,
    prompt_hashes  TEXT NOT NULL,
    schema_hash    TEXT NOT NULL,
    parameters     TEXT NOT NULL,
    claimx_version TEXT NOT NULL,
    started_at     TEXT NOT NULL,
    seconds        REAL NOT NULL,
    claim_count    INTEGER NOT NULL,
    warning_count  INTEGER NOT NULL,
    result         TEXT NOT NULL,   -- the full Result JSON, so `show` can rebuild it
    cached_from    INTEGER REFERENCES runs(id),
    batch_id       INTEGER REFERENCES batches(id),
    created_at     TEXT NOT NULL,
    UNIQUE (article_id, cache_key)
);
CREATE INDEX runs_by_cache_key ON runs(cache_key);
CREATE INDEX runs_by_work_key ON runs(article_id, work_key);
CREATE TABLE claims (
    run_id        INTEGER NOT NULL REFERENCES runs(id),
    id            TEXT NOT NULL,    -- claimx's stable claim id
    article_id    TEXT NOT NULL REFERENCES articles(id),
    position      INTEGER NOT NULL,
    claimant      TEXT,
    claimant_kind TEXT NOT NULL,
    via           TEXT NOT NULL,    -- JSON list
    stance        TEXT NOT NULL,
    actor         TEXT,
    target        TEXT,
    method        TEXT NOT NULL,    -- JSON list
    outcome       TEXT,
    time_text     TEXT,
    event_date    TEXT,
    event_start   TEXT,             -- event_date resolved to a range, NULL if it is not ISO
    event_end     TEXT,
    place         TEXT,
    grounded      INTEGER NOT NULL,
    PRIMARY KEY (run_id, id)
);
CREATE INDEX claims_by_id ON claims(id);
CREATE INDEX claims_by_article ON claims(article_id);
CREATE TABLE evidence (
    run_id     INTEGER NOT NULL,
    claim_id   TEXT NOT NULL,
    position   INTEGER NOT NULL,
    quote      TEXT NOT NULL,
    start      INTEGER,
    "end"      INTEGER,
    status     TEXT NOT NULL,
    mismatches TEXT NOT NULL,       -- JSON list
    PRIMARY KEY (run_id, claim_id, position),
    FOREIGN KEY (run_id, claim_id) REFERENCES claims(run_id, id)
);
CREATE TABLE llm_calls (            -- one row per article attempt in a batch: what it cost
    id                INTEGER PRIMARY KEY,
    batch_id          INTEGER REFERENCES batches(id),
    article_id        TEXT NOT NULL REFERENCES articles(id),
    run_id            INTEGER REFERENCES runs(id),
    outcome           TEXT NOT NULL CHECK (outcome IN ('extracted', 'cached', 'failed')),
    model             TEXT,
    calls             INTEGER NOT NULL DEFAULT 0,
    reasks            INTEGER NOT NULL DEFAULT 0,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    latency_seconds   REAL,
    cost              REAL NOT NULL DEFAULT 0,
    error             TEXT,
    at                TEXT NOT NULL,
    UNIQUE (batch_id, article_id)
);
CREATE TABLE failures (             -- articles whose latest attempt failed; removed once one succeeds
    article_id TEXT NOT NULL REFERENCES articles(id),
    work_key   TEXT NOT NULL,
    stage      TEXT NOT NULL CHECK (stage IN ('input', 'fetch', 'extract')),
    error      TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 1,
    batch_id   INTEGER REFERENCES batches(id),
    at         TEXT NOT NULL,
    PRIMARY KEY (article_id, work_key)
);
CREATE TABLE verifications (        -- append-only verdicts; they never change a claim
    id       INTEGER PRIMARY KEY,
    claim_id TEXT NOT NULL,
    verdict  TEXT NOT NULL CHECK (verdict IN ('true', 'mostly_true', 'mixed', 'mostly_false', 'false', 'unproven')),
    by       TEXT NOT NULL CHECK (length(trim(by)) > 0),
    at       TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '[]',
    note     TEXT
);
CREATE INDEX verifications_by_claim ON verifications(claim_id);
CREATE TRIGGER verifications_name_a_claim BEFORE INSERT ON verifications
WHEN NOT EXISTS (SELECT 1 FROM claims WHERE id = NEW.claim_id)
BEGIN SELECT RAISE(ABORT, 'unknown claim id'); END;
CREATE TRIGGER verifications_are_append_only BEFORE UPDATE ON verifications
BEGIN SELECT RAISE(ABORT, 'verifications are append-only: add a new one'); END;
CREATE TRIGGER claims_are_immutable BEFORE UPDATE ON claims
BEGIN SELECT RAISE(ABORT, 'claims are immutable: record a verification instead'); END;
CREATE TRIGGER evidence_is_immutable BEFORE UPDATE ON evidence
BEGIN SELECT RAISE(ABORT, 'evidence is immutable'); END;
"""


class StoreError(errors.ClaimxError):
    """The store file cannot be used as asked (unknown article or claim, newer schema, …)."""


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


# ---------------------------------------------------------------------------------------------
# What queries return


@dataclass(frozen=True)
class StoredClaim:
    """A claim as stored, with where it came from and every verdict recorded on it."""

    claim: Claim
    article_id: str
    run_id: int
    model: str
    strategy: str
    publisher: str | None
    published: date | None
    url: str | None
    verifications: tuple[Verification, ...] = ()

    @property
    def verification(self) -> Verification | None:
        """The latest verdict, or None: every claim is unverified until one is recorded."""
        return self.verifications[-1] if self.verifications else None


@dataclass(frozen=True)
class RunInfo:
    id: int
    article_id: str
    model: str
    strategy: str
    claims: int
    warnings: int
    cached_from: int | None
    created_at: str


@dataclass(frozen=True)
class Failure:
    article_id: str
    origin: str | None
    stage: str
    error: str
    attempts: int
    at: str


@dataclass
class ClaimFilter:
    """Which claims to return. Text filters are case-insensitive substrings; the date range is
    matched against the claim's event_date (a day or an interval), else the article's
    publication date; claims with neither are left out when a range is given."""

    claimant: str | None = None
    stance: Sequence[str] | str | None = None
    target: str | None = None
    since: date | None = None
    until: date | None = None
    grounded_only: bool = False
    article_id: str | None = None
    claim_id: str | None = None
    model: str | None = None
    verified: bool | None = None
    all_runs: bool = False
    limit: int | None = None
    stances: list[str] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        raw = [self.stance] if isinstance(self.stance, str) else list(self.stance or [])
        try:
            self.stances = [Stance(s).value for s in raw]
        except ValueError as exc:
            raise StoreError(f"{exc}; choose from {', '.join(s.value for s in Stance)}") from None


def _alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's process
        return True
    return True


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class Store:
    """A claimx SQLite store. One connection, used from one thread (the batch's event loop)."""

    def __init__(self, path: str | Path = DEFAULT_PATH, *, timeout: float = 30.0) -> None:
        self.path = Path(path)
        try:
            # One thread at a time uses the connection, not always the one that opened it (a batch
            # started from a notebook runs its event loop in a worker thread).
            self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        # NORMAL in WAL mode: a committed article survives a killed process; only a power cut
        # could roll back the last few commits.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    def _migrate(self) -> None:
        found = self._db.execute("PRAGMA user_version").fetchone()[0]
        if found == SCHEMA_VERSION:
            return
        if found > SCHEMA_VERSION:
            raise StoreError(f"{self.path} was written by a newer claimx (schema {found}); upgrade claimx")
        has_tables = self._db.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
        if found == 0 and has_tables:
            raise StoreError(f"{self.path} is an SQLite file but not a claimx store; choose another --db")
        with self.transaction():
            for statement in _split_script(_SCHEMA):
                self._db.execute(statement)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: BEGIN IMMEDIATE … COMMIT, rolled back on any exception."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- writes ---------------------------------------------------------------------------------

    def _upsert_article(self, article: ArticleInput, result: Result | None = None) -> None:
        now = _now()
        prepared = result.article if result is not None else None
        published = (prepared.published if prepared else None) or article.published
        self._db.execute(
            """INSERT INTO articles (id, sha256, text, source, url, publisher, published, origin, added_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET
                 sha256 = COALESCE(excluded.sha256, sha256), text = COALESCE(excluded.text, text),
                 source = COALESCE(excluded.source, source), url = COALESCE(excluded.url, url),
                 publisher = COALESCE(excluded.publisher, publisher),
                 published = COALESCE(excluded.published, published),
                 origin = COALESCE(excluded.origin, origin), updated_at = excluded.updated_at""",
            (article.id, prepared.sha256 if prepared else None, prepared.text if prepared else article.text,
             prepared.source if prepared else None, article.url,
             (prepared.publisher if prepared else None) or article.publisher,
             published.isoformat() if published else None, article.origin or None, now, now),
        )

    def _attempt(self, *, batch_id: int | None, article_id: str, run_id: int | None, outcome: str,
                 model: str | None, usage: Usage | None, latency: float | None, cost: float,
                 error: str | None) -> None:
        usage = usage or Usage()
        self._db.execute(
            """INSERT INTO llm_calls (batch_id, article_id, run_id, outcome, model, calls, reasks, prompt_tokens,
                                      completion_tokens, latency_seconds, cost, error, at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (batch_id, article_id) DO UPDATE SET
                 run_id = excluded.run_id, outcome = excluded.outcome, model = excluded.model,
                 calls = excluded.calls, reasks = excluded.reasks, prompt_tokens = excluded.prompt_tokens,
                 completion_tokens = excluded.completion_tokens, latency_seconds = excluded.latency_seconds,
                 cost = excluded.cost, error = excluded.error, at = excluded.at""",
            (batch_id, article_id, run_id, outcome, model, usage.llm_calls, usage.reasks, usage.prompt_tokens,
             usage.completion_tokens, latency, cost, error, _now()),
        )

    def _insert_claims(self, run_id: int, article_id: str, claims: list[Claim]) -> None:
        for position, claim in enumerate(claims):
            days = event_range(claim.event_date)
            start, end = (days[0].isoformat(), days[1].isoformat()) if days else (None, None)
            self._db.execute(
                """INSERT INTO claims (run_id, id, article_id, position, claimant, claimant_kind, via, stance, actor,
                                       target, method, outcome, time_text, event_date, event_start, event_end,
                                       place, grounded)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (run_id, id) DO NOTHING""",
                (run_id, claim.id, article_id, position, claim.claimant, claim.claimant_kind.value,
                 json.dumps(claim.via), claim.stance.value, claim.actor, claim.target, json.dumps(claim.method),
                 claim.outcome, claim.time_text, claim.event_date, start, end, claim.place, int(claim.grounded)),
            )
            for index, span in enumerate(claim.evidence):
                self._db.execute(
                    """INSERT INTO evidence (run_id, claim_id, position, quote, start, "end", status, mismatches)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                    (run_id, claim.id, index, span.quote, span.start, span.end, span.status.value,
                     json.dumps(span.mismatches)),
                )

    def _insert_run(self, article: ArticleInput, result: Result, *, work_key: str, cache_key: str,
                    batch_id: int | None, cached_from: int | None) -> tuple[int, bool]:
        """The run id, and whether it is new (False: the same work was stored before)."""
        p = result.provenance
        stored = result.model_copy(update={"verifications": []}).model_dump_json()
        row = self._db.execute(
            """INSERT INTO runs (article_id, cache_key, work_key, text_sha256, model, base_url, strategy,
                                 prompt_hashes, schema_hash, parameters, claimx_version, started_at, seconds,
                                 claim_count, warning_count, result, cached_from, batch_id, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (article_id, cache_key) DO NOTHING
               RETURNING id""",
            (article.id, cache_key, work_key, result.article.sha256, p.model, p.base_url, p.strategy,
             json.dumps(p.prompt_hashes, sort_keys=True), p.schema_hash, json.dumps(p.parameters, sort_keys=True),
             p.claimx_version, p.started_at.isoformat(), p.seconds, len(result.claims), len(result.warnings),
             stored, cached_from, batch_id, _now()),
        ).fetchone()
        if row is None:  # already there: an earlier run of the same work
            found = self._db.execute("SELECT id FROM runs WHERE article_id = ? AND cache_key = ?",
                                     (article.id, cache_key)).fetchone()
            return int(found[0]), False
        run_id = int(row[0])
        self._insert_claims(run_id, article.id, result.claims)
        return run_id, True

    def save_result(
        self, article: ArticleInput, result: Result, *, work_key: str, cache_key: str, batch_id: int | None = None,
        latency: float | None = None, cost: float = 0.0,
    ) -> int:
        """Store a finished extraction (article, run, claims, evidence, cost) in one transaction;
        returns the run id. Saving the same work again changes nothing."""
        return self._save(article, result, work_key=work_key, cache_key=cache_key, batch_id=batch_id,
                          cached_from=None, usage=result.usage, latency=latency, cost=cost)

    def save_copy(self, article: ArticleInput, source_run: int, *, work_key: str, cache_key: str,
                  batch_id: int | None = None) -> tuple[int, Result]:
        """Serve identical work from the store: the earlier run's result, recorded for this
        article, with no LLM call."""
        result = self.result_of_run(source_run, with_verifications=False)
        run_id = self._save(article, result, work_key=work_key, cache_key=cache_key, batch_id=batch_id,
                            cached_from=source_run, usage=None, latency=0.0, cost=0.0)
        return run_id, result

    def _save(
        self, article: ArticleInput, result: Result, *, work_key: str, cache_key: str, batch_id: int | None,
        cached_from: int | None, usage: Usage | None, latency: float | None, cost: float,
    ) -> int:
        """One transaction: article, run (new or existing), the attempt, and the end of any recorded failure."""
        with self.transaction():
            self._upsert_article(article, result)
            run_id, new = self._insert_run(article, result, work_key=work_key, cache_key=cache_key,
                                           batch_id=batch_id, cached_from=cached_from)
            if new or batch_id is not None:
                self._attempt(batch_id=batch_id, article_id=article.id, run_id=run_id,
                              outcome="extracted" if cached_from is None else "cached",
                              model=result.provenance.model, usage=usage, latency=latency, cost=cost, error=None)
            self._db.execute("DELETE FROM failures WHERE article_id = ? AND work_key = ?", (article.id, work_key))
        return run_id

    def record_failure(
        self, article: ArticleInput, *, work_key: str, stage: str, error: str, batch_id: int | None = None,
        model: str | None = None, usage: Usage | None = None, latency: float | None = None, cost: float = 0.0,
    ) -> None:
        """Record why an article failed (one transaction); the next batch tries it again."""
        with self.transaction():
            self._upsert_article(article)
            self._db.execute(
                """INSERT INTO failures (article_id, work_key, stage, error, attempts, batch_id, at)
                   VALUES (?, ?, ?, ?, 1, ?, ?)
                   ON CONFLICT (article_id, work_key) DO UPDATE SET
                     stage = excluded.stage, error = excluded.error, attempts = attempts + 1,
                     batch_id = excluded.batch_id, at = excluded.at""",
                (article.id, work_key, stage, error, batch_id, _now()),
            )
            if stage == "extract" or usage is not None:
                self._attempt(batch_id=batch_id, article_id=article.id, run_id=None, outcome="failed", model=model,
                              usage=usage, latency=latency, cost=cost, error=error)

    def close_abandoned_batches(self) -> int:
        """Mark as interrupted the batches still `running` whose process on this machine is gone
        (killed with -9, or the machine restarted); returns how many."""
        host, closed = socket.gethostname(), 0
        for row in self._db.execute("SELECT id, options FROM batches WHERE status = 'running'").fetchall():
            options = json.loads(row["options"] or "{}")
            if options.get("host") != host or _alive(options.get("pid")):
                continue
            with self.transaction():
                self._db.execute(
                    "UPDATE batches SET status = 'interrupted', error = ? WHERE id = ? AND status = 'running'",
                    ("the process ended before the batch finished (killed?)", row["id"]),
                )
            closed += 1
        return closed

    def start_batch(self, *, model: str | None, base_url: str | None, strategy: str | None,
                    options: dict[str, Any] | None = None) -> int:
        self.close_abandoned_batches()
        options = {**(options or {}), "pid": os.getpid(), "host": socket.gethostname()}
        with self.transaction():
            cursor = self._db.execute(
                "INSERT INTO batches (started_at, status, model, base_url, strategy, options) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (_now(), "running", model, base_url, strategy, json.dumps(options, default=str)),
            )
        return int(cursor.lastrowid or 0)

    def finish_batch(self, batch_id: int, status: str, counts: dict[str, Any], error: str | None = None) -> None:
        with self.transaction():
            self._db.execute("UPDATE batches SET status = ?, finished_at = ?, counts = ?, error = ? WHERE id = ?",
                             (status, _now(), json.dumps(counts), error, batch_id))

    def verify(
        self, claim_id: str, *, verdict: Verdict | str, by: str, evidence: Sequence[str] | None = None,
        note: str | None = None, at: datetime | None = None,
    ) -> Verification:
        """Add a verdict on a claim as a new record; the claim itself is never changed."""
        if not self._db.execute("SELECT 1 FROM claims WHERE id = ? LIMIT 1", (claim_id,)).fetchone():
            raise StoreError(f"no claim {claim_id!r} in {self.path}; list claims with `claimx claims`")
        record = Verification(claim_id=claim_id, verdict=Verdict(verdict), by=by.strip(), evidence=list(evidence or []),
                              note=note, at=at or datetime.now().astimezone())
        with self.transaction():
            self._db.execute(
                "INSERT INTO verifications (claim_id, verdict, by, at, evidence, note) VALUES (?, ?, ?, ?, ?, ?)",
                (record.claim_id, record.verdict.value, record.by, record.at.isoformat(), json.dumps(record.evidence),
                 record.note),
            )
        return record

    # -- reads ----------------------------------------------------------------------------------

    def _resolve(self, table: str, kind: str, prefix: str) -> str:
        prefix = prefix.strip()
        rows = self._db.execute(
            f"SELECT DISTINCT id FROM {table} WHERE id = ? OR (length(?) >= 4 AND substr(id, 1, length(?)) = ?) "
            "ORDER BY id LIMIT 6", (prefix, prefix, prefix, prefix),
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
        row = self._db.execute("SELECT id FROM runs WHERE article_id = ? AND cache_key = ?",
                               (article_id, cache_key)).fetchone()
        return int(row[0]) if row else None

    def find_done(self, article_id: str, work_key: str) -> int | None:
        """A finished run of this job, whatever the text turned out to be (URLs: no re-fetch)."""
        row = self._db.execute("SELECT max(id) FROM runs WHERE article_id = ? AND work_key = ?",
                               (article_id, work_key)).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def find_cached(self, cache_key: str) -> int | None:
        """The first run of identical work, for any article."""
        row = self._db.execute("SELECT min(id) FROM runs WHERE cache_key = ?", (cache_key,)).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def verifications(self, claim_ids: Sequence[str] | None = None) -> list[Verification]:
        """Verdicts in the order they were recorded, for some claims or all."""
        if claim_ids is None:
            rows = self._db.execute("SELECT * FROM verifications ORDER BY id").fetchall()
        else:
            ids = list(dict.fromkeys(claim_ids))
            rows = []
            for chunk in range(0, len(ids), 500):
                part = ids[chunk:chunk + 500]
                rows += self._db.execute(
                    f"SELECT * FROM verifications WHERE claim_id IN ({','.join('?' * len(part))}) ORDER BY id", part
                ).fetchall()
            rows.sort(key=lambda r: r["id"])
        return [Verification(claim_id=r["claim_id"], verdict=r["verdict"], by=r["by"], at=r["at"],
                             evidence=json.loads(r["evidence"]), note=r["note"]) for r in rows]

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
        return [RunInfo(r["id"], r["article_id"], r["model"], r["strategy"], r["claim_count"], r["warning_count"],
                        r["cached_from"], r["created_at"]) for r in rows]

    def failures(self) -> list[Failure]:
        rows = self._db.execute(
            "SELECT f.*, a.origin FROM failures f JOIN articles a ON a.id = f.article_id ORDER BY f.at, f.article_id"
        ).fetchall()
        return [Failure(r["article_id"], r["origin"], r["stage"], r["error"], r["attempts"], r["at"]) for r in rows]

    def claims(self, filter: ClaimFilter | None = None, **criteria: Any) -> list[StoredClaim]:
        """Claims matching a `ClaimFilter` (or its fields as keywords), from each article's latest
        run unless `all_runs`; ordered by article and position."""
        spec = filter or ClaimFilter(**criteria)
        where, params = [], []
        if not spec.all_runs:
            inner = "SELECT max(id) FROM runs" + (" WHERE model = ?" if spec.model else "") + " GROUP BY article_id"
            where.append(f"c.run_id IN ({inner})")
            params += [spec.model] if spec.model else []
        elif spec.model:
            where.append("r.model = ?")
            params.append(spec.model)
        if spec.claimant:
            where.append("lower(coalesce(c.claimant, '')) LIKE ?")
            params.append(f"%{spec.claimant.lower()}%")
        if spec.target:
            where.append("lower(coalesce(c.target, '')) LIKE ?")
            params.append(f"%{spec.target.lower()}%")
        if spec.stances:
            where.append(f"c.stance IN ({','.join('?' * len(spec.stances))})")
            params += spec.stances
        if spec.since:
            where.append("coalesce(c.event_end, c.event_start, a.published) >= ?")
            params.append(spec.since.isoformat())
        if spec.until:
            where.append("coalesce(c.event_start, a.published) <= ?")
            params.append(spec.until.isoformat())
        if spec.grounded_only:
            where.append("c.grounded = 1")
        if spec.article_id:
            where.append("c.article_id = ?")
            params.append(spec.article_id)
        if spec.claim_id:
            where.append("c.id = ?")
            params.append(spec.claim_id)
        if spec.verified is not None:
            exists = "EXISTS (SELECT 1 FROM verifications v WHERE v.claim_id = c.id)"
            where.append(exists if spec.verified else f"NOT {exists}")
        query = f"""SELECT c.*, r.model, r.strategy, a.publisher, a.published, a.url
                    FROM claims c JOIN runs r ON r.id = c.run_id JOIN articles a ON a.id = c.article_id
                    {'WHERE ' + ' AND '.join(where) if where else ''}
                    ORDER BY c.article_id, c.run_id, c.position
                    {'LIMIT ?' if spec.limit else ''}"""
        rows = self._db.execute(query, params + ([spec.limit] if spec.limit else [])).fetchall()
        spans = self._evidence({r["run_id"] for r in rows})
        verdicts: dict[str, list[Verification]] = {}
        for record in self.verifications([r["id"] for r in rows]):
            verdicts.setdefault(record.claim_id, []).append(record)
        return [
            StoredClaim(
                claim=Claim(
                    id=r["id"], claimant=r["claimant"], claimant_kind=r["claimant_kind"], via=json.loads(r["via"]),
                    stance=r["stance"], actor=r["actor"], target=r["target"], method=json.loads(r["method"]),
                    outcome=r["outcome"], time_text=r["time_text"], event_date=r["event_date"], place=r["place"],
                    evidence=spans.get((r["run_id"], r["id"]), []),
                ),
                article_id=r["article_id"], run_id=r["run_id"], model=r["model"], strategy=r["strategy"],
                publisher=r["publisher"], published=_date(r["published"]), url=r["url"],
                verifications=tuple(verdicts.get(r["id"], ())),
            )
            for r in rows
        ]

    def _evidence(self, run_ids: set[int]) -> dict[tuple[int, str], list[Evidence]]:
        found: dict[tuple[int, str], list[Evidence]] = {}
        ids = sorted(run_ids)
        for chunk in range(0, len(ids), 500):
            part = ids[chunk:chunk + 500]
            rows = self._db.execute(
                f"SELECT * FROM evidence WHERE run_id IN ({','.join('?' * len(part))}) "
                "ORDER BY run_id, claim_id, position", part,
            ).fetchall()
            for r in rows:
                found.setdefault((r["run_id"], r["claim_id"]), []).append(Evidence(
                    quote=r["quote"], start=r["start"], end=r["end"], status=r["status"],
                    mismatches=json.loads(r["mismatches"]),
                ))
        return found

    def summary(self) -> dict[str, int]:
        """Counts of what the store holds."""
        tables = ("articles", "runs", "claims", "evidence", "llm_calls", "failures", "verifications", "batches")
        return {t: int(self._db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Read-only escape hatch for analysts and tests (any SQL; use with care)."""
        return self._db.execute(sql, params).fetchall()


def _split_script(script: str) -> list[str]:
    """Statements of the schema, triggers kept whole (sqlite3.complete_statement decides)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--") and not current.strip():
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return [s for s in statements if s]


def open_store(path: str | Path | None = None) -> Store:
    """The store at `path`, else $CLAIMX_DB, else ./claimx.db (created on first use)."""
    return Store(path or os.environ.get("CLAIMX_DB") or DEFAULT_PATH)


# ---------------------------------------------------------------------------------------------
# One-call functions (what the CLI commands do), each opening and closing the store


def show(article_id: str, *, db: str | Path | None = None, run_id: int | None = None,
         model: str | None = None) -> Result:
    """`claimx show`: an article's stored Result (id or unique prefix), verifications included."""
    with open_store(db) as store:
        return store.result(store.resolve_article(article_id), run_id=run_id, model=model)


def list_claims(*, db: str | Path | None = None, **criteria: Any) -> list[StoredClaim]:
    """`claimx claims`: stored claims matching `ClaimFilter` fields given as keywords."""
    with open_store(db) as store:
        if criteria.get("article_id"):
            criteria["article_id"] = store.resolve_article(criteria["article_id"])
        return store.claims(**criteria)


def verify(claim_id: str, *, verdict: Verdict | str, by: str, evidence: Sequence[str] | None = None,
           note: str | None = None, db: str | Path | None = None) -> Verification:
    """`claimx verify`: add a verification record (id or unique prefix); the claim is unchanged."""
    with open_store(db) as store:
        return store.verify(store.resolve_claim(claim_id), verdict=verdict, by=by, evidence=evidence, note=note)
