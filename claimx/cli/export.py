"""`claimx export`: stored claims, filtered, in the formats the field uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from claimx import errors
from claimx.cli.options import CONTEXT, db_option, filter_options, selected_claims
from claimx.cli.render import err, fail
from claimx.corpus import link
from claimx.corpus.export import write_events
from claimx.store import export, open_store
from claimx.store.acled import included_stances
from claimx.store.claimreview import AUTHOR_TYPES, reviewer_url_of


def _reviewer_url(_: click.Context, __: click.Parameter, value: str | None) -> str | None:
    """Refuse a non-http(s) --reviewer-url as a usage error, before the store is read."""
    try:
        return reviewer_url_of(value)
    except errors.ClaimxError as exc:
        raise click.BadParameter(str(exc)) from exc


def _reviewer_types(_: click.Context, __: click.Parameter, values: tuple[str, ...]) -> str | dict[str, str] | None:
    """`Organization` or `Person` for every reviewer, or `NAME=TYPE` for one (repeatable)."""
    if not values:
        return None
    if len(values) == 1 and values[0] in AUTHOR_TYPES:
        return values[0]
    named = dict(value.rpartition("=")[::2] for value in values)
    if bad := [f"{name}={kind}" for name, kind in named.items() if not name or kind not in AUTHOR_TYPES]:
        raise click.BadParameter(
            f"give Organization or Person for every reviewer, or NAME=TYPE per name (TYPE Organization or Person); "
            f"got {bad[0]!r}"
        )
    return named


def _export_events(db: Path, fmt: str, output: str) -> None:
    """ACLED rows one per event (`claimx.corpus`)."""
    if fmt != "acled":
        raise click.UsageError("--per event is for --format acled; `claimx events --format jsonl|csv` lists events")
    try:
        with open_store(db, create=False) as store:
            linked = link(store)
        written = write_events(linked.events, "acled", None if output == "-" else Path(output))
    except errors.ClaimxError as exc:
        raise fail(exc) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc}") from exc
    err.print(f"exported {written} event(s) as acled" + (f" to {output}" if output != "-" else ""), highlight=False)


def _stances(_: click.Context, __: click.Parameter, value: str | None) -> tuple[str, ...]:
    """--include denied,threatened as a tuple; anything else is a usage error, before the store is read."""
    asked = tuple((value or "").split(","))
    try:
        included_stances(asked)
    except errors.ClaimxError as exc:
        raise click.BadParameter(str(exc)) from exc
    return asked


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
    multiple=True,
    callback=_reviewer_types,
    metavar="TYPE|NAME=TYPE",
    help="claimreview, required: what the reviewers (the --by of the verdicts) are, Organization or Person; "
    "one type for every reviewer, or NAME=TYPE per reviewer (repeatable). Never guessed from a name.",
)
@click.option(
    "--include",
    "include_stances",
    callback=_stances,
    metavar="STANCES",
    help="acled: also export these claims, comma-separated: denied,threatened (left out by default: a denial or a "
    "threat is no event).",
)
@click.option(
    "--per",
    type=click.Choice(["claim", "event"]),
    default="claim",
    show_default=True,
    help="acled: one row per claim, or one per event (claims across articles grouped, see `claimx events`; "
    "the filters then do not apply).",
)
@filter_options
def export_command(
    *,
    fmt: str,
    db: Path,
    output: str,
    reviewer_url: str | None,
    reviewer_type: str | dict[str, str] | None,
    include_stances: tuple[str, ...],
    per: str,
    **selection: Any,
) -> None:
    """Export stored claims as jsonl, csv, parquet, acled or claimreview (--format).

    \b
    jsonl        one claim per line, lossless (reads back with claimx.store.export.read_jsonl)
    csv          one row per claim, lists joined with "; "
    parquet      the csv columns, typed (needs pyarrow: pip install 'claimx[parquet]')
    acled        ACLED-style candidate events: event_date, actor1 (reported perpetrator, else
                 claimant), actor2 (target), inter1/inter2 (only for the claimant, from its kind),
                 event_type/sub_event_type from the method (drone/air strike, shelling/artillery/
                 missile attack, …), fatalities from the outcome, country/admin1/location/
                 coordinates/geo_precision from the place (pip install 'claimx[geo]'), source
                 (the relay chain), notes saying it is a claim and by whom; denied and
                 threatened claims only with --include
    claimreview  schema.org ClaimReview JSON-LD for claims that carry a verdict; each review's url
                 is --reviewer-url#claim-ID; --reviewer-type says what the reviewers are

    The same filters as `claimx claims` apply.

    Exit status: 0 exported, 1 the store cannot be read or the output cannot be written (parquet
    without pyarrow too), 2 bad arguments or no store at --db.

    \b
    Examples:
      claimx export --format jsonl -o claims.jsonl
      claimx export --format acled --grounded-only --since 2023-12-01 -o events.csv
      claimx export --format acled --include denied,threatened -o all-claimed.csv
      claimx export --format acled --per event -o events.csv
      claimx export --format claimreview --verified --reviewer-type Organization -o reviews.jsonld
      claimx export --format claimreview --reviewer-type "Desk=Organization" --reviewer-type "Jane Doe=Person"
    """
    options: dict[str, Any] = {}
    if fmt == "claimreview" and reviewer_type is None:
        raise click.UsageError(
            "claimreview needs --reviewer-type: say whether the reviewers are an Organization or a Person (claimx "
            "never guesses it from a name), e.g. --reviewer-type Organization or --reviewer-type 'Jane Doe=Person'"
        )
    if fmt == "claimreview":
        options = {"reviewer_url": reviewer_url, "reviewer_type": reviewer_type}
    elif fmt == "acled":
        options = {"include_stances": include_stances}
    if per == "event":
        _export_events(db, fmt, output)
        return
    try:
        with open_store(db, create=False) as store:
            items = selected_claims(store, **selection)
        written = export.export(items, fmt, None if output == "-" else Path(output), **options)
    except errors.ClaimxError as exc:
        raise fail(exc) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc}") from exc
    what = "verified claim(s)" if fmt == "claimreview" else "claim(s)"
    left_out = len(items) - written if fmt == "acled" else 0
    err.print(
        f"exported {written} {what} as {fmt}"
        + (f" to {output}" if output != "-" else "")
        + (f"; {left_out} denied or threatened claim(s) left out (--include denied,threatened)" if left_out else ""),
        highlight=False,
    )
