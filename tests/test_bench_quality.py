"""bench/quality.py's bookkeeping (saving, resuming, rescoring), run against the fake server on loopback:
a benchmark that takes hours must survive an interruption without losing or redoing finished articles,
and must never mix figures from two versions of the code into one table."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from tests.fakeserver import FakeServer
from tests.helpers import ROOT

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
SYSTEMS = ["claimx-whole", "instructor"]  # LangExtract lives only in the benchmark's own venv


@pytest.fixture(scope="module")
def quality():
    spec = importlib.util.spec_from_file_location("bench_quality", ROOT / "bench" / "quality.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


@pytest.fixture
def server():
    with FakeServer() as running:
        yield running


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def start(quality, server: FakeServer, out: Path, limit: int = 3) -> None:
    quality.main(
        [
            "--base-url",
            server.base_url,
            "--model",
            "m",
            "--api-key",
            "x",
            "--systems",
            *SYSTEMS,
            "--limit",
            str(limit),
            "--out",
            str(out),
        ]
    )


def test_out_saves_every_article_of_every_system(quality, server, tmp_path, capsys) -> None:
    start(quality, server, tmp_path / "run")
    manifest = json.loads((tmp_path / "run" / "run.json").read_text())
    assert manifest["systems"] == SYSTEMS and len(manifest["ids"]) == 3
    for name in SYSTEMS:
        assert [row["id"] for row in lines(tmp_path / "run" / f"{name}.jsonl")] == manifest["ids"]
    # claimx's answers from the fake server quote a real sentence: something is matched and scored.
    report = json.loads((tmp_path / "run" / "claimx-whole.report.json").read_text())
    assert report["total"]["metrics"]["predicted"] > 0
    assert "claimx-whole" in capsys.readouterr().out


def table_rows(printed: str) -> list[list[str]]:
    """The Markdown table's system rows without the seconds column (timings differ between runs)."""
    return [line.split("|")[1:-2] for line in printed.splitlines() if line.startswith(("| claimx", "| instructor"))]


def test_without_out_scores_the_same_way_and_leaves_nothing(quality, server, tmp_path, monkeypatch, capsys) -> None:
    args = [
        "--base-url",
        server.base_url,
        "--model",
        "m",
        "--api-key",
        "x",
        "--systems",
        *SYSTEMS,
        "--limit",
        "1",
        "--markdown",
    ]
    quality.main([*args, "--out", str(tmp_path / "run")])
    saved = table_rows(capsys.readouterr().out)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    quality.main(args)
    assert len(saved) == 2 and table_rows(capsys.readouterr().out) == saved  # the fake server answers alike
    assert list(scratch.iterdir()) == []


def test_out_refuses_a_directory_that_holds_a_run(quality, server, tmp_path) -> None:
    start(quality, server, tmp_path / "run", limit=1)
    before = (tmp_path / "run" / "claimx-whole.jsonl").read_text()
    with pytest.raises(SystemExit, match="--resume"):
        start(quality, server, tmp_path / "run", limit=1)
    assert (tmp_path / "run" / "claimx-whole.jsonl").read_text() == before


def test_resume_runs_only_what_was_not_saved(quality, server, tmp_path, capsys) -> None:
    out = tmp_path / "run"
    start(quality, server, out)
    ids = json.loads((out / "run.json").read_text())["ids"]
    # An interruption after the first article of claimx-whole and before any of instructor.
    whole = (out / "claimx-whole.jsonl").read_text().splitlines(keepends=True)
    (out / "claimx-whole.jsonl").write_text(whole[0])
    (out / "instructor.jsonl").unlink()
    first = whole[0]
    requests = server.stats.requests
    quality.main(["--resume", str(out)])
    assert [row["id"] for row in lines(out / "claimx-whole.jsonl")] == ids
    assert (out / "claimx-whole.jsonl").read_text().startswith(first)  # kept, not redone
    assert [row["id"] for row in lines(out / "instructor.jsonl")] == ids
    assert server.stats.requests - requests == (len(ids) - 1) + len(ids)
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["resumed"][0]["command"].endswith(f"--resume {out}")
    assert "resumed:" in capsys.readouterr().out


def test_resume_drops_what_an_interruption_left_behind(quality, server, tmp_path) -> None:
    out = tmp_path / "run"
    start(quality, server, out, limit=2)
    ids = json.loads((out / "run.json").read_text())["ids"]
    # Killed while writing the second article's scored line, after its full result had been written.
    scored = (out / "claimx-whole.jsonl").read_text().splitlines(keepends=True)
    (out / "claimx-whole.jsonl").write_text(scored[0] + scored[1][: len(scored[1]) // 2])
    assert [row["id"] for row in lines(out / "claimx-whole.results.jsonl")] == ids
    requests = server.stats.requests
    quality.main(["--resume", str(out)])
    assert server.stats.requests - requests == 1  # only the second article of claimx-whole is redone
    assert [row["id"] for row in lines(out / "claimx-whole.jsonl")] == ids
    assert [row["id"] for row in lines(out / "claimx-whole.results.jsonl")] == ids  # once each


def test_resume_refuses_changed_code(quality, server, tmp_path, monkeypatch) -> None:
    start(quality, server, tmp_path / "run", limit=1)
    monkeypatch.setattr(quality, "fingerprint", lambda: "another version")
    with pytest.raises(SystemExit, match="changed since this run started"):
        quality.main(["--resume", str(tmp_path / "run")])


def test_rescore_finished_scores_only_articles_every_system_saved(quality, server, tmp_path, capsys) -> None:
    out = tmp_path / "run"
    start(quality, server, out)
    (out / "instructor.jsonl").write_text((out / "instructor.jsonl").read_text().splitlines(keepends=True)[0])
    capsys.readouterr()
    quality.main(["--rescore", str(out), "--finished", "--markdown"])
    printed = capsys.readouterr().out
    assert "run in progress: 1 of 3 articles done by every system] (1 article)" in printed
    quality.main(["--rescore", str(out), "--markdown"])
    printed = capsys.readouterr().out
    assert "instructor: no saved line for" in printed and "(3 articles)" in printed


def test_language_runs_and_rescores_only_the_articles_annotated_in_it(quality, server, tmp_path, capsys) -> None:
    rows = [json.loads(line) for line in (ROOT / "eval/dev/dev.jsonl").read_text().splitlines()[:3]]
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        "".join(json.dumps({**row, "language": code}) + "\n" for row, code in zip(rows, "xyx", strict=True))
    )
    out = tmp_path / "run"
    endpoint = ["--base-url", server.base_url, "--model", "m", "--api-key", "x", "--systems", *SYSTEMS]
    quality.main([str(gold), *endpoint, "--language", "x", "--out", str(out)])
    assert json.loads((out / "run.json").read_text())["ids"] == [rows[0]["id"], rows[2]["id"]]
    capsys.readouterr()
    quality.main([str(gold), "--rescore", str(out), "--language", "x", "--markdown"])
    assert "[language x] (2 articles)" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="annotated in language 'y'"):
        quality.main([str(gold), "--rescore", str(out), "--language", "y"])  # the run holds no such article
