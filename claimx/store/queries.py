"""What the store's reads return (`StoredClaim`, `RunInfo`, `Failure`) and how claims are asked for
(`ClaimFilter`): the claims query built from a filter, and its rows turned back into claims."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from claimx.errors import StoreError
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


def claims_query(spec: ClaimFilter) -> tuple[str, list[Any]]:
    """The SQL and parameters for the claims a filter asks for, ordered by article, run and position;
    each row is a claim with its run's model and strategy and its article's publisher, date and URL."""
    conditions = [*_run_conditions(spec), *_claim_conditions(spec)]
    where = f"WHERE {' AND '.join(sql for sql, _ in conditions)}" if conditions else ""
    params = [value for _, values in conditions for value in values] + ([spec.limit] if spec.limit else [])
    query = f"""SELECT c.*, r.model, r.strategy, a.publisher, a.published, a.url
                FROM claims c JOIN runs r ON r.id = c.run_id JOIN articles a ON a.id = c.article_id
                {where}
                ORDER BY c.article_id, c.run_id, c.position
                {"LIMIT ?" if spec.limit else ""}"""
    return query, params


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
    if spec.since:
        yield "coalesce(c.event_end, c.event_start, a.published) >= ?", [spec.since.isoformat()]
    if spec.until:
        yield "coalesce(c.event_start, a.published) <= ?", [spec.until.isoformat()]
    if spec.grounded_only:
        yield "c.grounded = 1", []
    for column, value in (("c.article_id", spec.article_id), ("c.id", spec.claim_id)):
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
