"""ACLED-style candidate events: one row per claim in ACLED's column names, for a coder to review.

A row is never a coded event: its notes say whose claim it is, with what stance, and how it reached
the publisher; the event and sub-event types are the claim's `event_type` in ACLED's words, fatalities
from the outcome as claimed (`fatalities`), the location fields from an offline gazetteer (`places`).
A denial or a threat is no event: such claims are left out unless asked for (`include_stances`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from claimx.eventtypes import ACLED_TYPES, EventType
from claimx.result import NO_SOURCE, ClaimantKind, Stance, event_range
from claimx.store.fatalities import parse_fatalities
from claimx.store.formats import ExportError, first_quote, write_rows
from claimx.store.places import resolve
from claimx.store.queries import StoredClaim

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "inter1",
    "actor2",
    "inter2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "claimx_claim_id",
    "claimx_article_id",
    "claimx_claimant",
    "claimx_stance",
    "claimx_grounded",
    "claimx_verdict",
)

NOT_EVENTS = (Stance.DENIED, Stance.THREATENED)
"""Stances whose claims are no event: left out of the export unless asked for."""

INTER_CODES = {ClaimantKind.OFFICIAL_BODY: 1, ClaimantKind.ANONYMOUS_OFFICIAL: 1, ClaimantKind.ARMED_GROUP: 2}
"""ACLED's inter code (1 state forces, 2 rebel groups, … 8 external/other forces) a claimant kind decides: an
official body or official speaks for state forces, an armed group is coded a rebel group (a coder may recode it
3 or 4, political or identity militia). A person, journalist, outlet, organisation or unknown source decides none.
"""


def sub_event(kind: EventType) -> tuple[str, str]:
    """ACLED's event type and sub-event type for an event type ('' for an attack with no named means or a
    statement that is no attack)."""
    return ACLED_TYPES.get(kind, ("", ""))


def _dedupe_chain(names: Iterable[str | None]) -> list[str]:
    chain: list[str] = []
    for name in names:
        if name and (not chain or chain[-1].lower() != name.lower()):
            chain.append(name)
    return chain


def _inter(actor: str, item: StoredClaim) -> int | str:
    """The actor's inter code when the actor is the claimant, whose kind is known; '' otherwise (an actor
    or target the claim names has no kind)."""
    claim = item.claim
    is_claimant = bool(actor) and actor.casefold() == (claim.claimant or "").casefold()
    return INTER_CODES.get(claim.claimant_kind, "") if is_claimant else ""


def _dated(item: StoredClaim) -> tuple[str, int | str, str]:
    """The event date, ACLED's time precision (1 the day, 2 within a week, 3 within a month or less
    precise) and how the date was found."""
    days = event_range(item.claim.event_date)
    if days:
        span = (days[1] - days[0]).days
        return days[0].isoformat(), 1 if span == 0 else 2 if span <= 7 else 3, "event date as claimed"
    if item.published:
        return item.published.isoformat(), 3, "date of publication (no event date stated)"
    return "", "", "no date"


def _fatalities(item: StoredClaim) -> tuple[int | str, str]:
    """ACLED's fatalities and what the notes say about them; a denied or threatened event kills nobody."""
    claim = item.claim
    fatalities = parse_fatalities(claim.outcome)
    if fatalities is None:
        return "", ""
    if claim.stance in NOT_EVENTS:
        return "", f" Fatalities not coded: the claimant {claim.stance.value} the event."
    return ("" if fatalities.count is None else fatalities.count), f" {fatalities.note}"


def acled_row(item: StoredClaim) -> dict[str, Any]:
    """A candidate event in ACLED's column names. actor1 is the reported perpetrator, else the
    claimant; actor2 the target; inter1/inter2 are coded only for an actor that is the claimant
    (`INTER_CODES`); the date is the claim's event date (its start for an interval), else the
    publication date with month precision; source is the relay chain to the publisher; the location
    fields are the gazetteer's reading of the place (`places.resolve`), fatalities the outcome's
    (`fatalities.parse_fatalities`)."""
    claim = item.claim
    event_type, sub_event_type = sub_event(claim.event_type)
    event_date, precision, dated = _dated(item)
    chain = _dedupe_chain([claim.claimant or NO_SOURCE, *claim.via, item.publisher])
    quote, _, _ = first_quote(claim)
    relays = f", relayed by {' ← '.join(chain[1:])}" if len(chain) > 1 else ""
    verdict = item.verification
    notes = (
        f"CLAIM, not a verified event. Claimant: {claim.claimant or 'unnamed source'} "
        f'(stance: {claim.stance.value}){relays}. Quote: "{quote}". Date: {dated}.'
    )
    if claim.stance in NOT_EVENTS:
        notes += f" The claimant {claim.stance.value} this: it is not claimed to have happened."
    if claim.outcome:
        notes += f" Outcome as claimed: {claim.outcome}."
    fatalities, fatality_note = _fatalities(item)
    place = resolve(claim.place)
    notes += fatality_note + (f" {place.note}" if place.note else "")
    if claim.place and place.location != claim.place:
        notes += f" Place as claimed: {claim.place}."
    notes += f" Verification: {verdict.verdict.value} by {verdict.by}." if verdict else " Unverified."
    actor1, actor2 = claim.actor or claim.claimant or "", claim.target or ""
    return {
        "event_id_cnty": claim.id,
        "event_date": event_date,
        "year": event_date[:4] if event_date else "",
        "time_precision": precision,
        "disorder_type": disorder_type(event_type),
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": actor1,
        "inter1": _inter(actor1, item),
        "actor2": actor2,
        "inter2": _inter(actor2, item),
        "country": place.country,
        "admin1": place.admin1,
        "location": place.location,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "geo_precision": place.geo_precision,
        "source": " ← ".join(chain),
        "source_scale": "",
        "notes": notes,
        "fatalities": fatalities,
        "claimx_claim_id": claim.id,
        "claimx_article_id": item.article_id,
        "claimx_claimant": claim.claimant or "",
        "claimx_stance": claim.stance.value,
        "claimx_grounded": "true" if claim.grounded else "false",
        "claimx_verdict": verdict.verdict.value if verdict else "",
    }


def disorder_type(event_type: str) -> str:
    if not event_type:
        return ""
    return "Strategic developments" if event_type == "Strategic developments" else "Political violence"


def included_stances(include_stances: Iterable[str]) -> set[Stance]:
    """The left-out stances asked for; anything else is refused, since only those are left out."""
    asked = {str(s).strip().lower() for s in include_stances} - {""}
    unknown = asked - {s.value for s in NOT_EVENTS}
    if unknown:
        raise ExportError(
            f"only {' and '.join(s.value for s in NOT_EVENTS)} claims are left out of an ACLED export, so only they "
            f"can be included; got {', '.join(sorted(unknown))}"
        )
    return {Stance(s) for s in asked}


def write_acled(
    items: Iterable[StoredClaim], target: str | Path | IO[str] | None, *, include_stances: Iterable[str] = ()
) -> int:
    """ACLED-style rows for the claimed events; denied and threatened claims only when `include_stances`
    names them (their notes then say the claimant denies or threatens it)."""
    keep = included_stances(include_stances)
    events = (i for i in items if i.claim.stance not in NOT_EVENTS or i.claim.stance in keep)
    return write_rows((acled_row(i) for i in events), ACLED_COLUMNS, target)
