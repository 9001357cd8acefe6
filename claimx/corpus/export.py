"""Events out of the store: JSONL (each event's summary with its claims by source), CSV (one summary row per
event, with its source counts), and ACLED-style rows grouped per event instead of per claim."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from claimx.corpus import Event
from claimx.eventtypes import classify
from claimx.store.acled import ACLED_COLUMNS, NOT_EVENTS, acled_row, disorder_type, sub_event
from claimx.store.fatalities import parse_fatalities
from claimx.store.formats import ExportError, text_out, write_rows

EVENT_FORMATS = ("jsonl", "csv", "acled")
EVENT_COLUMNS = (
    "event_id",
    "first_seen",
    "start",
    "end",
    "places",
    "targets",
    "methods",
    "actors",
    "claims",
    "articles",
    "sources",
    "outlets",
    "contradictions",
    "stances_by_source",
)


def event_record(event: Event) -> dict[str, Any]:
    """The event's summary with its claims grouped by source, each with its chain and quote."""
    return {
        **event.summary(),
        "by_source": [
            {
                "source": group.source,
                "stances": list(group.stances),
                "claims": [
                    {"article_id": c.article_id, "publisher": c.publisher, **c.claim.model_dump(mode="json")}
                    for c in group.claims
                ],
            }
            for group in event.sources
        ],
    }


def event_row(event: Event) -> dict[str, Any]:
    summary = event.summary()
    summary["contradictions"] = "; ".join(f"{c.kind}: {c.detail}" for c in event.contradictions)
    summary["stances_by_source"] = "; ".join(f"{g.source}: {', '.join(g.stances)}" for g in event.sources)
    return summary


def acled_event_row(event: Event) -> dict[str, Any] | None:
    """One ACLED-style row for the event, None when every claim of it is a denial: the row of its first claim
    that is no denial (date, types, location), with the event's id, actors, the most conservative death figure
    its claims give, every outlet as the source, and notes naming the sources and contradictions."""
    claims = [c for g in event.sources for c in g.claims if c.claim.stance not in NOT_EVENTS]
    if not claims:
        return None
    row = acled_row(min(claims, key=lambda c: (c.claim.event_date is None, c.article_id, c.claim.id)))
    counts = [f.count for c in claims if (f := parse_fatalities(c.claim.outcome)) and f.count is not None]
    said = "; ".join(f"{g.source}: {', '.join(g.stances)}" for g in event.sources)
    notes = (
        f"EVENT of {len(event.members)} CLAIMS, not a verified event: {event.source_count} independent source(s) "
        f"({said}) in {len(event.outlets)} outlet(s)."
    )
    if counts:
        notes += f" Fatalities: the lowest of the figures claimed ({', '.join(map(str, sorted(counts)))})."
    if event.contradictions:
        notes += " Contradictions: " + "; ".join(f"{c.kind}: {c.detail}" for c in event.contradictions) + "."
    event_type, sub_event_type = sub_event(classify(event.methods, None, ()))
    actor1 = event.actors[0] if event.actors else row["actor1"]
    actor2 = event.targets[0] if event.targets else row["actor2"]
    return {
        **row,
        "event_id_cnty": event.id,
        "event_date": event.start.isoformat() if event.start else row["event_date"],
        "disorder_type": disorder_type(event_type),
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": actor1,
        "inter1": row["inter1"] if actor1 == row["actor1"] else "",  # a code only for the claimant's own kind
        "actor2": actor2,
        "inter2": row["inter2"] if actor2 == row["actor2"] else "",
        "source": "; ".join(event.outlets),
        "notes": notes,
        "fatalities": min(counts) if counts else "",
        "claimx_claim_id": "; ".join(f"{a}#{c}" for a, c in event.members),
        "claimx_article_id": "; ".join(sorted({a for a, _ in event.members})),
        "claimx_claimant": "; ".join(g.source for g in event.sources),
        "claimx_stance": "; ".join(sorted({s for g in event.sources for s in g.stances})),
    }


def write_events(events: Sequence[Event], fmt: str, target: str | Path | IO[str] | None) -> int:
    """Write events as jsonl, csv or acled to a path, a stream, or stdout (None / "-"); returns how many."""
    if fmt == "jsonl":
        with text_out(target) as out:
            for event in events:
                out.write(json.dumps(event_record(event), ensure_ascii=False) + "\n")
        return len(events)
    if fmt == "csv":
        return write_rows((event_row(e) for e in events), EVENT_COLUMNS, target)
    if fmt == "acled":
        rows: Iterable[dict[str, Any]] = (r for e in events if (r := acled_event_row(e)))
        return write_rows(rows, ACLED_COLUMNS, target)
    raise ExportError(f"unknown event export format {fmt!r}; choose from {', '.join(EVENT_FORMATS)}")
