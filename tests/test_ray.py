"""The batch on Ray Data (claimx.batch.distributed) and `claimx store import`, on a local Ray of two CPUs
against the fake server on loopback (tests/fakeserver.py): the store a Ray batch gives is the one a
single-process batch gives on the same articles (claims, partial and failed articles, their resumption),
importing twice changes nothing, and a worker killed mid-batch loses nothing. Timings are never asserted."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import ray
from click.testing import CliRunner

from claimx.batch import run_batch
from claimx.batch.distributed import run_distributed
from claimx.cli import main
from claimx.cli.render import EXIT_UNFINISHED
from claimx.errors import AuthenticationError, ConfigurationError
from claimx.inputs import article_id, from_record, from_text
from claimx.settings import settings_from
from claimx.store import Store
from claimx.store.imports import CLAIMS, FAILURES, RUNS, import_batch, read_records
from tests.fakeserver import FakeServer
from tests.helpers import text_of

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
META = {"publisher": "Test Wire", "published": "2024-05-06"}
BAD_LINE = article_id(text="{not json")
PAGES = {
    "/news/1": (
        200,
        "text/html",
        b"<html><head><title>Depot</title></head><body><article><h1>Depot hit</h1><p>The governor said drones "
        b"struck the fuel depot on Monday. Firefighters worked through the night.</p></article></body></html>",
    )
}


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def settings_for(server: FakeServer):
    return settings_from(
        base_url=server.base_url, model="fake", api_key="x", strategy="sentences", retry_attempts=1, max_reasks=1
    )


def texts() -> list[str]:
    """Three healthy articles, one with a call that fails (partial), one whose every call fails (failed)."""
    return [text_of(i) for i in range(3)] + [text_of(10, ("", "FAULT-500", "")), text_of(11, ("FAULT-500",) * 3)]


def write_inputs(folder: Path, server: FakeServer) -> list[dict]:
    """The articles spread over the three formats, with a page to fetch, one that is gone, a line that is not
    JSON and a row without text; returns the records a single-process batch is given (it reads no Parquet)."""
    folder.mkdir()
    records = [{"text": t, **META} for t in texts()]
    pages = [{"id": "page", "url": server.url("/news/1"), **META}, {"id": "gone", "url": server.url("/gone")}]
    lines = [json.dumps(r) for r in records[:2] + pages] + ["{not json", json.dumps({"id": "no-text", **META})]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n")
    body = "".join(f'"{r["text"]}",{r["publisher"]},{r["published"]}\n' for r in records[2:4])
    (folder / "table.csv").write_text("text,publisher,published\n" + body)
    pq.write_table(pa.Table.from_pylist(records[4:]), folder / "more.parquet")
    return records + pages


def stored(db: Path) -> dict[str, object]:
    """What a store holds per article, to compare two stores: each run's status and claims (as its Result
    lists them and as its claim rows hold them), and each failure's stage and attempts."""
    with Store(db) as store:
        runs = {row[0]: row[1] for row in store.execute("SELECT article_id, status FROM runs")}
        claims = {a: [c.model_dump(mode="json") for c in store.result(a).claims] for a in runs}
        rows: dict[str, list[dict]] = {}
        for item in store.claims():
            rows.setdefault(item.article_id, []).append(item.claim.model_dump(mode="json"))
        failures = {f.article_id: (f.stage, f.attempts) for f in store.failures()}
    return {
        "runs": runs,
        "claims": claims,
        "rows": {a: sorted(r, key=str) for a, r in rows.items()},
        "failures": failures,
    }


def sent_since(before: dict[str, int], server: FakeServer) -> dict[str, int]:
    """The requests per text a server has seen since it had seen `before`."""
    return {t: n - before.get(t, 0) for t, n in server.stats.asked.items() if n > before.get(t, 0)}


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, to show an import changed nothing."""
    with sqlite3.connect(db) as connection:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(map(tuple, connection.execute(f'SELECT * FROM "{t}"')), key=repr) for t in tables}


def test_a_ray_batch_stores_what_a_local_batch_stores_and_resumes_the_same_way(tmp_path: Path) -> None:
    local_db, ray_db = tmp_path / "local.db", tmp_path / "ray.db"
    with FakeServer(pages=PAGES) as local, FakeServer(pages=PAGES) as remote:
        records = write_inputs(tmp_path / "in", remote)
        articles = [  # the same records for the local batch, the pages at its own server's address
            from_record({**r, "url": r["url"].replace(remote.url("/"), local.url("/"))} if "url" in r else r, "feed")
            for r in records
        ]
        first = run_batch(articles, local_db, settings=settings_for(local))
        assert (first.extracted, len(first.partial), len(first.failed)) == (4, 1, 2)  # a page, a page gone
        out = str(tmp_path / "out1")
        outcome = run_distributed([tmp_path / "in"], out, settings=settings_for(remote), actors=2, concurrency=2)
        counts = {k: outcome.counts[k] for k in ("articles", "extracted", "partial", "failed", "claims", "llm_calls")}
        assert counts == {
            "articles": 9,
            "extracted": 4,
            "partial": 1,
            "failed": 2 + 2,  # and the two bad records the local batch was not given
            "claims": first.claims,
            "llm_calls": first.usage.llm_calls,
        }
        assert remote.stats.asked == local.stats.asked  # the same calls, each as often
        claims = list(read_records(out, CLAIMS))
        assert len(claims) == first.claims and all(c["cache_key"] and c["quote"] for c in claims)

        with Store(ray_db) as store:
            imported = import_batch(store, out)
        assert imported.runs["imported"] == 5 and imported.failures["imported"] == 4
        before = dump(ray_db)
        with Store(ray_db) as store:
            again = import_batch(store, out)
        assert again.runs["imported"] == again.failures["imported"] == 0 and not again.changed
        assert dump(ray_db) == before  # importing twice changes nothing

        expected, got = stored(local_db), stored(ray_db)
        assert got["failures"] == {**expected["failures"], BAD_LINE: ("input", 1), "no-text": ("input", 1)}
        assert [got[k] for k in ("runs", "claims", "rows")] == [expected[k] for k in ("runs", "claims", "rows")]

        # Healed, the next batch (here: the command line, with the store) sends only the calls that failed,
        # and fetches no page it has done.
        local.healed = remote.healed = True
        asked_local, asked_remote = dict(local.stats.asked), dict(remote.stats.asked)
        second = run_batch(articles, local_db, settings=settings_for(local))
        assert (second.skipped, second.extracted, len(second.failed)) == (4, 2, 1)
        env = {
            "CLAIMX_BASE_URL": remote.base_url,
            "CLAIMX_MODEL": "fake",
            "OPENAI_API_KEY": "x",
            "CLAIMX_STRATEGY": "sentences",
            "CLAIMX_RETRY_ATTEMPTS": "1",
            "CLAIMX_MAX_REASKS": "1",
        }
        command = [
            "batch",
            str(tmp_path / "in"),
            "--engine",
            "ray",
            "--output",
            str(tmp_path / "out2"),
            "--db",
            str(ray_db),
        ]
        run = CliRunner().invoke(main, command, env=env)
        assert run.exit_code == EXIT_UNFINISHED, run.output  # the page gone and the two bad records
        assert "2 extracted, 4 already done, 0 partial, 3 failed" in run.output
        sent_local, sent_remote = sent_since(asked_local, local), sent_since(asked_remote, remote)
        assert sent_remote == sent_local and len(sent_local) == 4  # the partial's one call, the failed one's three
        assert remote.stats.gets["/news/1"] == local.stats.gets["/news/1"] == 1

    expected, got = stored(local_db), stored(ray_db)
    assert expected["failures"] == {"gone": ("fetch", 2)}
    assert got["failures"] == {"gone": ("fetch", 2), BAD_LINE: ("input", 2), "no-text": ("input", 2)}
    assert set(expected["runs"].values()) == {"complete"}  # type: ignore[attr-defined]
    assert [got[k] for k in ("runs", "claims", "rows")] == [expected[k] for k in ("runs", "claims", "rows")]

    before = dump(ray_db)
    again = CliRunner().invoke(main, ["store", "import", str(tmp_path / "out2"), "--db", str(ray_db)])
    assert again.exit_code == EXIT_UNFINISHED, again.output
    assert dump(ray_db) == before


def _descendants_named(word: str) -> list[int]:
    """Processes under this one (Ray's workers are its raylet's children) whose command line has `word`."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                names[int(entry.name)] = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])

    def under_me(pid: int) -> bool:
        while pid > 1:
            pid = parents.get(pid, 0)
            if pid == os.getpid():
                return True
        return False

    return [pid for pid, name in names.items() if word in name and under_me(pid)]


def test_killing_the_workers_mid_batch_loses_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    records = [{"text": text_of(i), **META} for i in range(6)]
    (folder / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    out = str(tmp_path / "out")
    with FakeServer(latency=1.0) as server:
        settings = settings_for(server)
        finished: list[object] = []
        worker = threading.Thread(
            target=lambda: finished.append(run_distributed([folder], out, settings=settings, actors=2, concurrency=2))
        )
        worker.start()
        deadline = time.monotonic() + 300
        while server.stats.requests == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        killed = _descendants_named("ArticleWorker")
        assert killed, "no Ray worker found to kill"
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        worker.join(timeout=600)
        assert finished, "the batch did not finish"
        assert any(n > 1 for n in server.stats.asked.values())  # work the killed workers held was asked again
    ids = sorted(r["article_id"] for r in read_records(out, RUNS))
    assert ids == sorted(from_text(r["text"]).id for r in records)  # every article, exactly once
    assert list(read_records(out, FAILURES)) == []
    assert len(list(read_records(out, CLAIMS))) == 6 * 3
    with Store(tmp_path / "c.db") as store:
        import_batch(store, out)
        assert store.execute("SELECT DISTINCT status FROM runs")[0][0] == "complete" and len(store.claims()) == 18


def test_a_bad_key_stops_the_batch_with_its_own_error(tmp_path: Path) -> None:
    (tmp_path / "feed.jsonl").write_text("".join(json.dumps({"text": text_of(i)}) + "\n" for i in range(2)))
    with FakeServer(script=["401"] * 20) as server, pytest.raises(AuthenticationError):
        run_distributed([tmp_path / "feed.jsonl"], tmp_path / "out", settings=settings_for(server), actors=1)
    assert not (tmp_path / "out" / "claimx-batch.json").exists()  # no manifest: nothing to import


def test_an_output_that_holds_a_finished_batch_is_not_written_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "claimx-batch.json").write_text(json.dumps({"version": 1, "batch": "b"}))
    (tmp_path / "feed.jsonl").write_text(json.dumps({"text": text_of(1)}) + "\n")
    with pytest.raises(ConfigurationError, match="already holds a finished batch"):
        run_distributed([tmp_path / "feed.jsonl"], out, model="fake", base_url="http://127.0.0.1:9/v1", api_key="x")


def test_an_output_without_its_manifest_is_not_imported(tmp_path: Path) -> None:
    (tmp_path / "out" / "runs").mkdir(parents=True)
    run = CliRunner().invoke(main, ["store", "import", str(tmp_path / "out"), "--db", str(tmp_path / "c.db")])
    assert run.exit_code == 1 and "not the output of a finished distributed batch" in run.output
