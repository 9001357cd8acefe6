"""How many gold evidence quotes ground when a model rewrites them, and how fast `normalise` folds text.

Every evidence quote of the gold files is located as written and after each rewrite that changes it:
each script's quote brackets written as ASCII ", full-width punctuation written as ASCII, spaces put
between Chinese or Japanese characters, Arabic diacritics dropped and tatweel added, digits written in
ASCII, no-break spaces written plain, and upper case. Nothing here calls a model.

    .venv/bin/python bench/grounding.py                          # eval/dev/dev.jsonl
    .venv/bin/python bench/grounding.py eval/dev/*.jsonl         # every gold file
"""

from __future__ import annotations

import argparse
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from claimx.evaluation.gold import load_gold
from claimx.extraction.grounding import locate, normalise

ROOT = Path(__file__).resolve().parent.parent
REWRITES: dict[str, Callable[[str], str]] = {
    "as written": lambda s: s,
    "ascii quote marks": lambda s: re.sub("[«»„“”「」『』]", '"', s).replace("\u2019", "'"),
    "ascii punctuation": lambda s: s.translate(str.maketrans("，。：；！？（）、", ",.:;!?(),")),
    "spaced cjk": lambda s: re.sub(r"(?<=[\u3040-\u30ff\u4e00-\u9fff])(?=[\u3040-\u30ff\u4e00-\u9fff])", " ", s),
    "no arabic marks": lambda s: "".join(c for c in s if not ("\u064b" <= c <= "\u065f" or c == "\u0670")),
    "tatweel": lambda s: re.sub(r"(?<=[\u0628-\u063a\u0641-\u064a])(?=[\u0628-\u063a\u0641-\u064a])", "\u0640", s),
    "ascii digits": lambda s: "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in s),
    "plain spaces": lambda s: s.replace("\u00a0", " ").replace("\u202f", " "),
    "upper case": str.upper,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="*", type=Path, default=[ROOT / "eval" / "dev" / "dev.jsonl"])
    args = parser.parse_args()
    articles = [article for path in args.gold for article in load_gold(path)]
    grounded: Counter[str] = Counter()
    tried: Counter[str] = Counter()
    start = time.perf_counter()
    for article in articles:
        for quote in (q for claim in article.claims for q in claim.evidence):
            for name, rewrite in REWRITES.items():
                variant = rewrite(quote)
                if name != "as written" and variant == quote:
                    continue
                tried[name] += 1
                grounded[name] += locate(variant, article.text).status.grounded
    located = time.perf_counter() - start
    print(f"{len(articles)} articles, {tried['as written']} evidence quotes")
    for name in REWRITES:
        print(f"  {name:18} {grounded[name]:4} of {tried[name]:4} ground")
    print(f"locating the {tried.total()} quotes and rewrites: {located * 1000:.0f} ms")
    chars = sum(len(a.text) for a in articles)
    start = time.perf_counter()
    for article in articles:
        normalise(article.text)
    seconds = time.perf_counter() - start
    print(f"normalise: {chars:,} characters in {seconds * 1000:.1f} ms ({chars / seconds / 1e6:.2f} M chars/s)")


if __name__ == "__main__":
    main()
