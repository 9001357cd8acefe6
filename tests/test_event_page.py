"""The event's review page: rendered from plain data, inert (no script, nothing fetched), and in a real
headless Chromium its claims stand one column per source with the contradicted ones marked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from markupsafe import escape

from claimx.cli.events import sheet_of
from claimx.cli.main import main
from claimx.corpus import link
from claimx.report.event import CONTRADICTION_LABELS, EVENT_CSP, render_event, write_event_report
from claimx.store import Store
from tests.corpus_samples import store_corpus
from tests.test_report_browser import ARGS, CHROMIUM, sync_api

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


@pytest.fixture
def assaad(tmp_path: Path):
    with Store(tmp_path / "c.db") as store:
        store_corpus(store)
        return next(e for e in link(store).events if len(e.members) == 5)


def test_the_page_is_inert_and_escapes_what_articles_say(assaad) -> None:
    sheet = sheet_of(assaad)
    html = render_event(sheet)
    assert f'content="{escape(EVENT_CSP)}"' in html and "script-src 'none'" in EVENT_CSP and "<script" not in html
    assert html.count('class="source"') == 3  # the IRI (two articles, two names), Kataib Hezbollah, the official
    flagged = {k for c in assaad.contradictions for k in (c.a, c.b)}
    assert html.count('class="card contradicted"') == len(flagged) == 5  # figures 12/40; rival claims
    assert "relayed: <bdi>A US official ← Reuters</bdi>" in html  # the publisher is not repeated after the relay it is
    assert "own word: <bdi>A US official ← Al Mayadeen</bdi>" in html
    hostile = sheet.sources[0].claims[0]
    payload = hostile.claim.model_copy(update={"outcome": "<img src=x onerror=alert(1)>"})
    bad = type(sheet)(
        **{
            **sheet.__dict__,
            "sources": (
                type(sheet.sources[0])(
                    sheet.sources[0].source, sheet.sources[0].stances, (type(hostile)(payload, "a", None),)
                ),
            ),
        }
    )
    assert "<img src=x" not in render_event(bad) and "&lt;img src=x" in render_event(bad)


def test_the_cli_writes_the_page(tmp_path: Path, assaad) -> None:
    db = tmp_path / "c.db"
    runner = CliRunner()
    refused = runner.invoke(main, ["event", assaad.id, "--db", str(db), "--format", "html"])
    assert refused.exit_code == 2 and "-o event.html" in refused.output
    written = runner.invoke(
        main, ["event", assaad.id, "--db", str(db), "--format", "html", "-o", str(tmp_path / "e.html")]
    )
    assert written.exit_code == 0 and (tmp_path / "e.html").read_text().count('class="card') == 5


def opened_kinds(page: sync_api.Page, key: str) -> list[str]:
    """The kinds of contradiction a claim's card names, one flag each."""
    return page.eval_on_selector_all(f'.card[data-key="{key}"] .flag', "els => els.map(e => e.dataset.kind)")


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


def test_in_a_browser_sources_stand_side_by_side_and_contradictions_show(
    browser: sync_api.Browser, tmp_path: Path, assaad
) -> None:
    path = write_event_report(sheet_of(assaad), tmp_path / "event.html")
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: None if r.url.startswith("file:") else problems.append(r.url))
    page.goto(path.as_uri())
    columns = page.eval_on_selector_all(".source", "els => els.map(e => e.getBoundingClientRect().top)")
    lefts = page.eval_on_selector_all(".source", "els => els.map(e => e.getBoundingClientRect().left)")
    assert len(columns) == 3 and len(set(columns)) == 1 and lefts == sorted(lefts)  # one row of columns
    flagged = page.eval_on_selector_all(".card.contradicted", "els => els.map(e => e.dataset.key)")
    expected = {
        f"{a}#{c}": [x.kind for x in assaad.contradictions if (a, c) in (x.a, x.b)]
        for x in assaad.contradictions
        for a, c in (x.a, x.b)
    }
    assert sorted(flagged) == sorted(expected)
    for key, kinds in expected.items():
        assert sorted(kinds) == sorted(opened_kinds(page, key))
        assert all(CONTRADICTION_LABELS[kind] in page.inner_text(f'.card[data-key="{key}"]') for kind in kinds)
    outline = page.eval_on_selector(".card.contradicted", "e => getComputedStyle(e).outlineColor")
    assert outline == "rgb(198, 40, 40)"
    assert "figures" in page.inner_text(".contradictions") and problems == []
    context.close()
