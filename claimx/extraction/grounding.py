"""Quotes to character offsets, with an explicit status for how they were found.

Only `exact` and `normalised` matches ground a claim. `fuzzy` is a hint for a reviewer and
lists the tokens that differ; a quote that changes a number, a negation or a name never
reaches `normalised`, because normalisation (`claimx.extraction.scripts`) only folds how the
same letters and numbers are written: case, width, quote marks, dashes, digits by value,
diacritics that scripts leave optional, and spacing; and no normalised match may cut a character.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from claimx.extraction.scripts import SPACELESS_RANGES, WORD_MARKS, drops, fold, joins, punctuation, tight
from claimx.result import GroundingStatus

_WORD = rf"[^\W{SPACELESS_RANGES}]|[{WORD_MARKS}]"
_TOKEN = re.compile(rf"(?=[{SPACELESS_RANGES}])\w|(?:{_WORD})+(?:[.,'](?:{_WORD})+)*")
"""A word with its combining marks; each Han or kana character on its own, since those are not spaced."""
_NUMBER_SEPARATORS = frozenset(".,'\u00a0\u2009\u202f\u066b\u066c")
"""What may stand inside one number: 1,500 · 3.5 · 1 500 (French) · ٣٫٥ (Arabic)."""
_SPACES = re.compile(" +")
FUZZY_THRESHOLD = 85.0


@dataclass(frozen=True)
class Match:
    status: GroundingStatus
    start: int | None = None
    end: int | None = None
    mismatches: list[str] = field(default_factory=list)


def normalise(text: str) -> tuple[str, list[int]]:
    """Fold every character (`claimx.extraction.scripts.fold`), runs of whitespace and backslash-escaped
    quote marks, and drop the spaces that only space (`joins`, `tight`); return the folded text and, for
    each of its characters, the index in `text` it came from (so matches map back to true offsets)."""
    chars = [fold(ch) for ch in text]
    for escape in re.finditer(r"\\(?=.)", text, re.S):
        if chars[escape.end()] in ("'", '"'):
            chars[escape.start()] = ""  # an escaping backslash a model left in a quote (enemy\'s) is not text
    folded = "".join(chars)
    where = [i for i, c in enumerate(chars) for _ in c]
    out: list[str] = []
    origin: list[int] = []
    done = 0
    for run in _SPACES.finditer(folded):
        start, end = run.span()
        out.append(folded[done:start])
        origin.extend(where[done:start])
        done = end
        before = _beyond_punctuation(folded, start - 1, -1)
        after = _beyond_punctuation(folded, end, 1)
        if not (joins(before, after) or tight(folded[start - 1 : start], folded[end : end + 1])):
            out.append(" ")
            origin.append(where[start])
    out.append(folded[done:])
    origin.extend(where[done:])
    return "".join(out), origin


def _beyond_punctuation(folded: str, i: int, step: int) -> str:
    """The first character from `i` on in direction `step` that is neither punctuation nor a space
    ("" at the edge)."""
    while 0 <= i < len(folded) and (folded[i] == " " or punctuation(folded[i])):
        i += step
    return folded[i] if 0 <= i < len(folded) else ""


def _continues(text: str, digit: int, step: int) -> bool:
    """Whether the number with a digit at `digit` goes on in direction `step` (-1 or 1)."""
    nxt, after = digit + step, digit + 2 * step
    if not (0 <= nxt < len(text)):
        return False
    if text[nxt].isdecimal():
        return True
    return text[nxt] in _NUMBER_SEPARATORS and 0 <= after < len(text) and text[after].isdecimal()


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


def _span(text: str, origin: Sequence[int], k: int, length: int) -> tuple[int, int] | None:
    """The text offsets of the folded match [k, k + length), or None when it cuts a character: splits
    one character's folded form (… folds to ...), or leaves out the mark that belongs to its first or
    last letter (an é whose accent, a kana whose voicing mark the quote dropped is another word). The
    end takes in the diacritics and tatweel after the last letter, which folding dropped."""
    start, last = origin[k], origin[k + length - 1]
    if (k > 0 and origin[k - 1] == start) or (k + length < len(origin) and origin[k + length] == last):
        return None
    end = last + 1
    while end < len(text) and drops(text[end]) and unicodedata.category(text[end]) != "Cf":
        end += 1
    if _mark(text[start]) or (end < len(text) and _mark(text[end])):
        return None
    return start, end


def _mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


@lru_cache(maxsize=4)
def _folded_article(text: str) -> tuple[str, tuple[int, ...]]:
    """`normalise(text)` kept for the article's next quote: an article's quotes are located one after another."""
    folded, origin = normalise(text)
    return folded, tuple(origin)


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

    folded_text, origin = _folded_article(text)
    folded_quote = normalise(needle)[0].strip()
    spans = [
        span
        for k in (_occurrences(folded_text, folded_quote) if folded_quote else [])
        if (span := _span(text, origin, k, len(folded_quote))) is not None
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
