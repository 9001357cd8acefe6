"""Quotes to character offsets, with an explicit status for how they were found.

Only `exact` and `normalised` matches ground a claim. `fuzzy` is a hint for a reviewer and
lists the tokens that differ; a quote that changes a number, a negation or a name never
reaches `normalised`, because normalisation only folds case, quote marks, dashes and spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from claimx.result import GroundingStatus

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)
_TOKEN = re.compile(r"\w+(?:[.,']\w+)*", re.UNICODE)
FUZZY_THRESHOLD = 85.0


@dataclass(frozen=True)
class Match:
    status: GroundingStatus
    start: int | None = None
    end: int | None = None
    mismatches: list[str] = field(default_factory=list)


def normalise(text: str) -> tuple[str, list[int]]:
    """Fold case, quotes, dashes, runs of whitespace and backslash-escaped quote marks; return the folded
    text and, for each of its characters, the index in `text` it came from (so matches map back to true
    offsets)."""
    out: list[str] = []
    origin: list[int] = []
    previous_space = False
    folded = text.translate(_FOLD)
    for i, ch in enumerate(folded):
        if ch == "\\" and folded[i + 1 : i + 2] in ("'", '"'):
            continue  # an escaping backslash a model left in a quote (enemy\'s) is not text
        if ch.isspace():
            if previous_space:
                continue
            out.append(" ")
            origin.append(i)
            previous_space = True
            continue
        previous_space = False
        for low in ch.lower():
            out.append(low)
            origin.append(i)
    return "".join(out), origin


def _occurrences(haystack: str, needle: str) -> list[int]:
    found, i = [], haystack.find(needle)
    while i != -1:
        found.append(i)
        i = haystack.find(needle, i + 1)
    return found


def _pick(starts: list[int], after: int) -> int:
    """With repeated text, prefer the first occurrence at or after the reading position."""
    return next((s for s in starts if s >= after), starts[0])


def locate(quote: str, text: str, *, after: int = 0) -> Match:
    """Find `quote` in `text`: exact, then normalised, then a fuzzy hint, else not found.

    `after` is the reading position: among repeated occurrences the first one at or after it wins.
    """
    needle = quote.strip()
    if not needle:
        return Match(GroundingStatus.NOT_FOUND)
    starts = _occurrences(text, needle)
    if starts:
        start = _pick(starts, after)
        return Match(GroundingStatus.EXACT, start, start + len(needle))

    folded_text, origin = normalise(text)
    folded_quote = normalise(needle)[0].strip()
    starts = _occurrences(folded_text, folded_quote)
    if folded_quote and starts:
        folded_after = next((k for k, o in enumerate(origin) if o >= after), 0)
        k = _pick(starts, folded_after)
        return Match(GroundingStatus.NORMALISED, origin[k], origin[k + len(folded_quote) - 1] + 1)

    alignment = fuzz.partial_ratio_alignment(folded_quote, folded_text)
    if alignment is not None and alignment.score >= FUZZY_THRESHOLD:
        start = origin[alignment.dest_start]
        end = origin[max(alignment.dest_end - 1, alignment.dest_start)] + 1
        return Match(GroundingStatus.FUZZY, start, end, mismatched_tokens(needle, text[start:end]))
    return Match(GroundingStatus.NOT_FOUND)


def mismatched_tokens(quote: str, source: str) -> list[str]:
    """Tokens that appear in one side but not the other, marked `-` (only in quote) / `+` (only in text)."""
    q = [t.lower() for t in _TOKEN.findall(quote)]
    s = [t.lower() for t in _TOKEN.findall(source)]
    return [f"-{t}" for t in q if t not in s] + [f"+{t}" for t in s if t not in q]
