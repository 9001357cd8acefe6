"""The command line's shared conventions: -m/--model and --format wherever a model or a format is chosen,
--calls-per-article for calls and -j/--concurrency only for a batch's articles, exit statuses in every
--help, `extract --example` and `extract URL`, -v's log of LLM requests, shell completion, and the errors
a new user meets first (a key without a model, the `eval` extra missing)."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from claimx import errors
from claimx.cli import main
from claimx.evaluation import scorer
from claimx.extraction.pipeline import connect
from claimx.inputs import EXAMPLE, example
from claimx.settings import settings_from
from claimx.store import Store
from tests.fakeserver import FakeServer
from tests.helpers import ROOT, build_result, save

GOLD = ROOT / "eval" / "dev" / "dev.jsonl"
PAGE = (
    b"<html><head><title>Rockets hit base</title><meta property='og:site_name' content='The Daily Test'>"
    b"<meta property='article:published_time' content='2024-03-04T10:00:00Z'></head><body><nav>Home | World</nav>"
    b"<article><h1>Rockets hit base</h1><p>Police said rebels fired two rockets at the airbase on Monday night, "
    b"damaging a hangar near the runway.</p><p>Residents described loud explosions shortly before midnight and "
    b"smoke over the area for hours afterwards.</p></article></body></html>"
)
TWO_CLAIMS = (
    b"Police said rebels fired rockets at the base.\nThe weather was cold.\nA spokesman said nobody was hurt.\n"
)
ENDPOINT_VARIABLES = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CLAIMX_BASE_URL", "CLAIMX_MODEL", "CLAIMX_STRATEGY")


def run(*args: str, stdin: bytes | None = None, **kwargs: str):
    return CliRunner().invoke(main, list(args), input=stdin, **kwargs)


def endpoint(server: FakeServer) -> list[str]:
    return ["--base-url", server.base_url, "-m", "m"]


@pytest.fixture(autouse=True)
def no_endpoint_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENDPOINT_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def _commands() -> list[tuple[str, click.Command]]:
    found = []
    for name, command in main.commands.items():
        found.append((name, command))
        if isinstance(command, click.Group):
            found += [(f"{name} {sub}", c) for sub, c in command.commands.items()]
    return found


@pytest.mark.parametrize(("name", "command"), _commands(), ids=[name for name, _ in _commands()])
def test_every_command_documents_its_exit_statuses_and_shares_option_names(name: str, command: click.Command) -> None:
    shown = run(*name.split(), "--help")
    assert shown.exit_code == 0, shown.output
    assert "Exit status" in shown.output or isinstance(command, click.Group)
    options = {opt for param in command.params for opt in param.opts}
    if "--model" in options:
        assert "-m" in options
    assert "--json" not in options and all(p.opts == ["--format"] for p in command.params if p.name == "fmt")
    if name in ("extract", "eval", "batch"):
        assert {"-v", "--verbose", "--calls-per-article", "--max-calls", "--context-tokens", "--max-chars"} <= options
    if name != "batch":
        assert "--concurrency" not in options  # only a batch counts articles; calls are --calls-per-article


def test_the_top_help_shows_the_first_run_and_shell_completion() -> None:
    top = run("--help")
    assert "claimx extract --example" in top.output and "claimx local install" in top.output
    assert "_CLAIMX_COMPLETE=bash_source claimx" in top.output and "Exit status" in top.output
    script = CliRunner(env={"_CLAIMX_COMPLETE": "bash_source"}).invoke(main, [], prog_name="claimx")
    assert script.exit_code == 0 and "_claimx_completion" in script.output


def test_the_bundled_example_is_one_file_with_its_metadata() -> None:
    article = example()
    assert article.text == (ROOT / "claimx" / "examples" / EXAMPLE).read_text(encoding="utf-8")
    assert str(article.published) == "2023-12-14" and article.publisher == "Al Mayadeen English"
    assert EXAMPLE in (ROOT / "claimx" / "examples" / "SOURCES.md").read_text()


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_extract_example_runs_on_the_bundled_article() -> None:
    with FakeServer() as server:
        done = run("extract", "--example", *endpoint(server))
        assert server.stats.answered == 1  # one call: a configured endpoint reads the whole article at once
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    assert result["article"]["publisher"] == "Al Mayadeen English" and result["article"]["published"] == "2023-12-14"
    assert result["article"]["text"] == example().text and result["provenance"]["model"] == "m"
    mixed = run("extract", "--example", "article.txt", "-m", "m")
    nothing = run("extract", "-m", "m")
    assert mixed.exit_code == nothing.exit_code == 2 and "--example" in mixed.output and "--example" in nothing.output


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_extract_fetches_a_url_and_takes_the_page_date_and_publisher_unless_given() -> None:
    with FakeServer(pages={"/news/1": (200, "text/html; charset=utf-8", PAGE)}) as server:
        fetched = run("extract", server.url("/news/1"), *endpoint(server))
        given = run(
            "extract", server.url("/news/1"), *endpoint(server), "--publisher", "Wire", "--published", "2024-03-05"
        )
        missing = run("extract", server.url("/gone"), *endpoint(server))
        assert server.stats.gets["/news/1"] == 2 and server.stats.answered == 2
    assert fetched.exit_code == 0, fetched.output
    article = json.loads(fetched.stdout)["article"]
    assert article["publisher"] == "The Daily Test" and article["published"] == "2024-03-04"
    assert "Police said rebels fired two rockets" in article["text"] and "Home | World" not in article["text"]
    assert [c["claimant"] for c in json.loads(fetched.stdout)["claims"]] == ["Police"]
    assert json.loads(given.stdout)["article"]["publisher"] == "Wire"
    assert json.loads(given.stdout)["article"]["published"] == "2024-03-05"
    assert missing.exit_code == 2 and "/gone: HTTP 404" in missing.output and "Traceback" not in missing.output
    refused = run("extract", "ftp://example.org/article.txt", "-m", "m", "--base-url", "http://127.0.0.1:9/v1")
    assert refused.exit_code == 2 and "only http and https" in refused.output


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_verbose_logs_one_line_per_llm_request_on_stderr_and_leaves_logging_as_it_was() -> None:
    claimx_logger = logging.getLogger("claimx")
    assert claimx_logger.handlers == [] and claimx_logger.level == logging.NOTSET  # the library configures nothing
    args = ["extract", "-", "--strategy", "sentences", "--calls-per-article", "1"]
    with FakeServer(script=["429"]) as server:
        loud = run(*args, *endpoint(server), "-v", stdin=TWO_CLAIMS)
        requests = server.stats.requests
    assert loud.exit_code == 0, loud.output
    lines = [line for line in loud.stderr.splitlines() if line.startswith("sentence at ")]
    assert len(lines) == requests == 3  # a 429, its retry, and the other sentence
    assert lines[0].startswith("sentence at 0: HTTP 429 after") and lines[0].endswith(" s")
    assert (
        "sentence at 0: HTTP 200 (stop), " in lines[1] and " prompt + " in lines[1] and "completion tokens" in lines[1]
    )
    assert any(line.startswith("sentence at 68: HTTP 200") for line in lines)
    assert json.loads(loud.stdout)["usage"]["llm_calls"] == 3  # stdout stays the JSON result alone
    assert claimx_logger.handlers == [] and claimx_logger.level == logging.NOTSET
    with FakeServer() as server:
        quiet = run(*args, *endpoint(server), stdin=TWO_CLAIMS)
    assert quiet.exit_code == 0 and "sentence at" not in quiet.stderr


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_calls_per_article_bounds_the_calls_in_flight() -> None:
    with FakeServer(latency=0.05) as server:
        done = run(
            "extract", "-", *endpoint(server), "--strategy", "sentences", "--calls-per-article", "1", stdin=TWO_CLAIMS
        )
        assert done.exit_code == 0, done.output
        assert server.stats.answered == 2 and server.stats.max_in_flight == 1


def test_an_api_key_without_a_model_names_both_ways_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-exported-for-another-tool")
    with pytest.raises(errors.ConfigurationError) as raised:
        connect(settings_from())
    message = str(raised.value)
    assert "OPENAI_API_KEY" in message and "CLAIMX_MODEL" in message and "--model" in message
    assert "unset OPENAI_API_KEY to use the local model" in message and "https://api.openai.com/v1" in message
    for args in (["extract", "--example"], ["eval", str(GOLD)]):
        failed = run(*args)
        assert failed.exit_code == 1, failed.output
        assert failed.output.count("\n") == 1 and "unset OPENAI_API_KEY" in failed.output
        assert "Traceback" not in failed.output


def test_eval_without_scipy_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "scipy.optimize", None)  # what `import` sees when scipy is not installed
    with pytest.raises(errors.MissingExtraError, match=r"pip install 'claimx\[eval\]'"):
        scorer.assignment()
    predictions = tmp_path / "pred.jsonl"
    predictions.write_text(json.dumps({"id": "x", "claims": []}) + "\n")
    with FakeServer() as server:
        for args in (["--predictions", str(predictions)], endpoint(server)):
            failed = run("eval", str(GOLD), *args)
            assert failed.exit_code == 1, failed.output
            assert (
                failed.output
                == "Error: scoring against gold needs scipy, an optional extra: pip install 'claimx[eval]'\n"
            )
        assert server.stats.requests == 0  # checked before any article is extracted


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])  # the fake server
def test_eval_extracts_within_the_call_limit_it_is_given(tmp_path: Path) -> None:
    gold = tmp_path / "one.jsonl"
    gold.write_text(GOLD.read_text().splitlines()[0] + "\n")  # the Al Mayadeen article: 11 cue sentences
    with FakeServer() as server:
        scored = run(
            "eval", str(gold), *endpoint(server), "--strategy", "sentences", "--max-calls", "5", "--format", "json"
        )
        assert scored.exit_code == 0, scored.output
        assert json.loads(scored.stdout)["total"]["stats"]["llm_calls"] == server.stats.requests == 5


def test_eval_and_export_choose_their_format_with_format(tmp_path: Path) -> None:
    predictions = tmp_path / "pred.jsonl"
    predictions.write_text(json.dumps({"id": json.loads(GOLD.read_text().splitlines()[0])["id"], "claims": []}) + "\n")
    as_json = run("eval", str(GOLD), "--predictions", str(predictions), "--format", "json")
    assert as_json.exit_code == 0 and "total" in json.loads(as_json.stdout)
    table = run("eval", str(GOLD), "--predictions", str(predictions)).output  # the default
    assert "claimx eval" in table and not table.lstrip().startswith("{")
    assert run("eval", str(GOLD), "--predictions", str(predictions), "--json").exit_code == 2
    db = tmp_path / "claims.db"
    with Store(db) as store:
        save(store, build_result(model="model-a"))
    exported = run("export", "--format", "jsonl", "--db", str(db), "-m", "model-a")
    assert exported.exit_code == 0 and len(exported.stdout.splitlines()) == 4
    assert run("export", "--format", "jsonl", "--db", str(db), "-m", "model-b").stdout == ""
    assert run("export", "jsonl", "--db", str(db)).exit_code == 2  # FORMAT is no longer positional
    assert len(run("claims", "--db", str(db), "-m", "model-a", "--format", "jsonl").stdout.splitlines()) == 4
    assert run("show", "art1", "--db", str(db), "-m", "model-b").exit_code == 1
