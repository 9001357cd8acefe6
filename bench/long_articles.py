"""Long and hard-wrapped articles against the fake server on loopback (not a model): what claimx plans and
sends, not what a model finds.

- the wrapped, all-capitals wire report of tests/data: its lines, the pieces a line-first split makes of it,
  and the sentence calls planned without and with re-flowing; then the calls and claims of both strategies
  with a fake answer that quotes every cue sentence, and the grounding statuses of their evidence;
- the 61,000-character article of tests/test_layout.py under both strategies: calls, claims, chunks,
  claims merged from an overlap, and wall seconds;
- the time to re-flow 12,000 characters of wrapped text.

    .venv/bin/python bench/long_articles.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import claimx
from claimx.extraction.layout import reflow
from claimx.extraction.plan import plan
from claimx.extraction.text import split_sentences
from tests.fakeserver import FakeServer
from tests.test_layout import WIRE, cue_answer, long_article


def main() -> None:
    flowed = reflow(WIRE).text
    print(
        f"wire report: {WIRE.count(chr(10))} lines, {len(split_sentences(WIRE))} line-first pieces, "
        f"{len(plan('sentences', WIRE, {}))} sentence calls without re-flowing, "
        f"{len(split_sentences(flowed))} sentences and {len(plan('sentences', flowed, {}))} calls re-flowed"
    )
    for strategy in ("sentences", "whole"):
        with FakeServer(answer=cue_answer) as server:
            result = claimx.extract(WIRE, base_url=server.base_url, model="m", api_key="x", strategy=strategy)
        statuses = [e.status.value for c in result.claims for e in c.evidence]
        print(f"  {strategy}: {result.usage.llm_calls} calls, {len(result.claims)} claims, evidence {statuses}")
    text = long_article()
    for strategy in ("sentences", "whole"):
        with FakeServer() as server:
            started = time.monotonic()
            result = claimx.extract(text, base_url=server.base_url, model="m", api_key="x", strategy=strategy)
            seconds = time.monotonic() - started
        merged = sum(w.code == "duplicate_merged" for w in result.warnings)
        print(
            f"{len(text):,}-character article, {strategy}: {result.usage.llm_calls} calls, {len(result.claims)} "
            f"claims, {len(result.chunks)} chunks, {merged} merged from an overlap, {seconds:.2f} s"
        )
    wrapped = WIRE * 20
    started = time.monotonic()
    for _ in range(20):
        reflow(wrapped)
    print(f"re-flowing {len(wrapped):,} characters: {(time.monotonic() - started) / 20 * 1000:.1f} ms")


if __name__ == "__main__":
    main()
