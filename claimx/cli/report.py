"""`claimx report`: turn saved results into one HTML review page that opens offline in any browser."""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path

import click
from pydantic import ValidationError

from claimx.cli.events import sheet_of
from claimx.cli.options import CONTEXT, db_option
from claimx.cli.render import err, fail
from claimx.corpus import link
from claimx.errors import ClaimxError, InputError, StoreNotFoundError
from claimx.jsonl import read_jsonl
from claimx.report import write_report
from claimx.report.event import EventSheet
from claimx.report.page import NO_EVENTS
from claimx.result import Result
from claimx.store import Store, open_store


def _bad(message: str) -> click.BadParameter:
    return click.BadParameter(message, param_hint="RESULTS")


def _problem(exc: ValidationError) -> str:
    """The first validation error, short enough for a terminal line."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ())) or "document"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where}: {first.get('msg', 'invalid')}{more}"


def load_results(path: Path) -> list[Result]:
    """Results from a .json file (one Result, or a list of them) or a .jsonl file (one per line), with
    errors that name the file and line so a broken batch is quick to fix."""
    if path.suffix.lower() == ".jsonl":
        try:
            results = read_jsonl(path, Result.model_validate, what="a claimx result")
        except InputError as exc:  # already names the file and line
            raise _bad(str(exc)) from exc
        if not results:
            raise _bad(f"{path}: no results in this file")
        return results
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _bad(f"{path}: cannot read: {exc}") from exc
    try:
        if raw.lstrip().startswith("["):
            return [Result.model_validate(item) for item in json.loads(raw)]
        return [Result.model_validate_json(raw)]
    except json.JSONDecodeError as exc:
        raise _bad(f"{path}: invalid JSON: {exc}") from exc
    except ValidationError as exc:
        raise _bad(f"{path}: not a claimx result: {_problem(exc)}") from exc


def _article(store: Store, source: str) -> tuple[str, Result]:
    """The latest stored result of an article given by id or unique prefix, with its full id."""
    try:
        article_id = store.resolve_article(source)
        return article_id, store.result(article_id)
    except ClaimxError as exc:
        raise click.BadParameter(f"{source} is not a file, and the store says: {exc}", param_hint="SOURCES") from exc


def _events(store: Store, article_ids: set[str]) -> list[EventSheet]:
    """The events that claims of these stored articles belong to; the store is re-linked, as `claimx events` does."""
    try:
        linked = link(store)
    except ClaimxError as exc:
        raise fail(exc) from exc
    return [sheet_of(e) for e in linked.events if any(a in article_ids for a, _ in e.members)]


@click.command("report", context_settings=CONTEXT)
@click.argument("sources", nargs=-1, required=True, metavar="RESULT.json|RESULTS.jsonl|ARTICLE_ID...")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help="Where to write the HTML page.",
)
@db_option
def report_command(sources: tuple[str, ...], output: Path, db: Path) -> None:
    """Write a self-contained HTML review page for saved results or stored articles.

    Each source is a result file (.json with one result or a list, .jsonl with one per line) or the
    id (or unique prefix) of an article in the claim store. One result gives an article page;
    several give an index with one entry per article. The page makes no network requests and runs
    no script but its own, so it is safe to open on untrusted articles.

    When articles come from the store, the page also shows the events their claims belong to (the store
    is re-linked, as `claimx events` does): a table of events (dates, place, target, methods, actors,
    independent sources, contradictions) and, for each, its claims side by side by source with the
    contradicted ones marked; each claim links to its highlight in the article, and each claim of an
    event links to its event. Claims from result files join no event.

    Exit status: 0 written, 1 the page cannot be written or the store cannot be linked, 2 a source that is
    neither a readable result file nor an article in the store.

    \b
    Examples:
      claimx extract article.txt -o result.json && claimx report result.json -o report.html
      claimx report a.json b.json batch.jsonl -o review.html
      claimx report 3f2a9c1d e81b --db claimx.db -o review.html    # with the events of their claims
    """
    entries: list[tuple[str, Result]] = []  # (the article's id as the events name it, its result)
    files = {source for source in sources if Path(source).is_file()}
    stored = [source for source in sources if source not in files]
    try:
        store = open_store(db, create=False) if stored else None
    except StoreNotFoundError as exc:
        raise click.BadParameter(f"{stored[0]} is not a file, and there is {exc}", param_hint="SOURCES") from exc
    with store or nullcontext():
        for source in sources:
            if store is None or source in files:
                results = load_results(Path(source))
                entries.extend((f"file:{source}:{n}", result) for n, result in enumerate(results, 1))
            else:
                entries.append(_article(store, source))
        events = _events(store, {article_id for article_id, _ in entries}) if store else None
    loaded = [result for _, result in entries]
    try:
        written = write_report(loaded, output, events=events, ids=[article_id for article_id, _ in entries])
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc}") from exc
    claims = sum(len(r.claims) for r in loaded)
    linked = "" if events is None else f", {len(events)} event(s)"
    click.echo(f"wrote {written} ({len(loaded)} article(s), {claims} claim(s){linked})")
    if events == []:
        err.print(NO_EVENTS)
