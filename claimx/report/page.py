"""A review page: one self-contained HTML file that shows each claim on the article text it came from.

The article and everything the model wrote are untrusted, so the page is built to be inert: the
templates are rendered with autoescape, data for the script travels as JSON with `<`, `>` and `&`
escaped, the script only ever sets `textContent`, and a Content-Security-Policy allows no network
access and no script but the page's own, pinned by the sha256 of `static/report.js` and inlined
byte for byte. The file can be opened from disk, mailed or archived without a server.
"""

from __future__ import annotations

import base64
import hashlib
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from claimx.report.view import STANCE_COLOURS, STANCE_LABELS, ArticleView, article_view, grounded_share
from claimx.result import Result

__all__ = ["CSP", "render_article", "render_batch", "write_report"]

_STATIC = files("claimx.report") / "static"
_SCRIPT_BYTES = (_STATIC / "report.js").read_bytes()
_SCRIPT = Markup(_SCRIPT_BYTES.decode("utf-8"))  # claimx's own code, inlined exactly as hashed
_CSS = Markup((_STATIC / "report.css").read_text(encoding="utf-8"))
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SCRIPT_BYTES).digest()).decode("ascii")
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; "
    f"script-src 'sha256-{_SCRIPT_HASH}'; img-src 'none'; base-uri 'none'; form-action 'none'"
)
_ENV = Environment(
    loader=PackageLoader("claimx.report", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def _document(title: str, articles: list[ArticleView], *, batch: bool, totals: dict[str, object] | None = None) -> str:
    """The whole page around the article sections; `totals` are the batch index's footer."""
    return _ENV.get_template("page.html.j2").render(
        title=title,
        articles=articles,
        batch=batch,
        totals=totals,
        csp=CSP,
        css=_CSS,
        script=_SCRIPT,
        labels=STANCE_LABELS,
        colours=STANCE_COLOURS,
    )


def render_article(result: Result) -> str:
    """One article's review page: the text with highlighted evidence, claim cards and filters."""
    article = article_view(result, 1)
    return _document(f"claimx review — {article.title}", [article], batch=False)


def render_batch(results: list[Result]) -> str:
    """Several articles in one file: an index (claims, grounded share, warnings per article) whose
    entries link to each article's view further down the same page."""
    articles = [article_view(r, i) for i, r in enumerate(results, 1)]
    claims = sum(len(a.items) for a in articles)
    located = sum(len(a.located) for a in articles)
    warnings = sum(len(a.warnings) for a in articles)
    totals = {"claims": claims, "located": located, "share": grounded_share(located, claims), "warnings": warnings}
    return _document(f"claimx review — {len(results)} articles", articles, batch=True, totals=totals)


def write_report(results: list[Result], path: Path) -> Path:
    """Write the review page: an article page for one result, an indexed batch page for several."""
    if not results:
        raise ValueError("no results to report")
    html = render_article(results[0]) if len(results) == 1 else render_batch(results)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
