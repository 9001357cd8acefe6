"""The gold set for linking across articles (eval/corpus): real licensed articles whose claims, events, entities and
contradictions were annotated by hand. These checks keep it whole as it grows: it must stay large enough to
measure with, every reference must point at a claim that exists, and every quote and entity form must be the
articles' own words, so that a score against it means what it says."""

from __future__ import annotations

import json
from collections import Counter
from itertools import chain

import pytest

from claimx.evaluation.gold import GoldArticle, load_gold
from claimx.evaluation.linking import CorpusGold, load_corpus_gold, score_corpus
from tests.helpers import ROOT

CORPUS = ROOT / "eval" / "corpus"


@pytest.fixture(scope="module")
def articles() -> list[GoldArticle]:
    return load_gold(CORPUS / "articles.jsonl")


@pytest.fixture(scope="module")
def gold() -> CorpusGold:
    return load_corpus_gold(CORPUS / "corpus.json")


def article_of(ref: str) -> str:
    return ref.rpartition("#")[0]


def test_the_set_is_large_enough_to_measure_with(articles: list[GoldArticle], gold: CorpusGold) -> None:
    assert len(articles) >= 24
    sizes = [len({article_of(ref) for ref in event.claims}) for event in gold.events]
    assert sum(size >= 3 for size in sizes) >= 6, sizes
    assert gold.contradictions, "the set should exercise contradiction detection"


def test_every_reference_names_a_claim_that_exists(articles: list[GoldArticle], gold: CorpusGold) -> None:
    refs = {f"{a.id}#{i}" for a in articles for i in range(len(a.claims))}
    in_events = [ref for event in gold.events for ref in event.claims]
    assert set(in_events) <= refs, sorted(set(in_events) - refs)
    assert not [ref for ref, n in Counter(in_events).items() if n > 1], "a claim belongs to at most one event"
    assert len({event.id for event in gold.events}) == len(gold.events)
    event_of = {ref: event.id for event in gold.events for ref in event.claims}
    for contradiction in gold.contradictions:
        a, b = contradiction.claims
        assert a != b and event_of.get(a) == event_of.get(b) == contradiction.event, contradiction


def test_every_quote_is_the_articles_own_words(articles: list[GoldArticle]) -> None:
    lines = (CORPUS / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [a.id for a in articles]
    for article in articles:
        assert article.text.endswith("\n") and article.claims, article.id
        for i, claim in enumerate(article.claims):
            missing = [quote for quote in claim.evidence if quote not in article.text]
            assert not missing, f"{article.id}#{i}: {missing}"


def test_every_entity_form_is_used_by_a_claim(articles: list[GoldArticle], gold: CorpusGold) -> None:
    used = {
        name
        for claim in chain.from_iterable(a.claims for a in articles)
        for name in (claim.claimant, claim.actor, claim.target)
        if name
    }
    forms = [form for entity in gold.entities for form in entity.forms]
    assert set(forms) <= used, sorted(set(forms) - used)
    assert len(forms) == len(set(forms)), "a form names one entity only"
    assert len({entity.id for entity in gold.entities}) == len(gold.entities)


def test_every_article_has_its_origin_and_licence_recorded(articles: list[GoldArticle]) -> None:
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    assert "articles.jsonl" in sources and "corpus.json" in sources
    for line in (CORPUS / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert row["url"] and row["licence"], row["id"]
        assert f"| {row['id']} |" in sources and row["url"] in sources, row["id"]


def test_the_linker_can_be_scored_against_it(articles: list[GoldArticle], gold: CorpusGold) -> None:
    scored = score_corpus(articles, gold)
    assert scored.claims == sum(len(a.claims) for a in articles)
    assert scored.gold_events == len(gold.events)
