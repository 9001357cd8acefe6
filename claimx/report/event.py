"""An event's claims side by side: one column per independent source, within it the original claimant's own
word first and then each chain of relays, every contradiction named on both claims it sets against each other.

One renderer shows an event wherever it appears: the `event.html.j2` macros, used by the event's own page
(`claimx event ID --format html`, which runs no script at all, as its Content-Security-Policy says) and by the
review page's event view, where each claim also links to its highlight in the article view. Both pages are
built from plain data (`EventSheet`), never from the store or the linking: the caller converts its events.
Everything is rendered with autoescape, since article text and model output are untrusted."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from markupsafe import Markup

from claimx.report.env import ENV
from claimx.report.view import STANCE_COLOURS, STANCE_LABELS, html_lang, text_direction
from claimx.result import NO_SOURCE, Claim

EVENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'none'; img-src 'none'; base-uri 'none'; " + (
    "form-action 'none'"
)
EVENT_CSS = Markup((files("claimx.report") / "static" / "event.css").read_text(encoding="utf-8"))
"""The event view's stylesheet, claimx's own file, inlined by both pages."""
CONTRADICTION_LABELS = {
    "denied": "claimed vs denied",
    "rival_claims": "rival claims of responsibility",
    "figures": "figures that differ",
}
"""How each kind of contradiction (`claimx.corpus.contradictions.KINDS`) is named on a page."""


def claim_key(article_id: str, claim_id: str) -> str:
    """A claim across articles (claim ids are unique within an article only), as pages refer to it."""
    return f"{article_id}#{claim_id}"


def named_kinds(contradictions: tuple[tuple[str, str], ...]) -> list[tuple[str, str, str]]:
    """(kind, its name on the page, detail) of each (kind, detail)."""
    return [(kind, CONTRADICTION_LABELS.get(kind, kind), detail) for kind, detail in contradictions]


@dataclass(frozen=True)
class EventClaim:
    """One claim of the event, with its article's language and what each contradiction it is part of says."""

    claim: Claim
    article_id: str
    publisher: str | None
    contradictions: tuple[tuple[str, str], ...] = ()  # (kind, detail)
    language: str | None = None

    @property
    def key(self) -> str:
        return claim_key(self.article_id, self.claim.id)

    @property
    def chain(self) -> str:
        """claimant ← relays ← publisher, the publisher left out when it is the last relay."""
        names = [self.claim.claimant or NO_SOURCE, *self.claim.via]
        outlet = self.publisher or self.article_id
        return " ← ".join(names if names[-1].casefold() == outlet.casefold() else [*names, outlet])

    @property
    def quote(self) -> str:
        return self.claim.evidence[0].quote if self.claim.evidence else ""

    @property
    def lang(self) -> str:
        return html_lang(self.language)

    @property
    def direction(self) -> str:
        return text_direction(self.lang)

    @property
    def named_contradictions(self) -> list[tuple[str, str, str]]:
        return named_kinds(self.contradictions)


@dataclass(frozen=True)
class Chain:
    """The claims that reached the articles by one chain of sources."""

    chain: str
    relayed: bool  # through someone other than the claimant (a relay named in the article)
    claims: tuple[EventClaim, ...]


def by_chain(claims: tuple[EventClaim, ...]) -> tuple[Chain, ...]:
    """A source's claims grouped by chain: the original claimant's own word first, then the chains through
    relays, fewer relays first (then by name); claims keep their order within a chain."""
    groups: dict[str, list[EventClaim]] = {}
    for item in claims:
        groups.setdefault(item.chain, []).append(item)

    def order(chain: str) -> tuple[int, str]:
        return len(groups[chain][0].claim.via), chain.casefold()

    return tuple(
        Chain(chain, bool(groups[chain][0].claim.via), tuple(groups[chain])) for chain in sorted(groups, key=order)
    )


@dataclass(frozen=True)
class SourceColumn:
    source: str
    stances: tuple[str, ...]
    claims: tuple[EventClaim, ...]

    @property
    def chains(self) -> tuple[Chain, ...]:
        return by_chain(self.claims)


@dataclass(frozen=True)
class EventSheet:
    """What a page shows of one event."""

    id: str
    dates: str
    places: tuple[str, ...]
    targets: tuple[str, ...]
    methods: tuple[str, ...]
    actors: tuple[str, ...]
    outlets: tuple[str, ...]
    sources: tuple[SourceColumn, ...]
    contradictions: tuple[tuple[str, str], ...] = field(default=())  # (kind, detail)

    @property
    def claims(self) -> tuple[EventClaim, ...]:
        return tuple(item for column in self.sources for item in column.claims)

    @property
    def kinds(self) -> list[str]:
        """The names of the kinds of contradiction found, each once."""
        return list(dict.fromkeys(CONTRADICTION_LABELS.get(kind, kind) for kind, _ in self.contradictions))

    @property
    def named_contradictions(self) -> list[tuple[str, str, str]]:
        return named_kinds(self.contradictions)


def render_event(sheet: EventSheet) -> str:
    return ENV.get_template("event_page.html.j2").render(
        event=sheet, csp=EVENT_CSP, css=EVENT_CSS, labels=STANCE_LABELS, colours=STANCE_COLOURS
    )


def write_event_report(sheet: EventSheet, path: Path) -> Path:
    """Write the event's page to `path` (its folder made if missing)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_event(sheet), encoding="utf-8")
    return path
