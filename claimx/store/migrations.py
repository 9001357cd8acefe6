"""Numbered schema migrations, recorded in the store they changed (the way simonw/llm does it).

Each migration is a function registered in order by `@migration`. `migrate` applies the ones a store
has not recorded in `_claimx_migrations`, each with its record in one transaction, and keeps
`PRAGMA user_version` equal to how many are applied, so a claimx that knows fewer refuses the file
instead of misreading it. A migration that has shipped is never edited or reordered: add the next one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from claimx.errors import StoreError
from claimx.eventtypes import classify
from claimx.extraction.language import detect
from claimx.store.writes import timestamp, transaction

Migration = Callable[[sqlite3.Connection], None]

MIGRATIONS: list[Migration] = []
TABLE = "_claimx_migrations"


def migration(fn: Migration) -> Migration:
    """Register `fn` as the next migration; the store records it by its name."""
    MIGRATIONS.append(fn)
    return fn


def migrate(db: sqlite3.Connection, path: Path) -> None:
    """Apply what the store lacks; refuse a file from a newer claimx, or one that is not a claimx store."""
    # One statement, one snapshot: read apart, another process could create the schema in between.
    version, has_tables = db.execute(
        "SELECT user_version, EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table') FROM pragma_user_version"
    ).fetchone()
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path} was written by a newer claimx (schema {version}); upgrade claimx")
    if version == 0 and has_tables:
        raise StoreError(f"{path} is an SQLite file but not a claimx store; choose another --db")
    while _apply_next(db, path):
        pass


def _apply_next(connection: sqlite3.Connection, path: Path) -> bool:
    """Apply the first migration not recorded, with its record, in one transaction; False when none is left.
    What is applied is read inside the transaction: another process may have just migrated the file."""
    with transaction(connection) as db:
        applied = _applied(db)
        pending = [fn for fn in MIGRATIONS if fn.__name__ not in applied]
        if not pending:
            return False
        try:
            pending[0](db)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot upgrade {path} ({pending[0].__name__}): {exc}") from exc
        _record(db, pending[0].__name__)
        db.execute(f"PRAGMA user_version = {len(applied) + 1}")
    return True


def _applied(db: sqlite3.Connection) -> set[str]:
    """The names of the migrations the store has had. A store made before they were recorded
    (user_version 1, no table) has the initial schema, and is recorded as having it."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)).fetchone():
        db.execute(f"CREATE TABLE {TABLE} (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        if db.execute("PRAGMA user_version").fetchone()[0] == 1:
            _record(db, m001_initial.__name__)
    return {row[0] for row in db.execute(f"SELECT name FROM {TABLE}")}


def _record(db: sqlite3.Connection, name: str) -> None:
    db.execute(f"INSERT INTO {TABLE} (name, applied_at) VALUES (?, ?)", (name, timestamp()))


# The first schema, one statement each, in the exact text version-1 files hold in sqlite_master.
_INITIAL = (
    """CREATE TABLE articles (
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
)""",
    """CREATE TABLE batches (
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
)""",
    """CREATE TABLE runs (                 -- one finished extraction of one article under one configuration
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
)""",
    """CREATE INDEX runs_by_cache_key ON runs(cache_key)""",
    """CREATE INDEX runs_by_work_key ON runs(article_id, work_key)""",
    """CREATE TABLE claims (
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
)""",
    """CREATE INDEX claims_by_id ON claims(id)""",
    """CREATE INDEX claims_by_article ON claims(article_id)""",
    """CREATE TABLE evidence (
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
)""",
    """CREATE TABLE llm_calls (            -- one row per article attempt in a batch: what it cost
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
)""",
    """CREATE TABLE failures (             -- articles whose latest attempt failed; removed once one succeeds
    article_id TEXT NOT NULL REFERENCES articles(id),
    work_key   TEXT NOT NULL,
    stage      TEXT NOT NULL CHECK (stage IN ('input', 'fetch', 'extract')),
    error      TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 1,
    batch_id   INTEGER REFERENCES batches(id),
    at         TEXT NOT NULL,
    PRIMARY KEY (article_id, work_key)
)""",
    """CREATE TABLE verifications (        -- append-only verdicts; they never change a claim
    id       INTEGER PRIMARY KEY,
    claim_id TEXT NOT NULL,
    verdict  TEXT NOT NULL CHECK (verdict IN ('true', 'mostly_true', 'mixed', 'mostly_false', 'false', 'unproven')),
    by       TEXT NOT NULL CHECK (length(trim(by)) > 0),
    at       TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '[]',
    note     TEXT
)""",
    """CREATE INDEX verifications_by_claim ON verifications(claim_id)""",
    """CREATE TRIGGER verifications_name_a_claim BEFORE INSERT ON verifications
WHEN NOT EXISTS (SELECT 1 FROM claims WHERE id = NEW.claim_id)
BEGIN SELECT RAISE(ABORT, 'unknown claim id'); END""",
    """CREATE TRIGGER verifications_are_append_only BEFORE UPDATE ON verifications
BEGIN SELECT RAISE(ABORT, 'verifications are append-only: add a new one'); END""",
    """CREATE TRIGGER claims_are_immutable BEFORE UPDATE ON claims
BEGIN SELECT RAISE(ABORT, 'claims are immutable: record a verification instead'); END""",
    """CREATE TRIGGER evidence_is_immutable BEFORE UPDATE ON evidence
BEGIN SELECT RAISE(ABORT, 'evidence is immutable'); END""",
)


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    """Articles, batches, runs, claims and their evidence, LLM calls, failures, verifications, and the
    triggers that keep claims and evidence immutable and verifications append-only."""
    for statement in _INITIAL:
        db.execute(statement)


@migration
def m002_runs_by_model(db: sqlite3.Connection) -> None:
    """The latest run of each article made with one model (`claims(model=…)`, `show --model`): without
    this index the query reads every run row, each holding a whole Result; with it, one index range."""
    db.execute("CREATE INDEX runs_by_model ON runs(model, article_id)")


@migration
def m003_partial_runs_and_leases(db: sqlite3.Connection) -> None:
    """Partial runs and leases. A run whose calls did not all give a usable answer is stored as
    `partial` (its claims kept, the article not done) and completed in place by the next batch; an
    attempt can end `partial`; and a lease row says which live batch process is working on an article,
    so two batches on one store never extract the same article twice."""
    db.execute(
        "ALTER TABLE runs ADD COLUMN status TEXT NOT NULL DEFAULT 'complete' CHECK (status IN ('complete', 'partial'))"
    )
    db.execute(
        """CREATE TABLE llm_calls_3 (          -- one row per article attempt in a batch: what it cost
    id                INTEGER PRIMARY KEY,
    batch_id          INTEGER REFERENCES batches(id),
    article_id        TEXT NOT NULL REFERENCES articles(id),
    run_id            INTEGER REFERENCES runs(id),
    outcome           TEXT NOT NULL CHECK (outcome IN ('extracted', 'cached', 'partial', 'failed')),
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
)"""
    )
    db.execute("INSERT INTO llm_calls_3 SELECT * FROM llm_calls")
    db.execute("DROP TABLE llm_calls")
    db.execute("ALTER TABLE llm_calls_3 RENAME TO llm_calls")
    db.execute(
        """CREATE TABLE leases (               -- which batch process is working on an article now
    article_id TEXT NOT NULL,
    work_key   TEXT NOT NULL,
    holder     TEXT NOT NULL,              -- host:pid of the process
    batch_id   INTEGER REFERENCES batches(id),
    taken_at   TEXT NOT NULL,
    PRIMARY KEY (article_id, work_key)
)"""
    )


_CLAIMS_FLAT = """CREATE VIEW claims_flat AS
SELECT c.article_id, c.id AS claim_id, c.claimant, c.claimant_kind,
       coalesce((SELECT group_concat(value, '; ') FROM (SELECT value FROM json_each(c.via) ORDER BY key)), '') AS via,
       coalesce(c.claimant, '(no source)')
         || coalesce((SELECT group_concat(' ← ' || value, '')
                      FROM (SELECT value FROM json_each(c.via) ORDER BY key)), '') AS chain,
       c.stance, c.actor, c.target,
       coalesce((SELECT group_concat(value, '; ') FROM (SELECT value FROM json_each(c.method) ORDER BY key)), '')
         AS method,
       c.outcome, c.time_text, c.event_date, c.place, c.grounded,
       coalesce(q.quote, '') AS quote, q.start AS quote_start, q."end" AS quote_end,
       (SELECT count(*) FROM evidence e WHERE e.run_id = c.run_id AND e.claim_id = c.id) AS evidence_count,
       a.publisher, a.published,
       CASE WHEN a.url GLOB '[hH][tT][tT][pP]://[^/]*' OR a.url GLOB '[hH][tT][tT][pP][sS]://[^/]*'
         THEN a.url END AS url,
       r.model, c.run_id, v.verdict, v.by AS verified_by, v.at AS verified_at
FROM claims c
JOIN runs r ON r.id = c.run_id
JOIN articles a ON a.id = c.article_id
LEFT JOIN evidence q ON q.run_id = c.run_id AND q.claim_id = c.id AND q.position = (
    SELECT e.position FROM evidence e WHERE e.run_id = c.run_id AND e.claim_id = c.id
    ORDER BY e.status NOT IN ('exact', 'normalised'), e.position LIMIT 1)
LEFT JOIN verifications v ON v.id = (SELECT max(id) FROM verifications WHERE claim_id = c.id)
WHERE c.run_id IN (SELECT max(id) FROM runs GROUP BY article_id)
ORDER BY c.article_id, c.position"""
"""One row per claim of each article's latest run, in the CSV export's columns (m004)."""


@migration
def m004_flat_views_and_search(db: sqlite3.Connection) -> None:
    """Views and full-text search for readers other than claimx (Datasette, DuckDB, plain SQL), which see
    the JSON lists as raw text and cannot rebuild a chain. `claims_flat`: one row per claim of each
    article's latest run, in the CSV export's columns (lists as '; ' text, the chain as `Claim.chain`
    writes it, the first grounded quote, the latest verdict, http(s) URLs only). `evidence_flat`: one row
    per evidence quote of those claims. `evidence_fts`: FTS5 over each quote with its claimant, one row per
    evidence row, filled by a trigger as evidence is inserted (a completed partial run inserts more; claims
    and evidence are never updated). It keeps its own copy of the text and names the claim by (run_id,
    claim_id): an external-content or contentless index would name rows by the evidence table's implicit
    rowid, which VACUUM may renumber."""
    db.execute(_CLAIMS_FLAT)
    db.execute(
        """CREATE VIEW evidence_flat AS
SELECT c.article_id, e.claim_id, e.run_id, e.position, e.quote, e.start, e."end", e.status,
       e.status IN ('exact', 'normalised') AS grounded,
       coalesce((SELECT group_concat(value, '; ') FROM (SELECT value FROM json_each(e.mismatches) ORDER BY key)), '')
         AS mismatches,
       c.claimant,
       coalesce(c.claimant, '(no source)')
         || coalesce((SELECT group_concat(' ← ' || value, '')
                      FROM (SELECT value FROM json_each(c.via) ORDER BY key)), '') AS chain,
       c.stance, c.target, a.publisher, a.published,
       CASE WHEN a.url GLOB '[hH][tT][tT][pP]://[^/]*' OR a.url GLOB '[hH][tT][tT][pP][sS]://[^/]*'
         THEN a.url END AS url,
       r.model
FROM evidence e
JOIN claims c ON c.run_id = e.run_id AND c.id = e.claim_id
JOIN runs r ON r.id = c.run_id
JOIN articles a ON a.id = c.article_id
WHERE c.run_id IN (SELECT max(id) FROM runs GROUP BY article_id)
ORDER BY c.article_id, c.position, e.position"""
    )
    db.execute(
        """CREATE VIRTUAL TABLE evidence_fts USING fts5(
    quote, claimant, run_id UNINDEXED, claim_id UNINDEXED, position UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2'
)"""
    )
    db.execute(
        """INSERT INTO evidence_fts (quote, claimant, run_id, claim_id, position)
SELECT e.quote, c.claimant, e.run_id, e.claim_id, e.position
FROM evidence e JOIN claims c ON c.run_id = e.run_id AND c.id = e.claim_id"""
    )
    db.execute(
        """CREATE TRIGGER evidence_is_searchable AFTER INSERT ON evidence
BEGIN
    INSERT INTO evidence_fts (quote, claimant, run_id, claim_id, position)
    SELECT NEW.quote, claimant, NEW.run_id, NEW.claim_id, NEW.position
    FROM claims WHERE run_id = NEW.run_id AND id = NEW.claim_id;
END"""
    )


@migration
def m005_audit_log(db: sqlite3.Connection) -> None:
    """The audit log: every HTTP request an extraction made, with the messages as sent (the article's text
    as a reference to the articles table), the raw answer or the error, and the claims it gave, so a
    reviewer can see why a claim came out as it did. Its own table and indexes, touching nothing else."""
    db.execute(
        """CREATE TABLE calls (                -- one row per HTTP request of an extraction
    id                INTEGER PRIMARY KEY,
    run_id            INTEGER REFERENCES runs(id),   -- NULL when the article failed
    article_id        TEXT NOT NULL REFERENCES articles(id),
    batch_id          INTEGER REFERENCES batches(id),
    unit_key          TEXT NOT NULL,
    unit_label        TEXT NOT NULL,
    attempt           INTEGER NOT NULL,              -- 1, 2, … within the unit
    kind              TEXT NOT NULL CHECK (kind IN ('ask', 'reask', 'retry', 'larger-limit')),
    reason            TEXT,                          -- why it was sent again: validation problems, error, cut-off
    messages          TEXT NOT NULL,                 -- JSON as sent, the article's text as {{article:SHA256}}
    parameters        TEXT NOT NULL,                 -- JSON: model, temperature, max_tokens, …
    response          TEXT,
    error             TEXT,
    finish_reason     TEXT,
    prompt_tokens     INTEGER,
    completion_tokens INTEGER,
    latency_seconds   REAL NOT NULL,
    claim_ids         TEXT NOT NULL DEFAULT '[]',    -- JSON list: the claims its answer gave
    at                TEXT NOT NULL                  -- when it was sent
)"""
    )
    db.execute("CREATE INDEX calls_by_article ON calls(article_id)")
    db.execute("CREATE INDEX calls_by_run ON calls(run_id)")


@migration
def m006_languages(db: sqlite3.Connection) -> None:
    """The language of each article (`claims --language`), detected for the articles already stored, and the
    claimant's English rendering beside its original form (the same name for a claim from an English article)."""
    db.execute("ALTER TABLE articles ADD COLUMN language TEXT")
    db.execute("ALTER TABLE claims ADD COLUMN claimant_english TEXT")
    db.execute("CREATE INDEX articles_by_language ON articles(language)")
    for article_id, text in db.execute("SELECT id, text FROM articles WHERE text IS NOT NULL").fetchall():
        db.execute("UPDATE articles SET language = ? WHERE id = ?", (detect(text), article_id))


@migration
def m007_entities_and_events(db: sqlite3.Connection) -> None:
    """What links articles (`claimx.corpus`): the user's aliases and merge/split decisions, which are kept and
    seed every resolution; the entities and surface forms the latest resolution found, and the events and their
    member claims, both rewritten by each linking run (an event keeps its id from run to run, see
    `claimx.corpus.clustering`). Claims stay as they are: members name them by (article, claim id)."""
    db.execute(
        """CREATE TABLE entity_aliases (       -- the user's alias file as last loaded
    alias       TEXT PRIMARY KEY,           -- a name, lower-cased as typed; the canonical name is one too
    canonical   TEXT NOT NULL,
    kind        TEXT,                       -- a claimant kind, or NULL for any
    external_id TEXT                        -- e.g. a Wikidata QID
)"""
    )
    db.execute(
        """CREATE TABLE entity_decisions (     -- append-only: merge and split, applied in order on every run
    id     INTEGER PRIMARY KEY,
    action TEXT NOT NULL CHECK (action IN ('merge', 'split')),
    form   TEXT NOT NULL,                   -- merge: a surface form of one entity; split: the form to separate
    other  TEXT,                            -- merge: a surface form of the other entity
    at     TEXT NOT NULL
)"""
    )
    db.execute(
        """CREATE TABLE entities (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    external_id TEXT
)"""
    )
    db.execute(
        """CREATE TABLE surface_forms (        -- every name the claims use, linked to its entity
    form      TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities(id),
    mentions  INTEGER NOT NULL,
    PRIMARY KEY (form, entity_id)
)"""
    )
    db.execute(
        """CREATE TABLE events (
    id         TEXT PRIMARY KEY,
    first_seen TEXT NOT NULL,
    summary    TEXT NOT NULL                -- JSON: dates, place, targets, methods, actors, sources, contradictions
)"""
    )
    db.execute(
        """CREATE TABLE event_members (
    event_id   TEXT NOT NULL REFERENCES events(id),
    article_id TEXT NOT NULL,
    claim_id   TEXT NOT NULL,
    PRIMARY KEY (article_id, claim_id)
)"""
    )
    db.execute("CREATE INDEX event_members_by_event ON event_members(event_id)")


@migration
def m010_claim_event_types(db: sqlite3.Connection) -> None:
    """Each claim's event type (`claimx.eventtypes`) as a column, so SQL, Datasette and `claims --event-type`
    can keep to attack-related claims. Stored claims get theirs from the same words the extractor reads."""
    db.execute("ALTER TABLE claims ADD COLUMN event_type TEXT")
    _classify_stored(db)
    db.execute("DROP VIEW claims_flat")
    db.execute(_CLAIMS_FLAT.replace("c.stance, c.actor", "c.stance, c.event_type, c.actor"))


@migration
def m011_reactions_are_other_statements(db: sqlite3.Connection) -> None:
    """A reaction that names no doer ("the president condemned the attack") is an `other_statement`
    (`claimx.eventtypes`): stored claims are classified again."""
    _classify_stored(db)


def _classify_stored(db: sqlite3.Connection) -> None:
    """Each stored claim's event type from its words, as the extractor reads them; the immutability trigger is
    lifted for that one backfill, inside the migration's transaction."""
    db.execute("DROP TRIGGER claims_are_immutable")
    rows = db.execute("SELECT run_id, id, method, outcome, claimant, actor FROM claims").fetchall()
    for run_id, claim_id, method, outcome, claimant, actor in rows:
        quotes = [
            q for (q,) in db.execute("SELECT quote FROM evidence WHERE run_id = ? AND claim_id = ?", (run_id, claim_id))
        ]
        kind = classify(json.loads(method), outcome, quotes, claimant=claimant, actor=actor)
        db.execute("UPDATE claims SET event_type = ? WHERE run_id = ? AND id = ?", (kind.value, run_id, claim_id))
    db.execute(next(statement for statement in _INITIAL if "claims_are_immutable" in statement))


SCHEMA_VERSION = len(MIGRATIONS)  # the user_version of a store that has every migration
