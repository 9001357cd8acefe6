"""`claimx export`: stored claims, filtered, in the formats the field uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from claimx import errors
from claimx.cli.options import CONTEXT, db_option, filter_options, selected_claims
from claimx.cli.render import err, fail
from claimx.store import export, open_store
from claimx.store.claimreview import reviewer_url_of


def _reviewer_url(_: click.Context, __: click.Parameter, value: str | None) -> str | None:
    """Refuse a non-http(s) --reviewer-url as a usage error, before the store is read."""
    try:
        return reviewer_url_of(value)
    except errors.ClaimxError as exc:
        raise click.BadParameter(str(exc)) from exc


@click.command("export", context_settings=CONTEXT)
@click.option(
    "--format", "fmt", required=True, type=click.Choice(list(export.FORMATS)), help="The format to write (see above)."
)
@db_option
@click.option("-o", "--output", default="-", show_default=True, help="File to write; - for stdout (not for parquet).")
@click.option(
    "--reviewer-url", callback=_reviewer_url, help="claimreview: the http(s) URL where your review is published."
)
@click.option(
    "--reviewer-type",
    type=click.Choice(["Organization", "Person"]),
    default="Organization",
    show_default=True,
    help="claimreview: what the --by of the verdicts is.",
)
@filter_options
def export_command(
    fmt: str, db: Path, output: str, reviewer_url: str | None, reviewer_type: str, **selection: Any
) -> None:
    """Export stored claims as jsonl, csv, parquet, acled or claimreview (--format).

    \b
    jsonl        one claim per line, lossless (reads back with claimx.store.export.read_jsonl)
    csv          one row per claim, lists joined with "; "
    parquet      the csv columns, typed (needs pyarrow: pip install 'claimx[parquet]')
    acled        ACLED-style candidate events: event_date, actor1 (reported perpetrator, else
                 claimant), actor2 (target), event_type/sub_event_type from the method (drone/air
                 strike, shelling/artillery/missile attack, …), location, source (the relay
                 chain), notes saying it is a claim and by whom
    claimreview  schema.org ClaimReview JSON-LD for claims that carry a verdict

    The same filters as `claimx claims` apply.

    Exit status: 0 exported, 1 the store cannot be read or the output cannot be written (parquet
    without pyarrow too), 2 bad arguments or no store at --db.

    \b
    Examples:
      claimx export --format jsonl -o claims.jsonl
      claimx export --format acled --grounded-only --since 2023-12-01 -o events.csv
      claimx export --format claimreview --verified -o reviews.jsonld
    """
    reviewer = {"reviewer_url": reviewer_url, "reviewer_type": reviewer_type} if fmt == "claimreview" else {}
    try:
        with open_store(db, create=False) as store:
            items = selected_claims(store, **selection)
        written = export.export(items, fmt, None if output == "-" else Path(output), **reviewer)
    except errors.ClaimxError as exc:
        raise fail(exc) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc}") from exc
    what = "verified claim(s)" if fmt == "claimreview" else "claim(s)"
    err.print(f"exported {written} {what} as {fmt}" + (f" to {output}" if output != "-" else ""), highlight=False)
