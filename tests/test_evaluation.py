"""`claimx eval` end to end on saved predictions (no model): the CLI, the conversion of claimx
results to the gold format, and the JSON report."""

from __future__ import annotations

import json

from click.testing import CliRunner

from claimx.cli import main
from tests.helpers import ROOT

GOLD = ROOT / "eval" / "dev" / "dev.jsonl"


def _gold_lines() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text().splitlines() if line.strip()]


def test_gold_predictions_score_perfectly_through_the_cli(tmp_path) -> None:
    predictions = tmp_path / "pred.jsonl"
    predictions.write_text("\n".join(json.dumps({"id": g["id"], "claims": g["claims"]}) for g in _gold_lines()))
    result = CliRunner().invoke(main, ["eval", str(GOLD), "--predictions", str(predictions), "--format", "json"])
    assert result.exit_code == 0, result.output
    total = json.loads(result.output)["total"]["metrics"]
    assert total["f1"] == 1.0 and total["grounding_rate"] == 1.0
    table = CliRunner().invoke(main, ["eval", str(GOLD), "--predictions", str(predictions)])
    assert table.exit_code == 0 and "almayadeen" in table.output


def test_missing_articles_lower_recall_and_bad_lines_name_the_line(tmp_path) -> None:
    golds = _gold_lines()
    predictions = tmp_path / "pred.jsonl"
    predictions.write_text(json.dumps({"id": golds[0]["id"], "claims": golds[0]["claims"]}) + "\n")
    report = json.loads(
        CliRunner().invoke(main, ["eval", str(GOLD), "--predictions", str(predictions), "--format", "json"]).output
    )
    assert report["total"]["metrics"]["recall"] < 0.5 and report["total"]["metrics"]["precision"] == 1.0
    predictions.write_text('{"id": "x"}\nnot json\n')
    bad = CliRunner().invoke(main, ["eval", str(GOLD), "--predictions", str(predictions)])
    assert bad.exit_code == 1 and "pred.jsonl:1" in bad.output
