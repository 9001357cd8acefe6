"""`claimx eval`: run claimx over a gold file (or read saved predictions) and score it with
`claimx.evaluation.scorer`, so every quality figure comes from one scorer."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from claimx.errors import ClaimxError
from claimx.evaluation.gold import GoldArticle, GoldClaim
from claimx.evaluation.scorer import ArticleStats
from claimx.extraction.pipeline import extract
from claimx.jsonl import read_jsonl
from claimx.result import Result
from claimx.settings import Settings


def to_gold_claims(result: Result) -> list[GoldClaim]:
    """A claimx result in the gold format."""
    return [GoldClaim.of(c) for c in result.claims]


def stats_of(result: Result) -> ArticleStats:
    usage = result.usage
    return ArticleStats(
        llm_calls=usage.llm_calls,
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
        seconds=result.provenance.seconds,
    )


def run(
    golds: list[GoldArticle],
    settings: Settings,
    *,
    save: Path | None = None,
    on_article: Callable[[GoldArticle, Result | None, str | None], None] | None = None,
) -> tuple[dict[str, list[GoldClaim]], dict[str, ArticleStats]]:
    """Extract every gold article; with `save`, append each result as it finishes (a crash keeps
    what was done) as `{"id": …, "result": …}` lines that `load_predictions` reads back."""
    predictions: dict[str, list[GoldClaim]] = {}
    stats: dict[str, ArticleStats] = {}
    for gold in golds:
        try:
            result = extract(gold.text, published=gold.published, publisher=gold.publisher, settings=settings)
        except ClaimxError as exc:
            partial = getattr(exc, "partial", None)
            if on_article:
                on_article(gold, partial, str(exc))
            if partial is None:
                continue
            result = partial
        else:
            if on_article:
                on_article(gold, result, None)
        predictions[gold.id], stats[gold.id] = to_gold_claims(result), stats_of(result)
        if save is not None:
            with save.open("a", encoding="utf-8") as out:
                out.write(json.dumps({"id": gold.id, "result": result.model_dump(mode="json")}) + "\n")
    return predictions, stats


def _prediction(row: dict[str, Any]) -> tuple[str, list[GoldClaim], ArticleStats | None]:
    if "result" in row:
        result = Result.model_validate(row["result"])
        return row["id"], to_gold_claims(result), stats_of(result)
    stats = ArticleStats.model_validate(row["stats"]) if row.get("stats") else None
    return row["id"], [GoldClaim.model_validate(c) for c in row["claims"]], stats


def load_predictions(path: Path) -> tuple[dict[str, list[GoldClaim]], dict[str, ArticleStats]]:
    """Read saved predictions: claimx lines `{"id", "result"}` or gold-format lines `{"id", "claims",
    optional "stats"}` (what other tools' outputs are converted to)."""
    predictions: dict[str, list[GoldClaim]] = {}
    stats: dict[str, ArticleStats] = {}
    for article_id, claims, cost in read_jsonl(path, _prediction, what="a prediction line"):
        predictions[article_id] = claims
        if cost is not None:
            stats[article_id] = cost
    return predictions, stats
