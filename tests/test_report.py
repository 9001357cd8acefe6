"""The review page builder: escaping of untrusted text, segments for overlapping spans, lists that never
hide an ungrounded claim, the batch index and the `claimx report` command. No LLM is involved: results
are built directly from the schema."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html import unescape
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

import pytest
from click.testing import CliRunner
from markupsafe import escape

from claimx.cli.report import report_command
from claimx.report import CSP, render_article, render_batch, segments, write_report
from claimx.report.event import EventClaim, EventSheet, SourceColumn, by_chain, render_event
from claimx.report.page import NO_EVENTS
from claimx.result import (
    Evidence,
    GroundingStatus,
    Stance,
)
from tests.report_samples import (
    TEXT,
    XSS_CLAIMANT,
    arabic_result,
    evidence,
    make_claim,
    make_result,
    sample_event,
    sample_result,
    xss_result,
)


class _Page(HTMLParser):
    """Collects what matters for the checks: script elements, event-handler attributes, links and
    highlighted segments."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[tuple[str, str]] = []
        self.hrefs: list[str] = []
        self.tags: list[str] = []
        self.segments: list[list[str]] = []
        self.cards: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        if tag == "script":
            self.scripts.append(found)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in ("href", "src", "action", "formaction"):
                self.hrefs.append(value or "")
        classes = (found.get("class") or "").split()
        if "seg" in classes:
            self.segments.append((found.get("data-claims") or "").split())
        if "card" in classes:
            self.cards.append(found)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def data_blocks(html: str) -> list[dict]:
    return [
        json.loads(m)
        for m in re.findall(r'<script type="application/json" class="claimx-data">(.*?)</script>', html, re.DOTALL)
    ]


# --- escaping ------------------------------------------------------------------------------------


def test_untrusted_markup_never_appears_unescaped() -> None:
    html = render_article(xss_result())
    for payload in (
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(3)">',
        XSS_CLAIMANT,
        "<script>window.__xss=2</script>",
        '<img src=x onerror="window.__xss=1">',
        "<svg onload=alert(5)>",
        "<style>body{display:none}</style>",
        "<!-- -->",
        "<x>",
    ):
        assert payload not in html, payload
    page = parse(html)
    assert page.handlers == []  # no onerror=, onload= attributes at all
    assert not any(h.lower().startswith("javascript") for h in page.hrefs)
    assert not {"img", "svg", "iframe", "object", "a"} & set(page.tags)
    assert page.tags.count("style") == 1  # only the page's own stylesheet
    assert all(h.startswith("#") for h in page.hrefs)  # only in-page links
    # exactly two scripts: the JSON data block and the page's own code
    assert [s.get("type") for s in page.scripts] == ["application/json", None]
    # the escaped payloads are still there to read, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "onerror=alert(1)&gt;" in html and "javascript:alert(3)" in html


def test_json_data_cannot_close_its_script_element() -> None:
    html = render_article(xss_result())
    block = html.split('<script type="application/json" class="claimx-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block and "&" not in block
    data = data_blocks(html)[0]
    summaries = " ".join(c["summary"] for c in data["claims"].values())
    assert XSS_CLAIMANT in summaries  # the round trip gives the original text back
    assert set(data["claims"]) == {"x1", "x2", "x3"}


def test_content_security_policy_pins_the_script() -> None:
    html = render_article(sample_result())
    assert (
        "default-src 'none'" in CSP
        and "script-src 'sha256-" in CSP
        and "unsafe-inline" not in CSP.split("script-src")[1]
    )
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert meta is not None and meta.start() < html.index("<script")
    assert "http://" not in html.replace("http://127.0.0.1:1/v1", "") and "https://" not in html
    assert "<link" not in html and "@import" not in html and "url(" not in html


def test_csp_hash_is_the_sha256_of_the_inlined_script_file() -> None:
    script = (files("claimx.report") / "static" / "report.js").read_bytes()
    digest = base64.b64encode(hashlib.sha256(script).digest()).decode("ascii")
    every_directive = (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    assert every_directive == CSP
    html = render_article(sample_result())
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert meta is not None and unescape(meta.group(1)) == CSP
    inlined = html.rsplit("<script>", 1)[1].split("</script>", 1)[0]
    assert inlined.encode("utf-8") == script  # byte for byte what was hashed


@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'])
def test_hostile_claimant_quote_and_publisher_appear_only_escaped(payload: str) -> None:
    text = f"The council said {payload} on Monday.\n"
    claims = [
        make_claim("h1", Stance.ASSERTED, [evidence(text, f"said {payload}")], claimant=payload, outcome=payload),
        make_claim("h2", Stance.DENIED, [evidence(text, payload, GroundingStatus.NOT_FOUND)], claimant=payload),
    ]
    result = make_result(text, claims, publisher=payload)
    for html, scripts in ((render_article(result), 2), (render_batch([result, result]), 3)):
        assert "<img" not in html and "<script>alert" not in html
        assert str(escape(payload)) in html  # still there to read, as text
        page = parse(html)
        assert page.handlers == [] and "img" not in page.tags
        assert len(page.scripts) == scripts  # the data blocks and the page's own code
        assert any(payload in c["summary"] for d in data_blocks(html) for c in d["claims"].values())


# --- segments and lists --------------------------------------------------------------------------


def test_segments_split_at_every_boundary() -> None:
    text = "abcdefghij"
    got = segments(text, [(0, 6, "a"), (2, 4, "b"), (3, 9, "c")])
    assert [(s.start, s.end, s.claims) for s in got] == [
        (0, 2, ("a",)),
        (2, 3, ("a", "b")),
        (3, 4, ("a", "b", "c")),
        (4, 6, ("a", "c")),
        (6, 9, ("c",)),
        (9, 10, ()),
    ]
    assert "".join(text[s.start : s.end] for s in got) == text
    assert [s.starts for s in got][:3] == [("a",), ("b",), ("c",)]


def test_overlapping_spans_share_segments_and_text_survives() -> None:
    result = sample_result()
    html = render_article(result)
    page = parse(html)
    assert ["c1asserted", "c3reported"] in page.segments  # partial overlap inside one sentence
    assert {"c1asserted", "c2denied", "c3reported", "c4claimed"} == {k for s in page.segments for k in s}
    # the highlighted article, stripped of tags, is the article text
    body = html.split('<div class="text" lang="" dir="auto">', 1)[1].split("</div>", 1)[0]
    assert unescape(re.sub(r"<[^>]+>", "", body)) == TEXT


def test_ungrounded_claims_are_listed_with_their_status() -> None:
    html = render_article(sample_result())
    cards = {c["data-key"]: c for c in parse(html).cards}
    assert set(cards) == {"c1asserted", "c2denied", "c3reported", "c4claimed", "c5alleged", "c6threat"}
    assert cards["c5alleged"]["data-grounded"] == "false" and cards["c6threat"]["data-grounded"] == "false"
    lists = html.split("Not grounded (2)", 1)[1]
    assert 'data-key="c5alleged"' in lists and 'data-key="c6threat"' in lists
    assert "-three +two" in html  # fuzzy hint with its mismatches
    assert "not found in the article" in html
    assert "Verdict: <b>mostly false</b>" in html and "Desk &lt;editor&gt;" in html
    assert html.count("Unverified") == 5
    assert "claim kept although &lt;b&gt;validation&lt;/b&gt; failed" in html  # warnings shown, escaped


def test_filters_offer_claimants_and_all_stances() -> None:
    html = render_article(sample_result())
    assert html.count('class="f-stance"') == len(Stance)
    assert '<option value="">all claimants</option>' in html
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt; (1)</option>" in html
    assert 'class="f-grounded"' in html


def test_invalid_offsets_are_not_trusted() -> None:
    bad = make_claim("bad", Stance.ASSERTED, [Evidence(quote="x", start=5, end=10_000, status=GroundingStatus.EXACT)])
    html = render_article(make_result("short text", [bad]))
    assert parse(html).segments == []
    assert 'data-grounded="false"' in html and "offsets are invalid" in html


def test_no_claims_page_says_so() -> None:
    html = render_article(make_result("Nothing attributed here.", []))
    assert "No claims were extracted from this article." in html
    assert "Nothing attributed here." in html
    assert parse(html).cards == []


# --- language and direction ------------------------------------------------------------------------


def _marked(html: str, tag: str) -> list[tuple[str | None, str | None]]:
    """The lang and dir of every `tag` element that carries a lang attribute."""
    return [(m.group(1), m.group(2)) for m in re.finditer(rf'<{tag}\b[^>]*? lang="([^"]*)" dir="([^"]*)"', html)]


@pytest.mark.parametrize(
    ("language", "lang", "direction"),
    [
        ("ar", "ar", "rtl"),
        ("fa", "fa", "rtl"),
        ("he", "he", "rtl"),
        ("ur", "ur", "rtl"),
        ("ps", "ps", "rtl"),
        ("ku-Arab", "ku-Arab", "rtl"),
        ("az_Arab_IR", "az-Arab-IR", "rtl"),
        ("ar-Latn", "ar-Latn", "ltr"),
        ("en", "en", "ltr"),
        ("zh", "zh", "ltr"),
        (None, "", "auto"),
        ('ar" onmouseover="alert(1)', "", "auto"),
    ],
)
def test_article_text_title_and_quotes_carry_the_article_language(
    language: str | None, lang: str, direction: str
) -> None:
    html = render_article(arabic_result(language))
    assert '<html lang="en">' in html  # the page's own words stay English
    for tag in ("h2", "div", "q"):
        assert set(_marked(html, tag)) == {(lang, direction)}, tag
    assert len(_marked(html, "q")) == 4  # every quote
    assert "onmouseover" not in html


def test_batch_page_sets_language_per_article() -> None:
    html = render_batch([sample_result(), arabic_result("ar"), arabic_result(None)])
    assert _marked(html, "div") == [("", "auto"), ("ar", "rtl"), ("", "auto")]
    assert _marked(html, "a") == [("", "auto"), ("ar", "rtl"), ("", "auto")]  # the index's links
    assert html.count('<dd dir="auto">') > 0 and html.count('class="chain" dir="auto"') == 6 + 4 + 4


def test_stylesheet_uses_logical_sides() -> None:
    """Physical sides would put the stance border, list indents and markers on the wrong side in RTL."""
    html = render_article(arabic_result())
    css = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert not re.search(
        r"(?:margin|padding|border)-(?:left|right)|float:\s*(?:left|right)|text-align:\s*(?:left|right)", css
    )


# --- batch ---------------------------------------------------------------------------------------


def test_batch_index_counts_and_links() -> None:
    results = [sample_result(), make_result("Nothing here.", []), xss_result()]
    html = render_batch(results)
    rows = re.findall(r'<tr class="entry" data-claims="(\d+)" data-grounded="(\d+)" data-warnings="(\d+)">', html)
    assert rows == [("6", "4", "1"), ("0", "0", "0"), ("3", "2", "1")]
    assert "4 (67%)" in html and "6 (67%)" in html  # per article and in total (6 of 9)
    for i in (1, 2, 3):
        assert f'href="#article-{i}"' in html and f'id="article-{i}"' in html
    assert len(data_blocks(html)) == 3
    assert "<script>alert(6)</script>" not in html


def test_write_report_picks_page_kind(tmp_path: Path) -> None:
    one = write_report([sample_result()], tmp_path / "one.html")
    many = write_report([sample_result(), sample_result()], tmp_path / "sub" / "many.html")
    assert 'class="single"' in one.read_text(encoding="utf-8")
    assert 'class="batch"' in many.read_text(encoding="utf-8")
    with pytest.raises(ValueError):
        write_report([], tmp_path / "none.html")


# --- CLI -----------------------------------------------------------------------------------------


def test_cli_writes_report_from_json_and_jsonl(tmp_path: Path) -> None:
    single = tmp_path / "result.json"
    single.write_text(sample_result().model_dump_json(indent=2), encoding="utf-8")
    batch = tmp_path / "results.jsonl"
    batch.write_text(
        sample_result().model_dump_json() + "\n\n" + xss_result().model_dump_json() + "\n", encoding="utf-8"
    )
    runner = CliRunner()

    out = tmp_path / "report.html"
    res = runner.invoke(report_command, [str(single), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "1 article(s), 6 claim(s)" in res.output
    assert 'data-key="c1asserted"' in out.read_text(encoding="utf-8")

    out2 = tmp_path / "batch.html"
    res = runner.invoke(report_command, [str(single), str(batch), "--output", str(out2)])
    assert res.exit_code == 0, res.output
    assert "3 article(s), 15 claim(s)" in res.output
    assert out2.read_text(encoding="utf-8").count('<tr class="entry"') == 3


def test_cli_rejects_missing_and_invalid_files(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(report_command, [str(tmp_path / "missing.json"), "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 2 and "no claim store at" in res.output

    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    res = runner.invoke(report_command, [str(broken), "-o", str(tmp_path / "r.html")])
    assert res.exit_code == 2 and "broken.json" in res.output and "not a claimx result" in res.output

    wrong = tmp_path / "wrong.jsonl"
    wrong.write_text(sample_result().model_dump_json() + "\n" + '{"article": {}}\n', encoding="utf-8")
    res = runner.invoke(report_command, [str(wrong), "-o", str(tmp_path / "r.html")])
    assert res.exit_code == 2 and "wrong.jsonl:2" in res.output

    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    res = runner.invoke(report_command, [str(empty), "-o", str(tmp_path / "r.html")])
    assert res.exit_code == 2 and "no results" in res.output

    res = runner.invoke(report_command, [])
    assert res.exit_code == 2 and "Missing argument" in res.output
    assert not (tmp_path / "r.html").exists()


def test_cli_reports_stored_articles_by_id(tmp_path: Path) -> None:
    from claimx.store import Store
    from tests.helpers import build_result, save

    db = tmp_path / "claimx.db"
    with Store(db) as stored:
        save(stored, build_result(), article_id="article-one")
    out = tmp_path / "stored.html"
    res = CliRunner().invoke(report_command, ["article-o", "--db", str(db), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "1 article(s)" in res.output and 'class="single"' in out.read_text(encoding="utf-8")
    res = CliRunner().invoke(report_command, ["nope", "--db", str(db), "-o", str(out)])
    assert res.exit_code == 2 and "the store says" in res.output


# --- events --------------------------------------------------------------------------------------


def _chained(claimant: str, via: list[str], publisher: str, n: int = 0) -> EventClaim:
    return EventClaim(make_claim(f"k{n}", Stance.ASSERTED, [], claimant=claimant, via=via), f"a{n}", publisher)


def test_a_sources_claims_are_grouped_by_chain_own_word_first() -> None:
    claims = (
        _chained("The IRI", ["Reuters", "AFP"], "AP", 1),
        _chained("The IRI", [], "Wire", 2),
        _chained("The IRI", ["Reuters"], "AP", 3),
        _chained("The IRI", [], "Al Mayadeen", 4),
        _chained("The IRI", [], "Wire", 5),
        _chained("The IRI", ["Reuters", "AP"], "AP", 6),  # the publisher as the last relay: the chain of a3
    )
    chains = by_chain(claims)
    assert [(c.chain, c.relayed, [i.article_id for i in c.claims]) for c in chains] == [
        ("The IRI ← Al Mayadeen", False, ["a4"]),
        ("The IRI ← Wire", False, ["a2", "a5"]),  # one chain, the claims in their order
        ("The IRI ← Reuters ← AP", True, ["a3", "a6"]),
        ("The IRI ← Reuters ← AFP ← AP", True, ["a1"]),  # more relays, later
    ]
    assert SourceColumn("The IRI", ("asserted",), claims).chains == chains
    assert by_chain(()) == ()


def test_events_section_lists_the_events_and_their_contradictions() -> None:
    sheet = sample_event()
    html = render_batch([sample_result(), arabic_result("ar")], events=[sheet], ids=["article-1", "arabic"])
    row = re.search(r'<tr class="event" data-event="([^"]+)" data-sources="(\d)" data-contradicted="(\w+)">', html)
    assert row is not None and row.groups() == ("ev-0123456789ab", "3", "true")
    table = html.split('<table class="index events">', 1)[1].split("</table>", 1)[0]
    assert "2023-12-13" in table and "Gaza" in table and "the market" in table and "strike" in table
    assert "the army" in table and ">4</td>" in table  # four claims, one of them in an article not on the page
    assert "figures that differ; claimed vs denied" in table  # the kinds in words, not only a colour
    assert 'href="#event-ev-0123456789ab"' in table and 'id="event-ev-0123456789ab"' in html


def test_event_view_links_each_claim_to_its_card_and_back() -> None:
    html = render_batch([sample_result(), xss_result()], events=[sample_event()], ids=["article-1", "x"])
    view = html.split('<section class="evview" id="event-ev-0123456789ab"', 1)[1].split("</section>\n</div>", 1)[0]
    links = re.findall(r'<p class="where"><a href="#([^"]+)">([^<]+)</a></p>', view)
    assert links == [
        ("article-1-claim-c1asserted", "claim #1 in article 1, Test Wire"),
        ("article-1-claim-c2denied", "claim #2 in article 1, Test Wire"),
        ("article-1-claim-c3reported", "claim #3 in article 1, Test Wire"),
    ]
    ids = set(re.findall(r' id="([^"]+)"', html))
    assert {target for target, _ in links} <= ids  # every link lands on a card of the page
    assert "article <code>other-article</code> (not on this page" in view  # and says so when it cannot
    assert [c["data-key"] for c in parse(view).cards] == [
        "other-article#z40",  # own word through Other Wire, then through Test Wire
        "article-1#c1asserted",
        "article-1#c2denied",
        "article-1#c3reported",
    ]
    assert view.count('class="card contradicted"') == 3 and view.count('class="flag"') == 4
    assert 'data-relayed="true">relayed: <bdi>Health officials ← The ministry ← Test Wire</bdi>' in view
    # the article view's cards name their event; a claim in no event (and the other article) names none
    cards = {c["data-key"]: c for c in parse(html).cards if c.get("id")}
    assert set(cards) == {
        "c1asserted",
        "c2denied",
        "c3reported",
        "c4claimed",
        "c5alleged",
        "c6threat",
        "x1",
        "x2",
        "x3",
    }
    card = html.split('id="article-1-claim-c2denied"', 1)[1].split("</article>", 1)[0]
    assert 'Part of event: <a href="#event-ev-0123456789ab">ev-0123456789ab</a>' in card
    assert html.count("Part of event") == 3


def test_event_view_escapes_and_keeps_each_articles_language() -> None:
    arabic = arabic_result("ar")
    hostile = make_claim("h1", Stance.ASSERTED, [], claimant=XSS_CLAIMANT, outcome="<img src=x onerror=alert(1)>")
    sheet = EventSheet(
        id="ev-arabic",
        dates="undated",
        places=("<script>alert(8)</script>",),
        targets=(),
        methods=(),
        actors=(),
        outlets=("وكالة الأنباء",),
        sources=(
            SourceColumn("الجيش", ("denied",), (EventClaim(arabic.claims[1], "arabic", "وكالة الأنباء", (), "ar"),)),
            SourceColumn(
                XSS_CLAIMANT, ("asserted",), (EventClaim(hostile, "gone", "<b>x</b>", (("figures", "<i>"),)),)
            ),
        ),
        contradictions=(("figures", "<i>"),),
    )
    html = render_batch([sample_result(), arabic], events=[sheet], ids=["article-1", "arabic"])
    view = html.split('<section class="evview"', 1)[1]
    quote = re.search(r'<blockquote lang="([^"]*)" dir="([^"]*)">([^<]*)</blockquote>', view)
    assert quote is not None and quote.groups() == ("ar", "rtl", arabic.claims[1].evidence[0].quote)
    assert '<blockquote lang="" dir="auto"></blockquote>' in view  # no quote, no language: the text decides
    for payload in (XSS_CLAIMANT, "<img src=x", "<script>alert(8)", "<b>x</b>", "<i>"):
        assert payload not in html
    page = parse(html)
    assert page.handlers == [] and [s.get("type") for s in page.scripts] == ["application/json"] * 2 + [None]


def test_events_section_says_why_it_is_empty_and_is_absent_when_not_linked() -> None:
    linked = render_article(sample_result(), events=[])
    assert 'id="events"' in linked and str(escape(NO_EVENTS)) in linked and "Events (0)" in linked
    plain = render_article(sample_result())
    assert 'id="events"' not in plain and "<a " not in plain  # not linked: the page is as before
    with pytest.raises(ValueError, match="1 article id"):
        render_batch([sample_result(), sample_result()], events=[], ids=["one"])


def test_the_event_page_and_the_review_page_share_one_renderer() -> None:
    sheet = sample_event()
    page = render_event(sheet)
    review = render_article(sample_result(), events=[sheet], article_id="article-1")

    def columns(html: str) -> str:
        block = html.split('<div class="sources"', 1)[1].split("</section>\n</div>", 1)[0]
        return re.sub(r'<p class="where">.*?</p>|<h(\d)|</h(\d)>', "", block)  # links and heading levels differ

    assert columns(page) == columns(review)
    assert '<p class="where">article <code>article-1</code></p>' in page  # no links on the event's own page


def test_cli_report_shows_the_events_of_stored_articles(tmp_path: Path) -> None:
    from claimx.store import Store
    from tests.corpus_samples import store_corpus

    db = tmp_path / "c.db"
    with Store(db) as stored:
        store_corpus(stored)
    out = tmp_path / "events.html"
    res = CliRunner().invoke(report_command, ["al-mayadeen", "reuters", "--db", str(db), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "2 article(s), 4 claim(s), 1 event(s)" in res.output
    html = out.read_text(encoding="utf-8")
    assert html.count('<tr class="event"') == 1 and 'data-sources="3" data-contradicted="true"' in html
    assert html.count('<p class="where"><a href="#article-') == 4  # the ap article's claim is not on the page
    assert "article <code>ap</code> (not on this page" in html

    res = CliRunner().invoke(report_command, ["later", "fmln", "--db", str(db), "-o", str(out)])
    assert res.exit_code == 0 and "2 event(s)" in res.output

    single = tmp_path / "result.json"
    single.write_text(sample_result().model_dump_json(), encoding="utf-8")
    res = CliRunner().invoke(report_command, [str(single), "--db", str(tmp_path / "none.db"), "-o", str(out)])
    assert res.exit_code == 0 and "event(s)" not in res.output  # claims of result files join no event
    assert 'id="events"' not in out.read_text(encoding="utf-8")
