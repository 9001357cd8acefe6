"""How well the date rules alone date the gold claims, and what they cost, with no model in the loop.

The milliseconds are the dating's own, per article, once every language's first use is past (a batch pays
that once per process).

Each gold claim's evidence is located in its article and dated as claimx dates a claim
(`dates.claim_date`, with no `time_text` from a model): its own words, then the article around them; a
threat is left undated. The figure is exact-match
accuracy against the gold `event_date`, per gold file, as `claimx eval` scores it. The gold files differ in
kind: dev.jsonl is tuned on, fresh.jsonl never is, languages.jsonl holds the non-English articles.

    .venv/bin/python bench/dates.py                       # every gold file in eval/dev
    .venv/bin/python bench/dates.py eval/dev/dev.jsonl -v # one file, with every miss
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

from claimx.extraction.dates import claim_date, event_date
from claimx.extraction.grounding import locate
from claimx.extraction.language import detect

GOLD = Path(__file__).resolve().parent.parent / "eval" / "dev"


def score(path: Path, verbose: bool) -> tuple[int, int, float]:
    """Right dates, gold claims and milliseconds of dating per article for one gold file."""
    right = total = 0
    seconds = 0.0
    articles = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    for article in articles:
        text, published = article["text"], article.get("published")
        day = date.fromisoformat(published) if published else None
        language = detect(text)
        for claim in article["claims"]:
            evidence = " ".join(claim["evidence"])
            found = locate(claim["evidence"][0], text)
            span = (found.start, found.end) if found.start is not None and found.end is not None else None
            threat = claim["stance"] == "threatened"
            clock = time.perf_counter()
            dated = claim_date(None, evidence, text, span, published=day, language=language, threat=threat)
            seconds += time.perf_counter() - clock
            total += 1
            right += dated == claim.get("event_date")
            if verbose and dated != claim.get("event_date"):
                print(f"  {article['id'][:40]} ({published}, {language}) gold {claim.get('event_date')} got {dated}")
                print(f"    {evidence[:160]}")
    return right, total, 1000 * seconds / max(len(articles), 1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="gold JSONL files (default: every one in eval/dev)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    args = parser.parse_args(argv)
    files = args.files or sorted(GOLD.glob("*.jsonl"))
    for path in files:  # each language's first use (dateparser's tables, once per process) is not timed
        for line in path.read_text().splitlines():
            event_date(None, "on Monday, January 2", date(2020, 1, 9), detect(json.loads(line)["text"]))
    print(f"{'gold file':<20} {'date accuracy':>14} {'ms per article':>15}")
    for path in files:
        right, total, ms = score(path, args.verbose)
        print(f"{path.name:<20} {right / max(total, 1):>8.3f} ({right}/{total}) {ms:>10.1f}")


if __name__ == "__main__":
    main()
