"""Tests for the evaluation scorer, on the dev article and small hand-made articles."""

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from claimx.errors import InputError
from claimx.evaluation.gold import GoldArticle, GoldClaim, load_gold, locate_quote
from claimx.evaluation.scorer import (
    ArticleStats,
    Scorecard,
    render_table,
    score,
    score_article,
    set_f1,
    token_f1,
)

DEV_PATH = Path(__file__).parent / "data" / "dev_example.jsonl"
DEV = load_gold(DEV_PATH)[0]

RATES = (
    "claimant_accuracy",
    "actor_f1",
    "target_f1",
    "outcome_f1",
    "method_f1",
    "claimant_kind_accuracy",
    "stance_accuracy",
    "via_f1",
    "event_date_accuracy",
)


def gold_claim(claimant: str, *evidence: str, **fields: Any) -> GoldClaim:
    """A complete gold claim with neutral defaults for the fields a test does not care about."""
    base: dict[str, Any] = {
        "claimant_kind": "unknown",
        "via": [],
        "stance": "asserted",
        "event_date": None,
    }
    return GoldClaim(claimant=claimant, evidence=list(evidence), **(base | fields))


def article(text: str, *claims: GoldClaim, id: str = "a") -> GoldArticle:
    return GoldArticle(id=id, text=text, claims=list(claims))


def render(report: Scorecard) -> str:
    out = io.StringIO()
    Console(file=out, width=250).print(render_table(report))
    return out.getvalue()


TWO_IN_ONE = "The army said it shelled the village, while the rebels said they repelled the attack."
TWO_IN_ONE_GOLD = article(
    TWO_IN_ONE,
    gold_claim("the army", TWO_IN_ONE, actor="army", stance="claimed_responsibility"),
    gold_claim("the rebels", TWO_IN_ONE, actor="rebels", stance="asserted"),
)


# --- loading -----------------------------------------------------------------


def test_load_dev_example() -> None:
    assert DEV.id == "almayadeen-2023-12-14-us-forces-97-attacks"
    assert len(DEV.claims) == 8
    assert DEV.claims[0].via == ["Al Mayadeen"]
    assert DEV.published is not None and DEV.published.isoformat() == "2023-12-14"


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("{not json", "invalid JSON"),
        ('{"id": "x", "text": "t"}', "claims"),
        ('{"id": "x", "text": "Hello.", "claims": [{"claimant": "c", "evidence": ["Hello."]}]}', "claimant_kind"),
        (
            '{"id": "x", "text": "Hello.", "claims": [{"claimant": "c", "claimant_kind": "unknown", "via": [],'
            ' "stance": "asserted", "evidence": ["Goodbye."]}]}',
            "not in the text",
        ),
        (
            '{"id": "x", "text": "Hello.", "claims": [{"claimant": "c", "claimant_kind": "unknown", "via": [],'
            ' "stance": "asserted", "evidence": []}]}',
            "at least one evidence",
        ),
        (
            '{"id": "x", "text": "Hello.", "claims": [{"claimant": "c", "claimant_kind": "pundit", "via": [],'
            ' "stance": "asserted", "evidence": ["Hello."]}]}',
            "claimant_kind",
        ),
    ],
)
def test_load_gold_names_bad_line(tmp_path: Path, bad_line: str, message: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(DEV_PATH.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + bad_line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"gold\.jsonl:3: ") as err:
        load_gold(path)
    assert message in str(err.value)


def test_load_gold_rejects_duplicate_ids(tmp_path: Path) -> None:
    line = DEV_PATH.read_text(encoding="utf-8").strip()
    path = tmp_path / "gold.jsonl"
    path.write_text(f"{line}\n{line}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r":2: duplicate article id .*first on line 1"):
        load_gold(path)


# --- locating evidence -------------------------------------------------------


def test_locate_exact() -> None:
    quote = DEV.claims[2].evidence[0]
    start, end = locate_quote(DEV.text, quote) or (0, 0)
    assert DEV.text[start:end] == quote


def test_locate_normalised_quotes_whitespace_dashes_case() -> None:
    text = "He said:  \u201cWe hit\u00a0the\n base \u2014 twice.\u201d Then he left."
    span = locate_quote(text, ' "we HIT the base - twice." ')
    assert span is not None
    assert text[span[0] : span[1]] == "\u201cWe hit\u00a0the\n base \u2014 twice.\u201d"


def test_locate_normalised_in_dev_text() -> None:
    # The text has straight quotes, and a newline where this quote has a space.
    curly = "the attack \u201cis in response to the enemy\u2019s crimes in the Gaza Strip,\u201d"
    span = locate_quote(DEV.text, curly)
    assert span is not None
    assert DEV.text[span[0] : span[1]] == 'the attack "is in response to the enemy\'s crimes in the Gaza Strip,"'
    across = "the US occupation base was directly hit. Iraqi Resistance targets"
    span = locate_quote(DEV.text, across)
    assert span is not None
    assert DEV.text[span[0] : span[1]] == across.replace(". ", ".\n")


def test_locate_missing_or_blank() -> None:
    assert locate_quote(DEV.text, "US forces were hit by a meteor.") is None
    assert locate_quote(DEV.text, "   ") is None


# --- matching and metrics ----------------------------------------------------


def test_perfect_predictions() -> None:
    result = score_article(DEV, DEV.claims)
    m = result.metrics
    assert (m.precision, m.recall, m.f1, m.grounding_rate) == (1.0, 1.0, 1.0, 1.0)
    assert all(getattr(m, name) == 1.0 for name in RATES)
    assert [(p.gold_index, p.predicted_index) for p in result.pairs] == [(i, i) for i in range(8)]
    assert all(p.evidence_jaccard == 1.0 and p.score == 1.5 for p in result.pairs)
    assert result.ungrounded == []


def test_empty_predictions() -> None:
    m = score_article(DEV, []).metrics
    assert (m.matched, m.predicted, m.gold) == (0, 0, 8)
    assert (m.precision, m.recall, m.f1) == (1.0, 0.0, 0.0)
    assert m.grounding_rate is None
    assert all(getattr(m, name) is None for name in RATES)


def test_swapped_claimants_still_pair_by_evidence() -> None:
    first, second = DEV.claims[0], DEV.claims[1]
    predicted = [
        first.model_copy(update={"claimant": second.claimant}),
        second.model_copy(update={"claimant": first.claimant}),
    ]
    result = score_article(DEV, predicted)
    assert [(p.gold_index, p.predicted_index) for p in result.pairs] == [(0, 0), (1, 1)]
    assert result.metrics.claimant_accuracy == 0.0
    assert result.metrics.precision == 1.0
    assert result.metrics.recall == 2 / 8


def test_ungrounded_quote_cannot_match() -> None:
    target = DEV.claims[1]
    predicted = [
        target.model_copy(update={"evidence": ["US forces were hit by a meteor."]}),
        DEV.claims[2],
        # One locatable quote is enough to ground a claim.
        DEV.claims[5].model_copy(update={"evidence": ["Invented sentence.", *DEV.claims[5].evidence]}),
    ]
    result = score_article(DEV, predicted)
    assert result.ungrounded == [0]
    assert sorted((p.gold_index, p.predicted_index) for p in result.pairs) == [(2, 1), (5, 2)]
    m = result.metrics
    assert (m.grounded, m.grounding_rate) == (2, 2 / 3)
    assert m.precision == 2 / 3


def test_one_sentence_two_claims_assigned_by_claimant() -> None:
    predicted = [
        GoldClaim(claimant="Rebels", evidence=[TWO_IN_ONE], actor="rebels"),
        GoldClaim(claimant="The Army", evidence=[TWO_IN_ONE], actor="army"),
    ]
    result = score_article(TWO_IN_ONE_GOLD, predicted)
    assert sorted((p.gold_index, p.predicted_index) for p in result.pairs) == [(0, 1), (1, 0)]
    assert result.metrics.claimant_accuracy == 1.0
    assert result.metrics.actor_f1 == 1.0


def test_evidence_split_over_two_sentences() -> None:
    gold = DEV.claims[3]
    assert len(gold.evidence) == 2
    predicted = gold.model_copy(update={"evidence": gold.evidence[:1]})
    result = score_article(DEV, [predicted])
    (pair,) = result.pairs
    assert pair.gold_index == 3
    expected = len(gold.evidence[0]) / (len(gold.evidence[0]) + len(gold.evidence[1]))
    assert pair.evidence_jaccard == pytest.approx(expected)
    assert 0 < pair.evidence_jaccard < 1
    assert result.metrics.precision == 1.0


def test_normalised_quote_matches() -> None:
    gold = DEV.claims[3]
    retyped = gold.evidence[1].replace('"', "\u201d").replace("enemy's", "enemy\u2019s").replace(" ", "  ").upper()
    result = score_article(DEV, [gold.model_copy(update={"evidence": [retyped]})])
    assert result.ungrounded == []
    (pair,) = result.pairs
    assert pair.gold_index == 3 and 0 < pair.evidence_jaccard < 1


def test_no_evidence_overlap_no_match_even_with_same_claimant() -> None:
    # The headline restates claims but is no gold claim's evidence.
    headline = "Iraqi Resistance targets three US occupation bases in Syria"
    predicted = DEV.claims[4].model_copy(update={"evidence": [headline]})
    result = score_article(DEV, [predicted])
    assert result.pairs == [] and result.ungrounded == []
    assert (result.metrics.precision, result.metrics.grounding_rate) == (0.0, 1.0)


def test_field_scores_on_matched_pair() -> None:
    gold = DEV.claims[0]
    predicted = GoldClaim(
        claimant="a US military official",
        claimant_kind="named_person",
        via=["Al Mayadeen", "Reuters"],
        actor=None,
        target="US forces in Iraq and Syria",
        method=["Drones", "rockets"],
        outcome="97 attacks",
        stance="asserted",
        event_date=" 2023-10-17/2023-12-13 ",
        evidence=gold.evidence,
    )
    (pair,) = score_article(DEV, [predicted]).pairs
    assert pair.claimant_f1 == 1.0  # "a" is a stopword
    assert pair.claimant_kind_correct is False
    assert pair.stance_correct is True
    assert pair.via_f1 == pytest.approx(2 / 3)
    assert pair.actor_f1 == 1.0  # both null
    assert pair.outcome_f1 == 0.0  # gold null
    assert pair.method_f1 == pytest.approx(0.8)
    assert pair.target_f1 == pytest.approx(2 * 5 / (7 + 5))  # "and" twice in gold, once matched
    assert pair.event_date_correct is True


def test_fields_the_system_does_not_output_are_not_scored() -> None:
    gold = DEV.claims[1]  # event_date is null in gold
    bare = GoldClaim(claimant=gold.claimant, evidence=gold.evidence)
    result = score_article(DEV, [bare])
    (pair,) = result.pairs
    assert (pair.claimant_kind_correct, pair.stance_correct, pair.via_f1, pair.event_date_correct) == (None,) * 4
    m = result.metrics
    assert (m.claimant_kind_accuracy, m.stance_accuracy, m.via_f1, m.event_date_accuracy) == (None,) * 4
    assert m.claimant_accuracy == 1.0


def test_exact_accuracy_only_over_pairs_with_the_field() -> None:
    first = DEV.claims[0]  # stance "asserted", event_date set
    second = DEV.claims[1]
    predicted = [
        GoldClaim(claimant=first.claimant, evidence=first.evidence, stance="asserted", event_date=None),
        GoldClaim(claimant=second.claimant, evidence=second.evidence),
    ]
    m = score_article(DEV, predicted).metrics
    assert m.matched == 2
    assert m.stance_accuracy == 1.0  # one pair has a stance, and it is right
    assert m.event_date_accuracy == 0.0  # explicit null date against a dated gold claim


def test_explicit_null_event_date_is_a_prediction() -> None:
    gold = DEV.claims[1]  # event_date is null in gold
    predicted = GoldClaim(claimant=gold.claimant, evidence=gold.evidence, event_date=None)
    (pair,) = score_article(DEV, [predicted]).pairs
    assert pair.event_date_correct is True  # both null
    reloaded = GoldClaim.model_validate_json(predicted.model_dump_json(exclude_unset=True))
    assert reloaded.model_fields_set == predicted.model_fields_set


# --- 0/0 conventions -----------------------------------------------------------


def test_no_gold_no_predictions_is_perfect() -> None:
    empty = article("Nothing is claimed here.")
    m = score_article(empty, []).metrics
    assert (m.precision, m.recall, m.f1) == (1.0, 1.0, 1.0)
    assert m.grounding_rate is None
    assert all(getattr(m, name) is None for name in RATES)


def test_predictions_without_gold() -> None:
    empty = article("Nothing is claimed here.")
    m = score_article(empty, [GoldClaim(claimant="x", evidence=["Nothing is claimed"])], scope="all").metrics
    assert (m.precision, m.recall, m.f1, m.grounding_rate) == (0.0, 1.0, 0.0, 1.0)


def test_the_attacks_scope_sets_aside_other_statements_and_counts_them() -> None:
    text = "The rebels said they attacked the base. The minister said talks would resume on Monday."
    gold = article(text, gold_claim("the rebels", "The rebels said they attacked the base."))
    predicted = [
        GoldClaim(claimant="the rebels", evidence=["The rebels said they attacked the base."]),
        GoldClaim(claimant="the minister", evidence=["The minister said talks would resume on Monday."]),
    ]
    attacks = score([gold], {gold.id: predicted})
    assert (attacks.total.metrics.predicted, attacks.total.metrics.precision, attacks.total.set_aside) == (1, 1.0, 1)
    assert "1 predicted other-statement claims set aside" in render(attacks)
    everything = score([gold], {gold.id: predicted}, scope="all")
    assert (everything.total.metrics.predicted, everything.total.metrics.precision) == (2, 0.5)
    assert everything.total.set_aside == 0


def test_undefined_metrics_render_as_dash() -> None:
    report = score([DEV], {})
    row = next(line for line in render(report).splitlines() if "total" in line)
    assert "\u2013" in row  # en dash
    assert "1.00" in row and "0.00" in row  # P=1, R=0 and F1=0 are defined


# --- totals ----------------------------------------------------------------------


def test_totals_are_micro_averaged_and_pooled() -> None:
    second = TWO_IN_ONE_GOLD.model_copy(update={"id": "b"})
    predictions = {
        DEV.id: DEV.claims[:2],  # 2 matched of 8 gold, claimants right
        "b": [
            GoldClaim(claimant="the rebels", evidence=[TWO_IN_ONE]),
            GoldClaim(claimant="nobody", evidence=[TWO_IN_ONE]),
            GoldClaim(claimant="ghost", evidence=["not in the text"]),
        ],
    }
    stats = {
        DEV.id: ArticleStats(llm_calls=3, prompt_tokens=1000, completion_tokens=100, seconds=2.0),
        "b": ArticleStats(llm_calls=1, prompt_tokens=500, completion_tokens=50, seconds=1.0),
    }
    report = score([DEV, second], predictions, stats, scope="all")
    a, b = (x.metrics for x in report.articles)
    assert (a.precision, a.recall) == (1.0, 2 / 8)
    assert (b.precision, b.recall) == (2 / 3, 1.0)
    t = report.total.metrics
    assert (t.matched, t.predicted, t.gold, t.grounded) == (4, 5, 10, 4)
    assert t.precision == 4 / 5 != (a.precision + b.precision) / 2
    assert t.recall == 4 / 10 != (a.recall + b.recall) / 2
    assert t.f1 == pytest.approx(2 * 0.8 * 0.4 / 1.2)
    assert t.claimant_accuracy == 3 / 4  # pooled over pairs, not the mean of 1.0 and 0.5
    assert t.grounding_rate == 4 / 5
    cost = report.total.stats
    assert cost is not None
    assert (cost.articles, cost.llm_calls, cost.prompt_tokens, cost.completion_tokens) == (2, 4, 1500, 150)
    assert (cost.seconds, cost.mean_llm_calls, cost.mean_prompt_tokens, cost.mean_seconds) == (3.0, 2.0, 750.0, 1.5)


def test_missing_prediction_counts_as_empty_and_unknown_ids_fail() -> None:
    report = score([DEV, TWO_IN_ONE_GOLD], {TWO_IN_ONE_GOLD.id: []})
    assert [a.metrics.recall for a in report.articles] == [0.0, 0.0]
    assert report.total.stats is None
    with pytest.raises(ValueError, match="unknown article ids"):
        score([DEV], {"nope": []})
    with pytest.raises(ValueError, match="unknown article ids"):
        score([DEV], {}, {"nope": ArticleStats(llm_calls=0, prompt_tokens=0, completion_tokens=0, seconds=0)})
    with pytest.raises(ValueError, match="duplicate"):
        score([DEV, DEV], {})


# --- output ----------------------------------------------------------------------


def test_report_json_round_trip_and_table() -> None:
    stats = {DEV.id: ArticleStats(llm_calls=2, prompt_tokens=1234, completion_tokens=56, seconds=3.25)}
    report = score([DEV, TWO_IN_ONE_GOLD], {DEV.id: DEV.claims}, stats)
    data = json.loads(report.model_dump_json())
    assert data["total"]["metrics"]["gold"] == 10
    assert data["articles"][0]["pairs"][0]["gold_index"] == 0
    assert Scorecard.model_validate_json(report.model_dump_json()) == report
    table = render_table(report)
    assert table.row_count == 4  # two articles, total, mean per article
    text = render(report)
    assert "1,234" in text and "3.2" in text and "mean / article" in text


# --- properties ------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, len(DEV.claims) - 1), unique=True))
def test_subset_of_gold_scores_perfectly_on_what_it_predicts(indices: list[int]) -> None:
    predicted = [DEV.claims[i] for i in indices]
    m = score_article(DEV, predicted).metrics
    assert m.precision == 1.0
    assert m.recall == len(indices) / len(DEV.claims)
    sub = score_article(DEV.model_copy(update={"claims": predicted}), predicted).metrics
    assert sub.f1 == 1.0
    expected = 1.0 if indices else None
    assert all(getattr(m, name) == expected for name in RATES)


@given(st.text(max_size=30), st.text(max_size=30))
def test_token_f1_symmetric_and_bounded(a: str, b: str) -> None:
    assert token_f1(a, b) == token_f1(b, a)
    assert 0.0 <= token_f1(a, b) <= 1.0
    assert token_f1(a, a) == 1.0
    assert set_f1([a], [b]) == set_f1([b], [a])


@given(st.data())
def test_any_slice_of_text_is_located(data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(DEV.text) - 1))
    end = data.draw(st.integers(start + 1, len(DEV.text)))
    quote = DEV.text[start:end]
    span = locate_quote(DEV.text, quote)
    if not quote.strip():
        assert span is None
        return
    assert span is not None and DEV.text[span[0] : span[1]] == quote.strip()  # surrounding space is not evidence
    span = locate_quote(DEV.text, quote.upper())
    assert span is not None
    assert DEV.text[span[0] : span[1]].lower().split() == quote.lower().split()
