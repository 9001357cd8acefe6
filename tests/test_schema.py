from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from claimx.extraction.drafts import ClaimDrafts, PairClaims, SentenceClaims, draft_problems
from claimx.result import Article, Claim, Evidence, GroundingStatus, Provenance, Result, Usage

ARTICLE = (
    "A police spokesman told Reuters that rebels fired mortars at the depot on Monday, "
    "wounding two guards. The convoy reached the border on Tuesday."
)
SOURCED = ARTICLE.split(". ", maxsplit=1)[0] + "."
UNSOURCED = "The convoy reached the border on Tuesday."


def draft(**overrides: object) -> dict:
    base = {
        "evidence": [SOURCED],
        "claimant": "a police spokesman",
        "claimant_kind": "anonymous_official",
        "via": ["Reuters"],
        "stance": "alleged",
        "actor": "rebels",
        "target": "the depot",
        "method": ["mortars"],
        "outcome": "wounding two guards",
        "event_date": "2024-03-04",
    }
    return {**base, **overrides}


def validate(*claims: dict) -> ClaimDrafts:
    return ClaimDrafts.model_validate({"claims": list(claims)}, context={"article": ARTICLE})


def test_a_sound_draft_passes() -> None:
    assert validate(draft()).claims[0].via == ["Reuters"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"evidence": ["A police spokesman told AP that rebels fired mortars."]}, "does not appear in the article"),
        ({"claimant": None}, "needs a claimant"),
        ({"claimant": None, "outcome": "wounding two guards"}, "an outcome needs a claimant"),
        ({"evidence": [UNSOURCED], "outcome": None, "via": []}, "no attribution cue"),
        ({"outcome": "the depot was destroyed"}, "outcome 'the depot was destroyed' is not stated"),
        ({"via": ["Al Jazeera"]}, "via entry 'Al Jazeera' is not named"),
        ({"method": ["mortars", "car bomb"]}, "method 'car bomb' is not named in the evidence"),
        ({"event_date": "Monday"}, "must be YYYY-MM-DD"),
    ],
)
def test_problems_are_validation_errors_that_say_what_to_do(overrides: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        validate(draft(**overrides))


def test_without_article_context_drafts_parse_leniently() -> None:
    lenient = ClaimDrafts.model_validate(
        {"claims": [draft(claimant=None)]}, context={"article": ARTICLE, "lenient": True}
    )
    assert draft_problems(lenient.claims[0], ARTICLE) == [
        "an outcome needs a claimant who states it; if the sentence has no source, return no claim for it"
    ]


def test_a_sentence_claim_nobody_states_goes_back_to_the_model_and_parses_leniently_after() -> None:
    unstated = {"claims": [{"claimant": " ", "claimant_kind": "unknown", "stance": "asserted"}]}
    with pytest.raises(ValidationError, match="a claim needs a claimant who states it; if the sentence has no source"):
        SentenceClaims.model_validate(unstated, context={"article": ARTICLE})
    assert SentenceClaims.model_validate(unstated, context={"article": ARTICLE, "lenient": True}).claims


def test_unknown_stance_is_rejected() -> None:
    with pytest.raises(ValidationError, match="stance"):
        validate(draft(stance="confirmed"))


def _result() -> Result:
    claim = Claim(
        id="c1",
        claimant="a police spokesman",
        claimant_kind="anonymous_official",
        via=["Reuters"],
        stance="alleged",
        actor="rebels",
        target="the depot",
        method=["mortars"],
        outcome=None,
        time_text="on Monday",
        event_date=None,
        place=None,
        evidence=[Evidence(quote=SOURCED, start=0, end=len(SOURCED), status=GroundingStatus.EXACT)],
    )
    now = datetime.now(UTC)
    return Result(
        article=Article(text=ARTICLE, sha256="0" * 64, source="text"),
        claims=[claim],
        usage=Usage(),
        provenance=Provenance(
            model="m",
            base_url="http://x/v1",
            strategy="whole",
            prompt_hashes={},
            schema_hash="h",
            parameters={},
            claimx_version="0",
            started_at=now,
            seconds=0.0,
        ),
    )


def test_claims_are_unverified_until_a_separate_record_says_otherwise() -> None:
    result = _result()
    claim_before = result.claims[0].model_dump()
    assert result.verification_of("c1") is None
    record = result.verify("c1", verdict="false", by="desk editor", evidence=["https://example.org/check"])
    assert result.verification_of("c1") == record
    assert result.claims[0].model_dump() == claim_before  # the claim itself never changes
    with pytest.raises(ValidationError):
        result.claims[0].outcome = "verified"  # type: ignore[misc]
    with pytest.raises(KeyError):
        result.verify("nope", verdict="true", by="x")


def test_result_round_trips_and_rejects_dangling_verifications() -> None:
    result = _result()
    result.verify("c1", verdict="unproven", by="bot")
    again = Result.model_validate_json(result.model_dump_json())
    assert again == result and again.claims[0].grounded and again.claims[0].chain == "a police spokesman ← Reuters"
    data = result.model_dump()
    data["verifications"][0]["claim_id"] = "ghost"
    with pytest.raises(ValidationError, match="unknown claims"):
        Result.model_validate(data)


def test_the_model_cannot_fill_verification() -> None:
    assert "verification" not in str(ClaimDrafts.model_json_schema()).lower()
    assert "verdict" not in str(ClaimDrafts.model_json_schema()).lower()


def test_a_pair_answer_quotes_each_claim_s_own_sentence_and_re_asks_an_unstated_claim_in_either() -> None:
    said = {"claimant": "Police", "claimant_kind": "official_body", "stance": "asserted"}
    answer = PairClaims.model_validate({"first": [], "second": [said]}, context={"article": ARTICLE})
    assert [c.evidence for c in answer.drafts(["One said.", "Two said."]).claims] == [["Two said."]]
    unstated = {"first": [said], "second": [said | {"claimant": None}]}
    with pytest.raises(ValidationError, match="a claim needs a claimant who states it"):
        PairClaims.model_validate(unstated, context={"article": ARTICLE})
    assert len(PairClaims.model_validate(unstated, context={"article": ARTICLE, "lenient": True}).first) == 1
