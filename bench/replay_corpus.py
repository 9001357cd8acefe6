"""Score the linker on the local model's own claims of the gold corpus, offline, from the recorded answers.

`cassettes/test_cassettes_corpus/` holds every answer the local model gave during one `claimx batch` of
`eval/corpus/articles.jsonl` (recorded by `tests/test_cassettes_corpus.py`). Replaying it runs today's code on
those answers: `claimx batch` into a scratch store, then `claimx eval --corpus --db`, which links the stored
claims as `claimx events` does and scores events, entities and contradictions against
`eval/corpus/corpus.json`. Beside it, the same scores on the gold claims (extraction errors left out), so the
gap is what extraction costs the linker. A changed prompt or schema needs a new recording: then the replay
refuses with the request that differs.

    .venv/bin/python bench/replay_corpus.py
    .venv/bin/python bench/replay_corpus.py --without place   # as if the model had not written these (see
                                                              # bench/replay_eval.py)
    .venv/bin/python bench/replay_corpus.py --misses stance   # the matched claims a field misses (--unmatched:
                                                              # the extra and the missed claims)
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
from claimx.evaluation.gold import load_gold
from claimx.evaluation.runner import to_gold_claims
from claimx.extraction.local import MODEL_NAME
from claimx.store import open_store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the recording test owns what was recorded
from tests.helpers import LOCAL_URL, same_body
from tests.test_cassettes_corpus import ARTICLES, CASSETTES, CORPUS, batch_command

sys.path.insert(0, str(Path(__file__).resolve().parent))
from replay_eval import BLANK, FIELDS, print_misses, print_scores, print_unmatched, without

CASSETTE = CASSETTES / "test_the_gold_corpus_links_from_the_local_models_claims.yaml"
MEASURES = ("events_bcubed", "events_pairwise", "entities_pairwise", "contradictions")


def _claim_scores(db: Path) -> dict[str, Any]:
    """The stored claims' claim-level scores: a second set, beside the dev set's, for the attribution fields."""
    run = CliRunner().invoke(claimx_main, ["eval", str(ARTICLES), "--db", str(db), "--format", "json"])
    if run.exit_code != 0:
        sys.exit(run.output)
    metrics: dict[str, Any] = json.loads(run.stdout)["total"]["metrics"]
    return metrics


def _scores(extra: list[str]) -> dict[str, Any]:
    command = ["eval", str(ARTICLES), "--corpus", str(CORPUS), "--format", "json", *extra]
    run = CliRunner().invoke(claimx_main, command)
    if run.exit_code != 0:
        sys.exit(run.output)
    scored: dict[str, Any] = json.loads(run.stdout)
    return scored


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--without", nargs="+", default=[], choices=sorted(BLANK), help="blank these model fields")
    parser.add_argument("--misses", choices=sorted(FIELDS), help="also print the matched claims this field misses")
    parser.add_argument("--unmatched", action="store_true", help="also print the extra and the missed claims")
    args = parser.parse_args(argv)
    if not CASSETTE.is_file():
        sys.exit(f"no recording at {CASSETTE}: record it first (tests/test_cassettes_corpus.py says how)")
    replay = vcr.VCR(record_mode="none", match_on=["method", "scheme", "host", "port", "path", "query", "same_body"])
    replay.register_matcher("same_body", same_body)
    runner = CliRunner(env={"OPENAI_API_KEY": "sk-replay"})
    with tempfile.TemporaryDirectory() as scratch, replay.use_cassette(str(CASSETTE)), without(args.without):
        db = Path(scratch) / "corpus.db"
        batch = runner.invoke(claimx_main, batch_command(db, {"base_url": LOCAL_URL, "model": MODEL_NAME}))
        if batch.exit_code != 0:
            sys.exit(batch.output)
        model = _scores(["--db", str(db)])
        fields = _claim_scores(db)
        if args.misses or args.unmatched:
            with open_store(db, create=False) as store:
                predictions = {a.id: to_gold_claims(store.result(a.id)) for a in load_gold(ARTICLES)}
            if args.misses:
                print_misses(load_gold(ARTICLES), predictions, args.misses)
            if args.unmatched:
                print_unmatched(load_gold(ARTICLES), predictions)
    gold = _scores([])
    print(
        f"claims linked: the model's {model['claims']} ({model['matched']} matching a gold claim); "
        f"the gold's {gold['claims']}"
    )
    print("| measure | model's claims P / R / F1 | gold claims P / R / F1 |")
    print("| --- | --- | --- |")
    for measure in MEASURES:
        cells = [" / ".join(f"{s[measure][k]:.3f}" for k in ("precision", "recall", "f1")) for s in (model, gold)]
        print(f"| {measure} | {cells[0]} | {cells[1]} |")
    print()
    print("the model's claims scored claim by claim against the gold articles (`claimx eval ARTICLES --db`):")
    print_scores(fields)


if __name__ == "__main__":
    main()
