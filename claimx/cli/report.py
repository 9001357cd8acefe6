"""`claimx report`: turn saved results into one HTML review page that opens offline in any browser."""

from __future__ import annotations

import json
from pathlib import Path

import click
from pydantic import ValidationError

from claimx.cli.options import CONTEXT, db_option
from claimx.errors import ClaimxError, InputError, StoreNotFoundError
from claimx.jsonl import read_jsonl
from claimx.report import write_report
from claimx.result import Result
from claimx.store import open_store


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


def _stored(source: str, db: Path) -> Result:
    """The latest stored result of an article given by id or unique prefix (a missing store is never created)."""
    try:
        with open_store(db, create=False) as store:
            return store.result(store.resolve_article(source))
    except StoreNotFoundError as exc:
        raise click.BadParameter(f"{source} is not a file, and there is {exc}", param_hint="SOURCES") from exc
    except ClaimxError as exc:
        raise click.BadParameter(f"{source} is not a file, and the store says: {exc}", param_hint="SOURCES") from exc


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

    Exit status: 0 written, 1 the page cannot be written, 2 a source that is neither a readable result
    file nor an article in the store.

    \b
    Examples:
      claimx extract article.txt -o result.json && claimx report result.json -o report.html
      claimx report a.json b.json batch.jsonl -o review.html
      claimx report 3f2a9c1d e81b --db claimx.db -o review.html
    """
    loaded: list[Result] = []
    for source in sources:
        path = Path(source)
        if path.is_file():
            loaded.extend(load_results(path))
        else:
            loaded.append(_stored(source, db))
    try:
        written = write_report(loaded, output)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc}") from exc
    claims = sum(len(r.claims) for r in loaded)
    click.echo(f"wrote {written} ({len(loaded)} article(s), {claims} claim(s))")
