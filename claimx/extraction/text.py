"""Input checks, HTML to text, and sentence splitting with character offsets.

Everything here runs before any LLM call, so bad input costs nothing.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from functools import lru_cache

import pysbd
import trafilatura

from claimx.errors import BinaryInputError, EmptyInputError, EncodingError, InputError, InputTooLargeError
from claimx.result import ExtractionWarning

_HTML = re.compile(r"<\s*(!doctype\s+html|html|body|head|article|p|div|br|span|meta|title)\b", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# UTF-32 LE's mark starts with UTF-16 LE's, so the UTF-32 marks are tried first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)
LITTLE_TEXT = 200
"""An HTML page reduced to fewer characters than this, from a page over `LITTLE_RATIO` times as long, is flagged."""
LITTLE_RATIO = 10


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
    warnings: list[ExtractionWarning] = field(default_factory=list)


def decode(data: bytes) -> str:
    """Decode article bytes strictly: a wrong guess at the encoding would corrupt every quote.

    UTF-8, and UTF-16/32 only when a byte-order mark says so: without one, NUL bytes mean binary.
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                at = len(bom) + exc.start
                raise EncodingError(
                    f"The input starts with a {name} byte-order mark but is not valid {name} "
                    f"(byte {at}: {data[at : at + 4]!r}). Re-encode it, e.g. `iconv -t utf-8 FILE`."
                ) from exc
    if b"\x00" in data[:8192]:
        raise BinaryInputError(
            "The input contains NUL bytes and looks binary (a PDF, image or archive?). "
            "Convert it to plain text or HTML first."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"The input is not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 4]!r}). "
            "Re-encode it, e.g. `iconv -f latin1 -t utf-8 FILE`."
        ) from exc


def check_encodable(text: str, what: str = "The article") -> None:
    """Refuse a lone surrogate (a broken `\\ud800` JSON escape, or bytes decoded with surrogateescape):
    no UTF-8 can hold it, so hashing, storing or sending the text would crash."""
    if (bad := _SURROGATE.search(text)) is not None:
        raise EncodingError(
            f"{what} cannot be encoded as UTF-8: it holds a lone surrogate (U+{ord(bad.group()):04X} at character "
            f"{bad.start()}), usually from a broken \\u escape in JSON or a mis-decoded file. Fix it in the source."
        )


def _check_size(raw: str | bytes, max_input_bytes: int) -> None:
    """Refuse an oversized input before it is decoded or parsed: reducing a huge HTML page costs seconds
    and hundreds of MB before `max_chars` could refuse what is left of it. Text counts as UTF-8; text with
    more characters than the limit has more bytes too, so it is refused without encoding it."""
    if isinstance(raw, bytes) or len(raw) > max_input_bytes:
        size = len(raw)
    else:
        size = len(raw.encode("utf-8", "surrogatepass"))  # a lone surrogate is refused later, with its own message
    if size > max_input_bytes:
        raise InputTooLargeError(
            f"The input is larger than the limit of {max_input_bytes:,} bytes. Raise it with "
            "max_input_bytes= / --max-input-bytes / CLAIMX_MAX_INPUT_BYTES, or pass the article text alone."
        )


def _reduced_to_little(page: int, text: int) -> list[ExtractionWarning]:
    """A page that leaves under `LITTLE_TEXT` characters and was over `LITTLE_RATIO` times longer was
    likely a paywall, a cookie wall or an index page, not the article: the claims may be few or none."""
    if text >= LITTLE_TEXT or page <= LITTLE_RATIO * text:
        return []
    return [
        ExtractionWarning(
            code="html_reduced_to_little",
            message=f"The HTML page ({page:,} characters) reduced to {text} characters of text: it may be a "
            "paywall, a consent page or an index rather than the article. Check the page, or pass the text.",
        )
    ]


def prepare_text(raw: str | bytes, *, max_chars: int | None, max_input_bytes: int) -> PreparedText:
    """Check an article and reduce HTML to text; raise a typed InputError on anything unusable.

    `max_input_bytes` limits the input as given, before anything parses it; `max_chars` the text
    that is sent, after HTML reduction (None: any length). HTML that reduces to almost nothing (under `LITTLE_TEXT`
    characters from a page over `LITTLE_RATIO` times longer) is kept, with a warning.
    """
    _check_size(raw, max_input_bytes)
    text = decode(raw) if isinstance(raw, bytes) else raw
    check_encodable(text)
    if "\x00" in text:
        raise BinaryInputError("The input contains NUL characters and looks binary; pass plain text or HTML.")
    if not text.strip():
        raise EmptyInputError("The article is empty (or whitespace only): nothing to extract.")
    source, warnings = "text", []
    if _HTML.search(text[:4096]):
        extracted = trafilatura.extract(text, include_comments=False, include_tables=False, favor_recall=True)
        if not extracted or not extracted.strip():
            raise InputError("The input looks like HTML but no article text could be found in it.")
        warnings = _reduced_to_little(len(text), len(extracted))
        text, source = extracted, "html"
    if len(_CONTROL.findall(text)) > max(8, len(text) // 100):
        raise BinaryInputError("The input is full of control characters and looks binary; pass plain text.")
    if max_chars is not None and len(text) > max_chars:
        raise InputTooLargeError(
            f"The article has {len(text):,} characters, above the limit of {max_chars:,}. "
            "Raise or unset it with max_chars= / --max-chars / CLAIMX_MAX_CHARS: long articles are sent in chunks "
            "(whole) or sentence by sentence, within max_calls."
        )
    return PreparedText(text=text, source=source, warnings=warnings)


SEGMENTER_LANGUAGES = frozenset(pysbd.languages.LANGUAGE_CODES)
_SEGMENTER_STAND_INS = {"uk": "ru", "be": "ru", "ps": "fa", "ku": "fa", "yue": "zh"}
"""Languages pysbd lacks, split by one that shares their script and punctuation (Ukrainian as Russian)."""
_SMALL = "[a-zà-ÿа-яёіїєґçğışöü]"
"""A small letter, which never starts a sentence in a cased script."""
_QUOTE_THEN_SENTENCE = re.compile(rf"[.!?؟。！？…]\s?[»”“\"」』]+\s+(?=[^\W\d_])(?!{_SMALL})")
"""A sentence that ends inside a closing quotation mark, then a space and the next sentence: pysbd keeps
them together ("… la base. » Le ministère a démenti.")."""
_CONTINUES = re.compile(rf"[»”」』]|{_SMALL}")


@lru_cache(maxsize=8)
def _segmenter(language: str = "en") -> pysbd.Segmenter:
    return pysbd.Segmenter(language=language, clean=False, char_span=True)


def _spans(line: str, language: str) -> list[tuple[int, str]]:
    """pysbd's sentences of one line as (start, text). Other languages than English get two repairs: a
    piece that opens with a closing quotation mark belongs to the sentence before it (pysbd's Chinese cuts
    “…。”他说 apart), and a closing quotation mark after a sentence end, followed by a space, ends a sentence."""
    segmenter = _segmenter(_SEGMENTER_STAND_INS.get(language, language if language in SEGMENTER_LANGUAGES else "en"))
    spans = [(span.start, span.sent) for span in segmenter.segment(line)]
    if language == "en":
        return spans
    merged: list[tuple[int, str]] = []
    for start, piece in spans:
        if merged and _CONTINUES.match(piece):
            merged[-1] = (merged[-1][0], line[merged[-1][0] : start + len(piece)])
        else:
            merged.append((start, piece))
    split: list[tuple[int, str]] = []
    for start, piece in merged:
        cut = 0
        for end in _QUOTE_THEN_SENTENCE.finditer(piece):
            split.append((start + cut, piece[cut : end.end()]))
            cut = end.end()
        split.append((start + cut, piece[cut:]))
    return split


def split_sentences(text: str, language: str = "en") -> list[Sentence]:
    """Split into sentences with offsets, by the rules of the article's language.

    Lines are split first, so headlines, bylines and datelines never merge into the first
    sentence; pysbd then handles news abbreviations (U.S., Sen., Lt. Col., Jan.) inside a line.
    """
    sentences: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        for offset, piece in _spans(line.group(), language):
            stripped = piece.strip()
            if not stripped:
                continue
            start = line.start() + offset + (len(piece) - len(piece.lstrip()))
            sentences.append(Sentence(start, start + len(stripped), stripped))
    return sentences
