"""What the store's reads return (`StoredClaim`, `StoredArticle`, `RunInfo`, `Failure`) and how claims and
articles are asked for (`ClaimFilter`, `ArticleFilter`): the queries built from a filter, full-text search
included, and their rows turned back into claims and articles."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from claimx.errors import StoreError
from claimx.eventtypes import EVENT_TYPE_GROUPS, EventType
from claimx.result import Claim, Evidence, Stance, Verification


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
    language: str | None = None  # the article's, ISO 639-1

    @property
    def verification(self) -> Verification | None:
        """The latest verdict, or None: every claim is unverified until one is recorded."""
        return self.verifications[-1] if self.verifications else None


@dataclass(frozen=True)
class StoredArticle:
    """An article in the store and what its latest run made of it; `run_id`, `status` and `model` are None
    while it has no run (every attempt failed so far, see `Store.failures`)."""

    id: str
    publisher: str | None
    published: date | None
    url: str | None
    origin: str | None
    run_id: int | None
    status: str | None  # complete | partial
    model: str | None
    claims: int  # of the latest run
    language: str | None = None  # ISO 639-1, detected or given


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
    publication date; claims with neither are left out when a range is given. `search` is an FTS5
    query over the evidence quotes and claimants (words, "a phrase", prefix*, OR, NOT, claimant:word):
    matching claims come best match first. `language` is the article's ISO 639-1 code."""

    claimant: str | None = None
    stance: Sequence[str] | str | None = None
    event_type: Sequence[str] | str | None = None
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
    search: str | None = None
    language: str | None = None
    stances: list[str] = field(init=False, default_factory=list)
    event_types: list[str] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        raw = [self.stance] if isinstance(self.stance, str) else list(self.stance or [])
        try:
            self.stances = [Stance(s).value for s in raw]
        except ValueError as exc:
            raise StoreError(f"{exc}; choose from {', '.join(s.value for s in Stance)}") from None
        kinds = [self.event_type] if isinstance(self.event_type, str) else list(self.event_type or [])
        try:
            groups = [EVENT_TYPE_GROUPS[k] if k in EVENT_TYPE_GROUPS else [EventType(k)] for k in kinds]
            self.event_types = sorted({t.value for group in groups for t in group})
        except ValueError as exc:
            choices = ", ".join([*EVENT_TYPE_GROUPS, *(t.value for t in EventType)])
            raise StoreError(f"{exc}; choose from {choices}") from None
        if self.search is not None and not self.search.strip():  # not "every claim"
            raise StoreError("an empty search matches nothing: give words to search for, or no search")


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles to return: publisher contains this text (case-insensitive); published in the range."""

    publisher: str | None = None
    since: date | None = None
    until: date | None = None
    limit: int | None = None


def select_claims(db: sqlite3.Connection, spec: ClaimFilter) -> list[StoredClaim]:
    """The claims a filter asks for, each with its evidence spans and verdicts."""
    try:
        rows = db.execute(*claims_query(spec)).fetchall()
    except sqlite3.OperationalError as exc:
        if not spec.search:
            raise
        raise StoreError(
            f'cannot search for {spec.search!r} ({exc}): use FTS5 syntax: words, "a phrase", prefix*, OR, NOT, '
            "claimant:word; put words with hyphens or other punctuation in double quotes, e.g. '\"al-Assad\"'"
        ) from None
    spans: dict[tuple[int, str], list[Evidence]] = {}
    query = "SELECT * FROM evidence WHERE run_id IN ({marks}) ORDER BY run_id, claim_id, position"
    for r in select_in(db, query, sorted({r["run_id"] for r in rows})):
        spans.setdefault((r["run_id"], r["claim_id"]), []).append(evidence_of(r))
    verdicts: dict[str, list[Verification]] = {}
    for record in select_verifications(db, [r["id"] for r in rows]):
        verdicts.setdefault(record.claim_id, []).append(record)
    return [stored_claim_of(r, spans.get((r["run_id"], r["id"]), []), verdicts.get(r["id"], ())) for r in rows]


def select_verifications(db: sqlite3.Connection, claim_ids: Sequence[str] | None) -> list[Verification]:
    """Verdicts in the order they were recorded, for some claims or all."""
    if claim_ids is None:
        rows = db.execute("SELECT * FROM verifications ORDER BY id").fetchall()
    else:
        query = "SELECT * FROM verifications WHERE claim_id IN ({marks})"
        rows = sorted(select_in(db, query, list(dict.fromkeys(claim_ids))), key=lambda r: r["id"])
    return [verification_of(r) for r in rows]


def claims_query(spec: ClaimFilter) -> tuple[str, list[Any]]:
    """The SQL and parameters for the claims a filter asks for, ordered by article, run and position (a
    search: best match first); each row is a claim with its run's model and strategy and its article's
    publisher, date and URL."""
    conditions = [*_run_conditions(spec), *_claim_conditions(spec)]
    where = f"WHERE {' AND '.join(sql for sql, _ in conditions)}" if conditions else ""
    params = [value for _, values in conditions for value in values] + ([spec.limit] if spec.limit else [])
    # The best rank of a claim's evidence rows (FTS5 bm25: lower is better), matched once, not per claim.
    match = """JOIN (SELECT run_id, claim_id, min(rank) AS score FROM evidence_fts WHERE evidence_fts MATCH ?
                      GROUP BY run_id, claim_id) m ON m.run_id = c.run_id AND m.claim_id = c.id"""
    query = f"""SELECT c.*, r.model, r.strategy, a.publisher, a.published, a.url, a.language
                FROM claims c JOIN runs r ON r.id = c.run_id JOIN articles a ON a.id = c.article_id
                {match if spec.search else ""}
                {where}
                ORDER BY {"m.score, " if spec.search else ""}c.article_id, c.run_id, c.position
                {"LIMIT ?" if spec.limit else ""}"""
    return query, [spec.search, *params] if spec.search else params


def select_articles(db: sqlite3.Connection, spec: ArticleFilter) -> list[StoredArticle]:
    """The articles a filter asks for, by id, each with its latest run's id, status, model and claim count."""
    conditions: list[tuple[str, list[Any]]] = []
    if spec.publisher:
        conditions.append(("lower(coalesce(a.publisher, '')) LIKE ?", [f"%{spec.publisher.lower()}%"]))
    if spec.since:
        conditions.append(("a.published >= ?", [spec.since.isoformat()]))
    if spec.until:
        conditions.append(("a.published <= ?", [spec.until.isoformat()]))
    where = f"WHERE {' AND '.join(sql for sql, _ in conditions)}" if conditions else ""
    params = [value for _, values in conditions for value in values] + ([spec.limit] if spec.limit else [])
    rows = db.execute(
        f"""SELECT a.id, a.publisher, a.published, a.url, a.origin, a.language, r.id AS run_id, r.status, r.model,
                   (SELECT count(*) FROM claims c WHERE c.run_id = r.id) AS claims
            FROM articles a LEFT JOIN runs r ON r.id = (SELECT max(id) FROM runs WHERE article_id = a.id)
            {where}
            ORDER BY a.id
            {"LIMIT ?" if spec.limit else ""}""",
        params,
    ).fetchall()
    return [
        StoredArticle(
            id=r["id"],
            publisher=r["publisher"],
            published=date.fromisoformat(r["published"]) if r["published"] else None,
            url=r["url"],
            origin=r["origin"],
            run_id=r["run_id"],
            status=r["status"],
            model=r["model"],
            claims=r["claims"],
            language=r["language"],
        )
        for r in rows
    ]


def _run_conditions(spec: ClaimFilter) -> Iterator[tuple[str, list[Any]]]:
    """Each article's latest run (of the model, if one is given), unless all runs are asked for."""
    model = [spec.model] if spec.model else []
    if not spec.all_runs:
        yield f"c.run_id IN (SELECT max(id) FROM runs{' WHERE model = ?' if model else ''} GROUP BY article_id)", model
    elif model:
        yield "r.model = ?", model


def _claim_conditions(spec: ClaimFilter) -> Iterator[tuple[str, list[Any]]]:
    """The conditions on the claims themselves, each with its parameters."""
    for column, text in (("c.claimant", spec.claimant), ("c.target", spec.target)):
        if text:
            yield f"lower(coalesce({column}, '')) LIKE ?", [f"%{text.lower()}%"]
    if spec.stances:
        yield f"c.stance IN ({','.join('?' * len(spec.stances))})", list(spec.stances)
    if spec.event_types:
        yield f"c.event_type IN ({','.join('?' * len(spec.event_types))})", list(spec.event_types)
    if spec.since:
        yield "coalesce(c.event_end, c.event_start, a.published) >= ?", [spec.since.isoformat()]
    if spec.until:
        yield "coalesce(c.event_start, a.published) <= ?", [spec.until.isoformat()]
    if spec.grounded_only:
        yield "c.grounded = 1", []
    for column, value in (("c.article_id", spec.article_id), ("c.id", spec.claim_id), ("a.language", spec.language)):
        if value:
            yield f"{column} = ?", [value]
    if spec.verified is not None:
        exists = "EXISTS (SELECT 1 FROM verifications v WHERE v.claim_id = c.id)"
        yield exists if spec.verified else f"NOT {exists}", []


def stored_claim_of(row: sqlite3.Row, evidence: list[Evidence], verifications: Iterable[Verification]) -> StoredClaim:
    """A row of `claims_query` as a `StoredClaim`, given its evidence spans and verdicts (read separately)."""
    claim = Claim(
        id=row["id"],
        claimant=row["claimant"],
        claimant_english=row["claimant_english"],
        claimant_kind=row["claimant_kind"],
        via=json.loads(row["via"]),
        stance=row["stance"],
        actor=row["actor"],
        target=row["target"],
        method=json.loads(row["method"]),
        outcome=row["outcome"],
        time_text=row["time_text"],
        event_date=row["event_date"],
        place=row["place"],
        evidence=evidence,
    )
    published = date.fromisoformat(row["published"]) if row["published"] else None
    return StoredClaim(
        claim=claim,
        article_id=row["article_id"],
        run_id=row["run_id"],
        model=row["model"],
        strategy=row["strategy"],
        publisher=row["publisher"],
        published=published,
        url=row["url"],
        verifications=tuple(verifications),
        language=row["language"],
    )


def select_in(db: sqlite3.Connection, query: str, values: Sequence[Any]) -> list[sqlite3.Row]:
    """Rows of `query`, whose `{marks}` is filled with one `?` per value, run 500 values at a time so that a
    long list stays under SQLite's limit on parameters; each chunk comes back in the query's order."""
    rows: list[sqlite3.Row] = []
    for start in range(0, len(values), 500):
        part = values[start : start + 500]
        rows += db.execute(query.format(marks=",".join("?" * len(part))), part).fetchall()
    return rows


def run_info_of(row: sqlite3.Row) -> RunInfo:
    """A `runs` row as what `Store.runs` lists (the stored Result is left out)."""
    return RunInfo(
        row["id"],
        row["article_id"],
        row["model"],
        row["strategy"],
        row["claim_count"],
        row["warning_count"],
        row["cached_from"],
        row["created_at"],
    )


def failure_of(row: sqlite3.Row) -> Failure:
    """A `failures` row joined with its article's origin."""
    return Failure(row["article_id"], row["origin"], row["stage"], row["error"], row["attempts"], row["at"])


def evidence_of(row: sqlite3.Row) -> Evidence:
    """An `evidence` row as the span it records."""
    return Evidence(
        quote=row["quote"],
        start=row["start"],
        end=row["end"],
        status=row["status"],
        mismatches=json.loads(row["mismatches"]),
    )


def verification_of(row: sqlite3.Row) -> Verification:
    """A `verifications` row as the verdict it records."""
    return Verification(
        claim_id=row["claim_id"],
        verdict=row["verdict"],
        by=row["by"],
        at=row["at"],
        evidence=json.loads(row["evidence"]),
        note=row["note"],
    )
