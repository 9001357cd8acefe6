"""Which claims describe the same event, across articles.

Two claims are linked when their dates can be the same (the event date's range, else the `PUBLISHED_WINDOW` days up to
publication, `DATE_TOLERANCE` days apart at most), their methods are compatible (the same ACLED sub-event, or one
unknown, or an interception), their targets agree (the same entity, names whose words one holds of the other's:
"Falluja" and "Falluja, western Iraq", or a proper name both hold: "the Westgate shopping center" and "those killed in
the attack on the Westgate mall") or one is unknown, their places agree or one is unknown, and they share an anchor:
targets that agree, or places that agree. A place is compared only when it is a name ("Nairobi"), not a description of
where within the event ("the mall", "under the rubble"). Places and targets are compared normalised (case, a possessive,
a leading article: "Nairobi's Westgate Mall" holds "the Westgate mall"). Two claims that each date the event (not only
their article's publication) to the same day, at places that agree, need no agreeing targets: one names "the campus",
the other "the residence halls" of one attack. Nor do two claims of one story that date the event to the same day, at
places that agree or unknown, need agreeing targets or methods: a news story reports its event, and a small model's
targets and places for its claims ("students", "the mall", "the gunmen") rarely agree with each other, while one
sentence reads as hostage-taking and the next as a gunfight. There a place that only names the claimant's country
("Canada" for Canada, "Kenya" for Kenya's foreign minister) counts as unknown: it is where the speaker is, not the
event. The actor is deliberately no condition: two groups claiming one attack is a contradiction to show, not two
events. An event is a connected group of linked claims. Threats of a future attack (nothing happened yet), claims naming
neither target nor place (nothing to anchor them) and claims with no date at all (no event date, an undated article: a
place alone would join attacks years apart) join no event; but a claim of an undated article whose words or lead name a
month and a day in figures ("the July 11 bombings") joins by that day, in any year. A vow to punish an attack's
perpetrators ("those responsible", "the criminals") is a reaction to it and joins it by place and date.

Claims are never compared all with all: they are blocked by story, by target entity and by each word of the target
and of the place, and within a block swept in date order, each compared only with those whose dates are still open.

Event ids are stable: a group keeps the id of the previous run's event it shares the most claims with (each
id used once, biggest groups first); a new group's id is a hash of its sorted member keys. So re-running on a
grown corpus keeps every event id whose members did not change, and the id of an event that grew.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from rapidfuzz import fuzz

from claimx.corpus.entities import Resolution, normalise
from claimx.extraction.attribution import stems
from claimx.extraction.dates import month_day
from claimx.result import Claim, Stance, event_range
from claimx.store.acled import sub_event
from claimx.store.links import ClaimKey, EventRow
from claimx.store.queries import StoredClaim

PUBLISHED_WINDOW = 3
"""Days before publication an undated claim's event may have happened."""
DATE_TOLERANCE = 1
"""Days two claims' date ranges may be apart and still be one event (time zones, "overnight")."""
PLACE_SIMILARITY = 90.0
"""rapidfuzz token_set_ratio at which two places, or two targets, agree ("Ain al-Assad" and "the Ain al-Assad
air base"; "the San Miguel barracks" and "San Miguel military barracks")."""
COMMON_SHARE, COMMON_MIN = 0.01, 100
"""A target word in more than 1% of the claims (and more than 100) is too common to block by."""
_FILLER = frozenset({"the", "of", "in", "near", "al", "base", "air", "city", "town", "village", "province", "and"})
"""Words of places and targets that block nothing: too common to say two claims may be about one event."""


@dataclass(frozen=True)
class Facts:
    """What clustering compares of one claim."""

    key: ClaimKey
    start: date | None
    end: date | None
    place: str | None
    target: str | None  # the entity
    target_text: str | None  # as written, normalised
    method: str
    names: frozenset[str] = frozenset()  # the proper names its target holds ("westgate")
    dated: bool = False  # the claim itself dates the event (not only its article's publication)
    yearless: tuple[int, int] | None = None  # month and day, in an undated article (then no start or end)
    speaker_place: bool = False  # the place only names where the claimant is from, not the event

    def dates_agree(self, other: Facts) -> bool:
        meet = _meet(self, other, DATE_TOLERANCE)
        return True if meet is None else meet

    def same_days(self, other: Facts) -> bool:
        """Whether the two date ranges overlap with no slack."""
        return bool(_meet(self, other, 0))

    def places_agree(self, other: Facts) -> bool:
        if not (self.place and other.place):
            return True
        return self.place == other.place or fuzz.token_set_ratio(self.place, other.place) >= PLACE_SIMILARITY

    def methods_agree(self, other: Facts) -> bool:
        intercepted = "Disrupted weapons use"
        return (
            not self.method
            or not other.method
            or self.method == other.method
            or intercepted
            in (
                self.method,
                other.method,
            )
        )

    def same_event(self, other: Facts) -> bool:
        mine, theirs = self.target_text, other.target_text
        both_targets = alike = False
        if mine and theirs:
            both_targets = True
            same = bool(self.target and self.target == other.target)
            alike = same or fuzz.token_set_ratio(mine, theirs) >= PLACE_SIMILARITY or bool(self.names & other.names)
        anchored = alike or bool(self.place and other.place and self.places_agree(other))
        # two claims that each date the event to the same day at the same place describe one attack, whatever
        # part of it each names ("the campus", "the residence halls"); a day apart, or within a publication
        # window, they may be two attacks in one town
        dated_here = self.dated and other.dated and bool(self.place and other.place) and self.same_days(other)
        if self.key[0] == other.key[0] and self.dated and other.dated and self.same_days(other):
            # one story's event, whatever part or kind of attack each sentence reads ("hostages", "gunmen killed"),
            # unless the two name different places; a place that only names the speaker's country names none
            return self.speaker_place or other.speaker_place or self.places_agree(other)
        return (
            anchored
            and (alike or not both_targets or dated_here)
            and self.dates_agree(other)
            and self.places_agree(other)
            and self.methods_agree(other)
        )


def _meet(a: Facts, b: Facts, slack_days: int) -> bool | None:
    """Whether two claims' days can be the same, `slack_days` apart at most: two ranges overlap; a month and a
    day without a year fall within the other's range in one of its years, or near the other's month and day.
    None when either has no day at all."""
    slack = timedelta(days=slack_days)
    if a.start and a.end and b.start and b.end:
        return a.start <= b.end + slack and b.start <= a.end + slack
    if a.yearless and b.yearless:
        return abs(_on(2000, a.yearless) - _on(2000, b.yearless)) <= slack  # 2000 has a 29 February
    ranged, yearless = (a, b.yearless) if b.yearless else (b, a.yearless)
    if not (yearless and ranged.start and ranged.end):
        return None
    start, end = ranged.start - slack, ranged.end + slack
    return any(start <= _on(year, yearless) <= end for year in range(start.year, end.year + 1))


def _on(year: int, month_day: tuple[int, int]) -> date:
    """The month and day in `year` (29 February in a common year is the 28th)."""
    month, day = month_day
    return date(year, month, day) if (month, day) != (2, 29) else date(year, 3, 1) - timedelta(days=1)


_PERPETRATORS = re.compile(
    r"^(?:the\s+|those\s+)?(?:perpetrators?|attackers?|terrorists?|criminals?|culprits?|killers?|bombers?|"
    r"(?:those|people|whoever(?:\s+was)?)\s+(?:responsible|behind)|organi[sz]ers?|masterminds?)\b",
    re.IGNORECASE,
)
"""A threat against these (generic words for whoever did it) is a vow to punish: a reaction to an event."""


def is_vow(claim_target: str | None, stance: Stance) -> bool:
    """Whether a threat is a vow to punish an attack's perpetrators (it joins that attack's event) rather than a
    threat of a future attack (which joins none)."""
    return stance == Stance.THREATENED and bool(claim_target and _PERPETRATORS.match(claim_target.strip()))


def _a_name(place: str) -> bool:
    """Whether a place is a proper name ("Nairobi", "Garissa University College") that can tell two events apart,
    not a description of where within one ("the mall", "under the rubble", "his country residence"): in a script
    with capitals, one of its words is capitalised; in one without (Arabic, Chinese), it is taken as it is."""
    cased = [w for w in place.split() if w.lower() != w.upper()]
    return not cased or any(w[:1].isupper() for w in cased)


_NOT_A_NAME = re.compile(r"(?:an|ian|ese|ish|i)$|^(?:the|security|police|army|government|forces|military|president)$")
"""Capitalised words of a target that name no one place or thing: nationalities ("Iraqi", "Kenyan", "Pakistani")
and the words that open a description ("Security forces")."""


def _of_speaker(claim: Claim) -> bool:
    """Whether the claim's place only names where its claimant is from ("Kenya" for "Kenya's foreign minister",
    "Somalia" for "the Somali group al-Shabab", "Canada" for Canada): the model's place for a claim is often the
    speaker's country, which says nothing of where the event happened. The claimant's name holds every word of the
    place, as a short form's are looked up (`attribution.stems`: Kenya, Kenyan)."""
    place = stems(claim.place or "")
    return bool(place) and place <= stems(claim.claimant or "")


def _proper_names(target: str | None) -> frozenset[str]:
    """The proper names a target holds ("Westgate" in "those killed in the attack on the Westgate mall"): two
    targets that name one agree, however else each describes it ("the Westgate shopping center")."""
    return frozenset(
        w.lower() for w in re.findall(r"\b[A-Z][\w’'-]{3,}", target or "") if not _NOT_A_NAME.search(w.lower())
    )


def facts(item: StoredClaim, resolution: Resolution, text: str = "") -> Facts | None:
    """The claim's facts, or None when it can join no event: a threat of a future attack; neither target nor
    place; no date at all (no event date, an undated article whose claim and lead, in `text`, name no month and
    day in figures), where a place alone would join attacks years apart. A vow to punish the perpetrators is
    anchored by its place only: its target is the attackers."""
    claim, key = item.claim, (item.article_id, item.claim.id)
    vow = is_vow(claim.target, claim.stance)
    target = None if vow else resolution.entity(key, "target", claim.target)
    place = normalise(claim.place) if claim.place and _a_name(claim.place) else None
    if (claim.stance == Stance.THREATENED and not vow) or not (target or place):
        return None
    days = event_range(claim.event_date)
    dated = days is not None
    if days is None and item.published:
        days = (item.published - timedelta(days=PUBLISHED_WINDOW), item.published)
    yearless = None
    if days is None:
        located = next((e for e in claim.evidence if e.start is not None and e.end is not None), None)
        span = (located.start or 0, located.end or 0) if located else None
        quotes = " ".join(e.quote for e in claim.evidence)
        if (yearless := month_day(quotes, text, span, item.language)) is None:
            return None
    target_text = normalise(claim.target) if claim.target and not vow else None
    start, end = days or (None, None)
    method = sub_event(claim.event_type)[1]
    names = _proper_names(claim.target) if target_text else frozenset()
    return Facts(
        key,
        start,
        end,
        place or None,
        target,
        target_text or None,
        method,
        names,
        dated or bool(yearless),
        yearless,
        speaker_place=bool(place) and _of_speaker(claim),
    )


def _blocks(all_facts: Sequence[Facts]) -> dict[str, list[Facts]]:
    """Claims by story (article), by target entity, by place word and by target word; a target word that more than
    `COMMON_SHARE` of the claims use ("checkpoint", "market") blocks nothing: it would make one block of them."""
    blocks: dict[str, list[Facts]] = {}
    for f in all_facts:
        keys = {f"a:{f.key[0]}"} | ({f"t:{f.target}"} if f.target else set())
        for kind, text in (("p", f.place), ("w", f.target_text)):
            keys |= {f"{kind}:{w}" for w in re.findall(r"[a-z0-9]+", text or "") if w not in _FILLER and len(w) > 2}
        for key in keys:
            blocks.setdefault(key, []).append(f)
    common = max(COMMON_MIN, int(len(all_facts) * COMMON_SHARE))
    return {key: block for key, block in blocks.items() if not key.startswith("w:") or len(block) <= common}


def candidate_pairs(all_facts: Sequence[Facts]) -> Iterator[tuple[Facts, Facts]]:
    """The pairs of claims worth comparing: within each block, each dated claim with those whose dates are still
    open and with the undated ones, and the undated ones with each other (a pair in two blocks comes twice)."""
    slack = timedelta(days=DATE_TOLERANCE)
    for block in _blocks(all_facts).values():
        undated = [f for f in block if f.start is None or f.end is None]
        dated = sorted((f for f in block if f.start and f.end), key=lambda f: f.start or date.min)
        open_: list[Facts] = []
        for f in dated:
            open_ = [o for o in open_ if o.end and f.start and o.end + slack >= f.start]
            for other in [*open_, *undated]:
                yield f, other
            open_.append(f)
        for i, f in enumerate(undated):
            for other in undated[i + 1 :]:
                yield f, other


def cluster(all_facts: Sequence[Facts]) -> list[list[ClaimKey]]:
    """Connected groups of linked claims, each sorted, biggest first."""
    parent = {f.key: f.key for f in all_facts}

    def find(key: ClaimKey) -> ClaimKey:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for a, b in candidate_pairs(all_facts):
        if find(a.key) != find(b.key) and a.same_event(b):
            parent[find(a.key)] = find(b.key)
    groups: dict[ClaimKey, list[ClaimKey]] = {}
    for f in all_facts:
        groups.setdefault(find(f.key), []).append(f.key)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g))


def new_id(members: Iterable[ClaimKey]) -> str:
    return "ev-" + hashlib.sha1("\n".join(f"{a}#{c}" for a, c in sorted(members)).encode()).hexdigest()[:12]


def stable_ids(groups: Sequence[Sequence[ClaimKey]], previous: Sequence[EventRow]) -> list[tuple[str, str | None]]:
    """Each group's id and, when kept from `previous`, its first-seen time (see the module's docstring)."""
    owner = {key: event for event in previous for key in event.members}
    first_seen = {event.id: event.first_seen for event in previous}
    taken: set[str] = set()
    ids: list[tuple[str, str | None]] = []
    for group in groups:
        overlap: dict[str, int] = {}
        for key in group:
            if (event := owner.get(key)) and event.id not in taken:
                overlap[event.id] = overlap.get(event.id, 0) + 1
        if overlap:
            best = max(overlap, key=lambda i: (overlap[i], i))
            ids.append((best, first_seen[best]))
            taken.add(best)
            continue
        candidate = new_id(group)
        while candidate in taken:
            candidate = new_id([*group, (candidate, "")])
        taken.add(candidate)
        ids.append((candidate, None))
    return ids
