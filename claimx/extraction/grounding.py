"""Quotes to character offsets, with an explicit status for how they were found.

Only `exact` and `normalised` matches ground a claim. `fuzzy` is a hint for a reviewer and
lists the tokens that differ; a quote that changes a number, a negation or a name never
reaches `normalised`, because normalisation (`claimx.extraction.scripts`) only folds how the
same letters and numbers are written: case, width, quote marks, dashes, digits by value,
diacritics that scripts leave optional, and spacing. No match may cut a number in two.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from claimx.extraction.scripts import SPACELESS_RANGES, WORD_MARKS, drops, fold, joins, punctuation, tight
from claimx.result import GroundingStatus

_WORD = rf"[^\W{SPACELESS_RANGES}]|[{WORD_MARKS}]"
_TOKEN = re.compile(rf"(?=[{SPACELESS_RANGES}])\w|(?:{_WORD})+(?:[.,'](?:{_WORD})+)*")
"""A word with its combining marks; each Han or kana character on its own, since those are not spaced."""
_NUMBER_SEPARATORS = frozenset(".,'\u00a0\u2009\u202f\u066b\u066c")
"""What may stand inside one number: 1,500 · 3.5 · 1 500 (French) · ٣٫٥ (Arabic)."""
FUZZY_THRESHOLD = 85.0


@dataclass(frozen=True)
class Match:
    status: GroundingStatus
    start: int | None = None
    end: int | None = None
    mismatches: list[str] = field(default_factory=list)


def normalise(text: str) -> tuple[str, list[int]]:
    """Fold every character (`claimx.extraction.scripts.fold`), runs of whitespace and backslash-escaped
    quote marks, and drop the spaces that only space (`joins`); return the folded text and, for each of
    its characters, the index in `text` it came from (so matches map back to true offsets)."""
    units: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch == "\\" and fold(text[i + 1 : i + 2] or "\\") in ("'", '"'):
            continue  # an escaping backslash a model left in a quote (enemy\'s) is not text
        units.extend((c, i) for c in fold(ch))
    out: list[str] = []
    origin: list[int] = []
    k = 0
    while k < len(units):
        ch, i = units[k]
        if ch != " ":
            out.append(ch)
            origin.append(i)
            k += 1
            continue
        run_end = k
        while run_end < len(units) and units[run_end][0] == " ":
            run_end += 1
        before = next((c for c in reversed(out) if not punctuation(c)), "")
        after = next((c for c, _ in units[run_end:] if not punctuation(c)), "")
        written_before = text[origin[-1]] if origin else ""
        written_after = text[units[run_end][1]] if run_end < len(units) else ""
        if not (joins(before, after) or tight(written_before, written_after)):
            out.append(" ")
            origin.append(i)
        k = run_end
    return "".join(out), origin


def _continues(text: str, digit: int, step: int) -> bool:
    """Whether the number with a digit at `digit` goes on in direction `step` (-1 or 1)."""
    nxt, after = digit + step, digit + 2 * step
    if not (0 <= nxt < len(text)):
        return False
    if text[nxt].isdecimal():
        return True
    return text[nxt] in _NUMBER_SEPARATORS and 0 <= after < len(text) and text[after].isdecimal()


def _cuts_number(text: str, start: int, end: int) -> bool:
    """A span that starts or ends inside a number (5 of 15, 1 of 1,500) quotes a different number."""
    head = text[start].isdecimal() and _continues(text, start, -1)
    return head or (text[end - 1].isdecimal() and _continues(text, end - 1, 1))


def _whole_numbers(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a fuzzy hint that cuts a number to the whole number, so the reviewer sees 15, not 5."""
    while text[start].isdecimal() and _continues(text, start, -1):
        start -= 1 if text[start - 1].isdecimal() else 2
    while text[end - 1].isdecimal() and _continues(text, end - 1, 1):
        end += 1 if text[end].isdecimal() else 2
    return start, end


def _occurrences(haystack: str, needle: str) -> list[int]:
    found, i = [], haystack.find(needle)
    while i != -1:
        found.append(i)
        i = haystack.find(needle, i + 1)
    return found


def _pick(starts: list[int], after: int) -> int:
    """With repeated text, prefer the first occurrence at or after the reading position."""
    return next((s for s in starts if s >= after), starts[0])


def _span(text: str, origin: list[int], k: int, length: int) -> tuple[int, int] | None:
    """The text offsets of the folded match [k, k + length), or None when it cuts a character in two
    (an é whose accent the quote dropped, a kana whose voicing mark it dropped). The end takes in the
    diacritics and tatweel after the last letter, which folding dropped."""
    start, last = origin[k], origin[k + length - 1]
    if (k > 0 and origin[k - 1] == start) or (k + length < len(origin) and origin[k + length] == last):
        return None
    end = last + 1
    while end < len(text) and drops(text[end]) and unicodedata.category(text[end]) != "Cf":
        end += 1
    if end < len(text) and unicodedata.category(text[end]).startswith("M"):
        return None
    return start, end


def locate(quote: str, text: str, *, after: int = 0) -> Match:
    """Find `quote` in `text`: exact, then normalised, then a fuzzy hint, else not found.

    `after` is the reading position: among repeated occurrences the first one at or after it wins.
    """
    needle = quote.strip()
    if not needle:
        return Match(GroundingStatus.NOT_FOUND)
    starts = [s for s in _occurrences(text, needle) if not _cuts_number(text, s, s + len(needle))]
    if starts:
        start = _pick(starts, after)
        return Match(GroundingStatus.EXACT, start, start + len(needle))

    folded_text, origin = normalise(text)
    folded_quote = normalise(needle)[0].strip()
    spans = [
        span
        for k in (_occurrences(folded_text, folded_quote) if folded_quote else [])
        if (span := _span(text, origin, k, len(folded_quote))) is not None and not _cuts_number(text, *span)
    ]
    if spans:
        start, end = next((s for s in spans if s[0] >= after), spans[0])
        return Match(GroundingStatus.NORMALISED, start, end)

    alignment = fuzz.partial_ratio_alignment(folded_quote, folded_text)
    if alignment is not None and alignment.score >= FUZZY_THRESHOLD:
        start = origin[alignment.dest_start]
        end = origin[max(alignment.dest_end - 1, alignment.dest_start)] + 1
        start, end = _whole_numbers(text, start, end)
        return Match(GroundingStatus.FUZZY, start, end, mismatched_tokens(needle, text[start:end]))
    return Match(GroundingStatus.NOT_FOUND)


def mismatched_tokens(quote: str, source: str) -> list[str]:
    """Tokens that appear in one side but not the other, marked `-` (only in quote) / `+` (only in text);
    tokens compare as they fold (٥ is 5, كتّاب is كتاب), and are shown as written, in lower case."""
    q = [t.lower() for t in _TOKEN.findall(quote)]
    s = [t.lower() for t in _TOKEN.findall(source)]
    q_folded = {_folded(t) for t in q}
    s_folded = {_folded(t) for t in s}
    return [f"-{t}" for t in q if _folded(t) not in s_folded] + [f"+{t}" for t in s if _folded(t) not in q_folded]


def _folded(token: str) -> str:
    return "".join(fold(c) for c in token)
