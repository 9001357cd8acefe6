"""Hard-wrapped text (wire copy, transcripts, newsletters, archive dumps) re-flowed into paragraphs.

Such text breaks every line at about 70 columns, so splitting by lines cuts sentences into fragments
that carry no attribution cue. When `wrapped` recognises the layout, `reflow` joins the lines of each
paragraph and keeps, for every character it writes, the index of the character of the original it came
from: the model reads the re-flowed text, and evidence offsets are mapped back into the text as given.

A line keeps its break when it is short (a headline, byline or dateline, or a paragraph's last line),
when the next line is indented (a new paragraph), and at a blank line. A line ending in a hyphen after a
letter is joined without a space (`SELF-\\nDEFENSE` reads `SELF-DEFENSE`); the hyphen is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from statistics import median

SENTENCE_END = (".", "!", "?", ":", '"', "'", "\u201d", "\u2019", ")")
MIN_LINES = 4
"""Fewer lines than this cannot show a wrapping width."""
MAX_WIDTH = 100
"""Wrapped text is set at most this wide; wider lines are paragraphs, not wrapped lines."""
FULL = 0.75
"""A line at least this share of the wrapping width is a full line, continued on the next one."""
SHORT = 0.6
"""A line under this share of the width keeps its break: a headline, byline, dateline or paragraph end."""


@dataclass(frozen=True)
class Reflowed:
    """Re-flowed text and, for each of its characters, the index in the original it came from."""

    text: str
    origin: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """A span of the re-flowed text as a span of the original (its first to its last character)."""
        if end <= start:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1


def _lines(text: str) -> list[tuple[int, int]]:
    """Each line's start and end (without its newline)."""
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _width(text: str, lines: list[tuple[int, int]]) -> int:
    """The wrapping width: the length of the longest lines but a tenth (a stray long line does not count),
    trailing spaces left out."""
    lengths = sorted(len(text[s:e].rstrip()) for s, e in lines if text[s:e].strip())
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0


def wrapped(text: str) -> bool:
    """Whether the text is hard-wrapped: most lines that run on into a next line are of similar length,
    at most `MAX_WIDTH` wide, and do not end in sentence punctuation."""
    lines = [(s, e) for s, e in _lines(text) if text[s:e].strip()]
    if len(lines) < MIN_LINES:
        return False
    width = _width(text, lines)
    following = _lines(text)
    continued = [
        text[s:e].rstrip() for (s, e), (s2, e2) in pairwise(following) if text[s:e].strip() and text[s2:e2].strip()
    ]
    # Short lines (a list, verse) are no wrapping; the lines that run on decide, not a paragraph's short last line.
    if width > MAX_WIDTH or len(continued) < MIN_LINES - 1 or median(len(line) for line in continued) < 30:
        return False
    full = [line for line in continued if len(line) >= FULL * width]
    open_ended = [line for line in full if not line.endswith(SENTENCE_END)]
    return len(full) >= 0.5 * len(continued) and len(open_ended) >= 0.6 * len(full)


def _joins(line: str, following: str, width: int) -> bool:
    """Whether `line` runs on into `following` within one paragraph (an indented line starts a new one)."""
    body = line.rstrip()
    return bool(body.strip()) and bool(following.strip()) and len(body) >= SHORT * width and not following[:1].isspace()


def reflow(text: str) -> Reflowed:
    """Join the lines of each paragraph with one space (none after a hyphen that ends a word part), keeping
    the original index of every character written."""
    lines = _lines(text)
    width = _width(text, lines)
    out: list[str] = []
    origin: list[int] = []

    def keep(start: int, end: int) -> None:
        out.append(text[start:end])
        origin.extend(range(start, end))

    for i, (start, end) in enumerate(lines):
        following = text[lines[i + 1][0] : lines[i + 1][1]] if i + 1 < len(lines) else ""
        line = text[start:end]
        if not _joins(line, following, width):
            keep(start, min(end + 1, len(text)))  # the line and its newline
            continue
        body = line.rstrip()
        keep(start, start + len(body))
        if not (body.endswith("-") and body[-2:-1].isalpha() and following[:1].isalpha()):
            out.append(" ")
            origin.append(end)  # the joining space stands for the newline
    return Reflowed("".join(out), tuple(origin))


def reflowed(text: str) -> Reflowed | None:
    """The text re-flowed when it is hard-wrapped, else None (it is sent as it is)."""
    return reflow(text) if wrapped(text) else None
