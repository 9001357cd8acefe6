"""Scoring linking across articles against a claimx-gold corpus file (docs/gold-format.md, "Across articles"):
event clustering (pairwise and B-cubed F1), entity resolution (pairwise F1 on surface forms) and contradiction
detection (precision and recall). The gold claims themselves are linked, so what is scored is the linking, not
the extraction before it."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from claimx.corpus import link_claims
from claimx.corpus.contradictions import Kind
from claimx.errors import InputError
from claimx.evaluation.gold import GoldArticle
from claimx.result import Claim, ClaimantKind, Evidence, GroundingStatus, Stance
from claimx.store import StoredClaim

FORMAT = "claimx-gold-corpus v1"


class GoldEvent(BaseModel):
    id: str
    claims: list[str] = Field(min_length=1, description="ARTICLE_ID#INDEX: the INDEXth (from 0) gold claim.")


class GoldEntity(BaseModel):
    id: str
    name: str
    kind: ClaimantKind | None = None
    external_id: str | None = None
    forms: list[str] = Field(min_length=1)


class GoldContradiction(BaseModel):
    event: str
    kind: Kind
    claims: tuple[str, str]


class CorpusGold(BaseModel):
    format: Literal["claimx-gold-corpus v1"]
    events: list[GoldEvent]
    entities: list[GoldEntity] = Field(default_factory=list)
    contradictions: list[GoldContradiction] = Field(default_factory=list)


class Clustering(BaseModel):
    precision: float
    recall: float
    f1: float


class CorpusScore(BaseModel):
    events_pairwise: Clustering
    events_bcubed: Clustering
    entities_pairwise: Clustering
    contradictions: Clustering
    claims: int
    gold_events: int
    predicted_events: int


def load_corpus_gold(path: str | Path) -> CorpusGold:
    try:
        return CorpusGold.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValidationError) as exc:
        raise InputError(f"{path}: not a {FORMAT} file: {exc}") from exc


def _f1(precision: float, recall: float) -> Clustering:
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Clustering(precision=precision, recall=recall, f1=f1)


def _pairs(labels: Mapping[Any, Hashable]) -> int:
    return sum(n * (n - 1) // 2 for n in Counter(labels.values()).values())


def pairwise(gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> Clustering:
    """Over every pair of items: precision of the pairs put together, recall of the pairs that belong together.
    Both maps label the same items (item → cluster); nothing paired anywhere scores 1.0."""
    both = _pairs({i: (gold[i], predicted[i]) for i in gold})
    together, expected = _pairs(predicted), _pairs(gold)
    return _f1(both / together if together else 1.0, both / expected if expected else 1.0)


def bcubed(gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> Clustering:
    """B-cubed: per item, the share of its predicted cluster that is in its gold cluster (precision) and the
    share of its gold cluster in its predicted cluster (recall), averaged over items."""
    if not gold:
        return _f1(1.0, 1.0)
    both = Counter((gold[i], predicted[i]) for i in gold)
    g, p = Counter(gold.values()), Counter(predicted.values())
    precision = sum(both[(gold[i], predicted[i])] / p[predicted[i]] for i in gold) / len(gold)
    recall = sum(both[(gold[i], predicted[i])] / g[gold[i]] for i in gold) / len(gold)
    return _f1(precision, recall)


def _claim(article: GoldArticle, index: int) -> StoredClaim:
    gold = article.claims[index]
    claim = Claim(
        id=str(index),
        claimant=gold.claimant,
        claimant_kind=gold.claimant_kind or ClaimantKind.UNKNOWN,
        via=gold.via or [],
        stance=gold.stance or Stance.ASSERTED,
        actor=gold.actor,
        target=gold.target,
        method=gold.method,
        outcome=gold.outcome,
        time_text=None,
        event_date=gold.event_date,
        place=gold.place,
        evidence=[Evidence(quote=q, status=GroundingStatus.EXACT) for q in gold.evidence],
    )
    return StoredClaim(claim, article.id, 0, "gold", "gold", article.publisher, article.published, None)


def score_corpus(articles: Sequence[GoldArticle], gold: CorpusGold) -> CorpusScore:
    """Link the gold claims of `articles` and score the result against `gold`."""
    items = [_claim(a, i) for a in articles for i in range(len(a.claims))]
    refs = {(i.article_id, i.claim.id): f"{i.article_id}#{i.claim.id}" for i in items}
    if unknown := sorted({r for e in gold.events for r in e.claims} - set(refs.values())):
        raise InputError(f"gold events name claims the gold articles do not have: {', '.join(unknown[:5])}")
    linked = link_claims(items, {a.id: a.text for a in articles}, now=date.min.isoformat())
    gold_event = {ref: f"singleton:{ref}" for ref in refs.values()} | {r: e.id for e in gold.events for r in e.claims}
    predicted_event = {ref: f"singleton:{ref}" for ref in refs.values()}
    predicted_event |= {refs[k]: e.id for e in linked.events for k in e.members}

    form_entity = {form: e.id for e in gold.entities for form in e.forms}
    votes: dict[str, Counter[str]] = {}
    for (_, _, form), entity in linked.resolution.of.items():
        if form in form_entity:
            votes.setdefault(form, Counter())[entity] += 1
    predicted_entity = {form: c.most_common(1)[0][0] for form, c in votes.items()}
    scored_forms = {f: form_entity[f] for f in predicted_entity}

    def pair(a: str, b: str) -> frozenset[str]:
        return frozenset((a, b))

    expected = {(c.kind, pair(*c.claims)) for c in gold.contradictions}
    found = {(c.kind, pair(refs[c.a], refs[c.b])) for e in linked.events for c in e.contradictions}
    hits = len(expected & found)
    return CorpusScore(
        events_pairwise=pairwise(gold_event, predicted_event),
        events_bcubed=bcubed(gold_event, predicted_event),
        entities_pairwise=pairwise(scored_forms, predicted_entity),
        contradictions=_f1(hits / len(found) if found else 1.0, hits / len(expected) if expected else 1.0),
        claims=len(items),
        gold_events=len(gold.events),
        predicted_events=len(linked.events),
    )
