"""Credentials in the endpoint URL are sent where the endpoint expects them and shown nowhere: not in
results, the store, pages, exports, messages or anything a command prints."""

from __future__ import annotations

import base64
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from click.testing import Result as Invocation

import claimx
from claimx import errors, inputs
from claimx.cli import main
from claimx.extraction.identity import CREDENTIAL_PARAMETERS, Endpoint, endpoint
from claimx.settings import settings_from
from tests.fakeserver import FAIL_MARKER, FakeServer
from tests.helpers import ARTICLE

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

BASIC = "Basic " + base64.b64encode(b"user:pa55").decode()
SECRETS = ("pa55", "SECRET123", BASIC.split()[1])
MIXED = (
    "Strikes near the border\nThe army said drones struck a depot on Monday.\n"
    f"Officials said {FAIL_MARKER} the road was closed.\n"
)
DOOMED = f"Blackout\nOfficials said {FAIL_MARKER} nothing works.\n"


def with_credentials(url: str, query: str = "api_key=SECRET123") -> str:
    """`url` (http://host:port/path) with userinfo and a query added."""
    return url.replace("://", "://user:pa55@", 1) + "?" + query


def test_a_configured_url_splits_into_what_is_shown_and_what_is_sent() -> None:
    given = {(name.upper() if i % 2 else name): f"SECRET-{i}" for i, name in enumerate(sorted(CREDENTIAL_PARAMETERS))}
    query = "api-version=2024-02-01&" + "&".join(f"{name}={value}" for name, value in given.items())
    url = with_credentials("https://example.test:8443/v1", query)
    settings = settings_from(base_url=url, model="m")
    where = endpoint(settings)
    assert where == Endpoint.of(url, "m")
    assert where.base_url == "https://example.test:8443/v1?api-version=2024-02-01"
    assert where.access.url == "https://example.test:8443/v1"
    assert where.access.headers == {"Authorization": BASIC}
    assert where.access.query == {"api-version": "2024-02-01", **given}
    shown = [repr(where), str(where), repr(where.access), str(where.access), repr(settings), str(settings)]
    for text in shown:
        assert "pa55" not in text and BASIC not in text and not any(value in text for value in given.values())
    assert Endpoint.of("http://127.0.0.1:9/v1", "m").base_url == "http://127.0.0.1:9/v1"


def test_userinfo_and_an_api_key_are_refused() -> None:
    with pytest.raises(errors.ConfigurationError, match="one place") as refused:
        claimx.extract(ARTICLE, base_url=with_credentials("http://127.0.0.1:9/v1"), model="m", api_key="sk-x")
    assert "pa55" not in str(refused.value) and "SECRET123" not in str(refused.value)


def test_the_endpoint_receives_the_credentials_where_they_belong(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with FakeServer() as server:
        url = with_credentials(server.base_url, "api_key=SECRET123&api-version=2024-02-01")
        result = claimx.extract(ARTICLE, base_url=url, model="fake")
    assert server.stats.last_path == "/v1/chat/completions"
    assert server.stats.last_query == {"api_key": ["SECRET123"], "api-version": ["2024-02-01"]}
    assert server.stats.last_authorization == BASIC
    assert result.claims and result.provenance.base_url == f"{server.base_url}?api-version=2024-02-01"


class Commands:
    """`claimx` commands run in-process against one endpoint; every output is kept for the grep."""

    def __init__(self, base_url: str, outputs: list[str]) -> None:
        env = {
            "CLAIMX_BASE_URL": base_url,
            "CLAIMX_MODEL": "fake",
            "CLAIMX_RETRY_ATTEMPTS": "1",
            "OPENAI_BASE_URL": None,
            "OPENAI_API_KEY": None,
            "COLUMNS": "1000",  # no wrapped lines: a secret split over two would escape the grep
        }
        self._runner = CliRunner(env=env)
        self._outputs = outputs

    def __call__(self, *args: object, code: int = 0) -> Invocation:
        result = self._runner.invoke(main, [str(a) for a in args])
        self._outputs += [result.stdout, result.stderr, str(result.exception or "")]
        assert result.exit_code == code, result.output
        return result


def test_no_command_stores_writes_or_prints_the_credentials(tmp_path: Path) -> None:
    articles = tmp_path / "in"
    articles.mkdir()
    for name, text in {"plain": ARTICLE, "mixed": MIXED, "doomed": DOOMED}.items():
        (articles / f"{name}.txt").write_text(text)
    article, result_file, db, page = tmp_path / "a.txt", tmp_path / "r.json", tmp_path / "c.db", tmp_path / "page.html"
    article.write_text(ARTICLE)
    exports = [tmp_path / f"claims.{fmt}.out" for fmt in ("jsonl", "csv", "acled")]
    mixed = inputs.article_id(text=MIXED)
    outputs: list[str] = []
    with FakeServer() as server:
        run = Commands(with_credentials(server.base_url), outputs)
        run("extract", article, "-o", result_file)
        batch = run("batch", articles, "--db", db, "--strategy", "sentences", code=3)
        run("show", mixed, "--db", db, "--format", "json")
        run("claims", "--db", db, "--format", "jsonl")
        for target, fmt in zip(exports, ("jsonl", "csv", "acled"), strict=True):
            run("export", "--format", fmt, "--db", db, "-o", target)
        run("report", result_file, mixed, "--db", db, "-o", page)
    assert server.stats.last_authorization == BASIC and server.stats.last_query == {"api_key": ["SECRET123"]}
    with FakeServer(script=["401"] * 10) as refusing:
        run = Commands(with_credentials(refusing.base_url), outputs)
        refused = run("extract", article, code=1)
        stopped = run("batch", articles, "--db", db, code=1)

    # What is shown is the endpoint without its credentials, so the grep below has something to miss.
    shown = f"127.0.0.1:{server.port}/v1"
    assert json.loads(result_file.read_text())["provenance"]["base_url"] == f"http://{shown}"
    assert "1 failed" in batch.output and shown in batch.output
    assert f"127.0.0.1:{refusing.port}/v1 rejected the credentials" in refused.stderr
    assert "the batch stopped" in stopped.stderr
    with sqlite3.connect(db) as connection:
        assert {r[0] for r in connection.execute("SELECT base_url FROM runs")} == {f"http://{shown}"}
        assert [r[0] for r in connection.execute("SELECT base_url FROM batches ORDER BY id")] == [
            f"http://{shown}",
            f"http://127.0.0.1:{refusing.port}/v1",
        ]
        failures = [r[0] for r in connection.execute("SELECT error FROM failures")]
        warned = [r[0] for r in connection.execute("SELECT result FROM runs") if "call_failed" in r[0]]
    connection.close()
    assert any(shown in f for f in failures) and warned and shown in warned[0]

    files = [result_file, page, db, *exports, *(db.with_name(db.name + s) for s in ("-wal", "-shm"))]
    texts = outputs + [f.read_bytes().decode("latin-1") for f in files if f.exists()]
    for text in texts:
        for secret in SECRETS:
            assert secret not in text and secret not in "".join(text.split()), secret
