"""Articles' outcomes written to the store in groups: the articles that finish within `seconds` of each other
(at most `articles` of them) are committed in one transaction (`Store.group`) instead of one each.

After a `kill -9` every article is stored whole or not at all: a group is all or nothing, its articles'
leases are released in it, and an article whose group was not committed has no row and is extracted again on
resume (what is lost is at most `seconds` of finished work). The event loop does not wait for a group: an
article's outcome is reported (the progress bar, the batch's summary) once its group is committed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from claimx.store import Store

ARTICLES = 64  # at most this many articles per transaction
SECONDS = 0.05  # how long the first finished article of a group waits for others


class Writer:
    """Writes put in while the group is open are committed together when it is full or `seconds` after its
    first; `flush` commits what is pending at once (the end of a batch, however it ends). A group that fails
    (disk full, the store locked too long) is rolled back whole and its error kept in `error`."""

    def __init__(self, store: Store, *, articles: int = ARTICLES, seconds: float = SECONDS) -> None:
        if articles < 1 or seconds < 0:
            raise ValueError("a group holds at least one article and waits no negative time")
        self.store = store
        self.articles, self.seconds = articles, seconds
        self.error: BaseException | None = None
        self._pending: list[tuple[Callable[[], Any], Callable[[Any], None]]] = []
        self._timer: asyncio.TimerHandle | None = None

    def put(self, write: Callable[[], Any], then: Callable[[Any], None]) -> None:
        """Queue one article's `write` (store calls); `then` gets what it returned once it is committed."""
        self._pending.append((write, then))
        if len(self._pending) >= self.articles:
            self.flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.seconds, self.flush)

    def flush(self) -> None:
        """Commit every pending write in one transaction, then hand each its result."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        pending, self._pending = self._pending, []
        if not pending or self.error is not None:
            return
        try:
            with self.store.group():
                written = [write() for write, _ in pending]
        except Exception as exc:
            self.error = exc
            return
        for (_, then), value in zip(pending, written, strict=True):
            then(value)
