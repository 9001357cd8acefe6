"""`claimx claims`: stored claims, filtered, as a table or as JSONL/CSV for other tools."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from claimx import errors
from claimx.cli.options import CONTEXT, db_option, filter_options, selected_claims
from claimx.cli.render import claims_table, fail
from claimx.store import export, open_store


@click.command("claims", context_settings=CONTEXT)
@db_option
@filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True)
def claims_command(db: Path, fmt: str, **selection: Any) -> None:
    """List stored claims, filtered.

    Dates match the claim's event date (a day or an interval), else the article's publication
    date. By default each article's latest run is shown. --search matches words of the evidence
    quotes and claimants (stemmed: "attack" finds "attacked") and lists the best matches first.

    Exit status: 0 listed (no match is not an error), 1 a store that cannot be read, 2 bad arguments
    or no store at --db.

    \b
    Examples:
      claimx claims --stance claimed_responsibility --grounded-only
      claimx claims --claimant "islamic resistance" --since 2023-12-01 --until 2023-12-31
      claimx claims --target base --format jsonl | jq .claim.chain
      claimx claims --search 'drone* NOT claimant:ministry' --limit 10
      claimx claims --language ar --format jsonl
    """
    try:
        with open_store(db, create=False) as store:
            items = selected_claims(store, **selection)
    except errors.ClaimxError as exc:
        raise fail(exc) from exc
    if fmt == "table":
        Console().print(claims_table(items))
    else:
        export.export(items, fmt, sys.stdout)
