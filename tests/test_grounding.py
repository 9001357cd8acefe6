"""Planted-span tests: hide a quote in random text, perturb it the ways models do, and check
the aligner finds exactly the planted span with the right status, and nothing more."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from claimx.extraction.grounding import locate, normalise
from claimx.result import GroundingStatus

WORDS = st.sampled_from(
    "the army said rebels fired rockets at a base near town on monday officials told reporters "
    "drones struck depot killed wounded group claimed responsibility statement".split()
)
FILLER = st.lists(WORDS, min_size=0, max_size=40).map(" ".join)
QUOTE = st.lists(WORDS, min_size=4, max_size=15).map(" ".join)


@given(FILLER, QUOTE, FILLER)
def test_exact_quote_is_found_at_its_planted_span(before: str, quote: str, after: str) -> None:
    text = f"{before} «{quote}» {after}"
    start = text.index("«") + 1
    match = locate(quote, text, after=start)
    assert match.status is GroundingStatus.EXACT
    assert (match.start, match.end) == (start, start + len(quote))


@given(FILLER, QUOTE, FILLER, st.sampled_from(["upper", "spaces", "curly"]))
def test_normalised_quote_maps_back_to_original_offsets(before: str, quote: str, after: str, how: str) -> None:
    planted = f'"{quote}" - {quote.split(maxsplit=1)[0]}'
    text = f"{before} | {planted} | {after}"
    start = text.index(planted)
    variant = {
        "upper": planted.upper(),
        "spaces": planted.replace(" ", "  \n "),
        "curly": planted.replace('"', "\u201c", 1).replace('"', "\u201d").replace(" - ", " \u2014 "),
    }[how]
    match = locate(variant, text, after=start)
    assert match.status in (GroundingStatus.EXACT, GroundingStatus.NORMALISED)
    assert match.status.grounded
    assert (match.start, match.end) == (start, start + len(planted))


@settings(max_examples=60)
@given(FILLER, QUOTE, FILLER, st.integers(min_value=0, max_value=99))
def test_changed_number_is_never_grounded(before: str, quote: str, after: str, number: int) -> None:
    text = f"{before} {quote} killed {number} people {after}"
    forged = f"{quote} killed {number + 1} people"
    match = locate(forged, text)
    assert not match.status.grounded
    if match.status is GroundingStatus.FUZZY:
        assert f"-{number + 1}" in match.mismatches


def test_negation_and_name_changes_are_not_grounded() -> None:
    text = "The ministry said the strike did not hit the hospital in Khan Younis."
    negated = locate("The ministry said the strike did hit the hospital in Khan Younis.", text)
    renamed = locate("The ministry said the strike did not hit the hospital in Rafah.", text)
    assert not negated.status.grounded and not renamed.status.grounded
    assert renamed.status is GroundingStatus.FUZZY and "-rafah" in renamed.mismatches


@given(FILLER, QUOTE, FILLER, FILLER)
def test_repeated_quote_follows_reading_order(a: str, quote: str, b: str, c: str) -> None:
    text = f"{a} [{quote}] {b} [{quote}] {c}"
    first = text.index(quote)
    second = text.index(quote, first + 1)
    assert locate(quote, text).start == first
    assert locate(quote, text, after=first + 1).start == second
    assert locate(quote, text, after=len(text)).start == first  # nothing later: fall back to the first


def test_backslash_escaped_quotes_from_model_output_still_ground() -> None:
    text = 'The group said the attack "is in response to the enemy\'s crimes," officials reported.'
    quote = 'The group said the attack \\"is in response to the enemy\\\'s crimes,\\"'
    match = locate(quote, text)
    assert match.status is GroundingStatus.NORMALISED
    assert text[match.start : match.end] == 'The group said the attack "is in response to the enemy\'s crimes,"'


def test_unrelated_and_blank_quotes_are_not_found() -> None:
    text = "Rebels said they shot down a helicopter."
    assert locate("The weather was fine all week in the capital city.", text).status is GroundingStatus.NOT_FOUND
    assert locate("   ", text).status is GroundingStatus.NOT_FOUND


@given(st.text(max_size=200))
def test_normalise_origin_points_into_the_text(text: str) -> None:
    folded, origin = normalise(text)
    assert len(folded) == len(origin)
    assert all(0 <= i < len(text) for i in origin)
    assert origin == sorted(origin)
