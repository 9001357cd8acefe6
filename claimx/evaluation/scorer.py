"""Evaluation scorer for claimx-gold v1 (see docs/gold-format.md).

Predicted claims are aligned to gold claims through the text they quote, not
through their wording: evidence is located as character spans, claims whose
evidence overlaps become candidates, and a one-to-one assignment maximising
evidence Jaccard + 0.5 x claimant token-F1 decides the matches. Field scores
are then computed on the matched pairs only.

0/0 conventions (chosen so that P/R/F1 always exist and can be ranked):

* precision is 1.0 when nothing was predicted (no prediction is wrong);
* recall is 1.0 when there is no gold claim (nothing was missed);
* F1 is the harmonic mean of the two, and 0.0 when both are 0.0.

So no gold and no predictions gives P = R = F1 = 1.0; no predictions against
some gold gives P = 1.0, R = 0.0, F1 = 0.0. Every other rate (field scores,
grounding rate) is ``None`` when its denominator is zero, shown as a dash.

Scope: gold sets code attack-related claims only, so by default (``scope="attacks"``)
a predicted claim whose words make it an ``other_statement`` (`claimx.eventtypes`)
is set aside before matching, for every tool alike, and counted in ``set_aside``;
``scope="all"`` scores every predicted claim.
"""

from __future__ import annotations

import string
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field
from rich.table import Table

from claimx.errors import MissingExtraError
from claimx.evaluation.gold import GoldArticle, GoldClaim, locate_quote
from claimx.eventtypes import EventType, classify

CLAIMANT_WEIGHT = 0.5
CLAIMANT_MATCH_F1 = 0.5
_STOPWORDS = frozenset({"the", "a", "an", "of", "in"})
_UNDEFINED = "\u2013"  # en dash: undefined, not zero
Scope = Literal["attacks", "all"]
SCOPES: tuple[Scope, ...] = ("attacks", "all")


class ArticleStats(BaseModel):
    """Cost of extracting one article, as measured by the caller."""

    llm_calls: int = Field(ge=0)
    prompt_tokens: int = Field(ge=0)
    completion_tokens: int = Field(ge=0)
    seconds: float = Field(ge=0)


class PairScore(BaseModel):
    """Field scores of one matched (gold, predicted) pair; ``None`` = prediction lacks the field."""

    gold_index: int
    predicted_index: int
    score: float
    evidence_jaccard: float
    claimant_f1: float
    actor_f1: float
    target_f1: float
    outcome_f1: float
    method_f1: float
    claimant_kind_correct: bool | None
    stance_correct: bool | None
    via_f1: float | None
    event_date_correct: bool | None


class Metrics(BaseModel):
    """Counts and rates for one article or pooled over many (see module docstring for 0/0)."""

    gold: int
    predicted: int
    matched: int
    grounded: int
    precision: float
    recall: float
    f1: float
    claimant_accuracy: float | None
    actor_f1: float | None
    target_f1: float | None
    outcome_f1: float | None
    method_f1: float | None
    claimant_kind_accuracy: float | None
    stance_accuracy: float | None
    via_f1: float | None
    event_date_accuracy: float | None
    grounding_rate: float | None


class ArticleScore(BaseModel):
    """Scores for one article, with the matching kept for inspection."""

    id: str
    metrics: Metrics
    pairs: list[PairScore]
    ungrounded: list[int] = Field(description="indices of predicted claims with no locatable evidence")
    set_aside: int = Field(0, description="predicted claims outside the scope (other statements), not scored")
    stats: ArticleStats | None


class StatsTotal(BaseModel):
    """Cost summed over, and averaged per, the articles that supplied stats."""

    articles: int
    llm_calls: int
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    mean_llm_calls: float
    mean_prompt_tokens: float
    mean_completion_tokens: float
    mean_seconds: float


class TotalScore(BaseModel):
    """Micro-averaged P/R/F1 and field scores pooled over all matched pairs."""

    articles: int
    metrics: Metrics
    set_aside: int = 0
    stats: StatsTotal | None


class Scorecard(BaseModel):
    """The whole evaluation; ``model_dump_json()`` is the machine-readable output."""

    articles: list[ArticleScore]
    total: TotalScore


def _evidence_chars(text: str, evidence: Iterable[str]) -> frozenset[int]:
    """Character offsets covered by the locatable evidence quotes (empty = ungrounded)."""
    chars: set[int] = set()
    for quote in evidence:
        span = locate_quote(text, quote)
        if span is not None:
            chars.update(range(*span))
    return frozenset(chars)


def _tokens(value: str) -> list[str]:
    """Lowercase, drop punctuation and the stopwords the/a/an/of/in, then split."""
    folded = "".join(
        ch for ch in value.casefold() if not unicodedata.category(ch).startswith("P") and ch not in string.punctuation
    )
    return [t for t in folded.split() if t not in _STOPWORDS]


def token_f1(a: str, b: str) -> float:
    """Bag-of-tokens F1 of two normalised strings; two strings with no tokens agree (1.0)."""
    ta, tb = Counter(_tokens(a)), Counter(_tokens(b))
    total = ta.total() + tb.total()
    return 1.0 if total == 0 else 2 * (ta & tb).total() / total


def set_f1(a: Iterable[str], b: Iterable[str]) -> float:
    """F1 of two sets of normalised strings (method, via); two empty sets agree (1.0)."""
    sa, sb = {" ".join(_tokens(x)) for x in a}, {" ".join(_tokens(x)) for x in b}
    total = len(sa) + len(sb)
    return 1.0 if total == 0 else 2 * len(sa & sb) / total


def optional_f1(gold: str | None, predicted: str | None) -> float:
    """Token-F1 where null is a value: both null agree, one null disagrees."""
    if gold is None or predicted is None:
        return 1.0 if gold is predicted else 0.0
    return token_f1(gold, predicted)


def _strip(value: str | None) -> str | None:
    return None if value is None else value.strip()


def _pair_score(gold_index: int, predicted_index: int, gold: GoldClaim, pred: GoldClaim, jaccard: float) -> PairScore:
    claimant_f1 = token_f1(gold.claimant, pred.claimant)
    return PairScore(
        gold_index=gold_index,
        predicted_index=predicted_index,
        score=jaccard + CLAIMANT_WEIGHT * claimant_f1,
        evidence_jaccard=jaccard,
        claimant_f1=claimant_f1,
        actor_f1=optional_f1(gold.actor, pred.actor),
        target_f1=optional_f1(gold.target, pred.target),
        outcome_f1=optional_f1(gold.outcome, pred.outcome),
        method_f1=set_f1(gold.method, pred.method),
        claimant_kind_correct=None if pred.claimant_kind is None else pred.claimant_kind == gold.claimant_kind,
        stance_correct=None if pred.stance is None else pred.stance == gold.stance,
        via_f1=None if pred.via is None else set_f1(gold.via or [], pred.via),
        event_date_correct=(
            _strip(pred.event_date) == _strip(gold.event_date) if "event_date" in pred.model_fields_set else None
        ),
    )


def _mean(values: Iterable[float | bool | None]) -> float | None:
    """Mean of the defined values, ``None`` when there are none."""
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _metrics(gold: int, predicted: int, grounded: int, pairs: Sequence[PairScore]) -> Metrics:
    """Rates from counts and matched pairs; the same code serves one article and the pooled total."""
    matched = len(pairs)
    precision = matched / predicted if predicted else 1.0
    recall = matched / gold if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Metrics(
        gold=gold,
        predicted=predicted,
        matched=matched,
        grounded=grounded,
        precision=precision,
        recall=recall,
        f1=f1,
        claimant_accuracy=_mean(p.claimant_f1 >= CLAIMANT_MATCH_F1 for p in pairs),
        actor_f1=_mean(p.actor_f1 for p in pairs),
        target_f1=_mean(p.target_f1 for p in pairs),
        outcome_f1=_mean(p.outcome_f1 for p in pairs),
        method_f1=_mean(p.method_f1 for p in pairs),
        claimant_kind_accuracy=_mean(p.claimant_kind_correct for p in pairs),
        stance_accuracy=_mean(p.stance_correct for p in pairs),
        via_f1=_mean(p.via_f1 for p in pairs),
        event_date_accuracy=_mean(p.event_date_correct for p in pairs),
        grounding_rate=grounded / predicted if predicted else None,
    )


def assignment() -> Callable[..., Any]:
    """scipy's Hungarian assignment; scipy (~200 MB with numpy) is the `eval` extra, so it is imported here."""
    try:
        from scipy.optimize import linear_sum_assignment
    except ImportError:
        raise MissingExtraError(
            "scoring against gold needs scipy, an optional extra: pip install 'claimx[eval]'"
        ) from None
    return linear_sum_assignment  # type: ignore[no-any-return]


def in_scope(claim: GoldClaim, scope: Scope) -> bool:
    """Whether a predicted claim is scored: all are for ``all``; for ``attacks``, those about an attack."""
    kind = classify(claim.method, claim.outcome, claim.evidence, claimant=claim.claimant, actor=claim.actor)
    return scope == "all" or kind != EventType.OTHER_STATEMENT


def score_article(
    gold: GoldArticle, predicted: list[GoldClaim], stats: ArticleStats | None = None, *, scope: Scope = "attacks"
) -> ArticleScore:
    """Match ``predicted`` to ``gold.claims`` by evidence and claimant, then score the matched pairs;
    indices in the score are into the predicted claims in scope."""
    linear_sum_assignment = assignment()
    scored = [c for c in predicted if in_scope(c, scope)]
    set_aside, predicted = len(predicted) - len(scored), scored
    gold_chars = [_evidence_chars(gold.text, c.evidence) for c in gold.claims]
    pred_chars = [_evidence_chars(gold.text, c.evidence) for c in predicted]
    # Non-candidates weigh 0 and are dropped after assignment: every candidate pair
    # weighs > 0, so this maximises the total over candidate-only matchings.
    weights = [[0.0] * len(predicted) for _ in gold.claims]
    jaccards: dict[tuple[int, int], float] = {}
    for g, gc in enumerate(gold_chars):
        for p, pc in enumerate(pred_chars):
            if overlap := len(gc & pc):
                jaccards[g, p] = overlap / len(gc | pc)
                weights[g][p] = jaccards[g, p] + CLAIMANT_WEIGHT * token_f1(
                    gold.claims[g].claimant, predicted[p].claimant
                )
    rows, cols = linear_sum_assignment(weights, maximize=True) if jaccards else ([], [])
    pairs = [
        _pair_score(g, p, gold.claims[g], predicted[p], jaccards[g, p])
        for g, p in zip(map(int, rows), map(int, cols), strict=True)
        if (g, p) in jaccards
    ]
    ungrounded = [p for p, pc in enumerate(pred_chars) if not pc]
    return ArticleScore(
        id=gold.id,
        metrics=_metrics(len(gold.claims), len(predicted), len(predicted) - len(ungrounded), pairs),
        pairs=pairs,
        ungrounded=ungrounded,
        set_aside=set_aside,
        stats=stats,
    )


def _stats_total(stats: Sequence[ArticleStats]) -> StatsTotal | None:
    if not stats:
        return None
    n = len(stats)
    calls = sum(s.llm_calls for s in stats)
    prompt = sum(s.prompt_tokens for s in stats)
    completion = sum(s.completion_tokens for s in stats)
    seconds = sum(s.seconds for s in stats)
    return StatsTotal(
        articles=n,
        llm_calls=calls,
        prompt_tokens=prompt,
        completion_tokens=completion,
        seconds=seconds,
        mean_llm_calls=calls / n,
        mean_prompt_tokens=prompt / n,
        mean_completion_tokens=completion / n,
        mean_seconds=seconds / n,
    )


def score(
    golds: Sequence[GoldArticle],
    predictions: Mapping[str, list[GoldClaim]],
    stats: Mapping[str, ArticleStats] | None = None,
    *,
    scope: Scope = "attacks",
) -> Scorecard:
    """Score every gold article; an article absent from ``predictions`` predicted nothing.

    Ids in ``predictions`` or ``stats`` that name no gold article are an error,
    since they mean the run and the gold set disagree.
    """
    stats = stats or {}
    ids = [g.id for g in golds]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate gold article ids")
    unknown = (set(predictions) | set(stats)) - set(ids)
    if unknown:
        raise ValueError(f"predictions or stats for unknown article ids: {sorted(unknown)}")
    articles = [score_article(g, predictions.get(g.id, []), stats.get(g.id), scope=scope) for g in golds]
    total = _metrics(
        sum(a.metrics.gold for a in articles),
        sum(a.metrics.predicted for a in articles),
        sum(a.metrics.grounded for a in articles),
        [p for a in articles for p in a.pairs],
    )
    return Scorecard(
        articles=articles,
        total=TotalScore(
            articles=len(articles),
            metrics=total,
            set_aside=sum(a.set_aside for a in articles),
            stats=_stats_total([a.stats for a in articles if a.stats is not None]),
        ),
    )


def _rate(value: float | None) -> str:
    return _UNDEFINED if value is None else f"{value:.2f}"


def _metric_cells(m: Metrics) -> list[str]:
    return [
        f"{m.matched}/{m.predicted}/{m.gold}",
        *(
            _rate(v)
            for v in (
                m.precision,
                m.recall,
                m.f1,
                m.claimant_accuracy,
                m.actor_f1,
                m.target_f1,
                m.outcome_f1,
                m.method_f1,
                m.claimant_kind_accuracy,
                m.stance_accuracy,
                m.via_f1,
                m.event_date_accuracy,
                m.grounding_rate,
            )
        ),
    ]


def _stats_cells(s: ArticleStats | StatsTotal | None) -> list[str]:
    if s is None:
        return [_UNDEFINED] * 4
    return [f"{s.llm_calls:,}", f"{s.prompt_tokens:,}", f"{s.completion_tokens:,}", f"{s.seconds:.1f}"]


def render_table(report: Scorecard) -> Table:
    """One row per article, a total row (micro/pooled rates, summed cost) and, given stats, mean cost per article."""
    aside = report.total.set_aside
    table = Table(
        title="claimx eval",
        caption=f"m/p/g = matched/predicted/gold; {_UNDEFINED} = undefined (nothing to score)"
        + (f"; {aside} predicted other-statement claims set aside (--scope all scores them)" if aside else ""),
    )
    table.add_column("article", no_wrap=True, min_width=24)
    for name in (
        "m/p/g",
        "P",
        "R",
        "F1",
        "claimant acc",
        "actor F1",
        "target F1",
        "outcome F1",
        "method F1",
        "kind acc",
        "stance acc",
        "via F1",
        "date acc",
        "grounding",
        "calls",
        "tokens in",
        "tokens out",
        "seconds",
    ):
        table.add_column(name, justify="right")
    for article in report.articles:
        table.add_row(article.id, *_metric_cells(article.metrics), *_stats_cells(article.stats))
    table.add_section()
    total_cells = _metric_cells(report.total.metrics)
    table.add_row("total", *total_cells, *_stats_cells(report.total.stats), style="bold")
    if (cost := report.total.stats) is not None:
        table.add_row(
            "mean / article",
            *[""] * len(total_cells),
            f"{cost.mean_llm_calls:.1f}",
            f"{cost.mean_prompt_tokens:,.0f}",
            f"{cost.mean_completion_tokens:,.0f}",
            f"{cost.mean_seconds:.1f}",
            style="italic",
        )
    return table
