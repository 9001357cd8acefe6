"""Hard-wrapped text re-flowed with offsets mapped back, long articles in chunks, and the call limit."""

from __future__ import annotations

import hashlib
import json
import re
import textwrap
from itertools import pairwise
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import claimx
from claimx.cli import main
from claimx.extraction import chunks
from claimx.extraction.cues import ATTRIBUTION_CUE
from claimx.extraction.layout import reflow, reflowed, wrapped
from claimx.extraction.text import split_sentences
from tests.fakeserver import FakeServer
from tests.helpers import DATA, ROOT

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])  # the fake server on loopback

WIRE = (DATA / "wire-dev-muc3-0001.txt").read_text()
FILLER = "Trucks carried grain along the coastal road past the old port of Tyre. "


def _endpoint(server: FakeServer, strategy: str, **options: Any) -> dict[str, Any]:
    return {"base_url": server.base_url, "model": "m", "api_key": "x", "strategy": strategy, **options}


def _source_of(sentence: str) -> str:
    """A made-up source's name of letters only, its own for each sentence (no two sentences' claims are one
    claimant's statement going on), holding the sentence's longest word, so the sentence names its speaker."""
    digest = hashlib.sha256(sentence.encode()).digest()
    named = max(re.findall(r"[A-Za-z]+", sentence), key=len)
    return "Source " + "".join(chr(ord("a") + b % 26) for b in digest[:6]).title() + " " + named.title()


def cue_answer(text: str) -> dict[str, Any]:
    """Every sentence with an attribution cue, quoted as written (capitals included), as one claim each."""
    claims = [
        {
            "evidence": [s.text],
            "claimant": _source_of(s.text),
            "claimant_kind": "unknown",
            "via": [],
            "stance": "reported",
            "method": [],
        }
        for s in split_sentences(text)
        if ATTRIBUTION_CUE.search(s.text)
    ]
    return {"claims": claims}


def test_the_wire_report_is_wrapped_and_reflows_into_its_sentences() -> None:
    lines = WIRE.count("\n")
    assert wrapped(WIRE)
    assert len(split_sentences(WIRE)) >= lines - 1  # line-first: a fragment per line
    layout = reflow(WIRE)
    sentences = [s.text for s in split_sentences(layout.text)]
    assert sentences[0] == "DEV-MUC3-0001 (NOSC)"  # the header keeps its own line
    assert [s.split()[:3] for s in sentences[2:]] == [["ACCORDING", "TO", "THAT"], ["THE", "SOURCE", "ADDED"]]
    assert sum(bool(ATTRIBUTION_CUE.search(s)) for s in sentences) == 3  # all-caps cues match
    assert len(layout.origin) == len(layout.text)


def test_articles_that_are_not_wrapped_are_left_as_they_are() -> None:
    texts = [json.loads(line)["text"] for line in (ROOT / "eval" / "dev" / "dev.jsonl").read_text().splitlines()]
    texts += [p.read_text() for p in DATA.glob("*.txt") if p.name != "wire-dev-muc3-0001.txt"]
    texts.append("Headline without a period\nBy A Reporter\n" + "A sentence that ends as it should.\n" * 6)
    assert texts and all(reflowed(t) is None for t in texts)


def test_headline_byline_and_indented_paragraphs_keep_their_lines() -> None:
    text = (
        "REBELS CLAIM RAID\n"
        "BY A STAFF CORRESPONDENT\n"
        "SAN SALVADOR, 9 JAN 90 -- THE REBEL RADIO SAID TODAY THAT ITS UNITS HAD\n"
        "ATTACKED THE GARRISON AT DAWN AND THAT THE SELF-\n"
        "DEFENSE POSTS AROUND IT HAD FALLEN AFTER A BATTLE OF ABOUT TWO HOURS.\n"
        "   THE ARMED FORCES PRESS COMMITTEE DENIED THE REPORT AND SAID THE TROOPS\n"
        "HAD REPELLED THE ATTACK WITHOUT LOSSES, ACCORDING TO A COMMUNIQUE READ ON\n"
        "STATE RADIO.\n"
    )
    layout = reflow(text)
    assert wrapped(text)
    assert layout.text.splitlines() == [
        "REBELS CLAIM RAID",
        "BY A STAFF CORRESPONDENT",
        "SAN SALVADOR, 9 JAN 90 -- THE REBEL RADIO SAID TODAY THAT ITS UNITS HAD ATTACKED THE GARRISON AT DAWN AND "
        "THAT THE SELF-DEFENSE POSTS AROUND IT HAD FALLEN AFTER A BATTLE OF ABOUT TWO HOURS.",
        "   THE ARMED FORCES PRESS COMMITTEE DENIED THE REPORT AND SAID THE TROOPS HAD REPELLED THE ATTACK WITHOUT "
        "LOSSES, ACCORDING TO A COMMUNIQUE READ ON STATE RADIO.",
    ]
    start = layout.text.index("SELF-DEFENSE")
    begin, end = layout.to_original(start, start + len("SELF-DEFENSE"))
    assert text[begin:end] == "SELF-\nDEFENSE"


def test_paragraphs_of_two_lines_are_wrapping_though_their_short_last_lines_are_half_the_lines() -> None:
    paragraph = textwrap.fill("THE REBEL RADIO SAID THAT ITS UNITS HAD TAKEN THE BASE.", 45)
    assert [len(line) for line in paragraph.splitlines()] == [45, 9]
    assert wrapped("\n\n".join([paragraph] * 3))  # the median of every line's length (27) would say no


WORD = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij0123456789,", min_size=1, max_size=12)
"""No quote marks: a line ending in one reads as a sentence end, which rightly counts against wrapping."""


@settings(max_examples=150, deadline=None)
@given(
    paragraphs=st.lists(st.lists(WORD, min_size=30, max_size=120), min_size=1, max_size=4),
    width=st.integers(min_value=45, max_value=90),
    data=st.data(),
)
def test_planted_spans_survive_reflow_and_map_back_exactly(
    paragraphs: list[list[str]], width: int, data: st.DataObject
) -> None:
    text = "\n\n".join(textwrap.fill(" ".join(words), width, break_on_hyphens=False) for words in paragraphs)
    assert wrapped(text) or text.count("\n") - 2 * (len(paragraphs) - 1) < 3  # detected, given a few lines
    layout = reflow(text)
    assert layout.text.split("\n\n") == [" ".join(words) for words in paragraphs]  # every paragraph one line
    assert list(layout.origin) == sorted(set(layout.origin))  # the map only moves forward
    assert all(layout.text[i] == text[o] or text[o] == "\n" for i, o in enumerate(layout.origin))
    which = data.draw(st.integers(0, len(paragraphs) - 1))
    words = paragraphs[which]
    first = data.draw(st.integers(0, len(words) - 1))
    last = data.draw(st.integers(first, len(words) - 1))
    planted = " ".join(words[first : last + 1])
    paragraph_start = sum(len(" ".join(p)) + 2 for p in paragraphs[:which])
    start = paragraph_start + len(" ".join(words[:first])) + (1 if first else 0)
    assert layout.text[start : start + len(planted)] == planted
    begin, end = layout.to_original(start, start + len(planted))
    assert " ".join(text[begin:end].split()) == planted and text[begin:end].strip() == text[begin:end]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(WORD, min_size=3, max_size=40), min_size=4, max_size=12))
def test_one_paragraph_a_line_is_not_wrapped(paragraphs: list[list[str]]) -> None:
    assert not wrapped("\n".join(" ".join(words) + "." for words in paragraphs))


@settings(max_examples=150, deadline=None)
@given(
    paragraphs=st.lists(st.integers(min_value=1, max_value=900), min_size=1, max_size=40),
    size=st.integers(min_value=300, max_value=3000),
)
def test_chunks_fit_cover_the_text_and_hold_every_paragraph_whole(paragraphs: list[int], size: int) -> None:
    text = "\n\n".join(("x" * (n % 7 + 1) + " ") * (n // (n % 7 + 2) + 1) for n in paragraphs).replace(" \n", "\n")
    spans = chunks.split(text, size)
    assert all(s.end - s.start <= size for s in spans)
    assert spans[0].start == 0 or not text[: spans[0].start].strip()
    assert not text[spans[-1].end :].strip()
    for previous, span in pairwise(spans):
        assert previous.start < span.start <= previous.end or not text[previous.end : span.start].strip()
        assert previous.end - span.start <= size * chunks.OVERLAP  # overlap in whole pieces, at most its share
    for line in re.finditer(r"[^\n]+", text):
        if len(line.group()) <= size:
            assert any(s.start <= line.start() and line.end() <= s.end for s in spans)


@settings(max_examples=100, deadline=None)
@given(
    paragraphs=st.lists(st.lists(st.booleans(), min_size=1, max_size=8), min_size=1, max_size=30),
    most=st.integers(min_value=1, max_value=6),
)
def test_no_chunk_cites_more_sources_than_one_answer_holds(paragraphs: list[list[bool]], most: int) -> None:
    """Paragraphs of sentences that cite a source (True) or not: every chunk fits the answer, and every
    citing sentence is read whole in some chunk."""
    text = "\n".join(
        " ".join("Police said it was hit." if cites else FILLER.strip() for cites in sentences)
        for sentences in paragraphs
    )
    sources = [m.start() for m in re.finditer("Police said", text)]
    spans = chunks.split(text, 100_000, sources, most)
    assert all(sum(s.start <= p < s.end for p in sources) <= most for s in spans)
    assert all(any(s.start <= p and p + 23 <= s.end for s in spans) for p in sources)
    assert len(spans) == 1 or len(sources) > most


def test_a_dense_round_up_is_cut_so_each_answer_fits_max_tokens() -> None:
    statements = [f"Officials in district {i} said the bridge at kilometre {i} was closed." for i in range(40)]
    text = "\n\n".join(" ".join(statements[i : i + 4]) for i in range(0, 40, 4))  # 3,000 characters
    with FakeServer(answer=cue_answer) as server:
        result = claimx.extract(text, **_endpoint(server, "whole", max_tokens=1024))
    per_answer = chunks.claims_per_answer(1024)
    assert len(text) < chunks.chunk_chars(chunks.DEFAULT_CONTEXT_TOKENS, 1024)  # the context alone needs one call
    assert len(result.chunks) == result.usage.llm_calls >= 40 // per_answer
    assert all(text[c.start : c.end].count(" said ") <= per_answer for c in result.chunks)
    assert sorted({c.evidence[0].quote for c in result.claims}) == sorted(statements)


def test_short_text_is_one_chunk_and_sizes_follow_the_context() -> None:
    assert chunks.split("Police said so.", 100) == [chunks.Span(0, 15)]
    assert chunks.chunk_chars(32_768, 2048) > chunks.chunk_chars(8192, 2048) > chunks.chunk_chars(4096, 1024) > 0


@pytest.mark.parametrize("strategy", ["sentences", "whole"])
def test_a_wrapped_all_caps_wire_report_gives_its_claims_with_offsets_into_the_original(strategy: str) -> None:
    with FakeServer(answer=cue_answer) as server:
        result = claimx.extract(WIRE, published="1990-01-03", **_endpoint(server, strategy))
    assert result.article.text == WIRE  # the text as given
    assert any(w.code == "reflowed" for w in result.warnings)
    assert result.usage.llm_calls == (3 if strategy == "sentences" else 1)  # sentences, not line fragments
    quotes = [" ".join(WIRE[e.start : e.end].split()) for c in result.claims for e in c.evidence if e.start is not None]
    assert [q.split()[-2:] for q in quotes] == [["MIGUEL", "DEPARTMENT."], ["LA", "REINA."], ["CLANDESTINE", "GROUPS."]]
    for claim in result.claims:
        (evidence,) = claim.evidence
        assert evidence.status == "normalised"  # exact in what the model read; across line breaks here
        assert evidence.start is not None and "\n" in WIRE[evidence.start : evidence.end]
        assert " ".join(WIRE[evidence.start : evidence.end].split()) == evidence.quote


def long_article() -> str:
    """About 61,000 characters in 70 paragraphs; every ninth opens with an official's statement, so with the
    default context one falls in the overlap of the first two chunks and is the first statement of both."""
    paragraphs = []
    for i in range(70):
        if i % 9 == 0 and i > 0:
            paragraphs.append(f"Officials in district {i} said the bridge at kilometre {i} was closed. " + FILLER * 11)
        else:
            paragraphs.append(FILLER * 12 + f"Paragraph {i} ends here.")
    return "\n\n".join(p.strip() for p in paragraphs)


def test_a_60000_character_article_runs_sentence_by_sentence() -> None:
    text = long_article()
    assert len(text) > 60_000
    with FakeServer() as server:
        result = claimx.extract(text, **_endpoint(server, "sentences"))
    assert result.status == "complete" and result.chunks == []
    assert result.usage.llm_calls == 7 == len(result.claims)
    for claim in result.claims:
        (evidence,) = claim.evidence
        assert evidence.status == "exact" and text[evidence.start : evidence.end] == evidence.quote


def test_a_60000_character_article_runs_whole_in_chunks_with_a_record_and_overlap_claims_kept_once() -> None:
    text = long_article()
    with FakeServer() as server:
        result = claimx.extract(text, **_endpoint(server, "whole"))
        asked = list(server.stats.by_text)
    size = chunks.chunk_chars(chunks.DEFAULT_CONTEXT_TOKENS, 2048)
    spans = [(c.start, c.end) for c in result.chunks]
    assert len(spans) == result.usage.llm_calls > 1 and all(end - start <= size for start, end in spans)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(b[0] < a[1] for a, b in pairwise(spans))  # consecutive chunks overlap
    assert sorted(asked, key=text.index) == [text[start:end] for start, end in spans]
    firsts = [re.search(r"Officials in district \d+ said[^.]*\.", text[s:e]) for s, e in spans]
    expected = list(dict.fromkeys(m.group() for m in firsts if m))
    assert [c.evidence[0].quote for c in result.claims] == expected
    merged = [w for w in result.warnings if w.code == "duplicate_merged"]
    assert len(merged) == len([m for m in firsts if m]) - len(expected) >= 1  # read twice in an overlap, kept once


def test_calls_past_the_limit_are_named_in_a_warning() -> None:
    text = long_article()
    with FakeServer() as server:
        by_sentence = claimx.extract(text, **_endpoint(server, "sentences", max_calls=4))
        whole = claimx.extract(text, **_endpoint(server, "whole", max_calls=2, context_tokens=8192))
    assert by_sentence.usage.llm_calls == 4 and len(by_sentence.claims) == 4
    (limit,) = [w for w in by_sentence.warnings if w.code == "call_limit"]
    assert "3 call(s)" in limit.message and "sentence at" in limit.message and "max_calls" in limit.message
    assert whole.usage.llm_calls == 2 and [c.skipped for c in whole.chunks][:2] == [False, False]
    assert any(c.skipped for c in whole.chunks) and any(w.code == "call_limit" for w in whole.warnings)
    assert whole.provenance.parameters["max_calls"] == 2 and whole.provenance.parameters["context_tokens"] == 8192


def test_a_long_article_takes_its_chunk_size_from_the_server_a_short_one_asks_nothing() -> None:
    props = json.dumps({"default_generation_settings": {"n_ctx": 20_480}}).encode()
    with FakeServer(pages={"/props": (200, "application/json", props)}) as server:
        options = claimx.Settings(**_endpoint(server, "whole"))
        assert claimx.prepare("Police said the base was hit.", options).chunks == []
        assert server.stats.gets["/props"] == 0  # preparing a short article asks nothing
        served = claimx.prepare(long_article(), options)
        again = claimx.prepare(long_article() + "\n\nThe end.", options)
        assert server.stats.gets["/props"] == 1  # once per endpoint
        result = claimx.extract(served, settings=options)
    size = chunks.chunk_chars(20_480, 2048)
    assert len(served.chunks) == len(again.chunks) < 8 and max(c.end - c.start for c in served.chunks) > 9000
    assert all(c.end - c.start <= size for c in served.chunks) and result.chunks == served.chunks
    with FakeServer() as server:  # no /props: the default context
        assert len(claimx.prepare(long_article(), claimx.Settings(**_endpoint(server, "whole"))).chunks) == 8
        assert server.stats.gets["/props"] == 1


def test_windows_line_ends_reflow_too() -> None:
    text = WIRE.replace("\n", "\r\n")
    layout = reflowed(text)
    assert layout is not None and layout.text.replace("\r\n", "\n") == reflow(WIRE).text
    start = layout.text.index("ACCORDING TO")
    assert layout.to_original(start, start + 12) == (text.index("ACCORDING TO"), text.index("ACCORDING TO") + 12)


def test_the_command_line_takes_the_call_limit_and_the_context(tmp_path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(long_article())
    with FakeServer() as server:
        args = ["extract", str(path), "--base-url", server.base_url, "--model", "m", "--strategy", "whole"]
        out = CliRunner().invoke(main, [*args, "--max-calls", "3", "--context-tokens", "6144"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    assert result["provenance"]["parameters"]["max_calls"] == 3 and len(result["chunks"]) > 8
    assert [c["skipped"] for c in result["chunks"]][:4] == [False, False, False, True]
    assert any(w["code"] == "call_limit" for w in result["warnings"])


def test_capitals_split_into_sentences_and_carry_their_cues_like_mixed_case() -> None:
    text = (
        "THE NATIONAL FRONT SAID ON MONDAY IT HAD CARRIED OUT THE ATTACK. THE U.S. EMBASSY DENIED IT. "
        'GEN. SMITH TOLD REPORTERS THAT 12 WERE KILLED. AN OFFICIAL SAID: "WE WILL RESPOND."'
    )
    sentences = [s.text for s in split_sentences(text)]
    assert [s.text for s in split_sentences(text.title())] == [s.title() for s in sentences]
    assert len(sentences) == 4 and all(ATTRIBUTION_CUE.search(s) for s in sentences)
