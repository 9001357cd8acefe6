"""Deaths as a claim's outcome states them, read the way ACLED codes reported fatalities.

Only killed/dead/died/death-toll wording counts: "50 people killed", "killing at least 12", "two soldiers
were killed" (number words through text2num), "a soldier was killed", "dozens dead", "death toll rose to 512",
"caused no casualties" (0). Wounded or injured counts never do. ACLED's conventions decide the number:

- a qualified number is coded as stated ("at least 12", "more than 50", "up to 30" → 12, 50, 30; ACLED takes
  the most conservative figure a report gives), and the qualifier stays in the wording for the notes;
- vague plurals with an ACLED convention: "tens" 10, "dozens" 12, "hundreds" 100, "thousands" 1000;
- vague words without one ("several", "many", "scores", "a number of") and "fewer than N" give no number:
  the fatalities column stays empty and the wording goes to the notes;
- several counts in one outcome are added ("3 soldiers killed and 2 civilians killed" → 5; a count without
  a number adds nothing, the most conservative reading); a death toll counts only when no other count is
  stated (a toll may include earlier events).

Beside ACLED's number, `low`..`high` is the range of deaths the wording allows, so that two claims' figures can be
compared without pretending a qualified or vague figure is exact ("at least 12" and "40" agree; "12" and "40" do
not): see `RANGES` and `APPROXIMATE`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import alpha2digit

from claimx.extraction.act import NOT_A_TOLL, TOLL_REACHES

VAGUE = {"tens": 10, "dozens": 12, "hundreds": 100, "thousands": 1000, "several": None, "many": None}
VAGUE |= {"scores": None, "a number": None}
EXACT_WORDS = {"a dozen": 12}
UNCODED_QUALIFIERS = ("fewer than", "less than", "under")

RANGES: dict[str, tuple[int, int | None]] = {
    "tens": (20, 99),
    "dozens": (24, 199),
    "hundreds": (200, 999),
    "thousands": (2000, None),
    "several": (3, 9),
    "many": (2, None),
    "scores": (40, 199),
    "a number": (2, None),
    "a dozen": (12, 12),
}
"""The deaths a vague count allows (None: no upper bound); wider than ACLED's conservative coding on purpose."""

APPROXIMATE = 0.2
"""How far an approximate figure ("about 40", "nearly 40", "an estimated 40") may be from what it says."""

_QUALIFIER = (
    r"(?:(?P<q>at least|more than|over|nearly|almost|about|around|approximately|roughly|some|up to|as many as|"
    r"an estimated|fewer than|less than|under)\s+)?"
)
_COUNT = r"(?P<n>\d+|" + "|".join(sorted((*VAGUE, *EXACT_WORDS), key=len, reverse=True)) + r")"
_WORD = r"(?:\s+(?!(?:and|or|but|wounded|injured|hurt|\d+)\b)[a-z'’-]+)"
_DEATH = r"(?:killed|dead|died|deaths|fatalities|perished|slain)"
# "12 (people were) killed", unless a number follows the verb: "2 drones killed 5" counts the 5
_COUNT_THEN_DEATH = re.compile(
    rf"\b{_QUALIFIER}{_COUNT}(?:\s+of)?{_WORD}{{0,4}}?\s+{_DEATH}\b(?!\s+(?:(?!and\b|or\b)[a-z]+\s+){{0,2}}\d)"
)
_KILLING_COUNT = re.compile(
    rf"\b(?:killing|killed|kills|kill|claiming the lives of|claimed the lives of)\s+{_QUALIFIER}{_COUNT}\b"
)
_ONE = re.compile(
    r"\b(?:a|an)\s+(?!\d)[a-z'’-]+(?:\s+[a-z'’-]+)?\s+(?:was|has been|had been)\s+killed\b|"
    r"\bkill(?:ed|ing|s)\s+(?:a|an)\s+(?!\d)[a-z'’-]+"
)
_TOLLS = (
    re.compile(
        rf"\b(?:death\s+)?toll{NOT_A_TOLL}(?:\s+[a-z0-9.'’-]+){{0,12}}?\s+{TOLL_REACHES}\s+{_QUALIFIER}{_COUNT}\b"
    ),
    re.compile(rf"\bdeath toll(?:\s+[a-z'’-]+){{0,4}}?\s+{_QUALIFIER}{_COUNT}\b"),
)
"""A toll's figure: the one it reaches ("the death toll from the oct. 14 bombing has risen to 512", "the toll had been
reported as 358"), else the one right after it ("death toll around 33")."""
_NONE = re.compile(
    r"\bno (?:casualties|deaths|fatalities|dead|one (?:was |were )?killed|one died)\b|\bnobody (?:was )?killed\b|"
    r"\bwithout (?:casualties|fatalities)\b|\bnone (?:was |were )?killed\b"
)
_SPLIT_VAGUE = re.compile(r"\b(" + "|".join(sorted((*VAGUE, *EXACT_WORDS), key=len, reverse=True)) + r")\b", re.I)


@dataclass(frozen=True)
class Fatalities:
    """What an outcome says about deaths: ACLED's number (None when its conventions fix none) and the
    wording it was read from, for the notes."""

    count: int | None
    wording: tuple[str, ...]
    low: int = 0
    high: int | None = None  # None: no upper bound ("at least 12")

    def agrees_with(self, other: Fatalities) -> bool:
        """Whether both figures can be true at once: their ranges overlap."""
        return (self.high is None or other.low <= self.high) and (other.high is None or self.low <= other.high)

    @property
    def range_text(self) -> str:
        """The range as read, e.g. "12", "12–∞" or "24–199"."""
        if self.high == self.low:
            return str(self.low)
        return f"{self.low}–{'∞' if self.high is None else self.high}"

    @property
    def note(self) -> str:
        said = "; ".join(f"'{w}'" for w in self.wording)
        if self.count is None:
            return f"Fatalities not coded: {said} gives no number ACLED's conventions fix."
        return (
            f"Fatalities coded {self.count} from {said} (ACLED: the stated or conventional, most conservative figure)."
        )


def _digits(text: str) -> str:
    """Number words as digits (text2num), leaving the vague words ACLED codes by convention as they are:
    text2num would read "hundreds" as 100 and lose that it is an estimate."""
    parts = _SPLIT_VAGUE.split(text)
    converted = [part if i % 2 else str(alpha2digit(part, "en", threshold=0)) for i, part in enumerate(parts)]
    return re.sub(r"(?<=\d),(?=\d{3}\b)", "", "".join(converted)).lower()


def _value(match: re.Match[str]) -> int | None:
    count, qualifier = match.group("n"), match.group("q")
    if qualifier in UNCODED_QUALIFIERS:
        return None
    if count.isdigit():
        return int(count)
    return EXACT_WORDS.get(count, VAGUE.get(count))


def _range(match: re.Match[str]) -> tuple[int, int | None]:
    """The deaths one count allows, its qualifier applied."""
    count, qualifier = match.group("n"), match.group("q")
    low, high = (int(count), int(count)) if count.isdigit() else RANGES[count]
    if qualifier in ("at least", "more than", "over"):  # "more than 50" and "50" are read as agreeing: loose wording
        return low, None
    if qualifier in ("up to", "as many as"):
        return 0, high
    if qualifier in UNCODED_QUALIFIERS:
        return 0, max(low - 1, 0)
    if qualifier in ("nearly", "almost"):
        return int(low * (1 - APPROXIMATE)), high
    if qualifier:  # about, around, approximately, roughly, some, an estimated
        return int(low * (1 - APPROXIMATE)), None if high is None else round(high * (1 + APPROXIMATE))
    return low, high


def _sum(ranges: list[tuple[int, int | None]]) -> tuple[int, int | None]:
    highs = [h for _, h in ranges]
    return sum(lo for lo, _ in ranges), None if None in highs else sum(h for h in highs if h is not None)


def parse_fatalities(outcome: str | None) -> Fatalities | None:
    """The deaths an outcome states, or None when it states none (nothing, damage, only wounded)."""
    if not outcome:
        return None
    text = _digits(outcome)
    found: list[re.Match[str]] = []
    for pattern in (_COUNT_THEN_DEATH, _KILLING_COUNT):
        for match in pattern.finditer(text):
            if not any(match.start() < m.end() and m.start() < match.end() for m in found):
                found.append(match)
    ones = [m for m in _ONE.finditer(text) if not any(m.start() < f.end() and f.start() < m.end() for f in found)]
    if found or ones:
        values = [_value(m) for m in sorted(found, key=lambda m: m.start())]
        known = [v for v in values if v is not None] + [1] * len(ones)
        wording = tuple(m.group(0) for m in sorted([*found, *ones], key=lambda m: m.start()))
        low, high = _sum([*(_range(m) for m in found), *[(1, 1)] * len(ones)])
        return Fatalities(sum(known) if known else None, wording, low, high)
    if toll := next((m for pattern in _TOLLS if (m := pattern.search(text))), None):
        return Fatalities(_value(toll), (toll.group(0),), *_range(toll))
    if none := _NONE.search(text):
        return Fatalities(0, (none.group(0),), 0, 0)
    return None
