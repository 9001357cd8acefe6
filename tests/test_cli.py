from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from claimx.cli import main
from claimx.extraction import local
from tests.helpers import DATA

ENDPOINT = ["--base-url", "http://127.0.0.1:9/v1", "--model", "m"]


def run(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def test_help_teaches_by_example() -> None:
    top = run("--help")
    assert top.exit_code == 0 and "claimx local install" in top.output and "claimx extract" in top.output
    sub = run("extract", "--help")
    assert "--strategy" in sub.output and "Examples" in sub.output and "--published" in sub.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary"),
        (b"Police said caf\xe9 was hit", "not valid UTF-8"),
    ],
)
def test_bad_input_is_a_usage_error_before_any_call(tmp_path, content: bytes, message: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    result = run("extract", str(path), *ENDPOINT)
    assert result.exit_code == 2 and message in result.output


def test_missing_file_is_reported() -> None:
    result = run("extract", "/no/such/file.txt", *ENDPOINT)
    assert result.exit_code == 2 and "is not a file" in result.output


def test_too_large_names_the_flag() -> None:
    result = run("extract", "-", *ENDPOINT, "--max-chars", "10", stdin=b"Police said the base was hit.")
    assert result.exit_code == 2 and "--max-chars" in result.output


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])  # the URL names no provider: it is probed (refused)
def test_article_without_sources_gives_json_with_no_claims_and_no_calls() -> None:
    result = run("extract", str(DATA / "no_claims.txt"), *ENDPOINT, "--strategy", "sentences")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["claims"] == [] and data["usage"]["llm_calls"] == 0
    assert data["provenance"]["base_url"] == "http://127.0.0.1:9/v1"


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_unreachable_endpoint_is_an_error_not_a_crash(monkeypatch) -> None:
    monkeypatch.setenv("CLAIMX_RETRY_ATTEMPTS", "1")
    result = run("extract", "-", *ENDPOINT, stdin=b"Police said rebels fired rockets at the base.")
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1
    assert "kept failing after every retry" in result.output and "Traceback" not in result.output


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_local_status_reports_missing_pieces(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CLAIMX_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("CLAIMX_LOCAL_PORT", "9")
    result = run("local", "status")
    assert "weights: missing" in result.output and "server:  not running" in result.output


def test_module_entry_point_runs() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "claimx", "--version"], check=False, capture_output=True, text=True
    )
    assert completed.returncode == 0 and "version" in completed.stdout


def test_weights_with_wrong_size_or_hash_are_refused(tmp_path) -> None:
    from claimx.errors import LocalModelError

    path = tmp_path / "model.gguf"
    with pytest.raises(LocalModelError, match="claimx local install"):
        local.verify(path)
    path.write_bytes(b"GGUF" + b"\0" * 10)
    with pytest.raises(LocalModelError, match="expected 1,117,320,768"):
        local.verify(path)


def test_the_raw_input_limit_names_the_flag_and_bom_text_is_read(tmp_path) -> None:
    result = run("extract", "-", *ENDPOINT, "--max-input-bytes", "10", stdin=b"Police said the base was hit.")
    assert result.exit_code == 2 and "--max-input-bytes" in result.output
    path = tmp_path / "article.txt"
    path.write_bytes("\ufeffThe weather was cold.".encode("utf-16-le"))
    read = run("extract", str(path), *ENDPOINT, "--strategy", "sentences")
    assert read.exit_code == 0, read.output
    assert json.loads(read.stdout)["article"]["text"] == "The weather was cold."
