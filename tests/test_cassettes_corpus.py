"""The gold corpus (25 articles, 15 events) through the local model and the linker, as a user runs it:
`claimx batch` into a store, then `claimx eval --corpus --db` scores events, entities and contradictions
on the model's own claims (issue #16's "measured on extractions from the local model").

Until its cassette exists this test needs the model server and is skipped without --live. Record it once,
with `claimx local serve` running and nothing else loading the machine. Measured 2026-12-02 on an idle
2-core machine with two calls in flight: 8 of the 25 articles in 37 minutes (121 calls, about 15 an article
with the re-asks, 3.3 a minute), so about two hours for the corpus; eight in flight on the server's 4 slots
was slower still (queued calls wait, and the wait counts against the call's timeout):
    pytest tests/test_cassettes_corpus.py --live --record-mode=once
After that it replays from `cassettes/test_cassettes_corpus/` like every other cassette test.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from click.testing import CliRunner

from claimx.cli import main
from claimx.evaluation.gold import load_gold
from claimx.store import open_store
from tests.helpers import ROOT

CASSETTES = ROOT / "cassettes" / "test_cassettes_corpus"
ARTICLES = ROOT / "eval" / "corpus" / "articles.jsonl"
CORPUS = ROOT / "eval" / "corpus" / "corpus.json"
F = TypeVar("F", bound=Callable[..., Any])
OPTIONS = ["--strategy", "sentences", "-j", "1", "--calls-per-article", "2"]
"""How the corpus was recorded (`claimx batch` options besides the store and the endpoint)."""


def recorded_or_live(test: F) -> F:
    """Mark a test `live` (skipped unless --live) while its cassette has not been recorded."""
    return test if (CASSETTES / f"{test.__name__}.yaml").is_file() else pytest.mark.live(test)


@recorded_or_live
@pytest.mark.vcr
def test_the_gold_corpus_links_from_the_local_models_claims(local_endpoint, tmp_path, vcr) -> None:
    db = tmp_path / "corpus.db"
    runner = CliRunner(env={"OPENAI_API_KEY": local_endpoint["api_key"]})
    endpoint = ["--base-url", local_endpoint["base_url"], "--model", local_endpoint["model"]]
    batch = runner.invoke(main, ["batch", str(ARTICLES), "--db", str(db), *OPTIONS, *endpoint])
    assert batch.exit_code == 0, batch.output
    with open_store(db, create=False) as store:
        claims = store.claims()
    articles = load_gold(ARTICLES)
    assert {c.article_id for c in claims} <= {a.id for a in articles}

    scored = runner.invoke(main, ["eval", str(ARTICLES), "--corpus", str(CORPUS), "--db", str(db), "--format", "json"])
    assert scored.exit_code == 0, scored.output
    score = json.loads(scored.output)
    assert score["claims"] == len(claims)  # the model's claims are what was linked, not the gold's
    assert score["gold_claims"] == sum(len(a.claims) for a in articles)
    for measure in ("events_pairwise", "events_bcubed", "entities_pairwise", "contradictions"):
        assert 0.0 <= score[measure]["f1"] <= 1.0
