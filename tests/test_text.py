from __future__ import annotations

import codecs

import pytest

import claimx
from claimx.errors import BinaryInputError, EmptyInputError, EncodingError, InputError, InputTooLargeError
from claimx.extraction.text import decode, prepare_text, split_sentences
from claimx.settings import Settings, settings_from
from tests.fakeserver import FakeServer


@pytest.mark.parametrize("raw", ["", "   \n\t  ", b"", b"\n\n"])
def test_empty_input_is_rejected(raw: str | bytes) -> None:
    with pytest.raises(EmptyInputError, match="empty"):
        prepare_text(raw, max_chars=1000, max_input_bytes=10_000)


def test_binary_input_is_rejected() -> None:
    with pytest.raises(BinaryInputError, match="binary"):
        prepare_text(b"%PDF-1.7\x00\x01\x02 stream", max_chars=1000, max_input_bytes=10_000)


def test_non_utf8_names_the_byte_and_a_fix() -> None:
    with pytest.raises(EncodingError, match=r"byte 8.*iconv"):
        prepare_text(
            "Officials said caf\xe9".encode("latin-1")[:8] + b"\xe9 closed", max_chars=1000, max_input_bytes=10_000
        )


def test_utf8_bom_is_dropped() -> None:
    assert prepare_text("Police said".encode("utf-8-sig"), max_chars=100, max_input_bytes=10_000).text == "Police said"


def test_too_large_names_the_limit_and_the_setting() -> None:
    with pytest.raises(InputTooLargeError, match=r"limit of 50.*max_chars"):
        prepare_text("word " * 20, max_chars=50, max_input_bytes=10_000)


def test_html_is_reduced_to_article_text() -> None:
    html = (
        "<!doctype html><html><head><title>t</title><script>var x = 1;</script></head><body>"
        "<nav>Home | World | Sport</nav><article><h1>Blast in the capital</h1>"
        "<p>Police said a car bomb exploded near the ministry on Monday, killing three people.</p>"
        "<p>The group claimed responsibility in a statement posted online, officials said.</p>"
        "</article><footer>Copyright</footer></body></html>"
    )
    prepared = prepare_text(html, max_chars=10_000, max_input_bytes=10_000)
    assert prepared.source == "html"
    assert "Police said a car bomb exploded" in prepared.text
    assert "<p>" not in prepared.text and "var x" not in prepared.text


def test_html_without_article_text_is_an_error() -> None:
    with pytest.raises(InputError, match="HTML"):
        prepare_text("<html><body><script>1</script></body></html>", max_chars=1000, max_input_bytes=10_000)


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


def test_lone_surrogates_are_an_encoding_error_before_anything_encodes_the_text() -> None:
    with pytest.raises(EncodingError, match=r"surrogate \(U\+D800 at character 15\)"):
        prepare_text("The mayor said \ud800 here.", max_chars=1000, max_input_bytes=1000)
    settings = settings_from(base_url="http://127.0.0.1:9/v1", model="m")
    with pytest.raises(EncodingError, match="surrogate"):
        claimx.prepare("x \udcff said", settings)
    with pytest.raises(EncodingError, match="surrogate"):
        claimx.extract("x \ud800 said", settings=settings)
    with pytest.raises(EncodingError, match="The publisher cannot be encoded"):
        claimx.prepare("Police said so.", settings, publisher="Wire \udcff")


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_unicode_with_a_byte_order_mark_is_decoded(bom: bytes, encoding: str) -> None:
    text = "Police said the café near Kfar Kila was hit — «twice»."
    assert decode(bom + text.encode(encoding)) == text
    assert prepare_text(bom + text.encode(encoding), max_chars=1000, max_input_bytes=1000).text == text


def test_nul_bytes_without_a_bom_stay_binary_and_a_broken_bom_file_names_its_encoding() -> None:
    with pytest.raises(BinaryInputError, match="binary"):
        decode("Police said".encode("utf-16-le"))
    with pytest.raises(EncodingError, match=r"UTF-16 BE.*byte 6"):
        decode(codecs.BOM_UTF16_BE + "Po".encode("utf-16-be") + b"\xdc\x00")  # a lone low surrogate
    with pytest.raises(EncodingError, match=r"UTF-32 LE"):
        decode(codecs.BOM_UTF32_LE + b"\x00\x00\x11\x00")  # above U+10FFFF
    with pytest.raises(EncodingError, match=r"UTF-8.*iconv"):
        decode(codecs.BOM_UTF8 + b"caf\xe9")


def test_the_raw_size_limit_refuses_before_html_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*args: object, **kwargs: object) -> str:
        raise AssertionError("the HTML was parsed before the size check")

    monkeypatch.setattr("claimx.extraction.text.trafilatura.extract", never)
    page = "<html><body>" + "<div>menu</div>" * 100 + "<p>Police said the base was hit.</p></body></html>"
    for raw in (page, page.encode()):
        with pytest.raises(InputTooLargeError, match=r"1,000 bytes.*max_input_bytes.*CLAIMX_MAX_INPUT_BYTES"):
            prepare_text(raw, max_chars=10_000, max_input_bytes=1000)
    with pytest.raises(InputTooLargeError, match="bytes"):  # counted in UTF-8: 400 characters, 1,200 bytes
        prepare_text("€" * 400, max_chars=10_000, max_input_bytes=1000)


def test_max_chars_still_limits_the_reduced_text_and_settings_carry_both(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMX_MAX_INPUT_BYTES", "123")
    settings = settings_from(base_url="http://127.0.0.1:9/v1", model="m")
    assert settings.max_input_bytes == 123 and settings_from().max_chars is None  # no size limit unless asked
    with pytest.raises(InputTooLargeError, match="max_input_bytes"):
        claimx.prepare("Police said the base was hit. " * 10, settings)
    html = "<html><body><article><p>" + "Police said the base was hit. " * 10 + "</p></article></body></html>"
    with pytest.raises(InputTooLargeError, match=r"characters.*max_chars"):
        prepare_text(html, max_chars=100, max_input_bytes=10_000)
    monkeypatch.delenv("CLAIMX_MAX_INPUT_BYTES")
    assert Settings().max_input_bytes == 5_000_000


BOILERPLATE = (  # what trafilatura drops: a page's styles and scripts
    "<head><title>News</title><style>"
    + ".a{color:red}" * 300
    + "</style><script>"
    + "var x = 1;" * 400
    + "</script></head>"
)


def test_html_that_reduces_to_almost_nothing_carries_a_warning() -> None:
    page = f"<html>{BOILERPLATE}<body><article><p>Police said the road was shut.</p></article></body></html>"
    prepared = prepare_text(page, max_chars=100_000, max_input_bytes=100_000)
    (warning,) = prepared.warnings
    assert warning.code == "html_reduced_to_little"
    assert f"{len(prepared.text)} characters" in warning.message and f"{len(page):,}" in warning.message
    article = "<p>" + "Police said the road was shut for the whole of Monday. " * 6 + "</p>"
    full = prepare_text(
        f"<html>{BOILERPLATE}<body><article>{article}</article></body></html>", max_chars=10**5, max_input_bytes=10**5
    )
    assert full.warnings == []
    assert prepare_text("Police said so.", max_chars=100, max_input_bytes=100).warnings == []


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_the_html_warning_comes_first_in_the_result() -> None:
    page = f"<html>{BOILERPLATE}<body><article><p>Police said the road was shut.</p></article></body></html>"
    with FakeServer() as server:
        result = claimx.extract(page, base_url=server.base_url, model="fake", api_key="x", strategy="whole")
    assert len(result.claims) == 1 and result.warnings[0].code == "html_reduced_to_little"
