"""A batch's budget (tokens or dollars), the built-in price table and the estimated cost, against a fake
server on loopback (tests/fakeserver.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimx.batch import BUILT_IN, Budget, Price, estimate_usage, parse_budget, price_for, run_batch
from claimx.cli.batch import batch_command
from claimx.errors import ConfigurationError
from claimx.extraction.pipeline import prepare
from claimx.inputs import ArticleInput, from_text
from claimx.settings import settings_from
from tests.fakeserver import FakeServer

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


def text_of(i: int) -> str:
    return f"Clashes near town {i}\nThe army said {i} drones struck a depot near town {i} on Monday.\n"


def articles(n: int) -> list[ArticleInput]:
    return [from_text(text_of(i), publisher="Test Wire", published="2024-05-06") for i in range(n)]


@pytest.mark.parametrize(
    ("spec", "budget"),
    [
        ("200000", Budget(200000, "tokens")),
        ("200k", Budget(200000, "tokens")),
        ("1.5M tokens", Budget(1500000, "tokens")),
        ("$5", Budget(5, "usd")),
        ("0.50$", Budget(0.5, "usd")),
        ("5 USD", Budget(5, "usd")),
    ],
)
def test_budgets_parse_as_tokens_or_dollars(spec: str, budget: Budget) -> None:
    assert parse_budget(spec) == budget


@pytest.mark.parametrize("spec", ["", "five dollars", "-3", "0", "$5 tokens", "5 euros"])
def test_a_bad_budget_says_what_is_expected(spec: str) -> None:
    with pytest.raises(ConfigurationError, match="budget"):
        parse_budget(spec)


def test_the_built_in_prices_apply_unless_overridden_and_never_to_the_local_model() -> None:
    remote = settings_from(base_url="http://127.0.0.1:9/v1", model="x")
    assert price_for("gpt-4o-mini-2024-07-18", remote) == BUILT_IN["gpt-4o-mini"]
    assert price_for("gpt-4o-mini", remote, {"gpt-4o-mini": Price(1, 2)}) == Price(1, 2)
    assert price_for("gpt-4o", settings_from()) == Price()


def test_a_dollar_budget_needs_a_price(tmp_path: Path) -> None:
    with FakeServer() as server:
        settings = settings_from(base_url=server.base_url, model="m", api_key="x")
        with pytest.raises(ConfigurationError, match="--price"):
            run_batch(articles(1), tmp_path / "c.db", settings=settings, budget=Budget(1, "usd"))
    assert server.stats.requests == 0


def test_a_budget_stops_the_batch_before_it_is_exceeded_and_the_next_run_goes_on(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with FakeServer() as server:
        settings = settings_from(base_url=server.base_url, model="m", api_key="x")
        each = estimate_usage(prepare(text_of(0), settings).units, settings.max_tokens)
        tokens = each.prompt_tokens + each.completion_tokens
        first = run_batch(articles(10), db, settings=settings, concurrency=1, budget=Budget(3.5 * tokens, "tokens"))
        assert first.status == "stopped" and "budget" in (first.error or "")
        assert 3 <= first.extracted < 10 and not first.failed and first.left == 10 - first.extracted
        assert first.usage.prompt_tokens + first.usage.completion_tokens <= 3.5 * tokens
        second = run_batch(articles(10), db, settings=settings, concurrency=1, budget=Budget(100 * tokens, "tokens"))
        assert second.status == "finished"
        assert second.skipped == first.extracted and second.extracted == 10 - first.extracted
        assert sorted(server.stats.by_text.values()) == [1] * 10  # every article sent once, over both runs
    with sqlite3.connect(db) as connection:
        batches = connection.execute("SELECT status, error FROM batches ORDER BY id").fetchall()
    assert batches[0][0] == "interrupted" and "budget" in batches[0][1] and batches[1] == ("finished", None)


def test_the_summary_sets_the_estimate_against_what_was_spent(tmp_path: Path) -> None:
    with FakeServer() as server:
        settings = settings_from(base_url=server.base_url, model="m", api_key="x")
        report = run_batch(articles(3), tmp_path / "c.db", settings=settings, prices={"m": Price(100, 200)})
    assert report.estimated_cost > 0 and report.cost > 0
    assert report.counts()["estimated_tokens"] == report.estimate.prompt_tokens + report.estimate.completion_tokens
    assert f"estimated before sending: {report.counts()['estimated_tokens']:,} tokens" in report.summary()


def test_batch_command_budget_exits_3_and_says_how_to_go_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        (folder / f"a{i}.txt").write_text(text_of(i))
    with FakeServer() as server:
        command = [str(folder), "--db", str(tmp_path / "c.db"), "--base-url", server.base_url, "-m", "m", "-q"]
        result = CliRunner().invoke(batch_command, [*command, "--budget", "10 tokens"], env={"OPENAI_API_KEY": "x"})
        assert result.exit_code == 3, result.output
        assert "stopped: the budget of 10 tokens would be exceeded" in result.output
        assert "run the same command again" in result.output
        assert server.stats.requests == 0
        result = CliRunner().invoke(batch_command, [*command, "--budget", "nonsense"], env={"OPENAI_API_KEY": "x"})
        assert result.exit_code == 2 and "budget" in result.output
