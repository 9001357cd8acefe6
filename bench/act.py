"""How well the act rules alone read the gold claims' method and outcome, with no model in the loop.

Each English gold claim's evidence goes through `act.means_named` and `act.outcome_stated` and is scored as
`claimx eval` scores a matched claim: method set-F1, outcome token-F1 (both null agree, one null does not).
An outcome the rules do not find is null here; in claimx the model's outcome stands in for it. The gold
files differ in kind: dev.jsonl is tuned on, fresh.jsonl never is, long.jsonl holds long articles; articles
not in English are left out (the rules read English only).

    .venv/bin/python bench/act.py                        # every gold file in eval/dev
    .venv/bin/python bench/act.py eval/dev/fresh.jsonl -v # one file, with every miss
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from claimx.evaluation.scorer import optional_f1, set_f1
from claimx.extraction.act import means_named, outcome_stated
from claimx.extraction.language import detect

GOLD = Path(__file__).resolve().parent.parent / "eval" / "dev"


def score(path: Path, verbose: bool) -> tuple[float, float, int]:
    """Mean method F1, mean outcome F1 and the number of English gold claims of one gold file."""
    method = outcome = 0.0
    total = 0
    for line in path.read_text().splitlines():
        article = json.loads(line) if line.strip() else None
        if article is None or detect(article["text"]) != "en":
            continue
        for claim in article["claims"]:
            means, result = means_named(claim["evidence"]), outcome_stated(claim["evidence"])
            m, o = set_f1(claim["method"], means), optional_f1(claim.get("outcome"), result)
            method, outcome, total = method + m, outcome + o, total + 1
            if verbose and (m < 1 or o < 1):
                print(f"  {article['id'][:40]}: method {claim['method']} got {means}")
                print(f"    outcome {claim.get('outcome')!r} got {result!r}")
                print(f"    {' | '.join(claim['evidence'])[:200]}")
    return method / max(total, 1), outcome / max(total, 1), total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="gold JSONL files (default: every one in eval/dev)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    args = parser.parse_args(argv)
    print(f"{'gold file':<20} {'English claims':>15} {'method F1':>10} {'outcome F1':>11}")
    for path in args.files or sorted(GOLD.glob("*.jsonl")):
        method, outcome, total = score(path, args.verbose)
        figures = f"{method:>10.3f} {outcome:>11.3f}" if total else "  (no English claims: the rules read English only)"
        print(f"{path.name:<20} {total:>15} {figures}")


if __name__ == "__main__":
    main()
