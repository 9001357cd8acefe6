"""The review page in a real headless Chromium (Debian's `chromium`, driven by the `playwright` package):
it loads without errors or network requests, highlights every grounded claim, shows a claim on click,
filters, runs none of the scripts an article carries, and opens an event's claims side by side, whose
links land on the claims' highlights. Assertions are on the DOM, never on pixels."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimx.cli.main import main
from claimx.corpus import link
from claimx.report import write_report
from claimx.result import Result
from claimx.store import Store
from tests.corpus_samples import B2, store_corpus
from tests.report_samples import ARABIC_TEXT, TEXT, arabic_result, make_result, sample_result, xss_result

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="needs the playwright package (pip install playwright) to drive Chromium"
)
CHROMIUM = Path("/usr/bin/chromium")
if os.environ.get("CI") and not CHROMIUM.exists():  # CI installs it (.ci/run): never skip there silently
    raise RuntimeError("CI must install Debian's chromium for the browser tests (see .ci/run)")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class Opened:
    """A loaded page and everything it did that a clean page never does."""

    page: sync_api.Page
    path: Path
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs
        assert self.requests == [], self.requests

    def keys(self, selector: str, attribute: str = "data-key") -> list[str]:
        return self.page.eval_on_selector_all(selector, f"els => els.map(e => e.getAttribute('{attribute}'))")

    def highlighted(self, doc: str = ".doc") -> set[str]:
        """Distinct claim keys over the currently highlighted segments of one article."""
        values = self.keys(f"{doc} .seg.hl", "data-active")
        return {k for v in values for k in (v or "").split()}

    def visible_cards(self, doc: str = ".doc") -> list[str]:
        return self.keys(f"{doc} .lists .card:not([hidden])")

    def selected_cards(self, doc: str = ".doc") -> list[str]:
        return self.keys(f"{doc} .selected .card")


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def open_report(browser: sync_api.Browser, tmp_path: Path) -> Iterator[Callable[..., Opened]]:
    contexts = []

    def _open(results: list[Result] | Path, fragment: str = "") -> Opened:
        """Open the page of these results, or a page already written."""
        path = (
            results if isinstance(results, Path) else write_report(results, tmp_path / f"report-{len(contexts)}.html")
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(5_000)  # a local file: anything slower is a broken page
        opened = Opened(page=page, path=path)
        page.on("console", lambda m: opened.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(f"pageerror: {e}"))
        page.on("dialog", lambda d: (opened.dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
        page.on("request", lambda r: None if r.url.startswith("file:") else opened.requests.append(r.url))
        page.goto(path.as_uri() + fragment)
        page.wait_for_function("document.documentElement.dataset.ready === '1'")
        return opened

    yield _open
    for context in contexts:
        context.close()


def test_page_loads_cleanly_and_highlights_every_grounded_claim(
    open_report: Callable[..., Opened], tmp_path: Path
) -> None:
    result = sample_result()
    opened = open_report([result])
    grounded = {c.id for c in result.claims if c.grounded}
    assert grounded == {"c1asserted", "c2denied", "c3reported", "c4claimed"}
    assert opened.highlighted() == grounded
    assert opened.page.text_content(".text") == TEXT  # markers are CSS, not text
    assert opened.page.text_content(".f-count") == "6 of 6 claims shown"
    assert "Not grounded (2)" in opened.page.inner_text(".lists")
    assert "kept_unvalidated" in opened.page.inner_text(".warnings")
    shot = tmp_path / "article.png"
    opened.page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0
    opened.assert_clean()


def test_clicking_a_highlight_shows_its_claims(open_report: Callable[..., Opened]) -> None:
    opened = open_report([sample_result()])
    page = opened.page

    page.click('.seg[data-claims="c2denied"]')
    assert opened.selected_cards() == ["c2denied"]
    panel = page.inner_text(".selected")
    assert "the army" in panel and "denied" in panel and "Unverified" in panel and "exact" in panel

    overlap = '.seg[data-claims="c1asserted c3reported"]'
    assert "Health officials ← The ministry" in (page.get_attribute(overlap, "title") or "")  # hover text
    page.click(overlap)
    assert opened.selected_cards() == ["c1asserted", "c3reported"]
    panel = page.inner_text(".selected")
    assert "2 claims on this passage" in panel
    assert "12 people were killed" in panel and "Health officials ← The ministry" in panel
    assert "2023-12-13" in panel and "on Wednesday" in panel
    assert page.eval_on_selector_all(".seg.sel", "els => els.length") >= 2

    page.click('.lists .card[data-key="c5alleged"]')  # an ungrounded claim's card
    assert opened.selected_cards() == ["c5alleged"]
    panel = page.inner_text(".selected")
    assert "mostly false" in panel and "Desk <editor>" in panel and "-three +two" in panel
    assert "javascript:alert(4)" in panel and page.eval_on_selector_all(".selected a", "els => els.length") == 0

    page.focus('.seg[data-claims="c4claimed"]')
    page.keyboard.press("Enter")
    assert opened.selected_cards() == ["c4claimed"]
    opened.assert_clean()


def test_filters_hide_cards_and_unhighlight_spans(open_report: Callable[..., Opened], tmp_path: Path) -> None:
    opened = open_report([sample_result()])
    page = opened.page
    everything = ["c1asserted", "c3reported", "c2denied", "c4claimed", "c5alleged", "c6threat"]

    for stance in ("asserted", "claimed_responsibility", "reported", "alleged", "threatened"):
        page.uncheck(f'input.f-stance[value="{stance}"]')
    assert opened.visible_cards() == ["c2denied"]
    assert opened.highlighted() == {"c2denied"}
    assert page.get_attribute('.seg[data-claims="c1asserted c3reported"]', "class") == "seg"
    assert page.text_content(".f-count") == "1 of 6 claims shown"
    page.screenshot(path=str(tmp_path / "filtered.png"), full_page=True)

    for stance in ("asserted", "claimed_responsibility", "reported", "alleged", "threatened"):
        page.check(f'input.f-stance[value="{stance}"]')
    assert sorted(opened.visible_cards()) == sorted(everything)

    page.check("input.f-grounded")
    assert sorted(opened.visible_cards()) == ["c1asserted", "c2denied", "c3reported", "c4claimed"]
    assert opened.highlighted() == {"c1asserted", "c2denied", "c3reported", "c4claimed"}
    assert page.eval_on_selector_all(".filtered-out:not([hidden])", "els => els.length") == 1  # says why
    page.uncheck("input.f-grounded")

    page.select_option("select.f-claimant", label="Health officials (1)")
    assert opened.visible_cards() == ["c3reported"]
    assert opened.highlighted() == {"c3reported"}
    page.click('.seg[data-claims="c1asserted c3reported"]')
    assert opened.selected_cards() == ["c3reported"]  # hidden claims stay hidden
    page.select_option("select.f-claimant", value="")
    assert len(opened.visible_cards()) == 6
    opened.assert_clean()


def test_article_payloads_never_run(open_report: Callable[..., Opened], tmp_path: Path) -> None:
    opened = open_report([xss_result()])
    page = opened.page
    # before any interaction: nothing ran, nothing was injected into the DOM
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert opened.dialogs == []
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, object, embed, a, style').length") == 1
    assert page.evaluate("document.querySelectorAll('script').length") == 2
    assert page.evaluate("getComputedStyle(document.body).display") == "block"
    text = page.text_content(".text")
    assert "<script>window.__xss=2</script>" in text and '<img src=x onerror="window.__xss=1">' in text
    assert "</script><script>alert(2)</script>" in page.inner_text(".lists")
    assert opened.highlighted() == {"x1", "x2"}

    # the script's own paths (tooltips, cloned cards, filters) stay inert too
    for seg in page.query_selector_all(".seg.hl"):
        seg.hover()
        seg.click()
    page.click('.lists .card[data-key="x3"]')
    page.uncheck('input.f-stance[value="asserted"]')
    page.check('input.f-stance[value="asserted"]')
    page.screenshot(path=str(tmp_path / "xss.png"), full_page=True)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, object, embed, a').length") == 0
    opened.assert_clean()


def test_batch_index_opens_each_article(open_report: Callable[..., Opened]) -> None:
    opened = open_report([sample_result(), make_result("Nothing attributed here.", []), xss_result()])
    page = opened.page
    assert page.eval_on_selector_all("#index tr.entry", "els => els.length") == 3
    assert not page.is_visible("#article-1")

    page.click('#index a[href="#article-3"]')
    assert page.is_visible("#article-3") and not page.is_visible("#article-1")
    assert opened.highlighted("#article-3") == {"x1", "x2"}
    page.click('#article-3 .seg[data-claims="x1"]')
    assert opened.selected_cards("#article-3") == ["x1"]
    assert opened.selected_cards("#article-1") == []

    page.click('#article-3 a[href="#index"]')
    page.click('#index a[href="#article-2"]')
    assert "No claims were extracted from this article." in page.inner_text("#article-2")
    page.click('#article-2 a[href="#index"]')
    page.click('#index a[href="#article-1"]')
    assert opened.highlighted("#article-1") == {"c1asserted", "c2denied", "c3reported", "c4claimed"}
    assert page.evaluate("typeof window.__xss") == "undefined"
    opened.assert_clean()


def test_right_to_left_article_reads_right_to_left(open_report: Callable[..., Opened]) -> None:
    """An Arabic article (language known, and unknown beside an English one in a batch): its text is laid
    out right to left, each highlight wraps exactly its quote's passage, and the page chrome stays LTR."""
    opened = open_report([sample_result(), arabic_result("ar"), arabic_result(None)], "#article-2")
    page = opened.page

    def direction(selector: str) -> str:
        return str(page.eval_on_selector(selector, "el => getComputedStyle(el).direction"))

    assert direction("#article-2 .text") == "rtl" and direction("#article-2 h2") == "rtl"
    assert page.get_attribute("#article-2 .text", "lang") == "ar"
    assert direction("#article-2 .filters") == "ltr" and direction("#article-1 .text") == "ltr"
    assert direction("#article-3 .text") == "rtl"  # language unknown: dir=auto, the Arabic text decides
    assert page.text_content("#article-2 .text") == ARABIC_TEXT

    result = arabic_result("ar")
    for claim in result.claims:
        e = claim.evidence[0]
        if e.status.grounded:
            assert e.start is not None and e.end is not None
            assert page.text_content(f'#article-2 .seg[data-claims="{claim.id}"]') == ARABIC_TEXT[e.start : e.end]
    assert opened.highlighted("#article-2") == {"ar1", "ar2", "ar3"}

    # the first quote opens the text, so in a right-to-left layout it starts at the container's right edge
    box = page.eval_on_selector("#article-2 .text", "el => el.getBoundingClientRect().toJSON()")
    first = page.eval_on_selector('#article-2 .seg[data-claims="ar1"]', "el => el.getClientRects()[0].toJSON()")
    assert abs(box["right"] - first["right"]) < abs(box["left"] - first["left"])

    page.click('#article-2 .seg[data-claims="ar2"]')
    assert opened.selected_cards("#article-2") == ["ar2"]
    quote = "#article-2 .selected q"
    assert page.get_attribute(quote, "lang") == "ar" and direction(quote) == "rtl"
    assert direction("#article-2 .selected .chain") == "rtl"  # dir=auto: an Arabic claimant reads RTL
    opened.assert_clean()


def test_event_view_groups_claims_by_source_and_lands_on_their_highlights(
    open_report: Callable[..., Opened], tmp_path: Path
) -> None:
    """Three stored articles report one drone attack: a US official's 12 dead against 40 (relayed by Reuters),
    and responsibility claimed by the IRI (under two names) and by Kataib Hezbollah. `claimx report` over
    them shows the event; clicking opens it, and a claim's link opens its article on the claim's highlight."""
    db = tmp_path / "c.db"
    with Store(db) as store:
        store_corpus(store, ["al-mayadeen", "reuters", "ap"])
        (event,) = link(store).events
    out = tmp_path / "events.html"
    written = CliRunner().invoke(main, ["report", "al-mayadeen", "reuters", "ap", "--db", str(db), "-o", str(out)])
    assert written.exit_code == 0, written.output
    opened = open_report(out)
    page = opened.page
    view = f"#event-{event.id}"
    assert not page.is_visible(view)

    row = f'#events tr.event[data-event="{event.id}"]'
    assert page.get_attribute(row, "data-contradicted") == "true" and page.get_attribute(row, "data-sources") == "3"
    assert "figures that differ; rival claims of responsibility" in page.inner_text(row)
    page.click(f'{row} a[href="{view}"]')
    assert page.is_visible(view) and not page.is_visible("#article-1")

    # grouped by source, the columns side by side
    grouped = page.eval_on_selector_all(
        f"{view} .source",
        "els => els.map(s => [s.querySelector('h3').textContent,"
        " [...s.querySelectorAll('.card')].map(c => c.dataset.key)])",
    )
    expected = [[g.source, sorted(f"{c.article_id}#{c.claim.id}" for c in g.claims)] for g in event.sources]
    assert sorted([source, sorted(keys)] for source, keys in grouped) == sorted(expected)
    assert {source for source, _ in grouped} == {"A US official", "Islamic Resistance in Iraq", "Kataib Hezbollah"}
    tops = page.eval_on_selector_all(f"{view} .source", "els => els.map(e => e.getBoundingClientRect().top)")
    assert len(set(tops)) == 1  # one row of columns
    chains = page.eval_on_selector_all(f"{view} .source h4", "els => els.map(e => e.textContent)")
    assert "own word: A US official ← Al Mayadeen" in chains and "relayed: A US official ← Reuters" in chains

    # the contradicted claims are highlighted, by an outline and in words naming the kind
    flagged = {f"{a}#{c}" for x in event.contradictions for a, c in (x.a, x.b)}
    contradicted = page.eval_on_selector_all(f"{view} .card.contradicted", "els => els.map(e => e.dataset.key)")
    assert set(contradicted) == flagged and len(flagged) == 5
    official = next(c for g in event.sources for c in g.claims if c.article_id == "reuters" and c.claim.outcome)
    card = f'{view} .card[data-key="reuters#{official.claim.id}"]'
    assert page.eval_on_selector(card, "e => getComputedStyle(e).outlineColor") == "rgb(198, 40, 40)"
    assert "contradiction, figures that differ: deaths: killed 12 (12) against killed 40 (40)" in page.inner_text(card)
    assert "rival claims of responsibility" in page.inner_text(f"{view} .contradictions")

    # a claim's link lands on its highlight in the article view, even where the filters had hidden it
    doc = "#article-2"
    page.click('#index a[href="#article-2"]')
    page.uncheck(f'{doc} input.f-stance[value="asserted"]')
    assert official.claim.id not in opened.visible_cards(doc) and len(opened.visible_cards(doc)) == 1
    page.go_back()
    assert page.is_visible(view)
    page.click(f"{card} .where a")
    assert page.is_visible(doc) and not page.is_visible(view)
    assert opened.selected_cards(doc) == [official.claim.id]
    assert page.is_checked(f'{doc} input.f-stance[value="asserted"]') and len(opened.visible_cards(doc)) == 2
    marked = page.eval_on_selector_all(f"{doc} .seg.sel", "els => els.map(e => e.textContent).join('')")
    assert marked == B2
    box = page.eval_on_selector(f"{doc} .seg.sel", "e => e.getBoundingClientRect().toJSON()")
    assert box["top"] >= 0 and box["bottom"] <= 900  # in view

    # and the article view's claim leads back to its event, by keyboard too
    back = f'{doc} .lists .card[data-key="{official.claim.id}"] a[href="{view}"]'
    page.focus(back)
    page.keyboard.press("Enter")
    assert page.is_visible(view) and not page.is_visible(doc)
    opened.assert_clean()

    # a link opened from elsewhere lands the same way
    again = open_report(out, f"#article-2-claim-{official.claim.id}")
    assert again.selected_cards("#article-2") == [official.claim.id]
    again.assert_clean()
