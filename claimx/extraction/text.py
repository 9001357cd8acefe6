"""Input checks, HTML to text, and sentence splitting with character offsets.

Everything here runs before any LLM call, so bad input costs nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd
import trafilatura

from claimx.errors import BinaryInputError, EmptyInputError, EncodingError, InputError, InputTooLargeError

_HTML = re.compile(r"<\s*(!doctype\s+html|html|body|head|article|p|div|br|span|meta|title)\b", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


@dataclass(frozen=True)
class Sentence:
    """A sentence and where it sits in the article (`text[start:end] == sentence.text`)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class PreparedText:
    text: str
    source: str  # "text" or "html"


def decode(data: bytes) -> str:
    """Decode article bytes strictly: a wrong guess at the encoding would corrupt every quote."""
    if b"\x00" in data[:8192]:
        raise BinaryInputError(
            "The input contains NUL bytes and looks binary (a PDF, image or archive?). "
            "Convert it to plain text or HTML first."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"The input is not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 4]!r}). "
            "Re-encode it, e.g. `iconv -f latin1 -t utf-8 FILE`."
        ) from exc


def prepare_text(raw: str | bytes, *, max_chars: int) -> PreparedText:
    """Check an article and reduce HTML to text; raise a typed InputError on anything unusable."""
    text = decode(raw) if isinstance(raw, bytes) else raw
    if "\x00" in text:
        raise BinaryInputError("The input contains NUL characters and looks binary; pass plain text or HTML.")
    if not text.strip():
        raise EmptyInputError("The article is empty (or whitespace only): nothing to extract.")
    source = "text"
    if _HTML.search(text[:4096]):
        extracted = trafilatura.extract(text, include_comments=False, include_tables=False, favor_recall=True)
        if not extracted or not extracted.strip():
            raise InputError("The input looks like HTML but no article text could be found in it.")
        text, source = extracted, "html"
    if len(_CONTROL.findall(text)) > max(8, len(text) // 100):
        raise BinaryInputError("The input is full of control characters and looks binary; pass plain text.")
    if len(text) > max_chars:
        raise InputTooLargeError(
            f"The article has {len(text):,} characters, above the limit of {max_chars:,}. "
            "Raise it with max_chars= / --max-chars / CLAIMX_MAX_CHARS if your model's context allows, "
            "or split the article."
        )
    return PreparedText(text=text, source=source)


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def split_sentences(text: str) -> list[Sentence]:
    """Split into sentences with offsets.

    Lines are split first, so headlines, bylines and datelines never merge into the first
    sentence; pysbd then handles news abbreviations (U.S., Sen., Lt. Col., Jan.) inside a line.
    """
    sentences: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        for span in _segmenter().segment(line.group()):
            piece = span.sent
            stripped = piece.strip()
            if not stripped:
                continue
            start = line.start() + span.start + (len(piece) - len(piece.lstrip()))
            sentences.append(Sentence(start, start + len(stripped), stripped))
    return sentences
