"""Score the current pipeline on the dev set's recorded model answers, offline, in seconds.

`cassettes/test_cassettes/test_eval_scores_the_dev_set.yaml` holds every answer the local model gave
during one live `claimx eval` of the dev set. Replaying it runs today's code on those answers: the
deterministic stages after the model (grounding, claims, attribution) can be measured without the model,
as long as no request body changed (a changed prompt or schema needs a new recording, and then this
script refuses with the replay's error).

    .venv/bin/python bench/replay_eval.py            # the table
    .venv/bin/python bench/replay_eval.py --json     # the scorecard as JSON
    .venv/bin/python bench/replay_eval.py --misses stance   # and each matched claim whose stance is wrong
    .venv/bin/python bench/replay_eval.py --unmatched       # and each extra and each missed claim
    .venv/bin/python bench/replay_eval.py --without outcome via   # as if the model had not written these

`--without` measures what a field of the model's answer is still worth once the frame and the rules have read
the quote: each named field of every recorded draft is blanked before `attribution.settle`, so the table shows
what a smaller schema would keep, to first order (a model asked for fewer fields may fill the rest differently).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any
from unittest import mock

import vcr
from click.testing import CliRunner

from claimx.cli import main as claimx_main
from claimx.evaluation.gold import GoldArticle, GoldClaim, load_gold
from claimx.evaluation.runner import load_predictions
from claimx.evaluation.scorer import in_scope, score_article
from claimx.extraction import claims
from claimx.extraction.attribution import settle
from claimx.extraction.drafts import ClaimDraft
from claimx.extraction.local import MODEL_NAME

ROOT = Path(__file__).resolve().parent.parent
CASSETTE = ROOT / "cassettes" / "test_cassettes" / "test_eval_scores_the_dev_set.yaml"
GOLD = ROOT / "eval" / "dev" / "dev.jsonl"
URL = "http://127.0.0.1:8734/v1"  # where the recording was made


SCORES = (
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
)
"""The headline figures, in the order they print."""


def print_scores(metrics: dict[str, Any]) -> None:
    for key in SCORES:
        value = metrics.get(key)
        print(f"{key:24} {value:.3f}" if isinstance(value, float) else f"{key:24} {value}")


def _same_body(new: Any, recorded: Any) -> None:
    if new.body != recorded.body:
        raise AssertionError("a request body differs from the recording: re-record the dev-set cassette")


FIELDS = {
    "claimant": "claimant_f1",
    "claimant_kind": "claimant_kind_correct",
    "stance": "stance_correct",
    "actor": "actor_f1",
    "target": "target_f1",
    "outcome": "outcome_f1",
    "method": "method_f1",
    "via": "via_f1",
    "event_date": "event_date_correct",
}
"""A claim field and the pair score that judges it."""


BLANK: dict[str, Any] = {
    name: field.get_default(call_default_factory=True)
    for name, field in ClaimDraft.model_fields.items()
    if not field.is_required()
} | {"claimant_kind": "unknown", "stance": "asserted"}
"""What each field of a draft reads as when the model did not write it."""


@contextmanager
def without(fields: Sequence[str]) -> Iterator[None]:
    """Replay as if the model had left `fields` out of every answer."""

    def blanked(draft: ClaimDraft, language: str | None = None) -> ClaimDraft:
        return settle(draft.model_copy(update={f: BLANK[f] for f in fields}), language)

    with mock.patch.object(claims, "settle", blanked):
        yield


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def print_misses(golds: list[GoldArticle], predictions: dict[str, list[GoldClaim]], field: str) -> None:
    """Each matched (gold, predicted) pair whose score for `field` is not perfect: both values and the quote."""
    for gold in golds:
        predicted = [c for c in predictions.get(gold.id, []) if in_scope(c, "attacks")]
        for pair in score_article(gold, predictions.get(gold.id, [])).pairs:
            if getattr(pair, FIELDS[field]) in (True, 1.0, None):
                continue
            want, got = gold.claims[pair.gold_index], predicted[pair.predicted_index]
            print(f"{gold.id}: gold {_plain(getattr(want, field))!r}, claimx {_plain(getattr(got, field))!r}")
            print(f"    {got.evidence[0][:160]}")


def print_unmatched(golds: list[GoldArticle], predictions: dict[str, list[GoldClaim]]) -> None:
    """Each claim in scope that no gold claim matched (what costs precision), and each gold claim missed."""
    for gold in golds:
        predicted = [c for c in predictions.get(gold.id, []) if in_scope(c, "attacks")]
        pairs = score_article(gold, predictions.get(gold.id, [])).pairs
        for i, claim in enumerate(predicted):
            if i not in {p.predicted_index for p in pairs}:
                print(f"{gold.id}: extra {claim.claimant!r} {_plain(claim.stance)}: {claim.evidence[0][:140]}")
        for i, want in enumerate(gold.claims):
            if i not in {p.gold_index for p in pairs}:
                print(f"{gold.id}: missed {want.claimant!r} {_plain(want.stance)}: {want.evidence[0][:140]}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the scorecard as JSON")
    parser.add_argument("--misses", choices=sorted(FIELDS), help="also print the matched claims this field misses")
    parser.add_argument("--unmatched", action="store_true", help="also print the extra and the missed claims")
    parser.add_argument("--without", nargs="+", default=[], choices=sorted(BLANK), help="blank these model fields")
    args = parser.parse_args(argv)
    replay = vcr.VCR(record_mode="none", match_on=["method", "scheme", "host", "port", "path", "query", "same_body"])
    replay.register_matcher("same_body", _same_body)
    with tempfile.TemporaryDirectory() as scratch, replay.use_cassette(str(CASSETTE)), without(args.without):
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
        if (args.misses or args.unmatched) and run.exit_code == 0:
            predictions = load_predictions(Path(scratch) / "saved.jsonl")[0]
            if args.misses:
                print_misses(load_gold(GOLD), predictions, args.misses)
            if args.unmatched:
                print_unmatched(load_gold(GOLD), predictions)
    if run.exit_code != 0:
        sys.exit(run.output)
    report = json.loads(run.stdout)
    if args.json:
        print(json.dumps(report["total"], indent=2))
        return
    print_scores(report["total"]["metrics"])


if __name__ == "__main__":
    main()
