"""`claimx extract`: one article in, its claims out as JSON or a reviewer's table."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from claimx import errors
from claimx.cli.options import CONTEXT, endpoint_options
from claimx.cli.render import EXIT_UNFINISHED, err, fail, print_footer, result_table
from claimx.extraction.pipeline import extract
from claimx.settings import settings_from


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    path = Path(source)
    if not path.is_file():
        raise click.BadParameter(f"{source} is not a file", param_hint="FILE")
    return path.read_bytes()


@click.command("extract", context_settings=CONTEXT)
@click.argument("source", metavar="FILE|-")
@endpoint_options
@click.option("--published", help="Publication date YYYY-MM-DD; anchors 'on Wednesday' to a date.")
@click.option("--publisher", help="The outlet that published the article.")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the JSON result here (written even when some calls failed).",
)
@click.option("--max-chars", type=int, help="Longest article accepted (env CLAIMX_MAX_CHARS, default 40000).")
@click.option(
    "--max-input-bytes",
    type=click.IntRange(min=1),
    help="Largest input accepted, in bytes, checked before HTML is reduced (env CLAIMX_MAX_INPUT_BYTES, default 5e6).",
)
@click.option("--max-reasks", type=int, help="Validation re-asks per call (default 2).")
@click.option("--concurrency", type=int, help="Calls in flight at once (default 4).")
def extract_command(
    *,
    source: str,
    model: str | None,
    base_url: str | None,
    strategy: str | None,
    mode: str | None,
    published: str | None,
    publisher: str | None,
    fmt: str,
    output: Path | None,
    max_chars: int | None,
    max_input_bytes: int | None,
    max_reasks: int | None,
    concurrency: int | None,
) -> None:
    """Extract claims from an article (text or HTML file, or - for stdin).

    Exit status: 0 complete, 3 partial (some calls gave no usable answer: the result and its
    warnings say which), 2 unusable input, 1 no call succeeded or the endpoint refused.

    \b
    Examples:
      claimx extract article.txt --published 2023-12-14 --format table
      curl -s URL | claimx extract - -o result.json
    """
    data = _read(source)
    try:
        settings = settings_from(
            model=model,
            base_url=base_url,
            strategy=strategy,
            mode=mode,
            max_chars=max_chars,
            max_input_bytes=max_input_bytes,
            max_reasks=max_reasks,
            concurrency=concurrency,
        )
        with Progress(
            TextColumn("[bold]extracting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("calls"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("calls", total=None)
            result = extract(
                data,
                settings=settings,
                published=published,
                publisher=publisher,
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
