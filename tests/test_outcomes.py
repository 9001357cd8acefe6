"""Nothing silently lost: every article ends complete, partial or failed; unusable answers are failed
calls; a partial article keeps its claims and the next batch sends only its missing calls; two batches
on one store never extract the same article. Against the fake server on loopback (tests/fakeserver.py),
whose marker faults stop when it is healed. Timings are never asserted."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimx
from claimx.batch import run_batch
from claimx.cli import main
from claimx.cli.batch import batch_command
from claimx.cli.render import EXIT_UNFINISHED
from claimx.inputs import ArticleInput, from_text
from claimx.settings import settings_from
from claimx.store import Store
from tests.fakeserver import FakeServer
from tests.helpers import text_of

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
FAULTS = ["FAULT-NONJSON", "FAULT-MISFIT", "FAULT-LENGTH", "FAULT-500", "FAULT-DROP"]


def corpus() -> list[ArticleInput]:
    """32 articles: 12 healthy, 15 with one failing call (every fault kind), 5 whose every call fails."""
    texts = [text_of(i) for i in range(12)]
    for n in range(15):
        faults = ["", "", ""]
        faults[n % 3] = FAULTS[n % len(FAULTS)]
        texts.append(text_of(100 + n, tuple(faults)))  # type: ignore[arg-type]
    texts += [text_of(200 + n, (FAULTS[n % 5], FAULTS[(n + 1) % 5], FAULTS[(n + 2) % 5])) for n in range(5)]
    return [from_text(t, publisher="Test Wire", published="2024-05-06") for t in texts]


def settings_for(server: FakeServer):
    return settings_from(
        base_url=server.base_url, model="fake", api_key="x", strategy="sentences", retry_attempts=1, max_reasks=1
    )


def stored(db: Path) -> dict[str, tuple[list[dict], list[dict]]]:
    """Each article's claims as its Result lists them (reading order) and as its claim rows hold them
    (by id: a resumed run lists the claims it added after the ones it kept), to compare two stores."""
    with Store(db) as store:
        rows: dict[str, list[dict]] = {}
        for item in store.claims():
            rows.setdefault(item.article_id, []).append(item.claim.model_dump(mode="json"))
        return {
            article: ([c.model_dump(mode="json") for c in store.result(article).claims], sorted(found, key=str))
            for article, found in rows.items()
        }


def test_faults_of_every_kind_end_partial_or_failed_then_resume_to_a_clean_runs_store(tmp_path: Path) -> None:
    articles = corpus()
    db = tmp_path / "faulty.db"
    with FakeServer() as server:
        first = run_batch(articles, db, settings=settings_for(server), concurrency=4)
        assert first.status == "finished"
        assert (first.extracted, len(first.partial), len(first.failed)) == (12, 15, 5)
        assert set(server.stats.faults) == {"nonjson", "misfit", "length", "500", "drop"}
        assert first.usage.llm_calls == server.stats.requests  # every HTTP request is counted
        with Store(db) as store:
            (runs_partial,) = store.execute("SELECT count(*) FROM runs WHERE status = 'partial'")[0]
            assert runs_partial == 15
            failures = {f.article_id: f.error for f in store.failures()}
            assert len(failures) == 20 and all(failures.values())
            assert all(
                e.startswith("partial: 1 call(s)")
                for a, e in failures.items()
                if a in {o.article_id for o in first.partial}
            )
            assert store.execute("SELECT count(*) FROM leases")[0][0] == 0
            kept = len(store.claims())
        assert kept == 12 * 3 + 15 * 2  # a partial article keeps the claims of its good calls

        answered_before = dict(server.stats.by_text)
        asked_before = dict(server.stats.asked)
        server.healed = True
        second = run_batch(articles, db, settings=settings_for(server), concurrency=4)
        assert (second.skipped, second.extracted, len(second.unfinished)) == (12, 20, 0)
        for text, times in server.stats.asked.items():  # no call that had succeeded was sent again
            if answered_before.get(text):
                assert times == asked_before[text], text
        assert all(times == 1 for times in server.stats.by_text.values())  # every call answered exactly once
        assert second.usage.llm_calls == server.stats.requests - first.usage.llm_calls

    with Store(db) as store:
        assert store.failures() == []
        assert store.execute("SELECT DISTINCT status FROM runs")[0][0] == "complete"
        assert store.execute("SELECT count(*) FROM runs")[0][0] == 32  # completed in place, none added
        resumed = store.result(articles[12].id)
        assert resumed.status == "complete" and resumed.failed_units == []
        assert not [w for w in resumed.warnings if w.code in ("call_failed", "unparseable_output")]

    clean = tmp_path / "clean.db"
    with FakeServer() as healthy:
        healthy.healed = True
        run_batch(articles, clean, settings=settings_for(healthy), concurrency=4)
    assert stored(db) == stored(clean)  # claim for claim, fields and evidence included


def test_an_unusable_answer_is_never_stored_as_done_and_the_cli_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "arts"
    folder.mkdir()
    (folder / "a.txt").write_text(text_of(1, ("FAULT-NONJSON", "FAULT-NONJSON", "FAULT-NONJSON")))
    (folder / "b.txt").write_text(text_of(2, ("", "FAULT-MISFIT", "")))
    db = tmp_path / "b.db"
    with FakeServer() as server:
        env = {
            "CLAIMX_BASE_URL": server.base_url,
            "CLAIMX_MODEL": "fake",
            "OPENAI_API_KEY": "x",
            "CLAIMX_STRATEGY": "sentences",
            "CLAIMX_RETRY_ATTEMPTS": "1",
            "CLAIMX_MAX_REASKS": "0",
        }
        run = CliRunner().invoke(batch_command, [str(folder), "--db", str(db), "-q"], env=env)
        assert run.exit_code == EXIT_UNFINISHED, run.output
        assert "1 partial, 1 failed" in run.output and "run the same command again" in run.output
        server.healed = True
        again = CliRunner().invoke(batch_command, [str(folder), "--db", str(db), "-q"], env=env)
        assert again.exit_code == 0, again.output
        assert "0 already done" in again.output and "2 extracted" in again.output
    with Store(db) as store:
        assert len(store.claims()) == 6 and store.failures() == []


def test_a_cut_off_answer_is_asked_again_with_a_larger_limit(tmp_path: Path) -> None:
    with FakeServer() as server:
        result = claimx.extract(text_of(1, ("FAULT-LENGTH-ONCE", "", "")), settings=settings_for(server))
        assert result.status == "complete" and len(result.claims) == 3
        assert sorted(server.stats.max_tokens) == [2048, 2048, 2048, 4096]


def test_resume_sends_only_the_failed_calls_and_keeps_the_rest() -> None:
    text = text_of(7, ("", "", "FAULT-500"))
    with FakeServer() as server:
        first = claimx.extract(text, settings=settings_for(server))
        assert first.status == "partial" and len(first.failed_units) == 1 and len(first.claims) == 2
        assert [w.code for w in first.warnings] == ["call_failed"]
        server.healed = True
        before = server.stats.requests
        job = claimx.prepare(text, settings_for(server))
        resumed = claimx.extract(job, settings=settings_for(server), resume=first)
        assert server.stats.requests - before == 1
        assert resumed.status == "complete" and resumed.warnings == [] and len(resumed.claims) == 3
        assert resumed.claims[:2] == first.claims  # reading order, earlier claims unchanged
        assert resumed.usage.llm_calls == first.usage.llm_calls + 1


def test_every_call_failing_is_an_extraction_error_holding_the_failed_result() -> None:
    with (
        FakeServer() as server,
        pytest.raises(claimx.ExtractionError, match="no call gave a usable answer") as raised,
    ):
        claimx.extract(text_of(3, ("FAULT-DROP", "FAULT-500", "FAULT-MISFIT")), settings=settings_for(server))
    partial = raised.value.partial
    assert partial is not None and partial.status == "failed" and len(partial.failed_units) == 3


def test_two_batches_at_once_extract_each_article_once(tmp_path: Path) -> None:
    folder = tmp_path / "arts"
    folder.mkdir()
    for i in range(24):
        (folder / f"a{i:02}.txt").write_text(text_of(i))
    db = tmp_path / "shared.db"
    with FakeServer(latency=0.05, slots=4) as server:
        env = {
            **os.environ,
            "CLAIMX_BASE_URL": server.base_url,
            "CLAIMX_MODEL": "fake",
            "OPENAI_API_KEY": "x",
            "CLAIMX_STRATEGY": "sentences",
        }
        command = [sys.executable, "-m", "claimx", "batch", str(folder), "--db", str(db), "-q", "-j", "3"]
        Store(db).close()  # created once, so the two processes only race for articles
        both = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=300) for p in both]
        assert [p.returncode for p in both] == [0, 0], outputs
        assert server.stats.requests == 24 * 3  # one request per call: nothing extracted twice
        assert all(times == 1 for times in server.stats.by_text.values())
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*), count(DISTINCT article_id) FROM runs").fetchone() == (24, 24)
        assert connection.execute("SELECT count(*) FROM leases").fetchone() == (0,)
        counts = [json.loads(c) for (c,) in connection.execute("SELECT counts FROM batches ORDER BY id")]
    assert sum(c["extracted"] for c in counts) == 24


def test_extract_says_a_result_is_partial_and_exits_3(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(text_of(5, ("", "FAULT-MISFIT", "")))
    with FakeServer() as server:
        env = {
            "CLAIMX_BASE_URL": server.base_url,
            "CLAIMX_MODEL": "fake",
            "OPENAI_API_KEY": "x",
            "CLAIMX_STRATEGY": "sentences",
            "CLAIMX_MAX_REASKS": "0",
        }
        run = CliRunner().invoke(main, ["extract", str(article), "-o", str(tmp_path / "r.json")], env=env)
    assert run.exit_code == EXIT_UNFINISHED, run.output
    assert "partial: 1 call(s) gave no usable answer" in run.output and "unparseable_output" in run.output
    saved = claimx.Result.model_validate_json((tmp_path / "r.json").read_text())
    assert saved.status == "partial" and len(saved.claims) == 2 and len(saved.failed_units) == 1
