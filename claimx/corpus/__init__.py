"""Across articles: canonical entities (`entities`, seeded by `aliases`), events (`events`), and per event the
independent sources and contradictions (`contradictions`). `link` runs them all on a store's latest claims and
saves what it found (entities, surface forms, events with stable ids) in the store; `events` is the Python API.

    >>> import claimx
    >>> for event in claimx.events("claimx.db", min_sources=2, contradicted=True):
    ...     print(event.id, event.start, event.places, event.source_count, [c.detail for c in event.contradictions])
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from claimx.corpus.aliases import combined
from claimx.corpus.clustering import cluster, facts, stable_ids
from claimx.corpus.contradictions import Contradiction, contradictions, key_of, outlet_of, source_of
from claimx.corpus.entities import Resolution, Role, mentions, resolve, store_definitions
from claimx.result import NO_SOURCE, event_range
from claimx.store import Store, StoredClaim, open_store
from claimx.store.links import Alias, ClaimKey, Decision, EntityRow, EventRow
from claimx.store.writes import timestamp

__all__ = ["Contradiction", "Event", "EventFilter", "Linked", "SourceGroup", "events", "link", "link_claims"]


@dataclass(frozen=True)
class SourceGroup:
    """One independent source of an event and the claims that come from it, through whatever chains."""

    source: str
    stances: tuple[str, ...]
    claims: tuple[StoredClaim, ...]


@dataclass(frozen=True)
class Event:
    """Claims across articles that describe one event, with what they say together."""

    id: str
    first_seen: str
    start: date | None
    end: date | None
    places: tuple[str, ...]
    targets: tuple[str, ...]
    methods: tuple[str, ...]
    actors: tuple[str, ...]
    sources: tuple[SourceGroup, ...]
    outlets: tuple[str, ...]
    contradictions: tuple[Contradiction, ...] = ()

    @property
    def members(self) -> tuple[ClaimKey, ...]:
        return tuple(sorted(key_of(c) for g in self.sources for c in g.claims))

    @property
    def source_count(self) -> int:
        return len(self.sources)

    def summary(self) -> dict[str, Any]:
        """The event's row (JSONL/CSV export, the store's `events.summary`)."""
        return {
            "event_id": self.id,
            "first_seen": self.first_seen,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "places": list(self.places),
            "targets": list(self.targets),
            "methods": list(self.methods),
            "actors": list(self.actors),
            "claims": len(self.members),
            "articles": len({a for a, _ in self.members}),
            "sources": self.source_count,
            "outlets": len(self.outlets),
            "stances_by_source": {g.source: list(g.stances) for g in self.sources},
            "contradictions": [
                {"kind": c.kind, "a": list(c.a), "b": list(c.b), "detail": c.detail} for c in self.contradictions
            ],
        }


@dataclass(frozen=True)
class Linked:
    """What a linking run found; `left_out` counts the claims that joined no event (threats, nothing to anchor,
    no date)."""

    entities: list[EntityRow]
    events: list[Event]
    resolution: Resolution
    left_out: int = 0


@dataclass(frozen=True)
class EventFilter:
    """Which events to list: dated within since..until (overlapping), a place or actor containing the text
    (case-insensitive), at least `min_sources` independent sources, only those with a contradiction."""

    since: date | None = None
    until: date | None = None
    place: str | None = None
    actor: str | None = None
    min_sources: int = 0
    contradicted: bool = False
    event_ids: frozenset[str] = field(default_factory=frozenset)

    def matches(self, event: Event) -> bool:
        dated = not (self.since or self.until) or bool(
            event.start
            and event.end
            and (not self.since or event.end >= self.since)
            and (not self.until or event.start <= self.until)
        )
        return (
            dated
            and _contains(event.places, self.place)
            and _contains(event.actors, self.actor)
            and event.source_count >= self.min_sources
            and (not self.contradicted or bool(event.contradictions))
            and (not self.event_ids or event.id in self.event_ids)
        )


_UNNAMED = re.compile(r"(?:its|their|his|her|our|my|your)\s", re.IGNORECASE)
"""An actor named only through the claimant ("its fighters"): the claimant is the party, not a name of its own."""


def _contains(values: Sequence[str], text: str | None) -> bool:
    return not text or any(text.casefold() in v.casefold() for v in values)


def _ordered(values: list[str]) -> tuple[str, ...]:
    """Distinct values, the most frequent first."""
    return tuple(v for v, _ in Counter(v for v in values if v).most_common())


def _event(
    event_id: str, first_seen: str, items: list[StoredClaim], resolution: Resolution, names: dict[str, str]
) -> Event:
    days = [d for i in items if (d := event_range(i.claim.event_date))]
    if not days:
        days = [(i.published, i.published) for i in items if i.published]
    groups: dict[str, list[StoredClaim]] = {}
    for item in items:
        groups.setdefault(source_of(item, resolution), []).append(item)
    sources = tuple(
        SourceGroup(
            names.get(source, source if not source.startswith("article:") else NO_SOURCE),
            tuple(sorted({c.claim.stance.value for c in claims})),
            tuple(claims),
        )
        for source, claims in sorted(groups.items(), key=lambda g: (-len(g[1]), names.get(g[0], g[0])))
    )

    def named(role: Role, values: list[tuple[ClaimKey, str | None]]) -> tuple[str, ...]:
        return _ordered([names.get(e, "") for k, v in values if (e := resolution.entity(k, role, v))])

    return Event(
        id=event_id,
        first_seen=first_seen,
        start=min(d[0] for d in days) if days else None,
        end=max(d[1] for d in days) if days else None,
        places=_ordered([i.claim.place or "" for i in items]),
        targets=named("target", [(key_of(i), i.claim.target) for i in items]),
        methods=_ordered([m for i in items for m in i.claim.method]),
        actors=named("actor", [(key_of(i), i.claim.actor) for i in items if not _UNNAMED.match(i.claim.actor or "")]),
        sources=sources,
        outlets=_ordered([names.get(outlet_of(i, resolution), "") for i in items]),
        contradictions=tuple(contradictions(items, resolution, names)),
    )


def link_claims(
    items: Sequence[StoredClaim],
    texts: dict[str, str],
    *,
    aliases: Sequence[Alias] = (),
    decisions: Sequence[Decision] = (),
    previous: Sequence[EventRow] = (),
    now: str | None = None,
) -> Linked:
    """Entities and events of `items` (in memory; `link` reads and saves them in a store). `aliases` are the
    user's (claimx's own are added), `previous` the events of the last run, whose ids are kept."""
    resolution = resolve(mentions(items, texts), combined(aliases), decisions, store_definitions(texts))
    names = {e.id: e.name for e in resolution.entities}
    found = [f for i in items if (f := facts(i, resolution, texts.get(i.article_id, "")))]
    by_key = {key_of(i): i for i in items}
    groups = cluster(found)
    seen = now or timestamp()
    built = [
        _event(event_id, first_seen or seen, [by_key[k] for k in group], resolution, names)
        for group, (event_id, first_seen) in zip(groups, stable_ids(groups, previous), strict=True)
    ]
    built.sort(key=lambda e: (e.start or date.max, e.id))
    return Linked(resolution.entities, built, resolution, left_out=len(items) - len(found))


def link(store: Store) -> Linked:
    """Link the store's latest claims and save the entities and events found (ids kept from the last run)."""
    found = link_claims(
        store.claims(),
        store.article_texts(),
        aliases=store.aliases(),
        decisions=store.decisions(),
        previous=store.linked_events(),
    )
    store.save_links(found.entities, [EventRow(e.id, e.first_seen, e.summary(), e.members) for e in found.events])
    return found


def events(db: str | Path | None = None, **criteria: Any) -> list[Event]:
    """The events of the store at `db` (else $CLAIMX_DB, else ./claimx.db) matching `EventFilter` fields,
    linked afresh and saved; see `EventFilter` for the criteria."""
    with open_store(db, create=False) as store:
        found = link(store)
    wanted = EventFilter(**criteria)
    return [e for e in found.events if wanted.matches(e)]
