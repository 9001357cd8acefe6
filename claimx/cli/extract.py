"""`claimx extract`: one article in (a file, stdin, a web page, or the bundled example), its claims out
as JSON or a reviewer's table."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn

from claimx import errors, inputs
from claimx.cli.options import CONTEXT, calls_option, endpoint_options, language_options, length_options, verbose_option
from claimx.cli.render import EXIT_UNFINISHED, err, fail, print_footer, result_table, transient_progress
from claimx.extraction.pipeline import extract
from claimx.fetch import MAX_FETCH_BYTES, fetch
from claimx.settings import settings_from


def _read(source: str | None, max_fetch_bytes: int) -> tuple[bytes | str, date | None, str | None]:
    """The article (the bundled example when `source` is None) with the date and publisher it comes with
    (the example's, a fetched page's), if any."""
    if source is None:
        bundled = inputs.example()
        return bundled.text or "", bundled.published, bundled.publisher
    if source == "-":
        return sys.stdin.buffer.read(), None, None
    if inputs.is_url(source):
        page = fetch(source, max_bytes=max_fetch_bytes)  # a FetchError (exit 2) names the URL and the reason
        return page.text, page.published, page.publisher
    path = Path(source)
    if not path.is_file():
        raise click.BadParameter(f"{source} is not a file", param_hint="FILE")
    return path.read_bytes(), None, None


@click.command("extract", context_settings=CONTEXT)
@click.argument("source", metavar="[FILE|URL|-]", required=False)
@click.option(
    "--example",
    is_flag=True,
    help="Run on the article bundled with claimx (Al Mayadeen English, 2023-12-14) instead of a FILE.",
)
@endpoint_options
@language_options
@click.option(
    "--published",
    help="Publication date YYYY-MM-DD; anchors 'on Wednesday' to a date. Default: the page's, for a URL.",
)
@click.option("--publisher", help="The outlet that published the article. Default: the page's site name, for a URL.")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the JSON result here (written even when some calls failed).",
)
@length_options
@click.option(
    "--max-input-bytes",
    type=click.IntRange(min=1),
    help="Largest input accepted, in bytes, checked before HTML is reduced (env CLAIMX_MAX_INPUT_BYTES, default 5e6).",
)
@click.option("--max-reasks", type=int, help="Validation re-asks per call (default 2).")
@calls_option
@click.option(
    "--max-fetch-bytes",
    type=click.IntRange(min=1),
    default=MAX_FETCH_BYTES,
    show_default=True,
    help="Largest web page fetched for a URL.",
)
@verbose_option
def extract_command(
    *,
    source: str | None,
    example: bool,
    model: str | None,
    base_url: str | None,
    strategy: str | None,
    mode: str | None,
    published: str | None,
    publisher: str | None,
    fmt: str,
    output: Path | None,
    max_chars: int | None,
    max_calls: int | None,
    context_tokens: int | None,
    max_input_bytes: int | None,
    max_reasks: int | None,
    calls_per_article: int | None,
    language: str | None,
    fields_language: str | None,
    max_fetch_bytes: int,
) -> None:
    """Extract claims from one article: a file, stdin, a web page or the bundled example.

    The article is a text or HTML file, - for stdin, an http(s) URL (fetched and reduced to its
    article text), or --example.

    Exit status: 0 complete, 3 partial (some calls gave no usable answer: the result and its
    warnings say which), 2 unusable input or arguments (a URL that cannot be fetched too), 1 no call
    succeeded, the endpoint refused, or the configuration is incomplete.

    \b
    Examples:
      claimx extract --example --format table
      claimx extract article.txt --published 2023-12-14 --format table
      claimx extract https://example.org/news/1 -m gpt-4.1-mini -o result.json
      cat page.html | claimx extract - -v
      claimx extract depeche.txt --language fr --fields-language original
    """
    if example == (source is not None):
        raise click.UsageError("give one FILE, URL or - (stdin), or --example")
    try:
        settings = settings_from(
            model=model,
            base_url=base_url,
            strategy=strategy,
            mode=mode,
            max_chars=max_chars,
            max_calls=max_calls,
            context_tokens=context_tokens,
            max_input_bytes=max_input_bytes,
            max_reasks=max_reasks,
            concurrency=calls_per_article,
            language=language,
            fields_language=fields_language,
        )
        data, given_date, given_publisher = _read(source, max_fetch_bytes)
        with transient_progress(
            TextColumn("[bold]extracting"), BarColumn(), MofNCompleteColumn(), TextColumn("calls"), TimeElapsedColumn()
        ) as bar:
            task = bar.add_task("calls", total=None)
            result = extract(
                data,
                settings=settings,
                published=published or given_date,
                publisher=publisher or given_publisher,
                on_progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    except errors.ClaimxError as exc:
        if isinstance(exc, errors.ExtractionError) and exc.partial is not None and output is not None:
            output.write_text(exc.partial.model_dump_json(indent=2))
            err.print(f"partial result written to {output}")
        raise fail(exc) from exc
    if output is not None:
        output.write_text(result.model_dump_json(indent=2))
    if fmt == "table":
        console = Console(width=None if sys.stdout.isatty() else 160)  # pipes and logs get a readable width
        console.print(result_table(result))
        print_footer(result, console)
    elif output is None:
        click.echo(result.model_dump_json(indent=2))
        if result.status == "partial":
            err.print(f"partial: {len(result.failed_units)} call(s) gave no usable answer (see warnings)")
    else:
        print_footer(result, err)
    if result.status == "partial":
        sys.exit(EXIT_UNFINISHED)
