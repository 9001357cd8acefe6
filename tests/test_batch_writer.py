"""Outcomes written in groups (claimx/batch/writer.py): the articles that finish together share one
transaction, a group is stored whole or not at all, and a batch killed with -9 leaves every article stored
whole or absent (then extracted on resume). Timings are never asserted."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from claimx.batch.writer import Writer
from claimx.inputs import from_text
from claimx.store import Store
from tests.fakeserver import FakeServer
from tests.helpers import build_result, save
from tests.test_batch import ROOT, _batch_process, _wait_for_runs, rows, write_articles

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


def stored_articles(db: Path) -> set[str]:
    return {r[0] for r in rows(db, "SELECT id FROM articles")}


async def test_a_group_is_committed_together_and_each_hears_its_result(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    heard: list[int] = []
    with Store(db) as store:
        writer = Writer(store, articles=3, seconds=3600)
        for name in ("a", "b"):
            writer.put(lambda name=name: save(store, build_result(), article_id=name), heard.append)
        assert stored_articles(db) == set() and not heard  # open: neither is committed yet
        writer.put(lambda: save(store, build_result(), article_id="c"), heard.append)  # full: committed at once
        assert stored_articles(db) == {"a", "b", "c"}
        assert heard == [r[0] for r in rows(db, "SELECT id FROM runs ORDER BY article_id")]

        soon = Writer(store, articles=100, seconds=0.01)
        soon.put(lambda: save(store, build_result(), article_id="d"), heard.append)
        await asyncio.sleep(0.3)  # a group that does not fill up is committed after its wait
        assert "d" in stored_articles(db) and len(heard) == 4


async def test_a_group_that_fails_is_rolled_back_whole_and_stops_the_writer(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    heard: list[object] = []

    def broken() -> None:
        raise sqlite3.OperationalError("disk I/O error")

    with Store(db) as store:
        writer = Writer(store, articles=10, seconds=3600)
        writer.put(lambda: save(store, build_result(), article_id="a"), heard.append)
        writer.put(
            lambda: store.record_failure(from_text("x", id="b"), work_key="k", stage="input", error="bad"),
            heard.append,
        )
        writer.put(broken, heard.append)
        writer.flush()
        assert isinstance(writer.error, sqlite3.OperationalError) and not heard
        assert rows(db, "SELECT count(*) FROM articles") == [(0,)] and rows(db, "SELECT count(*) FROM runs") == [(0,)]
        writer.put(lambda: save(store, build_result(), article_id="e"), heard.append)
        writer.flush()  # nothing more is written once a group has failed: the batch stops on the error
        assert stored_articles(db) == set()


def test_a_batch_killed_between_groups_stores_each_article_whole_or_not_at_all(tmp_path: Path) -> None:
    """Groups of many articles (a long wait): at the kill, finished articles wait in memory for their group;
    they are absent, with nothing of theirs stored, and the next run extracts them."""
    folder, db = tmp_path / "in", tmp_path / "c.db"
    ids = write_articles(folder, 40)
    script = (
        "import sys; from claimx.batch import run_batch; from claimx.inputs import iter_inputs; "
        "run_batch(iter_inputs([sys.argv[1]]), sys.argv[2], base_url=sys.argv[3], model='m', api_key='x', "
        "retry_attempts=2, concurrency=4, commit_articles=6, commit_seconds=3600)"
    )
    with FakeServer(latency=0.1, slots=4) as server:
        process = subprocess.Popen(
            [sys.executable, "-c", script, str(folder), str(db), server.base_url],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        _wait_for_runs(db, process, at_least=6)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        assert process.returncode == -signal.SIGKILL
        runs = rows(db, "SELECT article_id, claim_count FROM runs")
        assert len(runs) % 6 == 0 and 6 <= len(runs) < len(ids)  # whole groups of six, no article of a group alone
        # every stored article has all of its rows, and no article has rows without its run
        assert stored_articles(db) == {r[0] for r in runs}
        assert all(
            rows(db, f"SELECT count(*) FROM claims WHERE article_id = '{a}'") == [(n,)] and n > 0 for a, n in runs
        )
        assert rows(db, "SELECT count(*) FROM evidence") == [(sum(n for _, n in runs),)]
        assert rows(db, "SELECT count(DISTINCT article_id) FROM llm_calls WHERE outcome = 'extracted'") == [
            (len(runs),)
        ]
        assert rows(db, "SELECT count(*) FROM failures") == [(0,)]

        resumed = _batch_process(folder, db, server)
        _, stderr = resumed.communicate(timeout=300)
        assert resumed.returncode == 0, stderr
        assert f"{len(runs)} already done" in stderr.replace("\n", " ")
        answered = server.stats.by_text
    assert sorted(r[0] for r in rows(db, "SELECT article_id FROM runs")) == sorted(ids)
    assert rows(db, "SELECT count(*), count(DISTINCT article_id) FROM claims") == [(40, 40)]
    done_before = {a for a, _ in runs}
    for i, article_id in enumerate(ids):  # stored articles were never sent again
        if article_id in done_before:
            assert sum(n for text, n in answered.items() if text.startswith(f"Clashes near town {i}\n")) == 1
