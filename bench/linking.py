"""How the linker scores on the gold corpus for each rapidfuzz threshold of entity resolution.

Links the gold claims of `eval/corpus/articles.jsonl` (so extraction errors do not count) and scores them
against `eval/corpus/corpus.json`, as `claimx eval ARTICLES --corpus CORPUS` does, once per value of
`claimx.corpus.entities.FUZZY_THRESHOLD` (set for each run: names whose normalised forms are that alike are one
entity). Nothing here is a test: it prints the curve the threshold is chosen by, and under it the names each
threshold joins that the next stricter one keeps apart (most are forms the gold does not score, such as
targets and generic claimants, so the scores alone can hide a wrong join). The gold corpus is the set the
linker's rules were developed on, so these are not held-out figures.

    .venv/bin/python bench/linking.py                        # 70..100 by 5
    .venv/bin/python bench/linking.py --thresholds 80 85 90
"""

from __future__ import annotations

import argparse
from datetime import date
from itertools import pairwise
from pathlib import Path

from claimx.corpus import entities, link_claims
from claimx.evaluation.gold import GoldArticle, load_gold
from claimx.evaluation.linking import _linked_items, load_corpus_gold, score_corpus

ROOT = Path(__file__).resolve().parent.parent


Grouping = set[frozenset[str]]


def _grouping(articles: list[GoldArticle]) -> Grouping:
    """The surface forms of each entity the linker finds in the gold claims (linked as the scorer links them)."""
    items, _ = _linked_items(articles, None)
    found = link_claims(items, {a.id: a.text for a in articles}, now=date.min.isoformat())
    return {frozenset(form for form, _ in e.forms) for e in found.resolution.entities}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=Path, default=ROOT / "eval" / "corpus" / "articles.jsonl")
    parser.add_argument("--corpus", type=Path, default=ROOT / "eval" / "corpus" / "corpus.json")
    parser.add_argument("--thresholds", type=float, nargs="+", default=[70, 75, 80, 85, 90, 95, 100])
    args = parser.parse_args()
    articles, gold = load_gold(args.articles), load_corpus_gold(args.corpus)
    chosen = entities.FUZZY_THRESHOLD
    print(f"claimx's FUZZY_THRESHOLD: {chosen:g}")
    print("| threshold | entities P | entities R | entities F1 | events B³ P | events B³ R | events B³ F1 | events |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    groupings: dict[float, Grouping] = {}
    try:
        for threshold in sorted(args.thresholds):
            entities.FUZZY_THRESHOLD = threshold
            score = score_corpus(articles, gold)
            groupings[threshold] = _grouping(articles)
            ent, ev = score.entities_pairwise, score.events_bcubed
            print(
                f"| {threshold:g} | {ent.precision:.3f} | {ent.recall:.3f} | {ent.f1:.3f} "
                f"| {ev.precision:.3f} | {ev.recall:.3f} | {ev.f1:.3f} | {score.predicted_events} |"
            )
    finally:
        entities.FUZZY_THRESHOLD = chosen
    print()
    ordered = sorted(groupings)
    for looser, stricter in pairwise(ordered):
        joined = [sorted(g) for g in groupings[looser] - groupings[stricter] if len(g) > 1]
        print(
            f"joined at {looser:g}, apart at {stricter:g}: " + ("; ".join(" = ".join(g) for g in sorted(joined)) or "-")
        )


if __name__ == "__main__":
    main()
