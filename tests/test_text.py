from __future__ import annotations

import pytest

from claimx.errors import BinaryInputError, EmptyInputError, EncodingError, InputError, InputTooLargeError
from claimx.extraction.text import prepare_text, split_sentences


@pytest.mark.parametrize("raw", ["", "   \n\t  ", b"", b"\n\n"])
def test_empty_input_is_rejected(raw: str | bytes) -> None:
    with pytest.raises(EmptyInputError, match="empty"):
        prepare_text(raw, max_chars=1000)


def test_binary_input_is_rejected() -> None:
    with pytest.raises(BinaryInputError, match="binary"):
        prepare_text(b"%PDF-1.7\x00\x01\x02 stream", max_chars=1000)


def test_non_utf8_names_the_byte_and_a_fix() -> None:
    with pytest.raises(EncodingError, match=r"byte 8.*iconv"):
        prepare_text("Officials said caf\xe9".encode("latin-1")[:8] + b"\xe9 closed", max_chars=1000)


def test_utf8_bom_is_dropped() -> None:
    assert prepare_text("Police said".encode("utf-8-sig"), max_chars=100).text == "Police said"


def test_too_large_names_the_limit_and_the_setting() -> None:
    with pytest.raises(InputTooLargeError, match=r"limit of 50.*max_chars"):
        prepare_text("word " * 20, max_chars=50)


def test_html_is_reduced_to_article_text() -> None:
    html = (
        "<!doctype html><html><head><title>t</title><script>var x = 1;</script></head><body>"
        "<nav>Home | World | Sport</nav><article><h1>Blast in the capital</h1>"
        "<p>Police said a car bomb exploded near the ministry on Monday, killing three people.</p>"
        "<p>The group claimed responsibility in a statement posted online, officials said.</p>"
        "</article><footer>Copyright</footer></body></html>"
    )
    prepared = prepare_text(html, max_chars=10_000)
    assert prepared.source == "html"
    assert "Police said a car bomb exploded" in prepared.text
    assert "<p>" not in prepared.text and "var x" not in prepared.text


def test_html_without_article_text_is_an_error() -> None:
    with pytest.raises(InputError, match="HTML"):
        prepare_text("<html><body><script>1</script></body></html>", max_chars=1000)


def test_sentences_survive_news_abbreviations() -> None:
    text = (
        "Sen. John Smith said on Jan. 5 that U.S. forces hit the base. "
        "Lt. Col. Jane Doe of the U.S. Army denied it. Gov. Ann Lee spoke at 3 p.m. on Tuesday."
    )
    sentences = [s.text for s in split_sentences(text)]
    assert sentences == [
        "Sen. John Smith said on Jan. 5 that U.S. forces hit the base.",
        "Lt. Col. Jane Doe of the U.S. Army denied it.",
        "Gov. Ann Lee spoke at 3 p.m. on Tuesday.",
    ]


def test_bylines_and_datelines_stay_separate(example: dict) -> None:
    text = example["text"]
    sentences = split_sentences(text)
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert "By Al Mayadeen English" in [s.text for s in sentences]
    assert "14 Dec 2023 23:50" in [s.text for s in sentences]
    assert sentences[3].text.startswith("A US official tells Al Mayadeen")
