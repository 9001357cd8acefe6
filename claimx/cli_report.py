"""`claimx report`: turn saved results into one HTML review page that opens offline in any browser."""

from __future__ import annotations

import json
from pathlib import Path

import click
from pydantic import ValidationError

from claimx.report import write_report
from claimx.schema import Result


def _problem(exc: ValidationError) -> str:
    """The first validation error, short enough for a terminal line."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ())) or "document"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where}: {first.get('msg', 'invalid')}{more}"


def load_results(path: Path) -> list[Result]:
    """Results from a .json file (one Result, or a list of them) or a .jsonl file (one per line), with
    errors that name the file and line so a broken batch is quick to fix."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.BadParameter(f"{path}: cannot read: {exc}", param_hint="RESULTS") from exc
    if path.suffix.lower() == ".jsonl":
        results = []
        for number, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            try:
                results.append(Result.model_validate_json(line))
            except ValidationError as exc:
                raise click.BadParameter(f"{path}:{number}: not a claimx result: {_problem(exc)}",
                                         param_hint="RESULTS") from exc
        if not results:
            raise click.BadParameter(f"{path}: no results in this file", param_hint="RESULTS")
        return results
    try:
        if raw.lstrip().startswith("["):
            return [Result.model_validate(item) for item in json.loads(raw)]
        return [Result.model_validate_json(raw)]
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"{path}: invalid JSON: {exc}", param_hint="RESULTS") from exc
    except ValidationError as exc:
        raise click.BadParameter(f"{path}: not a claimx result: {_problem(exc)}", param_hint="RESULTS") from exc


@click.command("report")
@click.argument("results", nargs=-1, required=True, metavar="RESULT.json|RESULTS.jsonl...",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              default=Path("report.html"), show_default=True, help="Where to write the HTML page.")
def report_command(results: tuple[Path, ...], output: Path) -> None:
    """Write a self-contained HTML review page for saved results.

    One result gives an article page; several give an index with one entry per article. The page
    makes no network requests and runs no script but its own, so it is safe to open on untrusted
    articles.

    \b
    Examples:
      claimx report result.json -o report.html
      claimx report a.json b.json batch.jsonl -o review.html
    """
    loaded = [result for path in results for result in load_results(path)]
    try:
        written = write_report(loaded, output)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc}") from exc
    claims = sum(len(r.claims) for r in loaded)
    click.echo(f"wrote {written} ({len(loaded)} article(s), {claims} claim(s))")
