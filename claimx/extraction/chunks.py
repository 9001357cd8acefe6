"""A long article cut into overlapping chunks for the `whole` strategy, each small enough for one call.

A chunk must fit the model's context, and its answer must fit `max_tokens`: a dense round-up of short
statements gives more claims per character than a chunk sized by the context alone can answer for, and an
answer cut off at the limit is lost. So a chunk also holds at most as many sentences that cite a source as
one answer has room for claims (`claims_per_answer`).

Chunks are made of whole paragraphs (lines); a paragraph longer than a chunk, or citing more sources than
one answer holds, is cut between sentences, and a sentence longer than a chunk between words. Consecutive
chunks share their last paragraphs, up to `overlap` characters, so a claim that straddles a boundary is read
whole at least once; the claims read twice are merged when the result is assembled (`claims.assemble`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from claimx.extraction.text import split_sentences

CHARS_PER_TOKEN = 3
"""A conservative guess for sizing chunks: English runs ~4 characters a token, capitals and names fewer."""
OVERLAP = 0.15
"""The share of a chunk repeated at the start of the next one."""
PROMPT_TOKENS = 1024
"""Room for the system prompt and the article template around a chunk."""
DEFAULT_CONTEXT_TOKENS = 8192
"""The context assumed for an endpoint whose context is not given (`context_tokens`)."""
TOKENS_PER_CLAIM = 160
"""Completion tokens one claim takes in a `whole` answer (152 to 164 in the local model's recorded answers)."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def chunk_chars(context_tokens: int, max_tokens: int) -> int:
    """The longest chunk, in characters, that fits a context with its prompt, its answer, and one re-ask
    (which repeats the answer and adds feedback to it)."""
    room = context_tokens - PROMPT_TOKENS - 2 * max_tokens
    return max(room, 256) * CHARS_PER_TOKEN


def claims_per_answer(max_tokens: int) -> int:
    """How many claims one answer has room for."""
    return max(max_tokens // TOKENS_PER_CLAIM, 1)


def _pieces(text: str, size: int, sources: list[int], most: int) -> list[Span]:
    """Paragraphs, or the sentences (or words) of one longer than `size` or citing more than `most` sources, in
    order, blank runs left out."""
    pieces: list[Span] = []
    for line in re.finditer(r"[^\n]*\S[^\n]*", text):
        if line.end() - line.start() <= size and _count(sources, line.start(), line.end()) <= most:
            pieces.append(Span(line.start(), line.end()))
            continue
        for sentence in split_sentences(line.group()):
            start = line.start() + sentence.start
            end = line.start() + sentence.end
            while end - start > size:  # no sentence end within reach: cut after the last space that fits
                cut = text.rfind(" ", start + 1, start + size + 1)
                cut = cut if cut > start else start + size
                pieces.append(Span(start, cut))
                start = cut + (text[cut] == " ")
            if end > start:
                pieces.append(Span(start, end))
    return pieces


def _count(sources: list[int], start: int, end: int) -> int:
    """How many of the (sorted) source sentence starts fall within [start, end)."""
    return bisect_left(sources, end) - bisect_left(sources, start)


def split(text: str, size: int, sources: Sequence[int] = (), most: int | None = None) -> list[Span]:
    """`text` as chunks of at most `size` characters, and of at most `most` of the sentences starting at
    `sources` (those that cite a source), each repeating up to `OVERLAP` of the previous one in whole pieces;
    one chunk, the whole text, when it fits."""
    starts = sorted(sources)
    most = len(starts) if most is None else most
    if len(text) <= size and len(starts) <= most:
        return [Span(0, len(text))]
    pieces = _pieces(text, size, starts, most)
    overlap = int(size * OVERLAP)
    chunks: list[Span] = []
    first = 0
    while first < len(pieces):
        last = first
        while (
            last + 1 < len(pieces)
            and pieces[last + 1].end - pieces[first].start <= size
            and _count(starts, pieces[first].start, pieces[last + 1].end) <= most
        ):
            last += 1
        chunks.append(Span(pieces[first].start, pieces[last].end))
        if last + 1 == len(pieces):
            break
        following = last + 1  # the next chunk starts at the earliest piece of this one's last `overlap` characters
        while following - 1 > first and pieces[last].end - pieces[following - 1].start <= overlap:
            following -= 1
        first = following
    return chunks
