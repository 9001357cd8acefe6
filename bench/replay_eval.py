"""Score the current pipeline on the dev set's recorded model answers, offline, in seconds.

`cassettes/test_cassettes/test_eval_scores_the_dev_set.yaml` holds every answer the local model gave
during one live `claimx eval` of the dev set. Replaying it runs today's code on those answers: the
deterministic stages after the model (grounding, claims, attribution) can be measured without the model,
as long as no request body changed (a changed prompt or schema needs a new recording, and then this
script refuses with the replay's error).

    .venv/bin/python bench/replay_eval.py            # the table
    .venv/bin/python bench/replay_eval.py --json     # the scorecard as JSON
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import vcr
from click.testing import CliRunner

from claimx.cli import main as claimx_main
from claimx.extraction.local import MODEL_NAME

ROOT = Path(__file__).resolve().parent.parent
CASSETTE = ROOT / "cassettes" / "test_cassettes" / "test_eval_scores_the_dev_set.yaml"
GOLD = ROOT / "eval" / "dev" / "dev.jsonl"
URL = "http://127.0.0.1:8734/v1"  # where the recording was made


def _same_body(new: Any, recorded: Any) -> None:
    if new.body != recorded.body:
        raise AssertionError("a request body differs from the recording: re-record the dev-set cassette")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the scorecard as JSON")
    args = parser.parse_args(argv)
    replay = vcr.VCR(record_mode="none", match_on=["method", "scheme", "host", "port", "path", "query", "same_body"])
    replay.register_matcher("same_body", _same_body)
    with tempfile.TemporaryDirectory() as scratch, replay.use_cassette(str(CASSETTE)):
        command = [
            "eval",
            str(GOLD),
            "--format",
            "json",
            "--strategy",
            "sentences",
            "--base-url",
            URL,
            "--model",
            MODEL_NAME,
            "--save",
            str(Path(scratch) / "saved.jsonl"),
        ]
        run = CliRunner(env={"OPENAI_API_KEY": "sk-replay"}).invoke(claimx_main, command)
    if run.exit_code != 0:
        sys.exit(run.output)
    report = json.loads(run.stdout)
    if args.json:
        print(json.dumps(report["total"], indent=2))
        return
    metrics = report["total"]["metrics"]
    for key in (
        "gold",
        "predicted",
        "matched",
        "precision",
        "recall",
        "f1",
        "claimant_accuracy",
        "claimant_kind_accuracy",
        "stance_accuracy",
        "actor_f1",
        "via_f1",
        "method_f1",
        "outcome_f1",
        "event_date_accuracy",
        "grounding_rate",
    ):
        value = metrics.get(key)
        print(f"{key:24} {value:.3f}" if isinstance(value, float) else f"{key:24} {value}")


if __name__ == "__main__":
    main()
