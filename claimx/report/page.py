"""A review page: one self-contained HTML file that shows each claim on the article text it came from.

The article and everything the model wrote are untrusted, so the page is built to be inert: the
templates are rendered with autoescape, data for the script travels as JSON with `<`, `>` and `&`
escaped, the script only ever sets `textContent`, and a Content-Security-Policy allows no network
access and no script but the page's own, pinned by the sha256 of `static/report.js` and inlined
byte for byte. The file can be opened from disk, mailed or archived without a server.

Given the events its claims belong to (plain `EventSheet`s: the page never links anything itself), the page
also lists them, and shows each in an event view drawn by the event page's own macros (`event.html.j2`):
each claim there links to its card in the article view, where the script selects it and brings its
highlight into view, and each card links back to its event.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

from markupsafe import Markup

from claimx.report.env import ENV
from claimx.report.event import EVENT_CSS, EventSheet, claim_key
from claimx.report.view import STANCE_COLOURS, STANCE_LABELS, ArticleView, article_view, grounded_share
from claimx.result import Result

__all__ = ["CSP", "render_article", "render_batch", "write_report"]

_STATIC = files("claimx.report") / "static"
_SCRIPT_BYTES = (_STATIC / "report.js").read_bytes()
_SCRIPT = Markup(_SCRIPT_BYTES.decode("utf-8"))  # claimx's own code, inlined exactly as hashed
_CSS = Markup((_STATIC / "report.css").read_text(encoding="utf-8")) + EVENT_CSS
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SCRIPT_BYTES).digest()).decode("ascii")
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; "
    f"script-src 'sha256-{_SCRIPT_HASH}'; img-src 'none'; base-uri 'none'; form-action 'none'"
)
NO_EVENTS = (
    "None of these articles' claims joined an event: threats, and claims naming neither a target nor a place, "
    "join none."
)
"""Why the events section is empty, on the page and from `claimx report`."""
ELSEWHERE = " (not on this page: add the article to the report to see it in its text)"


def _page(
    results: Sequence[Result], events: Sequence[EventSheet], ids: Sequence[str]
) -> tuple[list[ArticleView], dict[str, tuple[str, str]]]:
    """The articles' views, each claim knowing the events it belongs to, and where each claim is on the page
    (its card's anchor and a label) by its key across articles. `ids` name the results as the events name
    their articles (by default `article-1`, `article-2`, …)."""
    names = list(ids) or [f"article-{i}" for i in range(1, len(results) + 1)]
    if len(names) != len(results):
        raise ValueError(f"{len(names)} article id(s) for {len(results)} result(s)")
    member: dict[str, list[str]] = {}
    for sheet in events:
        for item in sheet.claims:
            member.setdefault(item.key, []).append(sheet.id)
    articles: list[ArticleView] = []
    where: dict[str, tuple[str, str]] = {}
    for i, (result, name) in enumerate(zip(results, names, strict=True), 1):
        article = article_view(result, i, {c.id: tuple(member.get(claim_key(name, c.id), ())) for c in result.claims})
        outlet = f", {result.article.publisher}" if result.article.publisher else ""
        for it in article.items:
            where.setdefault(claim_key(name, it.claim.id), (f"#{it.anchor}", f"claim #{it.n} in article {i}{outlet}"))
        articles.append(article)
    return articles, where


def _document(
    title: str,
    articles: list[ArticleView],
    *,
    batch: bool,
    events: Sequence[EventSheet] | None,
    where: dict[str, tuple[str, str]],
    totals: dict[str, object] | None = None,
) -> str:
    """The whole page around the article sections; `totals` are the batch index's footer, `events` None when
    the page's articles were not linked (no events section at all)."""
    return ENV.get_template("page.html.j2").render(
        title=title,
        articles=articles,
        batch=batch,
        totals=totals,
        events=events,
        where=where,
        no_events=NO_EVENTS,
        elsewhere=ELSEWHERE,
        csp=CSP,
        css=_CSS,
        script=_SCRIPT,
        labels=STANCE_LABELS,
        colours=STANCE_COLOURS,
    )


def render_article(result: Result, *, events: Sequence[EventSheet] | None = None, article_id: str = "") -> str:
    """One article's review page: the text with highlighted evidence, claim cards and filters, and the events
    its claims belong to (`article_id` is the article as the events name it)."""
    articles, where = _page([result], events or (), [article_id] if article_id else [])
    return _document(f"claimx review — {articles[0].title}", articles, batch=False, events=events, where=where)


def render_batch(results: list[Result], *, events: Sequence[EventSheet] | None = None, ids: Sequence[str] = ()) -> str:
    """Several articles in one file: an index (claims, grounded share, warnings per article) whose
    entries link to each article's view further down the same page, and the events their claims belong to."""
    articles, where = _page(results, events or (), ids)
    claims = sum(len(a.items) for a in articles)
    located = sum(len(a.located) for a in articles)
    warnings = sum(len(a.warnings) for a in articles)
    totals = {"claims": claims, "located": located, "share": grounded_share(located, claims), "warnings": warnings}
    title = f"claimx review — {len(results)} articles"
    return _document(title, articles, batch=True, events=events, where=where, totals=totals)


def write_report(
    results: list[Result], path: Path, *, events: Sequence[EventSheet] | None = None, ids: Sequence[str] = ()
) -> Path:
    """Write the review page: an article page for one result, an indexed batch page for several. `events` are
    the events their claims belong to (None: not linked), `ids` the results' article ids as the events name them."""
    if not results:
        raise ValueError("no results to report")
    if len(results) == 1:
        html = render_article(results[0], events=events, article_id=ids[0] if ids else "")
    else:
        html = render_batch(results, events=events, ids=ids)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
