"""The `claimx` command: a thin layer over the Python API that reads files and prints results."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from claimx import errors
from claimx.evaluation import runner
from claimx.extraction import local
from claimx.cli.options import endpoint_options
from claimx.cli.report import report_command
from claimx.cli.store import COMMANDS as STORE_COMMANDS
from claimx.extraction.pipeline import extract
from claimx.settings import settings_from
from claimx.result import Result
from claimx.evaluation.gold import GoldArticle, load_gold
from claimx.evaluation.scorer import score
from claimx.evaluation.scorer import render_table as render_scores

err = Console(stderr=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="claimx")
def main() -> None:
    """Turn news articles into attributed, source-grounded claims.

    A claim is always somebody's assertion (claimant ← relay chain), never a verified fact.

    \b
    First run, with the bundled local model (no account, no key):
      claimx local install
      claimx extract examples/almayadeen-2023-12-14.txt --published 2023-12-14 --format table
    With a hosted or self-hosted endpoint:
      OPENAI_BASE_URL=http://localhost:11434/v1 claimx extract article.txt --model qwen2.5:7b
    """


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    path = Path(source)
    if not path.is_file():
        raise click.BadParameter(f"{source} is not a file", param_hint="FILE")
    return path.read_bytes()


def render_table(result: Result) -> Table:
    """A reviewer's view: who claims what, through whom, and whether the quote was found."""
    table = Table(title=f"{len(result.claims)} claim(s) — {result.provenance.model} ({result.provenance.strategy})",
                  show_lines=True)
    for column in ("#", "claimant ← via", "stance", "actor", "target", "method", "outcome (as claimed)", "grounding"):
        table.add_column(column, overflow="fold")
    for i, claim in enumerate(result.claims, 1):
        table.add_row(
            str(i), claim.chain, claim.stance.value, claim.actor or "–", claim.target or "–",
            ", ".join(claim.method) or "–", claim.outcome or "–",
            ", ".join(e.status.value for e in claim.evidence),
        )
    return table


def _print_footer(result: Result, console: Console) -> None:
    usage = result.usage
    console.print(
        f"{usage.llm_calls} LLM call(s), {usage.reasks} re-ask(s), {usage.prompt_tokens} prompt + "
        f"{usage.completion_tokens} completion tokens, {result.provenance.seconds:.1f} s. All claims unverified."
    )
    for warning in result.warnings:
        console.print(f"[yellow]warning[/] {warning.code}: {warning.message}", highlight=False)


@main.command("extract")
@click.argument("source", metavar="FILE|-")
@endpoint_options
@click.option("--published", help="Publication date YYYY-MM-DD; anchors 'on Wednesday' to a date.")
@click.option("--publisher", help="The outlet that published the article.")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the JSON result here (written even when some calls failed).")
@click.option("--max-chars", type=int, help="Longest article accepted (env CLAIMX_MAX_CHARS, default 40000).")
@click.option("--max-reasks", type=int, help="Validation re-asks per call (default 2).")
@click.option("--concurrency", type=int, help="Calls in flight at once (default 4).")
def extract_command(source: str, model: str | None, base_url: str | None, strategy: str | None,
                    published: str | None, publisher: str | None, fmt: str, output: Path | None,
                    max_chars: int | None, max_reasks: int | None, concurrency: int | None) -> None:
    """Extract claims from an article (text or HTML file, or - for stdin).

    \b
    Examples:
      claimx extract article.txt --published 2023-12-14 --format table
      curl -s URL | claimx extract - -o result.json
    """
    data = _read(source)
    try:
        settings = settings_from(model=model, base_url=base_url, strategy=strategy, max_chars=max_chars,
                                 max_reasks=max_reasks, concurrency=concurrency)
        with Progress(TextColumn("[bold]extracting"), BarColumn(), MofNCompleteColumn(), TextColumn("calls"),
                      TimeElapsedColumn(), console=err, transient=True) as bar:
            task = bar.add_task("calls", total=None)
            result = extract(data, settings=settings, published=published, publisher=publisher,
                             on_progress=lambda done, total: bar.update(task, completed=done, total=total))
    except errors.ExtractionError as exc:
        if exc.partial is not None and output is not None:
            output.write_text(exc.partial.model_dump_json(indent=2))
            err.print(f"partial result written to {output}")
        raise click.ClickException(str(exc)) from exc
    except errors.InputError as exc:
        raise click.UsageError(str(exc)) from exc
    except errors.ClaimxError as exc:
        raise click.ClickException(str(exc)) from exc
    if output is not None:
        output.write_text(result.model_dump_json(indent=2))
    if fmt == "table":
        console = Console(width=None if sys.stdout.isatty() else 160)  # pipes and logs get a readable width
        console.print(render_table(result))
        _print_footer(result, console)
    elif output is None:
        click.echo(result.model_dump_json(indent=2))
    else:
        _print_footer(result, err)


@main.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--predictions", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Score saved predictions instead of calling a model (lines from --save, or gold-format lines).")
@click.option("--save", type=click.Path(dir_okay=False, path_type=Path),
              help="Append each article's result here as it finishes, for re-scoring with --predictions.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON instead of a table.")
@endpoint_options
@click.option("--concurrency", type=int, help="Calls in flight at once (default 4).")
def eval_command(gold: Path, predictions: Path | None, save: Path | None, as_json: bool, model: str | None,
                 base_url: str | None, strategy: str | None, concurrency: int | None) -> None:
    """Score claimx against a gold file (claimx-gold v1 JSONL).

    Claims are matched to gold claims through overlapping evidence (Hungarian assignment); the report
    gives claim precision/recall/F1, field scores on matched pairs, grounding rate, calls, tokens and
    seconds per article.

    \b
    Examples:
      claimx eval eval/dev/dev.jsonl --strategy sentences --save runs/dev.jsonl
      claimx eval eval/dev/dev.jsonl --predictions runs/dev.jsonl --json
    """
    try:
        golds = load_gold(gold)
        if predictions is not None:
            predicted, stats = runner.load_predictions(predictions)
        else:
            settings = settings_from(model=model, base_url=base_url, strategy=strategy, concurrency=concurrency)
            with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                          TimeElapsedColumn(), console=err, transient=True) as bar:
                task = bar.add_task("articles", total=len(golds))

                def done(article: GoldArticle, result: Result | None, error: str | None) -> None:
                    if error:
                        err.print(f"[red]{article.id}[/]: {error}")
                    bar.advance(task)

                predicted, stats = runner.run(golds, settings, save=save, on_article=done)
        report = score(golds, predicted, stats)
    except (ValueError, errors.ClaimxError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(report.model_dump_json(indent=2))
    else:
        Console(width=200).print(render_scores(report))


@main.group("local")
def local_group() -> None:
    """The bundled local model (Qwen2.5-Coder-1.5B-Instruct, llama.cpp on loopback)."""


@local_group.command("install")
def local_install() -> None:
    """Install the llama.cpp runtime and fetch + verify the weights (~1.1 GB) into the user cache."""
    try:
        local.install(settings_from(), say=lambda message: err.print(message))
    except errors.LocalModelError as exc:
        raise click.ClickException(str(exc)) from exc


@local_group.command("serve")
@click.option("--port", type=int, help="Loopback port (env CLAIMX_LOCAL_PORT, default 8734).")
def local_serve(port: int | None) -> None:
    """Run the OpenAI-compatible server in the foreground (Ctrl-C stops it)."""
    settings = settings_from(local_port=port)
    err.print(f"serving {local.MODEL_NAME} on {local.base_url(settings)} — Ctrl-C to stop")
    try:
        local.serve(settings)
    except errors.LocalModelError as exc:
        raise click.ClickException(str(exc)) from exc
    except KeyboardInterrupt:
        pass


@local_group.command("status")
def local_status() -> None:
    """Say whether the runtime, the weights and the server are there."""
    settings = settings_from()
    path = local.weights_path(settings)
    click.echo(f"runtime: {'installed' if local.runtime_installed() else 'missing'}")
    click.echo(f"weights: {path if path.is_file() else 'missing'}")
    click.echo(f"server:  {local.base_url(settings) if local.healthy(settings) else 'not running'}")


@local_group.command("stop")
def local_stop() -> None:
    """Stop a server that claimx started in the background."""
    click.echo("stopped" if local.stop(settings_from()) else "no server started by claimx is running")


main.add_command(report_command, "report")
for command in STORE_COMMANDS:
    main.add_command(command)
