"""Who is working on what: batch rows and the leases their processes hold on articles.

A lease is taken in the same transaction that checks the article is not done, and released in the one
that stores its outcome, so two batches on one store never extract the same article. A lease whose
process is gone (killed, machine restarted) no longer counts; one held from another machine counts
for `FOREIGN_LEASE_HOURS`, since its process cannot be asked.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from datetime import datetime, timedelta
from typing import Any, Literal

from claimx.store.writes import timestamp

FOREIGN_LEASE_HOURS = 6
LeaseState = Literal["taken", "held", "done"]


def holder() -> str:
    """This process, as leases and batch rows name it."""
    return f"{socket.gethostname()}:{os.getpid()}"


def alive(pid: Any) -> bool:
    """Whether a process on this machine still runs (signal 0 asks without sending anything)."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's process
        return True
    return True


def _live(name: str, taken_at: str) -> bool:
    host, _, pid = name.rpartition(":")
    if host == socket.gethostname():
        return pid.isdigit() and alive(int(pid))
    return datetime.fromisoformat(taken_at) > datetime.now().astimezone() - timedelta(hours=FOREIGN_LEASE_HOURS)


def claim(
    db: sqlite3.Connection, article_id: str, work_key: str, batch_id: int | None, *, done_by_work_key: bool
) -> LeaseState:
    """Inside a write transaction: `held` if another live process holds the job's lease, `done` (when
    `done_by_work_key`, for a URL not fetched yet) if a complete run of the job exists, else the lease
    is this process's (`taken`). Text articles are checked by their cache key once the lease is taken."""
    if (
        done_by_work_key
        and db.execute(
            "SELECT 1 FROM runs WHERE article_id = ? AND work_key = ? AND status = 'complete'", (article_id, work_key)
        ).fetchone()
    ):
        return "done"
    row = db.execute(
        "SELECT holder, taken_at FROM leases WHERE article_id = ? AND work_key = ?", (article_id, work_key)
    ).fetchone()
    if row is not None and row[0] != holder() and _live(row[0], row[1]):
        return "held"
    db.execute(
        """INSERT INTO leases (article_id, work_key, holder, batch_id, taken_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (article_id, work_key) DO UPDATE SET
             holder = excluded.holder, batch_id = excluded.batch_id, taken_at = excluded.taken_at""",
        (article_id, work_key, holder(), batch_id, timestamp()),
    )
    return "taken"


def release(db: sqlite3.Connection, article_id: str, work_key: str) -> None:
    """Inside the transaction that stores the article's outcome."""
    db.execute(
        "DELETE FROM leases WHERE article_id = ? AND work_key = ? AND holder = ?", (article_id, work_key, holder())
    )


def release_all(db: sqlite3.Connection) -> None:
    """Every lease this process still holds (an article it gave up on, or the end of its batch)."""
    db.execute("DELETE FROM leases WHERE holder = ?", (holder(),))


def abandoned_batches(db: sqlite3.Connection) -> list[int]:
    """Batches still `running` whose process on this machine is gone (killed with -9, or restarted)."""
    host, found = socket.gethostname(), []
    for row in db.execute("SELECT id, options FROM batches WHERE status = 'running'").fetchall():
        options = json.loads(row[1] or "{}")
        if options.get("host") == host and not alive(options.get("pid")):
            found.append(int(row[0]))
    return found


def insert_batch(
    db: sqlite3.Connection, *, model: str | None, base_url: str | None, strategy: str | None, options: dict[str, Any]
) -> int:
    options = {**options, "pid": os.getpid(), "host": socket.gethostname()}
    cursor = db.execute(
        "INSERT INTO batches (started_at, status, model, base_url, strategy, options) VALUES (?, ?, ?, ?, ?, ?)",
        (timestamp(), "running", model, base_url, strategy, json.dumps(options, default=str)),
    )
    return int(cursor.lastrowid or 0)
