"""Dating a claim from its own words and, when they name no time, from the article around them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimx.extraction.dates import claim_date, event_date, month_day

PUBLISHED = date(2024, 3, 14)  # a Thursday


def _dated(text: str, quote: str, time_text: str | None = None) -> str | None:
    start = text.index(quote)
    return claim_date(time_text, quote, text, (start, start + len(quote)), published=PUBLISHED)


@pytest.mark.parametrize(
    ("evidence", "day"),
    [
        ("Hamas said it fired rockets in response to the killing of seven civilians Friday.", None),  # the cause's
        ("The group said the raid was in retaliation for Monday's arrests.", None),
        ("The Resistance shared on Wednesday footage of an attack on the base on March 11.", "2024-03-11"),
        ("The group said in a video made public through reporters on Tuesday that it hit the base.", None),
        ("A witness said a man left a truck there a quarter of an hour before it exploded.", None),  # a duration
        ("Police said militants attacked the checkpoint last night.", "2024-03-13"),
        ("He told news agencies by telephone Tuesday that the attack was revenge.", None),  # the telling's day
        ("In a video posted on the rebels' unofficial Web site Wednesday, he says the bombings were revenge.", None),
        ("Speaking at a press conference held over the phone on Monday, he said the attacks were planned.", None),
        ("In a televised speech Tuesday, the president said 61 civilians died.", None),
        ("He said on the phone that the fighters attacked on Monday.", "2024-03-11"),  # the act's day
        ("On Wednesday morning, local newspapers published a list of those killed in Saturday's attack.", "2024-03-09"),
        ("On Tuesday, a spokesman for the group said it attacked the depot.", "2024-03-12"),  # no other day named
        ("On Tuesday, gunmen stormed the depot, killing four, police said.", "2024-03-12"),  # the act's day
    ],
)
def test_a_claims_own_words_date_the_event_it_states(evidence: str, day: str | None) -> None:
    assert event_date(None, evidence, PUBLISHED) == day


@pytest.mark.parametrize(
    ("language", "evidence", "day"),
    [
        ("zh", "星期三,警方说一枚炸弹在市场爆炸。", "2024-03-13"),  # no space after a three-character weekday
        ("de", "Die Polizei sagte, am 3. März seien zwei Menschen gestorben.", "2024-03-03"),
        ("de", "Die Polizei sagte am 12.03.2024, zwei Menschen seien gestorben.", None),  # digits alone name no time
    ],
)
def test_other_languages_date_in_their_own_words(language: str, evidence: str, day: str | None) -> None:
    assert event_date(None, evidence, PUBLISHED, language) == day


ARTICLE = (
    "Militants storm checkpoint near Kirkuk\n"
    "By Staff Writer\n"
    "13 Mar 2024 23:50\n"
    "Militants attacked an army checkpoint south of Kirkuk on Tuesday, officials said.\n"
    "A spokesman for the group said the fighters had acted on orders.\n"
    "Police said four soldiers died. Two more died in hospital on Wednesday, a doctor said.\n"
    "A medic said a soldier wounded on March 1 also died.\n"
)


def test_a_claim_that_names_no_time_takes_its_sentence_else_the_lead() -> None:
    assert _dated(ARTICLE, "Police said four soldiers died.") == "2024-03-12"  # the lead's Tuesday, not the byline
    assert _dated(ARTICLE, "Two more died in hospital on Wednesday") == "2024-03-13"  # its own sentence first
    assert _dated(ARTICLE, "A medic said a soldier wounded on March 1 also died.") == "2024-03-01"  # its own words
    assert _dated(ARTICLE, "Police said four soldiers died.", time_text="on Friday") == "2024-03-12"  # not its words


def test_a_dateline_under_the_headline_dates_the_story_not_its_event() -> None:
    text = "Group claims attack\n\n13 March 2024\n\nThe group claimed Tuesday's attack.\n\nPolice said two died.\n"
    assert _dated(text, "Police said two died.") == "2024-03-12"  # the lead's Tuesday, not the dateline's day
    untimed = "Group claims attack\n\n13 March 2024\n\nThe group claimed the attack.\n\nPolice said two died.\n"
    assert _dated(untimed, "Police said two died.") is None


def test_a_lead_paragraph_that_lost_its_full_stop_still_dates_the_story() -> None:
    lead = "Militants claimed responsibility for Tuesday night's twin blasts at two targets in the capital city"
    text = f"Militants claim blasts\n\n{lead}\n\nA spokesman said the attacks were planned for months.\n"
    assert _dated(text, "A spokesman said the attacks were planned") == "2024-03-12"


def test_a_week_or_a_month_narrows_to_the_one_day_the_article_names_within_it() -> None:
    claim = "The group said it attacked the base earlier this month."
    one = f"Group claims base attack\nThe attack on the base on March 2 killed three.\n{claim}\n"
    assert _dated(one, claim) == "2024-03-02"
    two = f"Group claims attacks\nAttacks on March 2 and March 9 killed three.\n{claim}\n"
    assert _dated(two, claim) == "2024-03-01/2024-03-14"  # which of the two, the article does not say
    since = "The group said attacks went on since February 27."
    text = f"Attacks on the base\nThe base came under fire on March 2.\n{since}\n"
    assert _dated(text, since) == "2024-02-27/2024-03-14"  # the claimant's own interval is never narrowed


def test_nothing_in_the_article_dates_a_claim_it_does_not_date() -> None:
    text = "Blast in market\nBy Staff\n14 Mar 2024\nWitnesses said the market burned.\n"
    assert _dated(text, "Witnesses said the market burned.") is None
    assert claim_date(None, "Witnesses", text, None, published=PUBLISHED) is None  # evidence not found: its words alone
    assert claim_date("on Monday", "He said on Monday", text, None, published=None) is None  # no publication date


ROUND_UP = (
    "A month of attacks\n\n"
    "Base shelled\nWire Service, 7 February 2024\n\n"
    "The base was shelled on Tuesday, officials said.\nPolice said two soldiers died.\n\n"
    "Market bombed\nWire Service, 12 March 2024\n\n"
    "A bomb hit the market on Monday, police said.\nWitnesses said ten people died.\n"
)


def test_in_a_round_up_each_dateline_anchors_the_story_below_it() -> None:
    assert _dated(ROUND_UP, "Police said two soldiers died.") == "2024-02-06"
    assert _dated(ROUND_UP, "The base was shelled on Tuesday") == "2024-02-06"
    assert _dated(ROUND_UP, "Witnesses said ten people died.") == "2024-03-11"


def test_a_threat_is_never_dated_its_act_is_still_to_come() -> None:
    evidence = "The group vowed on Monday to strike the base again."
    assert claim_date("on Monday", evidence, evidence, (0, len(evidence)), published=PUBLISHED) == "2024-03-11"
    assert claim_date("on Monday", evidence, evidence, (0, len(evidence)), published=PUBLISHED, threat=True) is None


@given(st.integers(min_value=1, max_value=6), st.sampled_from(["said", "reported", "claimed"]))
def test_a_weekday_is_the_last_such_day_before_publication(days_before: int, verb: str) -> None:
    day = PUBLISHED - timedelta(days=days_before)
    evidence = f"Officials {verb} the convoy was hit on {day.strftime('%A')} near the border."
    assert event_date(None, evidence, PUBLISHED) == day.isoformat()


@given(st.text(alphabet="bcghklnpqrvxz ,.", max_size=200))
def test_words_that_name_no_time_give_no_date(noise: str) -> None:
    assert event_date(None, f"Officials said {noise}", PUBLISHED) is None


@pytest.mark.parametrize(
    ("language", "evidence", "found"),
    [
        ("en", "Police still investigate the July 11 twin bombings.", (7, 11)),
        ("pt", "O atentado cometido no sábado, 14 de Outubro, matou 230 pessoas.", (10, 14)),
        ("en", "Police said the bombing on Monday killed nine.", None),  # a weekday names no day without a year
        ("en", "Police said 11 people died in the bombing.", None),  # a count is no day
    ],
)
def test_an_undated_claim_keeps_the_month_and_day_it_names(language: str, evidence: str, found: object) -> None:
    assert month_day(evidence, evidence, (0, len(evidence)), language) == found


def test_a_range_in_the_lead_bounds_a_count_of_acts_and_dates_no_other_claim() -> None:
    text = (
        "Base attacked 40 times\n"
        "An official said the base came under 40 attacks between March 1 and March 12.\n"
        "Police said a rocket hit the base's gate.\n"
    )
    assert _dated(text, "Police said a rocket hit the base's gate.") is None
    assert _dated(text, "An official said the base came under 40 attacks") == "2024-03-01/2024-03-12"
    dated = text.replace("between March 1 and March 12", "on Tuesday")
    assert _dated(dated, "Police said a rocket hit the base's gate.") == "2024-03-12"  # one day still dates the story


def test_two_days_joined_by_and_are_one_interval() -> None:
    assert event_date(None, "Police said gunmen attacked two villages Monday and Tuesday.", PUBLISHED) == (
        "2024-03-11/2024-03-12"
    )
    two_acts = "Police said gunmen attacked on Monday and soldiers arrested two suspects on Tuesday."
    assert event_date(None, two_acts, PUBLISHED) == "2024-03-11"  # two acts, each on its day


def test_a_claim_about_those_attacks_takes_the_time_of_the_sentence_that_told_them() -> None:
    text = (
        "Villages attacked\n"
        "Gunmen killed dozens in a village this week.\n"
        "Gunmen attacked three villages Monday and Tuesday. Witnesses say the gunmen burned homes in those attacks.\n"
        "Witnesses say the gunmen burned homes.\n"
    )
    assert _dated(text, "Witnesses say the gunmen burned homes in those attacks.") == "2024-03-11/2024-03-12"
    assert _dated(text, "Witnesses say the gunmen burned homes.\n"[:-1]) == "2024-03-11/2024-03-14"  # the lead's week
