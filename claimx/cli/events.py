"""`claimx events` and `claimx event ID`: claims across articles grouped into events, with their sources and
contradictions."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from claimx import errors
from claimx.cli.options import CONTEXT, db_option
from claimx.cli.render import err, fail
from claimx.corpus import Event, EventFilter, Linked, link
from claimx.corpus.export import EVENT_FORMATS, write_events
from claimx.report.event import EventClaim, EventSheet, SourceColumn, write_event_report
from claimx.result import NO_SOURCE
from claimx.store import open_store


def _linked(db: Path) -> Linked:
    try:
        with open_store(db, create=False) as store:
            return link(store)
    except errors.ClaimxError as exc:
        raise fail(exc) from exc


def _dates(event: Event) -> str:
    if not event.start or not event.end:
        return "undated"
    return event.start.isoformat() if event.start == event.end else f"{event.start}/{event.end}"


@click.command("events", context_settings=CONTEXT)
@db_option
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Events dated on or after this day.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Events dated on or before this day.")
@click.option("--place", help="A place of the event contains this text (case-insensitive).")
@click.option("--actor", help="An actor of the event (canonical name) contains this text (case-insensitive).")
@click.option("--min-sources", type=click.IntRange(min=1), default=1, show_default=True, help="Independent sources.")
@click.option("--contradicted", is_flag=True, help="Only events whose sources contradict each other.")
@click.option("--format", "fmt", type=click.Choice(["table", *EVENT_FORMATS]), default="table", show_default=True)
@click.option("-o", "--output", default="-", show_default=True, help="File to write (jsonl, csv, acled); - for stdout.")
def events_command(
    *,
    db: Path,
    since: datetime | None,
    until: datetime | None,
    place: str | None,
    actor: str | None,
    min_sources: int,
    contradicted: bool,
    fmt: str,
    output: str,
) -> None:
    """List events: the store's claims across articles grouped by date, place, target, method.

    Each event counts its independent sources (distinct original claimants after resolving names: outlets
    relaying the same official count once) and outlets, and lists its contradictions: an act claimed and
    denied by the same party, responsibility claimed for two parties, death figures that cannot both be true.
    Listing re-links the store; an event keeps its id across runs while its claims stay (see `claimx event`).

    \b
    jsonl  one event per line: the summary and its claims grouped by source
    csv    one row per event with its source counts
    acled  ACLED-style rows, one per event instead of one per claim

    Exit status: 0 listed (no match is not an error), 1 a store that cannot be read or an output that
    cannot be written, 2 bad arguments or no store at --db.

    \b
    Examples:
      claimx events --min-sources 2 --contradicted
      claimx events --since 2023-12-01 --place "ain al-assad" --format jsonl -o events.jsonl
      claimx events --format acled -o acled-events.csv
    """
    linked = _linked(db)
    wanted = EventFilter(
        since=since.date() if since else None,
        until=until.date() if until else None,
        place=place,
        actor=actor,
        min_sources=min_sources,
        contradicted=contradicted,
    )
    shown = [e for e in linked.events if wanted.matches(e)]
    if linked.left_out:
        err.print(f"{linked.left_out} claim(s) joined no event: threats, or claims naming neither target nor place")
    if not linked.events:
        err.print("no events: the store has no claims naming a target or a place")
    elif not shown:
        err.print(f"no event matches these filters ({len(linked.events)} event(s) in the store)")
    if fmt != "table":
        try:
            written = write_events(shown, fmt, None if output == "-" else Path(output))
        except OSError as exc:
            raise click.ClickException(f"cannot write {output}: {exc}") from exc
        err.print(f"exported {written} event(s) as {fmt}" + (f" to {output}" if output != "-" else ""))
        return
    table = Table("event", "dates", "place", "target", "methods", "actors", "claims", "sources", "outlets", "!")
    for e in shown:
        table.add_row(
            e.id,
            _dates(e),
            "; ".join(e.places[:2]),
            "; ".join(e.targets[:2]),
            ", ".join(e.methods[:3]),
            "; ".join(e.actors),
            str(len(e.members)),
            str(e.source_count),
            str(len(e.outlets)),
            str(len(e.contradictions)) if e.contradictions else "",
        )
    Console().print(table)


def sheet_of(event: Event) -> EventSheet:
    """The event as the review page shows it (the page is built from plain data, not from the store)."""
    said: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for c in event.contradictions:
        for key in (c.a, c.b):
            said.setdefault(key, []).append((c.kind, c.detail))
    columns = tuple(
        SourceColumn(
            g.source,
            g.stances,
            tuple(
                EventClaim(
                    i.claim, i.article_id, i.publisher, tuple(said.get((i.article_id, i.claim.id), [])), i.language
                )
                for i in g.claims
            ),
        )
        for g in event.sources
    )
    return EventSheet(
        id=event.id,
        dates=_dates(event),
        places=event.places,
        targets=event.targets,
        methods=event.methods,
        actors=event.actors,
        outlets=event.outlets,
        sources=columns,
        contradictions=tuple((c.kind, c.detail) for c in event.contradictions),
    )


@click.command("event", context_settings=CONTEXT)
@click.argument("event_id")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "html"]), default="table", show_default=True)
@click.option("-o", "--output", default="-", show_default=True, help="File to write; html needs one (event.html).")
def event_command(event_id: str, db: Path, fmt: str, output: str) -> None:
    """Show one event: its summary, its claims side by side grouped by source, its contradictions.

    EVENT_ID may be a unique prefix (the `ev-` part may be left out). --format html writes a review page
    with one column per independent source and every contradicted claim marked (no script, no network).

    Exit status: 0 shown, 1 unknown or ambiguous event id, a store that cannot be read or an output that
    cannot be written, 2 bad arguments or no store at --db.

    \b
    Examples:
      claimx event ev-1d52147a3eec
      claimx event 1d52 --format jsonl | jq .contradictions
      claimx event 1d52 --format html -o event.html
    """
    if fmt == "html" and output == "-":
        raise click.UsageError("--format html writes a page: give its file with -o, e.g. -o event.html")
    linked = _linked(db)
    prefix = event_id if event_id.startswith("ev-") else f"ev-{event_id}"
    matching = [e for e in linked.events if e.id.startswith(prefix)]
    if len(matching) != 1:
        problem = "ambiguous" if matching else "unknown"
        raise click.ClickException(f"{problem} event id {event_id!r}: list the events with `claimx events`")
    event = matching[0]
    try:
        if fmt == "html":
            click.echo(f"wrote {write_event_report(sheet_of(event), Path(output))}")
            return
        if fmt == "jsonl":
            write_events([event], "jsonl", None if output == "-" else Path(output))
            return
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc}") from exc
    console = Console()
    console.print(
        f"[bold]{event.id}[/] {_dates(event)} — {'; '.join(event.places) or 'no place'} — "
        f"target: {'; '.join(event.targets) or 'none named'} — {event.source_count} independent source(s), "
        f"{len(event.outlets)} outlet(s): {', '.join(event.outlets)}",
        highlight=False,
    )
    flagged = {k for c in event.contradictions for k in (c.a, c.b)}
    table = Table("source", "stance", "chain", "actor", "outcome", "date", "article", "quote")
    for group in event.sources:
        for item in group.claims:
            claim = item.claim
            mark = "[red]![/] " if (item.article_id, claim.id) in flagged else ""
            quote = claim.evidence[0].quote if claim.evidence else ""
            table.add_row(
                mark + group.source,
                claim.stance.value,
                " ← ".join([claim.claimant or NO_SOURCE, *claim.via, item.publisher or item.article_id]),
                claim.actor or "",
                claim.outcome or "",
                claim.event_date or "",
                item.article_id,
                quote,
            )
    console.print(table)
    for c in event.contradictions:
        console.print(f"[red]contradiction[/] {c.kind}: {c.detail} ({c.a[0]}#{c.a[1]} ↔ {c.b[0]}#{c.b[1]})")
