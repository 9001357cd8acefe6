"""The audit log: every HTTP request an extraction made (the `calls` table, migration m005), written in the
transaction that stores the article's outcome and read back by `claimx logs`.

A logged request holds its messages with the article's text as a reference (`result.article_reference`)
to the text the articles table holds, so the log never copies an article once per request.

    >>> from claimx.store import Store
    >>> from claimx.store.calllog import LogFilter
    >>> with Store("claimx.db") as store:
    ...     for logged in store.calls(LogFilter(reasks=True, limit=5)):
    ...         print(logged.article_id, logged.record.label, logged.record.reason)
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from claimx.result import CallRecord


def insert_calls(
    db: sqlite3.Connection, calls: Sequence[CallRecord], *, article_id: str, run_id: int | None, batch_id: int | None
) -> None:
    """Log an attempt's requests, inside the caller's transaction (the one that stores the article's text
    their references stand for)."""
    db.executemany(
        """INSERT INTO calls (run_id, article_id, batch_id, unit_key, unit_label, attempt, kind, reason, messages,
                              parameters, response, error, finish_reason, prompt_tokens, completion_tokens,
                              latency_seconds, claim_ids, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            (
                run_id,
                article_id,
                batch_id,
                call.unit,
                call.label,
                call.attempt,
                call.kind,
                call.reason,
                json.dumps(call.messages, ensure_ascii=False),
                json.dumps(call.parameters, ensure_ascii=False, sort_keys=True, default=str),
                call.response,
                call.error,
                call.finish_reason,
                call.prompt_tokens,
                call.completion_tokens,
                call.seconds,
                json.dumps(call.claim_ids),
                call.at.isoformat(),
            )
            for call in calls
        ],
    )


@dataclass(frozen=True)
class LogFilter:
    """Which logged requests to read: of one article or run, re-asks only, at most `limit` (newest first)."""

    article_id: str | None = None
    run_id: int | None = None
    reasks: bool = False
    limit: int | None = None


@dataclass(frozen=True)
class LoggedCall:
    """A logged request with where it belongs in the store."""

    id: int
    article_id: str
    run_id: int | None
    batch_id: int | None
    record: CallRecord

    def to_json(self, *, full: bool = False) -> dict[str, Any]:
        """The row as JSON; without `full`, no messages, parameters or response."""
        exclude = None if full else {"messages", "parameters", "response"}
        ids = {"id": self.id, "article_id": self.article_id, "run_id": self.run_id, "batch_id": self.batch_id}
        return {**ids, **self.record.model_dump(mode="json", exclude=exclude)}


def logged_calls(db: sqlite3.Connection, filter: LogFilter | None = None, *, full: bool = False) -> list[LoggedCall]:
    """Logged requests, newest first. With `full`, each one's article reference is expanded from the stored
    text it stands for (the article's, or that of the run it belongs to if the article's has changed since);
    a reference to a text the store no longer holds stays as it is."""
    filter = filter or LogFilter()
    where: list[str] = ["1 = 1"]
    params: list[str | int] = []
    if filter.article_id is not None:
        where.append("c.article_id = ?")
        params.append(filter.article_id)
    if filter.run_id is not None:
        where.append("c.run_id = ?")
        params.append(filter.run_id)
    if filter.reasks:
        where.append("c.kind = 'reask'")
    texts = ", a.text AS article_text, a.sha256 AS article_sha" if full else ""
    query = (
        f"SELECT c.*{texts} FROM calls c LEFT JOIN articles a ON a.id = c.article_id WHERE {' AND '.join(where)} "
        f"ORDER BY c.id DESC{' LIMIT ?' if filter.limit is not None else ''}"
    )
    rows = db.execute(query, [*params, *([filter.limit] if filter.limit is not None else [])]).fetchall()
    found = []
    for row in rows:
        record = _record_of(row)
        if full:
            record = _expanded(db, row, record)
        found.append(LoggedCall(row["id"], row["article_id"], row["run_id"], row["batch_id"], record))
    return found


def _record_of(row: sqlite3.Row) -> CallRecord:
    return CallRecord(
        unit=row["unit_key"],
        label=row["unit_label"],
        attempt=row["attempt"],
        kind=row["kind"],
        reason=row["reason"],
        messages=json.loads(row["messages"]),
        parameters=json.loads(row["parameters"]),
        response=row["response"],
        error=row["error"],
        finish_reason=row["finish_reason"],
        prompt_tokens=row["prompt_tokens"],
        completion_tokens=row["completion_tokens"],
        seconds=row["latency_seconds"],
        at=datetime.fromisoformat(row["at"]),
        claim_ids=json.loads(row["claim_ids"]),
    )


def _expanded(db: sqlite3.Connection, row: sqlite3.Row, record: CallRecord) -> CallRecord:
    if row["article_sha"] and row["article_text"] is not None:
        record = record.expanding(row["article_text"], row["article_sha"])
    runs = db.execute("SELECT text_sha256, result FROM runs WHERE id = ?", (row["run_id"],)).fetchall()
    for run in runs:
        if run["text_sha256"] != row["article_sha"]:  # the article's text has changed since this run
            record = record.expanding(json.loads(run["result"])["article"]["text"], run["text_sha256"])
    return record
