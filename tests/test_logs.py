"""The audit log: one record per HTTP request an extraction made (asks, re-asks with their reasons,
retries, the larger-limit retry), stored with the article's outcome with the article's text referenced,
never copied, and listed by `claimx logs`. Against the fake server on loopback, and a replay of a real
exchange with the local model (test_cassettes' recording, borrowed read-only). Timings are never asserted."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimx
from claimx.batch import run_batch
from claimx.cli import main
from claimx.extraction.pipeline import prepare
from claimx.extraction.plan import plan
from claimx.inputs import ArticleInput, from_text
from claimx.result import CallRecord, article_reference
from claimx.settings import settings_from
from claimx.store import Store
from tests.fakeserver import FakeServer
from tests.helpers import ROOT, build_result, save, text_of

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
# Two sentences, one line, nothing JSON escapes: any copy of it in the file is found byte for byte.
WHOLE = "The army said 3 drones struck a depot near town 7 on Monday. Residents reported loud blasts all night."


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    """The replay below borrows test_cassettes' recording of the example article."""
    return str(ROOT / "cassettes" / "test_cassettes")


@pytest.fixture
def record_mode() -> str:
    """Replay only, whatever --record-mode says: a borrowed recording is never rewritten from here."""
    return "none"


def rows(db: Path, query: str = "SELECT * FROM calls ORDER BY id") -> list[dict]:
    with Store(db) as store:
        return [dict(r) for r in store.execute(query)]


def logs(db: Path, *args: str) -> list[dict]:
    result = CliRunner().invoke(main, ["logs", "--db", str(db), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def article(text: str) -> ArticleInput:
    return from_text(text, publisher="Test Wire", published="2024-05-06")


def test_a_batch_logs_every_request_once_with_why_it_was_sent(tmp_path: Path) -> None:
    db = tmp_path / "log.db"
    articles = [
        article(text_of(1, ("", "FAULT-MISFIT", ""))),  # partial: one call re-asked, then failed
        article(text_of(2, ("", "", "FAULT-LENGTH-ONCE"))),  # complete: one answer cut off, asked again larger
        article(text_of(3, ("FAULT-MISFIT", "FAULT-MISFIT", "FAULT-MISFIT"))),  # failed: every call re-asked
    ]
    with FakeServer(script=["500"]) as server:  # the very first request (the first article's first call) fails
        settings = settings_from(
            base_url=server.base_url,
            model="fake",
            api_key="x",
            strategy="sentences",
            max_reasks=1,
            retry_attempts=3,
            concurrency=1,
        )
        report = run_batch(articles, db, settings=settings, concurrency=1)
        assert (report.extracted, len(report.partial), len(report.failed)) == (1, 1, 1)
        requests = server.stats.requests
    calls = rows(db)
    assert len(calls) == requests == report.usage.llm_calls == 5 + 4 + 6  # every request, once

    by_unit: dict[tuple[str, str], list[dict]] = {}
    for call in calls:
        by_unit.setdefault((call["article_id"], call["unit_key"]), []).append(call)
    for attempts in by_unit.values():
        assert [c["attempt"] for c in attempts] == list(range(1, len(attempts) + 1))
        assert attempts[0]["kind"] == "ask" and attempts[0]["reason"] is None
    for item in articles:  # every unit of each article's plan, by key and label
        assert item.text is not None
        job = prepare(item.text, settings, published=item.published, publisher=item.publisher)
        logged = {(c["unit_key"], c["unit_label"]) for c in calls if c["article_id"] == item.id}
        assert logged == {(u.key, u.label) for u in job.units}

    (retry,) = [c for c in calls if c["kind"] == "retry"]
    first = next(c for c in calls if c["unit_key"] == retry["unit_key"] and c["attempt"] == retry["attempt"] - 1)
    assert "500" in first["error"] and first["response"] is None and first["finish_reason"] is None
    assert retry["reason"] == first["error"] and retry["response"] and retry["error"] is None

    reasks = [c for c in calls if c["kind"] == "reask"]
    assert len(reasks) == 4  # one per misfit call (max_reasks=1)
    for call in reasks:
        assert "Input should be a valid array" in call["reason"]
        feedback = json.loads(call["messages"])[-1]
        assert feedback["role"] == "user" and call["reason"] in feedback["content"]  # what the model was told

    (cut,) = [c for c in calls if c["finish_reason"] == "length"]
    (larger,) = [c for c in calls if c["kind"] == "larger-limit"]
    assert larger["unit_key"] == cut["unit_key"] and larger["attempt"] == cut["attempt"] + 1
    limits = [json.loads(c["parameters"])["max_tokens"] for c in (cut, larger)]
    assert limits[1] == 2 * limits[0]
    assert json.loads(cut["messages"]) == json.loads(larger["messages"])  # the same question, more room

    with Store(db) as store:
        runs = {r.article_id: r.id for r in store.runs()}
        for call in calls:
            failed = call["article_id"] == articles[2].id  # it had no run until the second batch
            assert call["run_id"] == (None if failed else runs[call["article_id"]])
            assert call["batch_id"] == report.batch_id
        for item in articles[:2]:  # the claims each run holds are the claims its logged answers gave
            logged = {i for c in calls if c["article_id"] == item.id for i in json.loads(c["claim_ids"])}
            assert logged == {c.id for c in store.result(item.id).claims}

    # `claimx logs`: newest first, filtered, and the same records as JSON
    shown = logs(db, "-n", "0")
    assert [c["id"] for c in shown] == [c["id"] for c in reversed(calls)]
    assert "messages" not in shown[0] and "response" not in shown[0]
    assert [c["id"] for c in logs(db, "-n", "3")] == [c["id"] for c in shown[:3]]
    assert {c["id"] for c in logs(db, "--reasks", "-n", "0")} == {c["id"] for c in reasks}
    failed = logs(db, "--article", articles[2].id[:6], "-n", "0")
    assert len(failed) == 6 and {c["run_id"] for c in failed} == {None}
    assert {c["article_id"] for c in logs(db, "--run", str(runs[articles[1].id]), "-n", "0")} == {articles[1].id}
    full = logs(db, "--full", "-n", "1")[0]
    assert full["messages"] == json.loads(calls[-1]["messages"]) and full["response"] == calls[-1]["response"]
    lines = CliRunner().invoke(main, ["logs", "--db", str(db), "--format", "jsonl", "--reasks"]).stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [c["id"] for c in shown if c["kind"] == "reask"]
    table = CliRunner(env={"COLUMNS": "200"}).invoke(main, ["logs", "--db", str(db), "--reasks"])
    assert table.exit_code == 0 and "reask" in table.stdout and "[type=list_type" in table.stdout

    with FakeServer() as healed:  # the next batch completes the partial article in place, extracts the failed one
        healed.healed = True
        again = run_batch(articles, db, settings=settings.model_copy(update={"base_url": healed.base_url}))
        assert (again.extracted, again.skipped) == (2, 1)
        added = rows(db, f"SELECT * FROM calls WHERE id > {calls[-1]['id']} ORDER BY id")
        assert len(added) == healed.stats.requests == again.usage.llm_calls == 1 + 3
    everything = rows(db)
    with Store(db) as store:
        completed = {c["run_id"] for c in added if c["article_id"] == articles[0].id}
        assert completed == {r.id for r in store.runs(articles[0].id)} == {runs[articles[0].id]}
        for item in articles:  # each article's claims are the claims its logged answers gave
            logged = {i for c in everything if c["article_id"] == item.id for i in json.loads(c["claim_ids"])}
            assert logged == {c.id for c in store.result(item.id).claims}


def _occurrences(db: Path, text: str) -> int:
    """How often `text` is in the database file, byte for byte, once every page is written in place and
    no free page keeps an old copy."""
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("VACUUM")
    return db.read_bytes().count(text.encode())


def test_the_article_is_referenced_not_copied(tmp_path: Path) -> None:
    db = tmp_path / "whole.db"
    items = [article(WHOLE), article(WHOLE.replace("depot", "depot FAULT-MISFIT"))]  # complete; failed
    with FakeServer() as server:
        settings = settings_from(base_url=server.base_url, model="fake", api_key="x", strategy="whole", max_reasks=1)
        report = run_batch(items, db, settings=settings)
        assert (report.extracted, len(report.failed)) == (1, 1)
        assert len(rows(db)) == server.stats.requests == 1 + 2
    with Store(db) as store:
        texts = {r["id"]: (r["text"], r["sha256"]) for r in store.execute("SELECT id, text, sha256 FROM articles")}
        for call in rows(db):
            text, sha = texts[call["article_id"]]
            assert sha is not None  # a failed extraction stores the text its requests were sent with
            assert text not in call["messages"] and article_reference(sha) in call["messages"]
        for item in items:
            text, _ = texts[item.id]
            held = store.execute(
                "SELECT (SELECT count(*) FROM articles WHERE instr(text, ?) > 0)"
                " + (SELECT count(*) FROM runs WHERE instr(result, ?) > 0)",
                (text, text),
            )[0][0]
            assert held == (2 if item is items[0] else 1)  # the article row, and the run's Result if it has one
            assert _occurrences(db, text) == held  # the log adds no copy

    for call in logs(db, "--full", "-n", "0"):  # shown in full, the reference is the article's text again
        text, sha = texts[call["article_id"]]
        user = call["messages"][1]["content"]
        assert f"<article>\n{text}\n</article>" in user and article_reference(sha) not in user

    with Store(db) as store:  # the article's text changes (a page fetched again): its old run keeps the old text
        save(store, build_result(), items[0].id)
    (old,) = logs(db, "--full", "--article", items[0].id)
    assert f"<article>\n{WHOLE}\n</article>" in old["messages"][1]["content"]


def test_no_log_stores_no_call_records(tmp_path: Path) -> None:
    db = tmp_path / "quiet.db"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(text_of(1, ("", "FAULT-MISFIT", "")))
    (folder / "b.txt").write_text(text_of(2, ("FAULT-MISFIT", "FAULT-MISFIT", "FAULT-MISFIT")))
    with FakeServer() as server:
        args = [str(folder), "--db", str(db), "--base-url", server.base_url, "--model", "fake", "-q"]
        args += ["--strategy", "sentences", "--max-reasks", "1", "--no-log"]
        result = CliRunner(env={"OPENAI_API_KEY": "x"}).invoke(main, ["batch", *args])
        assert result.exit_code == 3, result.output  # one partial, one failed
        assert server.stats.requests > 0
    assert rows(db) == [] and logs(db) == []
    with Store(db) as store:
        assert len(store.runs()) == 1 and len(store.failures()) == 2


def test_a_reference_stands_for_the_article_and_back() -> None:
    text = "Police said {{ x }} happened. Police said it again."
    sha = "ab" * 32
    record = CallRecord(
        attempt=1,
        kind="ask",
        messages=[
            {"role": "system", "content": "rules"},
            {"role": "user", "content": f"<article>\n{text}\n</article>"},
        ],
        at=datetime(2024, 1, 1, tzinfo=UTC),
    )
    referenced = record.referencing(text, sha)
    assert referenced.messages[1]["content"] == f"<article>\n{article_reference(sha)}\n</article>"
    assert referenced.messages[0] == record.messages[0] and record.messages[1]["content"].count(text) == 1
    assert referenced.expanding(text, sha) == record
    assert referenced.expanding(text, "cd" * 32) == referenced  # a reference to another text stays


@pytest.mark.vcr
@pytest.mark.default_cassette("test_example_whole.yaml")  # its answers were re-asked
def test_logs_show_a_replayed_extraction(example, local_endpoint, vcr, tmp_path: Path) -> None:
    result = claimx.extract(
        example["text"],
        published=example["published"],
        publisher=example["publisher"],
        strategy="whole",
        **local_endpoint,
    )
    assert len(result.calls) == len(vcr.requests) == result.usage.llm_calls
    assert '"calls"' not in result.model_dump_json()  # the log goes to the store, not into every saved result
    db = tmp_path / "replayed.db"
    with Store(db) as store:
        run_id = save(store, result, "example")

    shown = logs(db, "--format", "json", "-n", "0", "--full")
    assert len(shown) == len(vcr.requests) and {c["run_id"] for c in shown} == {run_id}
    units = plan("whole", result.article.text, {})
    assert {c["label"] for c in shown} == {u.label for u in units}  # every unit, by its label
    assert len({(c["unit"], c["label"]) for c in shown}) == len(units)

    bodies = [json.loads(r.body) for r in vcr.requests]
    sent = Counter(json.dumps([b["messages"], b["max_tokens"]]) for b in bodies)
    assert Counter(json.dumps([c["messages"], c["parameters"]["max_tokens"]]) for c in shown) == sent
    answers = Counter(json.loads(r["body"]["string"])["choices"][0]["message"]["content"] for r in vcr.responses)
    assert Counter(c["response"] for c in shown) == answers

    reasks = [b for b in bodies if any("Correct your JSON" in str(m.get("content")) for m in b["messages"])]
    logged = logs(db, "--reasks", "-n", "0", "--full")
    assert len(logged) == len(reasks) >= 1 and all(c["kind"] == "reask" for c in logged)
    for call in logged:
        assert call["reason"] and call["reason"] in call["messages"][-1]["content"]
        assert call["attempt"] > 1
    produced = {i for c in shown for i in c["claim_ids"]}
    assert produced == {c.id for c in result.claims}
