"""An event's review page: the claims of several articles about one event side by side, one column per
independent source, each contradiction marked on both claims it sets against each other.

The review page is built from results alone (no store, no linking): the caller hands over the event as plain
`EventSheet` data. The page runs no script at all, and its Content-Security-Policy says so; everything in it is
rendered with autoescape, since article text and model output are untrusted."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from claimx.report.page import _ENV
from claimx.report.view import STANCE_COLOURS, STANCE_LABELS
from claimx.result import NO_SOURCE, Claim

EVENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'none'; img-src 'none'; base-uri 'none'; " + (
    "form-action 'none'"
)


@dataclass(frozen=True)
class EventClaim:
    claim: Claim
    article_id: str
    publisher: str | None
    contradictions: tuple[str, ...] = ()  # what each contradiction it is part of says

    @property
    def chain(self) -> str:
        """claimant ← relays ← publisher, the publisher left out when it is the last relay."""
        names = [self.claim.claimant or NO_SOURCE, *self.claim.via]
        outlet = self.publisher or self.article_id
        return " ← ".join(names if names[-1].casefold() == outlet.casefold() else [*names, outlet])

    @property
    def quote(self) -> str:
        return self.claim.evidence[0].quote if self.claim.evidence else ""


@dataclass(frozen=True)
class SourceColumn:
    source: str
    stances: tuple[str, ...]
    claims: tuple[EventClaim, ...]


@dataclass(frozen=True)
class EventSheet:
    """What the page shows of one event."""

    id: str
    dates: str
    places: tuple[str, ...]
    targets: tuple[str, ...]
    methods: tuple[str, ...]
    actors: tuple[str, ...]
    outlets: tuple[str, ...]
    sources: tuple[SourceColumn, ...]
    contradictions: tuple[tuple[str, str], ...] = field(default=())  # (kind, detail)


def render_event(sheet: EventSheet) -> str:
    return _ENV.get_template("event.html.j2").render(
        event=sheet, csp=EVENT_CSP, labels=STANCE_LABELS, colours=STANCE_COLOURS
    )


def write_event_report(sheet: EventSheet, path: Path) -> Path:
    """Write the event's page to `path` (its folder made if missing)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_event(sheet), encoding="utf-8")
    return path
