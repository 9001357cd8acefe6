"""`claimx eval`: score claimx against a gold file, calling a model or re-scoring saved predictions."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from claimx import errors
from claimx.cli.options import CONTEXT, endpoint_options
from claimx.cli.render import err
from claimx.evaluation import runner
from claimx.evaluation.gold import GoldArticle, load_gold
from claimx.evaluation.scorer import render_table, score
from claimx.result import Result
from claimx.settings import settings_from


@click.command("eval", context_settings=CONTEXT)
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--predictions",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Score saved predictions instead of calling a model (lines from --save, or gold-format lines).",
)
@click.option(
    "--save",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append each article's result here as it finishes, for re-scoring with --predictions.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON instead of a table.")
@endpoint_options
@click.option("--concurrency", type=int, help="Calls in flight at once (default 4).")
def eval_command(
    *,
    gold: Path,
    predictions: Path | None,
    save: Path | None,
    as_json: bool,
    model: str | None,
    base_url: str | None,
    strategy: str | None,
    mode: str | None,
    concurrency: int | None,
) -> None:
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
            settings = settings_from(
                model=model, base_url=base_url, strategy=strategy, mode=mode, concurrency=concurrency
            )
            with Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            ) as bar:
                task = bar.add_task("articles", total=len(golds))

                def done(article: GoldArticle, result: Result | None, error: str | None) -> None:
                    if error:
                        err.print(f"[red]{article.id}[/]: {error}")
                    bar.advance(task)

                predicted, stats = runner.run(golds, settings, save=save, on_article=done)
        report = score(golds, predicted, stats)
    except (ValueError, errors.ClaimxError) as exc:  # a broken gold or predictions file fails the run (exit 1)
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(report.model_dump_json(indent=2))
    else:
        Console(width=200).print(render_table(report))
