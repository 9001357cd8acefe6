"""Inputs, the batch runner and `claimx batch`, against a fake OpenAI-compatible server on loopback
(tests/fakeserver.py: a stand-in that quotes the article's first "said" sentence, not a model).

Timings are never asserted: latency only makes the work slow enough to interrupt."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimx import inputs
from claimx.batch import (
    Batch,
    Limits,
    Price,
    RateLimiter,
    estimate_tokens,
    load_prices,
    parse_price,
    price_for,
    run_batch,
)
from claimx.cli.batch import batch_command
from claimx.errors import ConfigurationError
from claimx.extraction.plan import plan
from claimx.fetch import FetchError, afetch
from claimx.inputs import ArticleInput, from_text, iter_inputs
from claimx.settings import settings_from
from claimx.store import Store
from tests.fakeserver import FAIL_MARKER, FakeServer

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
ROOT = Path(__file__).resolve().parent.parent
QUICK = {"retry_attempts": 2, "retry_max_seconds": 5}


def text_of(i: int) -> str:
    return (
        f"Clashes near town {i}\nThe army said {i} drones struck a depot near town {i} on Monday. "
        f"Residents reported loud blasts.\nNo further details were given.\n"
    )


def articles(n: int, start: int = 0) -> list[ArticleInput]:
    return [from_text(text_of(i), publisher="Test Wire", published="2024-05-06") for i in range(start, start + n)]


def write_articles(folder: Path, n: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"article-{i:03}.txt").write_text(text_of(i))
    return [inputs.article_id(text=text_of(i)) for i in range(n)]


def settings_for(server: FakeServer, **extra):
    return settings_from(**{"base_url": server.base_url, "model": "m", "api_key": "x", **QUICK, **extra})


@pytest.fixture
def server():
    with FakeServer() as running:
        yield running


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return [tuple(r) for r in connection.execute(sql)]


# --- inputs ------------------------------------------------------------------------------------


def test_folders_are_read_recursively_with_stable_ids(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "one.txt").write_text("Police said one.")
    (tmp_path / "a" / "two.md").write_text("Police said two.")
    (tmp_path / "a" / "b" / "three.html").write_text("<html><body><p>Police said three.</p></body></html>")
    (tmp_path / "a" / "b" / "four.htm").write_text("<html><body><p>Police said four.</p></body></html>")
    (tmp_path / "a" / "skip.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden" / "secret.txt").write_text("Police said hidden.")
    (tmp_path / "rows.jsonl").write_text(json.dumps({"id": "r1", "text": "Police said five."}) + "\n")
    (tmp_path / "rows.csv").write_text("id,url\nc1,https://example.org/a\n")
    (tmp_path / "rows.json").write_text(json.dumps([{"text": "Police said six.", "publisher": "X"}]))
    found = list(iter_inputs([str(tmp_path)]))
    assert len(found) == 7 and not any(a.problem for a in found)
    assert {a.id for a in found} >= {"r1", "c1", inputs.article_id(text="Police said one.")}
    assert not any("hidden" in a.origin or a.origin.endswith(".pdf") for a in found)
    assert [a.id for a in iter_inputs([str(tmp_path)])] == [a.id for a in found]  # stable order and ids
    url_only = next(a for a in found if a.id == "c1")
    assert url_only.url == "https://example.org/a" and url_only.text is None


def test_rows_without_text_or_url_and_bad_lines_are_records_with_a_problem(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "\n".join(
            [
                json.dumps(
                    {"id": "ok", "text": "Police said so.", "published": "2024-01-02T10:00:00Z", "publisher": "P"}
                ),
                json.dumps({"id": "empty"}),
                "{not json",
                json.dumps({"id": "baddate", "text": "Police said so.", "published": "yesterday"}),
                json.dumps({"id": "ftp", "url": "ftp://example.org/x"}),
                "",
            ]
        )
    )
    found = {a.id: a for a in iter_inputs([feed])}
    assert found["ok"].published == date(2024, 1, 2) and found["ok"].publisher == "P" and found["ok"].problem is None
    assert "neither text nor url" in found["empty"].problem
    assert "not a date" in found["baddate"].problem
    assert "only http and https" in found["ftp"].problem
    (bad,) = [a for a in found.values() if a.origin.endswith(":3")]
    assert "not valid JSON" in bad.problem
    missing = list(iter_inputs([str(tmp_path / "nope.txt"), "file:///etc/passwd"]))
    assert "is not a file" in missing[0].problem and "only http and https" in missing[1].problem
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01binary")
    assert "binary" in next(iter_inputs([binary])).problem


def test_csv_tables_and_stdin(tmp_path: Path) -> None:
    long_text = "Police said the base was hit. " + "Filler sentence. " * 20_000  # > csv's default field limit
    table = tmp_path / "articles.csv"
    with table.open("w", newline="") as stream:
        stream.write("ID,Text,Published,Publisher,URL,extra\n")
        stream.write(f'a1,"{long_text}",2024-02-03,Reuters,,ignored\n')
        stream.write("a2,,,,https://example.org/2,\n")
    found = list(iter_inputs([table]))
    assert [a.id for a in found] == ["a1", "a2"] and found[0].text == long_text
    assert found[0].published == date(2024, 2, 3) and found[1].url == "https://example.org/2"
    no_text = tmp_path / "bad.csv"
    no_text.write_text("id,title\n1,x\n")
    assert "neither a text nor a url column" in next(iter_inputs([no_text])).problem
    stdin = list(iter_inputs(["-"], stdin=io.BytesIO(b"Police said one thing.")))
    assert stdin[0].text == "Police said one thing." and stdin[0].origin == "stdin"
    rows_in = io.BytesIO(b'{"text": "A said b."}\n{"text": "C said d."}\n')
    assert len(list(iter_inputs(["-"], stdin=rows_in, stdin_format="jsonl"))) == 2
    assert inputs.article_id(text="x") == inputs.article_id(text="x") != inputs.article_id(text="y")


def test_unencodable_text_is_a_record_with_a_problem_not_a_crash(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "\n".join(
            [
                '{"id": "s1", "text": "The mayor said \\ud800 here."}',
                '{"text": "The mayor said \\udcff here.", "url": "https://example.org/1"}',
                '{"id": "\\ud800", "text": "The mayor said so."}',
                '{"id": "p1", "text": "The mayor said so.", "publisher": "Wire \\udfff"}',
                '{"id": "ok1", "text": "The mayor said fine."}',
            ]
        )
    )
    found = list(iter_inputs([feed]))
    assert [a.problem is None for a in found] == [False, False, False, False, True]
    for bad in found[:4]:
        assert "cannot be encoded as UTF-8" in bad.problem and bad.publisher is None
        for value in (bad.id, bad.text, bad.url, bad.origin):  # what a failure record stores can be stored
            assert value is None or value.encode()
    assert found[0].id == "s1" and "The text field" in found[0].problem and found[0].text is None
    assert found[1].url == "https://example.org/1" and found[1].text is None
    assert "The id field" in found[2].problem and "The publisher field" in found[3].problem
    assert inputs.article_id(text="x \ud800") == inputs.article_id(text="x \ud800") != inputs.article_id(text="x")
    assert "surrogate" in from_text("The mayor said \ud800.").problem
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text("The mayor said fine.")  # a file name that is not UTF-8
    (named,) = iter_inputs([folder])
    assert named.problem is None and named.origin.endswith("caf\\udce9.txt") and named.origin.encode()


def test_a_batch_records_unencodable_text_as_a_failed_article_and_goes_on(tmp_path: Path, server: FakeServer) -> None:
    feed, db = tmp_path / "s.jsonl", tmp_path / "s.db"
    feed.write_text(
        '{"id": "s1", "text": "The mayor said \\ud800 here."}\n'
        '{"text": "The mayor said \\udcff there."}\n'
        '{"id": "ok1", "text": "The mayor said fine."}\n'
    )
    result = invoke(feed, "--db", db, "--base-url", server.base_url, "--model", "fake", "-q")
    assert result.exit_code == 3, result.output  # EXIT_UNFINISHED
    assert "Traceback" not in result.output and "2 failed" in result.output and "1 extracted" in result.output
    with Store(db) as store:
        (item,) = store.claims()
        assert item.article_id == "ok1" and item.claim.evidence[0].quote == "The mayor said fine."
        failures = store.failures()
    assert len(failures) == 2 and {f.stage for f in failures} == {"input"}
    assert "s1" in {f.article_id for f in failures} and all("surrogate" in (f.error or "") for f in failures)


PAGE = (
    b"<html><head><title>Strike</title><meta property='og:site_name' content='Example News'>"
    b"<meta property='article:published_time' content='2024-03-04'></head><body><article>"
    b"<h1>Drone strike reported</h1><p>The governor said drones struck the power station overnight, "
    b"cutting electricity to thousands of homes in the region.</p><p>Repair crews were sent in the "
    b"morning and work was expected to last several days according to the utility.</p></article>"
    b"</body></html>"
)


async def test_urls_are_fetched_cleaned_and_fail_with_a_clear_reason() -> None:
    pages = {
        "/news/1": (200, "text/html; charset=utf-8", PAGE),
        "/img": (200, "image/png", b"\x89PNG"),
        "/big": (200, "text/html", b"<p>" + b"x" * 5000 + b"</p>"),
    }
    with FakeServer(pages=pages) as server:
        page = await afetch(server.url("/news/1"))
        assert "The governor said drones struck the power station" in page.text and "<p>" not in page.text
        assert page.publisher == "Example News" and page.published == date(2024, 3, 4)
        with pytest.raises(FetchError, match=r"/missing: HTTP 404"):
            await afetch(server.url("/missing"))
        with pytest.raises(FetchError, match="not a web page"):
            await afetch(server.url("/img"))
        with pytest.raises(FetchError, match="limit of 1,000 bytes"):
            await afetch(server.url("/big"), max_bytes=1000)
        with pytest.raises(FetchError, match="only http and https"):
            await afetch("file:///etc/passwd")
    with pytest.raises(FetchError, match="ConnectError"):
        await afetch(server.url("/news/1"))  # the server is gone: connection refused


def test_a_batch_fetches_urls_records_failed_ones_and_does_not_refetch_when_resumed(tmp_path: Path) -> None:
    with FakeServer(pages={"/news/1": (200, "text/html", PAGE)}) as server:
        sources = [server.url("/news/1"), server.url("/gone"), "ftp://example.org/x"]
        found = list(iter_inputs(sources))
        report = run_batch(found, tmp_path / "c.db", settings=settings_for(server))
        assert report.extracted == 1 and len(report.failed) == 2
        reasons = {o.stage: o.error for o in report.failed}
        assert "HTTP 404" in reasons["fetch"] and "only http and https" in reasons["input"]
        again = run_batch(found, tmp_path / "c.db", settings=settings_for(server))
        assert again.skipped == 1 and server.stats.gets["/news/1"] == 1
    with Store(tmp_path / "c.db") as store:
        (item,) = store.claims()
        assert item.url == sources[0] and item.publisher == "Example News" and item.published == date(2024, 3, 4)
        assert {f.stage for f in store.failures()} == {"fetch", "input"}


# --- batches -----------------------------------------------------------------------------------


def test_batch_stores_every_article_and_a_rerun_adds_nothing(tmp_path: Path, server: FakeServer) -> None:
    db = tmp_path / "c.db"
    todo = articles(6)
    report = run_batch(todo, db, settings=settings_for(server), concurrency=3)
    assert report.status == "finished" and report.extracted == 6 and report.claims == 6
    assert report.usage.llm_calls == 6 and report.usage.prompt_tokens > 0
    with Store(db) as store:
        before = store.summary()
        item = store.claims(article_id=todo[0].id)[0]
        assert item.claim.evidence[0].quote == "The army said 0 drones struck a depot near town 0 on Monday."
        assert item.claim.grounded and item.publisher == "Test Wire"
    assert before["runs"] == before["claims"] == before["evidence"] == before["llm_calls"] == 6
    requests = server.stats.requests
    again = run_batch(todo, db, settings=settings_for(server))
    assert again.skipped == 6 and server.stats.requests == requests
    with Store(db) as store:
        assert {k: v for k, v in store.summary().items() if k != "batches"} == {
            k: v for k, v in before.items() if k != "batches"
        }
        assert [r[0] for r in store.execute("SELECT status FROM batches ORDER BY id")] == ["finished", "finished"]


def test_identical_work_is_served_from_the_store_without_a_call(tmp_path: Path, server: FakeServer) -> None:
    db = tmp_path / "c.db"
    first = from_text(text_of(1), id="first", publisher="P", published="2024-01-01")
    twin = from_text(text_of(1), id="twin", publisher="P", published="2024-01-01")
    other_date = from_text(text_of(1), id="later", publisher="P", published="2024-01-02")
    run_batch([first], db, settings=settings_for(server))
    calls = server.stats.answered
    report = run_batch([twin, other_date], db, settings=settings_for(server))
    assert {o.article_id: o.status for o in report.outcomes} == {"twin": "cached", "later": "extracted"}
    assert server.stats.answered == calls + 1  # only the article whose prompt differs (its date) was sent
    with Store(db) as store:
        assert store.result("twin").claims == store.result("first").claims
        (cached,) = store.execute(
            "SELECT cached_from, calls FROM runs JOIN llm_calls ON llm_calls.run_id = runs.id "
            "WHERE runs.article_id = 'twin'"
        )
        assert cached[0] is not None and cached[1] == 0
    different_model = run_batch([first], db, settings=settings_for(server, model="other"))
    assert different_model.extracted == 1


def test_faults_and_latency_end_every_article_done_or_failed_with_a_reason(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    todo = articles(30) + [
        from_text(f"{FAIL_MARKER} {i}\nOfficials said nothing works.", id=f"doomed{i}") for i in range(2)
    ]
    faults = {"429": 0.15, "500": 0.1, "drop": 0.05}
    with FakeServer(latency=(0.0, 0.05), faults=faults, slots=64) as server:
        report = run_batch(
            todo, db, settings=settings_for(server, retry_attempts=3, retry_max_seconds=8), concurrency=6
        )
        stats = server.stats
    assert report.status == "finished" and len(report.outcomes) == len(todo)
    assert stats.faults["429"] and stats.faults["500"] and stats.faults["drop"]
    assert stats.max_in_flight <= 6  # the concurrency cap held
    with Store(db) as store:
        done = {r[0] for r in store.execute("SELECT article_id FROM runs")}
        failed = {f.article_id: f for f in store.failures()}
        assert done | set(failed) == {a.id for a in todo} and not done & set(failed)
        assert {"doomed0", "doomed1"} <= set(failed)
        assert all(f.error and f.stage == "extract" for f in failed.values())
        assert "retry" in failed["doomed0"].error
        assert len(store.execute("SELECT * FROM runs")) == len(done)  # one run per finished article
    # a re-run retries only what failed, and counts the attempts
    with FakeServer() as healthy:
        retry = run_batch(todo, db, settings=settings_for(healthy))
    assert retry.skipped == len(done) and {o.article_id for o in retry.failed} == {"doomed0", "doomed1"}
    with Store(db) as store:
        assert {f.article_id: f.attempts for f in store.failures()} == {"doomed0": 2, "doomed1": 2}


def test_sentences_strategy_makes_one_call_per_cue_sentence(tmp_path: Path, server: FakeServer) -> None:
    text = "Title\nThe army said drones hit a depot. The weather was cold. Police said two men were held.\n"
    report = run_batch([from_text(text)], tmp_path / "c.db", settings=settings_for(server, strategy="sentences"))
    units = plan("sentences", text, {})
    assert report.extracted == 1 and report.usage.llm_calls == len(units) == 2 and report.claims == 2


def test_a_fatal_error_stops_the_batch(tmp_path: Path) -> None:
    with FakeServer(script=["401"] * 50) as server:
        report = run_batch(articles(8), tmp_path / "c.db", settings=settings_for(server), concurrency=2)
    assert report.status == "aborted" and "OPENAI_API_KEY" in (report.error or "")
    assert len(report.outcomes) < 8  # it stopped instead of failing every article alike


def test_cost_uses_the_price_table(tmp_path: Path, server: FakeServer) -> None:
    report = run_batch(
        articles(2), tmp_path / "c.db", settings=settings_for(server), prices={"m": Price(1000.0, 2000.0)}
    )
    usage = report.usage
    expected = (usage.prompt_tokens * 1000 + usage.completion_tokens * 2000) / 1e6
    assert report.cost == pytest.approx(expected) and expected > 0
    stored = rows(tmp_path / "c.db", "SELECT sum(cost) FROM llm_calls")[0][0]
    assert stored == pytest.approx(expected)


def test_prices_parse_and_match_by_prefix(tmp_path: Path) -> None:
    assert parse_price("gpt-4o-mini=0.15,0.60") == ("gpt-4o-mini", Price(0.15, 0.6))
    for bad in ("gpt", "gpt=1", "gpt=a,b", "=1,2"):
        with pytest.raises(ConfigurationError, match="MODEL=INPUT,OUTPUT"):
            parse_price(bad)
    table = tmp_path / "prices.json"
    table.write_text(
        json.dumps({"gpt-4o": {"input": 2.5, "output": 10}, "gpt-4o-mini": {"input": 0.15, "output": 0.6}})
    )
    prices = load_prices(table)
    remote = settings_from(base_url="http://127.0.0.1:9/v1", model="x")
    assert price_for("gpt-4o-mini-2024-07-18", remote, prices) == Price(0.15, 0.6)
    assert price_for("unknown", remote, prices) == Price()
    assert price_for("gpt-4o", settings_from(), prices) == Price()  # the local model is free
    table.write_text("[1, 2]")
    with pytest.raises(ConfigurationError, match="price table"):
        load_prices(table)


# --- rate limits (virtual time: nothing here waits for real) -----------------------------------


class VirtualTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


async def test_rate_limiter_keeps_a_sliding_window() -> None:
    time_ = VirtualTime()
    limiter = RateLimiter(2, clock=time_.clock, sleep=time_.sleep)
    stamps = []
    for _ in range(5):
        await limiter.acquire(1)
        stamps.append(time_.now)
    assert stamps == [0, 0, 60, 60, 120]
    big = RateLimiter(100, clock=time_.clock, sleep=time_.sleep)
    start = time_.now
    await big.acquire(250)  # larger than the limit: goes alone, at once, on an empty window
    await big.acquire(1)
    assert time_.now - start == pytest.approx(60)


async def test_rate_limiter_settles_estimates() -> None:
    time_ = VirtualTime()
    tokens = RateLimiter(1000, clock=time_.clock, sleep=time_.sleep)
    grant = await tokens.acquire(900)
    tokens.settle(grant, 300)  # the call used fewer tokens than estimated
    await tokens.acquire(600)
    assert time_.now == 0 and tokens.used == 900
    tokens.settle(grant, 800)
    assert tokens.used == 1400
    time_.now = 61
    tokens.settle(grant, 5)  # expired: no effect
    assert tokens.used == 0


async def test_batch_honours_requests_per_minute(tmp_path: Path, server: FakeServer) -> None:
    time_ = VirtualTime()
    with Store(tmp_path / "c.db") as store:
        batch = Batch(store, settings_for(server), concurrency=4, limits=Limits(requests_per_minute=2))
        batch._requests = RateLimiter(2, clock=time_.clock, sleep=time_.sleep)
        grants = []
        original = batch._requests.acquire

        async def recording(amount: float):
            grant = await original(amount)
            grants.append(grant.at)
            return grant

        batch._requests.acquire = recording  # type: ignore[method-assign]
        report = await batch.run(articles(5))
    assert report.extracted == 5
    assert sorted(grants) == [0, 0, 60, 60, 120]


def test_token_estimate_grows_with_the_text() -> None:
    short = plan("whole", "Police said a.", {"publisher": "P", "published": "x"})
    long = plan("whole", "Police said a. " * 400, {"publisher": "P", "published": "x"})
    assert 0 < estimate_tokens(short, 2048) < estimate_tokens(long, 2048)


def test_token_estimate_counts_both_sentences_of_a_shared_call() -> None:
    text = "\n".join(f"Officials said blast {n} hit the depot." for n in range(3))
    (*_, pair) = plan("sentences", text, {"publisher": "P", "published": "x"}, max_calls=2)
    alone = dataclasses.replace(pair, context=pair.context | {"sentences": pair.sentences[:1]})
    shown = 2 * len(pair.sentences[1]) // 4  # each sentence is shown twice: in the context and asked about
    assert estimate_tokens([pair], 2048) - estimate_tokens([alone], 2048) in (shown, shown + 1)


# --- the command -------------------------------------------------------------------------------


def invoke(*args: str, stdin: str | None = None):
    return CliRunner(env={"COLUMNS": "200"}).invoke(batch_command, [str(a) for a in args], input=stdin)


def test_batch_command_reports_progress_and_exit_status(tmp_path: Path, server: FakeServer) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 3)
    (folder / "bad.jsonl").write_text('{"id": "nothing"}\n')
    db = tmp_path / "c.db"
    common = ["--db", db, "--base-url", server.base_url, "--model", "m", "--retry-attempts", "2", "--price", "m=10,20"]
    result = invoke(folder, *common)
    assert result.exit_code == 3, result.output  # finished, with one failed article
    assert "3 extracted" in result.output and "1 failed" in result.output and "neither text nor url" in result.output
    assert "claims" in result.output and "tok" in result.output and "$" in result.output  # the progress bar
    (folder / "bad.jsonl").unlink()
    again = invoke(folder, *common, "-q")
    assert again.exit_code == 0 and "3 already done" in again.output
    piped = invoke(
        "-",
        *common,
        "--stdin-format",
        "jsonl",
        "--publisher",
        "Wire",
        "--published",
        "2024-01-02",
        stdin=json.dumps({"id": "s1", "text": "Police said the road was shelled."}) + "\n",
    )
    assert piped.exit_code == 0, piped.output
    with Store(db) as store:
        (item,) = store.claims(article_id="s1")
        assert item.publisher == "Wire" and item.published == date(2024, 1, 2)


def test_batch_command_usage_errors(tmp_path: Path, server: FakeServer) -> None:
    assert invoke("--db", tmp_path / "c.db").exit_code == 2
    bad_price = invoke(
        tmp_path, "--db", tmp_path / "c.db", "--base-url", server.base_url, "--model", "m", "--price", "m=cheap"
    )
    assert bad_price.exit_code == 2 and "MODEL=INPUT,OUTPUT" in bad_price.output
    no_model = invoke(tmp_path, "--db", tmp_path / "c.db", "--base-url", server.base_url)
    assert no_model.exit_code == 1 and "no model" in no_model.output
    help_text = invoke("--help").output
    assert "Examples" in help_text and "--rpm" in help_text and "resume" in help_text
    assert "--engine ray -j 8 --output ray-out/" in help_text and "CLAIMX_RAY_OUTPUT" in help_text
    local_output = invoke(tmp_path, "--db", tmp_path / "c.db", "--output", tmp_path / "out", "--model", "m")
    assert local_output.exit_code == 2 and "--output is for --engine ray" in local_output.output


def test_the_sigterm_handler_lasts_only_as_long_as_the_batch(tmp_path: Path, server: FakeServer) -> None:
    write_articles(tmp_path / "in", 1)
    before = signal.getsignal(signal.SIGTERM)
    done = invoke(tmp_path / "in", "--db", tmp_path / "c.db", "--base-url", server.base_url, "--model", "m", "-q")
    assert done.exit_code == 0, done.output
    assert signal.getsignal(signal.SIGTERM) is before


def test_batch_command_stops_on_bad_credentials(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 4)
    with FakeServer(script=["401"] * 20) as server:
        result = invoke(folder, "--db", tmp_path / "c.db", "--base-url", server.base_url, "--model", "m", "-q")
    assert result.exit_code == 1 and "the batch stopped" in result.output
    assert rows(tmp_path / "c.db", "SELECT status FROM batches") == [("aborted",)]


# --- interruption: a real process, killed -----------------------------------------------------


def _batch_process(folder: Path, db: Path, server: FakeServer) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "claimx",
        "batch",
        str(folder),
        "--db",
        str(db),
        "--base-url",
        server.base_url,
        "--model",
        "m",
        "-j",
        "2",
        "-q",
        "--retry-attempts",
        "2",
    ]
    # Ctrl-C as at a terminal: a shell starts a background job with SIGINT ignored, and a child inherits an
    # ignored signal (a suite run with `&` saw its batch ignore the SIGINT and finish every article); a signal
    # the parent handles starts out at its default in the child
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    finally:
        signal.signal(signal.SIGINT, previous)


def _wait_for_runs(db: Path, process: subprocess.Popen, at_least: int, limit: float = 180.0) -> int:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and process.poll() is None:
        if db.exists():
            try:
                count = rows(db, "SELECT count(*) FROM runs")[0][0]
            except sqlite3.OperationalError:  # tables not created yet
                count = 0
            if count >= at_least:
                return count
        time.sleep(0.05)
    raise AssertionError(f"the batch did not reach {at_least} finished articles (exit {process.poll()})")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT, signal.SIGTERM], ids=["kill-9", "ctrl-c", "sigterm"])
def test_an_interrupted_batch_loses_nothing_and_resumes_without_duplicates(tmp_path: Path, how: int) -> None:
    folder, db = tmp_path / "in", tmp_path / "c.db"
    ids = write_articles(folder, 24)
    with FakeServer(latency=0.4, slots=2) as server:
        process = _batch_process(folder, db, server)
        _wait_for_runs(db, process, at_least=3)
        process.send_signal(how)
        _, stderr = process.communicate(timeout=60)
        finished = rows(db, "SELECT id, article_id, cache_key, created_at FROM runs ORDER BY id")
        claims_before = rows(db, "SELECT run_id, id, claimant FROM claims ORDER BY run_id, id")
        assert 3 <= len(finished) < len(ids), "the batch must be stopped part-way"
        if how == signal.SIGINT:
            assert process.returncode == 130 and "run the same command again to resume" in stderr
            assert rows(db, "SELECT status FROM batches") == [("interrupted",)]
        elif how == signal.SIGTERM:  # closed like Ctrl-C, with the shell's exit status for a SIGTERM
            assert process.returncode == 143 and "run the same command again to resume" in stderr
            assert rows(db, "SELECT status FROM batches") == [("interrupted",)]
        else:
            assert process.returncode == -signal.SIGKILL
        resumed = _batch_process(folder, db, server)
        _, stderr = resumed.communicate(timeout=300)
        assert resumed.returncode == 0, stderr
        assert f"{len(finished)} already done" in stderr.replace("\n", " ")
        answered = server.stats.by_text
    assert rows(db, "SELECT status FROM batches ORDER BY id") == [("interrupted",), ("finished",)]
    runs = rows(db, "SELECT id, article_id, cache_key, created_at FROM runs ORDER BY id")
    assert runs[: len(finished)] == finished  # nothing finished was lost or rewritten
    assert sorted(r[1] for r in runs) == sorted(ids)  # all done, one run each
    assert (
        rows(db, "SELECT run_id, id, claimant FROM claims ORDER BY run_id, id")[: len(claims_before)] == claims_before
    )
    assert rows(db, "SELECT count(*), count(DISTINCT article_id) FROM claims") == [(24, 24)]
    assert rows(db, "SELECT count(*) FROM evidence") == [(24,)]
    assert rows(db, "SELECT count(*) FROM llm_calls WHERE outcome = 'extracted'") == [(24,)]
    done_before = {r[1] for r in finished}
    for i, article_id in enumerate(ids):  # finished articles were never sent again
        if article_id in done_before:
            assert sum(n for text, n in answered.items() if text.startswith(f"Clashes near town {i}\n")) == 1
