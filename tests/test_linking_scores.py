"""The scorer of linking across articles: the clustering metrics on hand-worked cases, and the whole scoring on
the synthetic corpus gold sample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimx.cli import main
from claimx.errors import InputError
from claimx.evaluation.gold import GoldClaim, load_gold
from claimx.evaluation.linking import CorpusScore, as_stored, bcubed, load_corpus_gold, pairwise, score_corpus
from claimx.store import open_store
from tests.helpers import DATA

ARTICLES = DATA / "corpus-gold-synthetic.jsonl"
GOLD = DATA / "corpus-gold-synthetic.json"


def test_pairwise_and_bcubed_on_a_worked_example() -> None:
    gold = {"a": 1, "b": 1, "c": 1, "d": 2}
    predicted = {"a": 1, "b": 1, "c": 2, "d": 2}
    # gold pairs ab ac bc; predicted pairs ab cd; shared ab
    assert pairwise(gold, predicted).model_dump() == pytest.approx({"precision": 0.5, "recall": 1 / 3, "f1": 0.4})
    # precision per item: a 1, b 1, c 1/2, d 1/2; recall: a 2/3, b 2/3, c 1/3, d 1
    scored = bcubed(gold, predicted)
    assert (scored.precision, scored.recall) == pytest.approx((0.75, 2 / 3))
    assert pairwise(gold, gold).f1 == bcubed(gold, gold).f1 == 1.0
    everything = {k: 0 for k in gold}
    assert bcubed(gold, everything).recall == 1.0 and bcubed(gold, everything).precision < 0.7


def test_the_synthetic_sample_scores_perfectly() -> None:
    scored = score_corpus(load_gold(ARTICLES), load_corpus_gold(GOLD))
    assert (scored.claims, scored.gold_events, scored.predicted_events) == (9, 3, 3)
    assert scored.events_bcubed.f1 == scored.events_pairwise.f1 == 1.0
    assert scored.entities_pairwise.f1 == 1.0
    assert (scored.contradictions.precision, scored.contradictions.recall) == (1.0, 1.0)


def test_a_gold_that_disagrees_lowers_the_scores(tmp_path: Path) -> None:
    data = json.loads(GOLD.read_text())
    data["events"][0]["claims"].remove("ap#0")  # the Kataib Hezbollah claim as an event of its own
    data["entities"][0]["forms"].remove("The IRI")
    data["entities"].append({"id": "other", "name": "IRI", "forms": ["The IRI"]})
    data["contradictions"] = data["contradictions"][:1] + data["contradictions"][3:]
    changed = tmp_path / "gold.json"
    changed.write_text(json.dumps(data))
    scored = score_corpus(load_gold(ARTICLES), load_corpus_gold(changed))
    assert scored.events_bcubed.precision < 1.0 and scored.events_bcubed.recall == 1.0
    assert scored.entities_pairwise.precision < 1.0
    assert scored.contradictions.precision == pytest.approx(3 / 5) and scored.contradictions.recall == 1.0


def test_a_broken_corpus_gold_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "gold.json"
    bad.write_text('{"format": "claimx-gold-corpus v1", "events": [{"id": "x", "claims": ["nowhere#0"]}]}')
    with pytest.raises(InputError, match="nowhere#0"):
        score_corpus(load_gold(ARTICLES), load_corpus_gold(bad))
    bad.write_text('{"events": []}')
    with pytest.raises(InputError, match="not a claimx-gold-corpus v1 file"):
        load_corpus_gold(bad)


def _predictions(drop: str | None = None) -> dict[str, list[GoldClaim]]:
    """The gold claims as a tool's predictions, in reverse order within each article (so matching, not position,
    must pair them), leaving out the claim `drop` (ARTICLE_ID#INDEX)."""
    return {
        a.id: [c for i, c in reversed(list(enumerate(a.claims))) if f"{a.id}#{i}" != drop] for a in load_gold(ARTICLES)
    }


def _scored(predicted: dict[str, list[GoldClaim]]) -> CorpusScore:
    articles = load_gold(ARTICLES)
    return score_corpus(articles, load_corpus_gold(GOLD), as_stored(articles, predicted))


def test_predicted_claims_that_match_the_gold_score_as_the_gold_does() -> None:
    scored = _scored(_predictions())
    assert (scored.claims, scored.matched, scored.gold_claims) == (9, 9, 9)
    assert scored.events_bcubed.f1 == scored.entities_pairwise.f1 == 1.0
    assert (scored.contradictions.precision, scored.contradictions.recall) == (1.0, 1.0)


def test_a_gold_claim_the_extraction_missed_costs_recall_and_its_contradictions() -> None:
    scored = _scored(_predictions(drop="ap#0"))
    assert (scored.claims, scored.matched) == (8, 8)
    assert scored.events_bcubed.precision == 1.0 and scored.events_bcubed.recall < 1.0
    assert scored.contradictions.precision == 1.0 and scored.contradictions.recall == pytest.approx(3 / 5)


def test_a_predicted_claim_matching_no_gold_claim_is_linked_but_stands_for_none() -> None:
    predicted = _predictions()
    invented = GoldClaim(  # a denial by Kataib Hezbollah that the article does not hold: it quotes only the headline
        claimant="Kataib Hezbollah",
        claimant_kind="armed_group",
        stance="denied",
        actor="Kataib Hezbollah",
        target="the Ain al-Assad base",
        method=["drones"],
        event_date="2023-12-13",
        evidence=["Headline"],
    )
    predicted["al-mayadeen"].append(invented)
    scored = _scored(predicted)
    assert (scored.claims, scored.matched, scored.gold_claims) == (10, 9, 9)
    assert scored.events_bcubed.f1 == 1.0  # clustering is scored over the gold claims only
    assert scored.contradictions.recall == 1.0 and scored.contradictions.precision < 1.0  # its denial is no gold one


def test_eval_scores_saved_predictions_against_the_corpus_gold(tmp_path: Path) -> None:
    saved = tmp_path / "predictions.jsonl"
    lines = [
        {"id": a, "claims": [c.model_dump(exclude_unset=True) for c in claims]}
        for a, claims in _predictions(drop="ap#0").items()
    ]
    saved.write_text("".join(json.dumps(line) + "\n" for line in lines))
    command = ["eval", str(ARTICLES), "--corpus", str(GOLD), "--format", "json"]
    linked_gold = CliRunner().invoke(main, command)
    linked_predictions = CliRunner().invoke(main, [*command, "--predictions", str(saved)])
    assert linked_gold.exit_code == linked_predictions.exit_code == 0, linked_predictions.output
    assert json.loads(linked_gold.output)["matched"] == 9 and json.loads(linked_gold.output)["events_bcubed"]["f1"] == 1
    scored = json.loads(linked_predictions.output)
    assert (scored["claims"], scored["matched"]) == (8, 8) and scored["events_bcubed"]["recall"] < 1


def test_eval_takes_the_claims_from_a_store_or_from_predictions_not_both(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    with open_store(db):
        pass  # a store that holds no run
    saved = tmp_path / "predictions.jsonl"
    saved.touch()
    for extra in ([], ["--corpus", str(GOLD)]):
        run = CliRunner().invoke(main, ["eval", str(ARTICLES), "--db", str(db), "--predictions", str(saved), *extra])
        assert run.exit_code == 2 and "--db or --predictions" in run.output, run.output
    empty = CliRunner().invoke(main, ["eval", str(ARTICLES), "--db", str(db)])
    assert empty.exit_code == 1 and "holds no finished run of any article" in empty.output, empty.output
