"""The act a claim's quotes describe: its means and its result, read from the words (sentences of our own)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimx.extraction.act import means_named, outcome_stated
from claimx.extraction.attribution import settle
from claimx.extraction.drafts import ClaimDraft, TranslatedDraft


@pytest.mark.parametrize(
    ("sentence", "means"),
    [
        ("Rebels said they fired rockets and mortars at the garrison.", ["rockets", "mortars"]),
        ("The army said gunmen, using guns and explosives, stormed the hotel.", ["guns", "explosives"]),
        ("Police said a car bomb exploded outside the court; the bomb had been parked overnight.", ["car bomb"]),
        ("The front claimed the drone attack on the airfield.", ["drone"]),
        ("Officials said a roadside bomb blast killed four soldiers.", ["roadside bomb"]),
        ("The ministry said short-range ballistic missiles hit the port.", ["short-range ballistic missiles"]),
        ("Witnesses said remote-controlled bombs went off in the market.", ["remote-controlled bombs"]),
        ("The group said it struck with Katyusha rockets and mortar rounds.", ["Katyusha rockets", "mortar rounds"]),
        ("The spokesman said the twin bombings were revenge.", ["twin bombings"]),
        ("The navy said it shot down two attack drones.", ["attack drones"]),
        ("Hamas said it fired rockets in retaliation for an artillery strike.", ["rockets"]),  # a motive's means
    ],
)
def test_the_means_are_the_weapon_nouns_with_their_kind(sentence: str, means: list[str]) -> None:
    assert means_named([sentence]) == means


@pytest.mark.parametrize(
    "sentence",
    [
        "The army said it was targeting rocket launch sites.",  # a place
        "Police said bomb disposal experts cleared the road.",  # people
        "The minister said the suicide bomber was 19.",  # a person, not a means
        "The governor said the attack killed nine people.",  # no means named
        "Residents said gunmen opened fire on the bus.",  # gunmen are the doers
    ],
)
def test_a_weapon_noun_naming_a_place_person_or_nothing_is_no_means(sentence: str) -> None:
    assert means_named([sentence]) == []


def test_the_means_of_several_quotes_are_named_once() -> None:
    assert means_named(["Police said a truck bomb went off.", "The bomb and two grenades were found."]) == [
        "truck bomb",
        "grenades",
    ]


@pytest.mark.parametrize(
    ("sentence", "outcome"),
    [
        (
            "Officials said 14 people were killed and 20 were injured after the blast.",
            "14 people were killed and 20 were injured",
        ),
        (
            "Police said a roadside bomb killed three soldiers and wounded at least 5 others in Kandi.",
            "killed three soldiers and wounded at least 5 others",
        ),
        (
            "The governor said the attacks left 40 people dead and dozens wounded, and vowed to respond.",
            "40 people dead and dozens wounded",
        ),
        ("Residents said the clinic was badly damaged.", "the clinic was badly damaged"),
        ("The agency said the death toll rose to 61 on Sunday.", "the death toll rose to 61"),
        (
            "The death toll from the March 3 bombing in Kandi has risen to 212, a committee said.",
            "The death toll from the March 3 bombing in Kandi has risen to 212",  # the toll's figure, not the day's
        ),
        ("The toll had earlier been reported as 1,358.", "The toll had earlier been reported as 1,358"),
        ("Other sources put the death toll around 33.", "the death toll around 33"),
        ("The army said two rockets struck the airfield but caused no casualties.", "no casualties"),
        ("Twelve villagers killed in night raid, police say.", "Twelve villagers killed"),
        ("Two of the guards died, and four were hurt.", "Two of the guards died; four were hurt"),
        (
            "The ministry said two of the gunmen who attacked a college in the north have been killed.",
            "two of the gunmen have been killed",  # who the dead are, not what they did
        ),
    ],
)
def test_the_outcome_is_each_result_clause_as_written(sentence: str, outcome: str) -> None:
    assert outcome_stated([sentence]) == outcome


@pytest.mark.parametrize(
    "sentence",
    [
        "The army said drones hit the depot.",  # what was done, not what resulted
        "The group said it struck in revenge for the killing of its commander.",  # a motive
        "Witnesses said the bodies were among the dead.",  # no result clause of its own
        "The minister said the attack was cowardly.",
        "The mayor said the toll road to Kandi reopened on 12 March.",  # a toll that counts no dead
    ],
)
def test_a_quote_with_no_result_clause_has_no_outcome(sentence: str) -> None:
    assert outcome_stated([sentence]) is None


@given(st.lists(st.sampled_from(["a car bomb", "drones", "the", "said", "rocket launch sites", "and", ",", "knife"])))
def test_every_means_is_written_in_the_text(words: list[str]) -> None:
    text = " ".join(words)
    for means in means_named([text]):
        assert means in text


def test_in_english_the_words_settle_method_and_outcome_and_other_languages_keep_the_models() -> None:
    english = ClaimDraft(
        evidence=["Police said militants fired rockets at the checkpoint, killing two guards."],
        claimant="Police",
        claimant_kind="official_body",
        stance="asserted",
        method=["militants", "unknown"],
        outcome="an attack",
    )
    assert settle(english).method == ["rockets"] and settle(english).outcome == "killing two guards"
    unsaid = settle(english.model_copy(update={"evidence": ["Police said the checkpoint came under attack."]}))
    assert unsaid.method == [] and unsaid.outcome is None  # the words state no result, whatever the model read
    french = TranslatedDraft(
        evidence=["La police a déclaré que des roquettes ont tué deux gardes."],
        claimant="La police",
        claimant_english="The police",
        claimant_kind="official_body",
        stance="asserted",
        method=["roquettes", "unknown"],
        outcome="deux gardes tués",
    )
    assert settle(french, "fr").method == ["roquettes"] and settle(french, "fr").outcome == "deux gardes tués"
    threat = french.model_copy(update={"evidence": ["Le groupe a menacé de frapper la base."], "stance": "threatened"})
    assert settle(threat, "fr").outcome is None  # a threat's act is still to come: it has no result
