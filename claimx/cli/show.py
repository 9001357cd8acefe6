"""`claimx show`: one article's stored result, as the reviewer's table or the full Result JSON."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from claimx import errors
from claimx.cli.options import CONTEXT, db_option
from claimx.cli.render import fail, print_footer, result_table
from claimx.store import open_store


@click.command("show", context_settings=CONTEXT)
@click.argument("article_id")
@db_option
@click.option("--run", "run_id", type=int, help="A specific run (default: the article's latest).")
@click.option("-m", "--model", help="The latest run made with this model.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def show_command(article_id: str, db: Path, run_id: int | None, model: str | None, fmt: str) -> None:
    """Show an article's stored result: its claims, grounding and verdicts.

    ARTICLE_ID may be a unique prefix (4+ characters). --format json prints the full Result,
    verifications included, the same JSON `claimx extract` gives (so `claimx report` reads it).

    Exit status: 0 shown, 1 unknown article or run, or a store that cannot be read, 2 bad arguments
    or no store at --db.

    \b
    Examples:
      claimx show 3f2a9c0d1e2b4a5f
      claimx show 3f2a --format json > result.json
    """
    try:
        with open_store(db, create=False) as store:
            result = store.result(store.resolve_article(article_id), run_id=run_id, model=model)
    except errors.ClaimxError as exc:
        raise fail(exc) from exc
    if fmt == "json":
        click.echo(result.model_dump_json(indent=2))
        return
    console = Console()
    article = result.article
    console.print(
        f"[bold]{article.publisher or 'unknown publisher'}[/], {article.published or 'undated'} — "
        f"{result.provenance.model} ({result.provenance.strategy}), run of "
        f"{result.provenance.started_at:%Y-%m-%d %H:%M}, text sha256 {article.sha256[:12]}",
        highlight=False,
    )
    console.print(result_table(result, stored=True))
    print_footer(result, console, stored=True)
