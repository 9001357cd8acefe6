"""The rows that link articles (m007): the user's aliases and merge/split decisions, which every linking run
starts from, and the entities, surface forms, events and event members the latest run found, which it
rewrites. What they mean and how they are found is `claimx.corpus`; this module only reads and writes them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from claimx.store.writes import timestamp

Action = Literal["merge", "split"]
ClaimKey = tuple[str, str]
"""A claim across the store: (article id, claim id); claim ids are unique within an article only."""


@dataclass(frozen=True)
class Alias:
    """One entity of the user's alias file: its canonical name, other names, claimant kind and external id."""

    canonical: str
    aliases: tuple[str, ...] = ()
    kind: str | None = None
    external_id: str | None = None


@dataclass(frozen=True)
class Decision:
    """A person's merge (`form` and `other` name one entity) or split (`form` is an entity of its own)."""

    action: Action
    form: str
    other: str | None = None
    at: str = ""


@dataclass(frozen=True)
class EntityRow:
    id: str
    name: str
    kind: str
    external_id: str | None
    forms: tuple[tuple[str, int], ...] = ()  # (surface form, mentions), most mentioned first


@dataclass(frozen=True)
class EventRow:
    id: str
    first_seen: str
    summary: dict[str, Any]
    members: tuple[ClaimKey, ...] = field(default=())


def aliases(db: sqlite3.Connection) -> list[Alias]:
    """The alias file as last loaded, one `Alias` per canonical name."""
    grouped: dict[str, Alias] = {}
    for row in db.execute("SELECT * FROM entity_aliases ORDER BY canonical, alias"):
        known = grouped.get(row["canonical"]) or Alias(row["canonical"], (), row["kind"], row["external_id"])
        names = known.aliases + ((row["alias"],) if row["alias"] != row["canonical"] else ())
        grouped[row["canonical"]] = Alias(known.canonical, names, known.kind, known.external_id)
    return list(grouped.values())


def replace_aliases(db: sqlite3.Connection, entries: Iterable[Alias]) -> None:
    """Put `entries` in place of the aliases loaded before; the canonical name is an alias of itself."""
    db.execute("DELETE FROM entity_aliases")
    for entry in entries:
        for name in dict.fromkeys([entry.canonical, *entry.aliases]):
            db.execute(
                "INSERT OR REPLACE INTO entity_aliases (alias, canonical, kind, external_id) VALUES (?, ?, ?, ?)",
                (name, entry.canonical, entry.kind, entry.external_id),
            )


def decisions(db: sqlite3.Connection) -> list[Decision]:
    return [
        Decision(r["action"], r["form"], r["other"], r["at"])
        for r in db.execute("SELECT * FROM entity_decisions ORDER BY id")
    ]


def add_decision(db: sqlite3.Connection, decision: Decision) -> None:
    db.execute(
        "INSERT INTO entity_decisions (action, form, other, at) VALUES (?, ?, ?, ?)",
        (decision.action, decision.form, decision.other, decision.at or timestamp()),
    )


def known_forms(db: sqlite3.Connection) -> set[str]:
    return {r[0] for r in db.execute("SELECT DISTINCT form FROM surface_forms")}


def article_texts(db: sqlite3.Connection) -> dict[str, str]:
    """Each article's text, where names are defined ("the Islamic Resistance in Iraq (IRI)")."""
    return {r[0]: r[1] or "" for r in db.execute("SELECT id, text FROM articles")}


def save(db: sqlite3.Connection, entities: Iterable[EntityRow], events: Iterable[EventRow]) -> None:
    """Replace the entities, surface forms, events and members with a linking run's."""
    for table in ("event_members", "events", "surface_forms", "entities"):
        db.execute(f"DELETE FROM {table}")
    for entity in entities:
        db.execute(
            "INSERT INTO entities (id, name, kind, external_id) VALUES (?, ?, ?, ?)",
            (entity.id, entity.name, entity.kind, entity.external_id),
        )
        db.executemany(
            "INSERT INTO surface_forms (form, entity_id, mentions) VALUES (?, ?, ?)",
            [(form, entity.id, mentions) for form, mentions in entity.forms],
        )
    for event in events:
        db.execute(
            "INSERT INTO events (id, first_seen, summary) VALUES (?, ?, ?)",
            (event.id, event.first_seen, json.dumps(event.summary, ensure_ascii=False)),
        )
        db.executemany(
            "INSERT INTO event_members (event_id, article_id, claim_id) VALUES (?, ?, ?)",
            [(event.id, a, c) for a, c in event.members],
        )


def entities(db: sqlite3.Connection) -> list[EntityRow]:
    forms: dict[str, list[tuple[str, int]]] = {}
    for r in db.execute("SELECT * FROM surface_forms ORDER BY mentions DESC, form"):
        forms.setdefault(r["entity_id"], []).append((r["form"], r["mentions"]))
    return [
        EntityRow(r["id"], r["name"], r["kind"], r["external_id"], tuple(forms.get(r["id"], ())))
        for r in db.execute("SELECT * FROM entities ORDER BY name, id")
    ]


def events(db: sqlite3.Connection) -> list[EventRow]:
    members: dict[str, list[ClaimKey]] = {}
    for r in db.execute("SELECT * FROM event_members ORDER BY article_id, claim_id"):
        members.setdefault(r["event_id"], []).append((r["article_id"], r["claim_id"]))
    return [
        EventRow(r["id"], r["first_seen"], json.loads(r["summary"]), tuple(members.get(r["id"], ())))
        for r in db.execute("SELECT * FROM events ORDER BY id")
    ]
