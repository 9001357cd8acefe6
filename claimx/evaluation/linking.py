"""Scoring linking across articles against a claimx-gold corpus file (docs/gold-format.md, "Across articles"):
event clustering (pairwise and B-cubed F1), entity resolution (pairwise F1 on surface forms) and contradiction
detection (precision and recall). Either the gold claims themselves are linked, which scores the linking alone, or
a tool's predicted claims are, which scores linking as a user gets it: each predicted claim stands for the gold claim
the scorer matches it to (through their evidence), and a gold claim nothing matched stays alone."""

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
from claimx.evaluation.gold import GoldArticle, GoldClaim
from claimx.evaluation.scorer import score_article
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
    claims: int = Field(description="Claims linked: the gold claims, or the predicted ones.")
    gold_claims: int
    matched: int = Field(description="Gold claims that a linked claim stands for (all of them when gold is linked).")
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


def _stored(article: GoldArticle, key: str, claim: GoldClaim) -> StoredClaim:
    linked = Claim(
        id=key,
        claimant=claim.claimant,
        claimant_kind=claim.claimant_kind or ClaimantKind.UNKNOWN,
        via=claim.via or [],
        stance=claim.stance or Stance.ASSERTED,
        actor=claim.actor,
        target=claim.target,
        method=claim.method,
        outcome=claim.outcome,
        time_text=None,
        event_date=claim.event_date,
        place=claim.place,
        evidence=[Evidence(quote=q, status=GroundingStatus.EXACT) for q in claim.evidence],
    )
    return StoredClaim(linked, article.id, 0, "gold", "gold", article.publisher, article.published, None)


def as_stored(
    articles: Sequence[GoldArticle], predicted: Mapping[str, Sequence[GoldClaim]]
) -> dict[str, list[StoredClaim]]:
    """Predictions in the gold format (saved results, other tools' output) as claims to link, per article id."""
    by_id = {a.id: a for a in articles}
    return {
        article_id: [_stored(by_id[article_id], f"p{i}", c) for i, c in enumerate(claims)]
        for article_id, claims in predicted.items()
        if article_id in by_id
    }


def _linked_items(
    articles: Sequence[GoldArticle], predicted: Mapping[str, Sequence[StoredClaim]] | None
) -> tuple[list[StoredClaim], dict[tuple[str, str], str]]:
    """The claims to link, and for each the gold claim it stands for (`ARTICLE_ID#INDEX`); a predicted claim the
    scorer matched to no gold claim gets a reference of its own, which no gold event or contradiction names."""
    if predicted is None:
        items = [_stored(a, str(i), c) for a in articles for i, c in enumerate(a.claims)]
        return items, {(i.article_id, i.claim.id): f"{i.article_id}#{i.claim.id}" for i in items}
    items, refs = [], {}
    for article in articles:
        claims = predicted.get(article.id, [])
        matched = score_article(article, [GoldClaim.of(i.claim) for i in claims], scope="all").pairs
        gold_of = {p.predicted_index: p.gold_index for p in matched}
        for index, item in enumerate(claims):
            items.append(item)
            gold_index = gold_of.get(index)
            refs[article.id, item.claim.id] = f"{article.id}#{f'p{index}' if gold_index is None else gold_index}"
    return items, refs


def score_corpus(
    articles: Sequence[GoldArticle], gold: CorpusGold, predicted: Mapping[str, Sequence[StoredClaim]] | None = None
) -> CorpusScore:
    """Link the gold claims of `articles`, or the `predicted` claims per article id (from a store, or `as_stored`),
    and score the result against `gold`. Event clustering is scored over the gold claims: one that no linked claim
    stands for is an event of its own, so what extraction missed counts against recall."""
    gold_refs = [f"{a.id}#{i}" for a in articles for i in range(len(a.claims))]
    if unknown := sorted({r for e in gold.events for r in e.claims} - set(gold_refs)):
        raise InputError(f"gold events name claims the gold articles do not have: {', '.join(unknown[:5])}")
    items, refs = _linked_items(articles, predicted)
    linked = link_claims(items, {a.id: a.text for a in articles}, now=date.min.isoformat())
    gold_event = {ref: f"singleton:{ref}" for ref in gold_refs} | {r: e.id for e in gold.events for r in e.claims}
    predicted_event = {ref: f"singleton:{ref}" for ref in gold_refs}
    predicted_event |= {refs[k]: e.id for e in linked.events for k in e.members if refs[k] in predicted_event}

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
        gold_claims=len(gold_refs),
        matched=len(set(refs.values()) & set(gold_refs)),
        gold_events=len(gold.events),
        predicted_events=len(linked.events),
    )
