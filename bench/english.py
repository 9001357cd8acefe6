"""What the English rendering of target, method and outcome is worth on the non-English gold, on real answers.

The saved results of the live runs of `eval/dev/languages.jsonl` made before the rendering existed (`RUNS`, whose
claims hold the fields as the model wrote them inside the claim call) go through `pipeline.in_english`, one call
per article on the local model, exactly as `extract` now renders them; both sets of claims are then scored by
`claimx eval --predictions` against the gold (which writes these fields in English). Everything but the three
fields is the same on both sides, so the difference is the rendering's alone. Needs `claimx local serve`.

    .venv/bin/python bench/english.py
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from claimx.cli import main as claimx_main
from claimx.extraction.local import MODEL_NAME
from claimx.extraction.pipeline import connect, in_english
from claimx.result import Result
from claimx.settings import settings_from

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "dev" / "languages.jsonl"
RUNS = [
    ROOT / "bench" / "runs" / name / "claimx-sentences.results.jsonl"
    for name in ("languages-local", "languages-ar-ru", "languages-condemn")
]
"""The saved runs from before the rendering existed, oldest first: an article run again later is taken from its
latest run. (`languages-english` and later runs hold rendered fields already.)"""
FIELDS = ("target_f1", "method_f1", "outcome_f1", "f1", "claimant_accuracy")


async def _render(lines: list[dict[str, Any]], base_url: str) -> tuple[list[dict[str, Any]], int, float]:
    """Each saved result with its claims' fields in English; the completion tokens and seconds it took."""
    llm = connect(settings_from(base_url=base_url, model=MODEL_NAME, api_key="sk-local"))
    tokens, started, rendered = 0, time.monotonic(), []
    try:
        for line in lines:
            result = Result.model_validate(line["result"])
            claims, done = await in_english(llm, result.article, result.claims)
            tokens += done.usage.completion_tokens
            rendered.append(
                {"id": line["id"], "result": json.loads(result.model_copy(update={"claims": claims}).model_dump_json())}
            )
    finally:
        await llm.aclose()
    return rendered, tokens, time.monotonic() - started


def _scores(predictions: Path) -> dict[str, float]:
    command = ["eval", str(GOLD), "--predictions", str(predictions), "--format", "json"]
    run = CliRunner().invoke(claimx_main, command)
    if run.exit_code != 0:
        raise SystemExit(run.output)
    metrics = json.loads(run.stdout)["total"]["metrics"]
    return {k: metrics.get(k) for k in FIELDS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8734/v1")
    args = parser.parse_args()
    latest = {(d := json.loads(line))["id"]: d for run in RUNS for line in run.read_text().splitlines() if line.strip()}
    lines = list(latest.values())
    rendered, tokens, seconds = asyncio.run(_render(lines, args.base_url))
    with tempfile.TemporaryDirectory() as scratch:
        before, after = Path(scratch) / "before.jsonl", Path(scratch) / "after.jsonl"
        before.write_text("".join(json.dumps(line) + "\n" for line in lines))
        after.write_text("".join(json.dumps(line) + "\n" for line in rendered))
        was, now = _scores(before), _scores(after)
    print(
        f"{len(lines)} articles from {', '.join(r.parent.name for r in RUNS)}; rendering: {len(lines)} calls, "
        f"{tokens} completion tokens, {seconds:.0f} s"
    )
    print("| measure | as the model wrote them | rendered in English |\n|---|---:|---:|")
    for key in FIELDS:
        print(f"| {key} | {was[key]:.3f} | {now[key]:.3f} |")


if __name__ == "__main__":
    main()
