"""How one character reads for grounding, script by script: the folds that let a model's copy of a
quote match the article when it differs only in how the same words are written.

Every fold keeps the words and the value of every number: width and presentation forms (Unicode
compatibility decomposition), each script's quote brackets and full-width punctuation, case (with
Turkish dotted and dotless i as one letter, German ß as ss, Russian ё as е), digits of any system by value,
Arabic and Hebrew diacritics and tatweel, Arabic/Persian letter variants (hamza seats, yeh, kaf,
teh marbuta) and invisible format characters (zero-width joiners, direction marks, soft hyphens).
Superscripts, subscripts and fractions are not folded: "5¹" is not "51". Spacing is decided in
`claimx.extraction.grounding.normalise`, with `joins` below.

The tables are small and the rest comes from the Unicode database (`unicodedata`): an Arabic
normalisation package (pyarabic) works on whole strings, so it cannot keep the per-character
offsets grounding needs, and it knows fewer marks than the database's category `Mn` does.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TABLE = {
    # quote marks, apostrophes (also Ukrainian ʼ) and primes (Latin, CJK brackets, Hebrew geresh/gershayim)
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032`\u2039\u203a\u02bc\u05f3", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u300c\u300d\u300e\u300f\u301d\u301e\u301f\u05f4", '"'),
    # dashes and minus
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    # spaces that are not ASCII space
    **dict.fromkeys("\u00a0\u2009\u202f", " "),
    # CJK and Arabic punctuation, and the Arabic decimal and thousands separators
    **dict.fromkeys("\u3002\uff61", "."),
    **dict.fromkeys("\u3001\uff64\u060c\u066c", ","),
    "\u066b": ".",
    "\u061b": ";",
    "\u061f": "?",
    "\u066a": "%",
    # Turkish: İ, I, ı and i fold to one letter (a model's case change or ASCII spelling keeps the word)
    "\u0130": "i",
    "\u0131": "i",
    # German ß, which upper case and Swiss spelling write ss
    "\u00df": "ss",
    "\u1e9e": "ss",
    # Russian ё, which most writing (and most model output) spells е
    "\u0451": "\u0435",
    "\u0401": "\u0435",
    # Arabic/Persian letter variants a model swaps: alef maksura and Farsi yeh, keheh, teh marbuta
    "\u0649": "\u064a",
    "\u06cc": "\u064a",
    "\u06a9": "\u0643",
    "\u0629": "\u0647",
}
_KEEP_FORMS = ("<super>", "<sub>", "<fraction>")
SPACELESS_RANGES = (
    "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
)
WORD_MARKS = "\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed\u200c"
"""Combining marks, tatweel and the zero-width non-joiner, which sit inside a word (as regex ranges)."""
SPACELESS = re.compile(f"[{SPACELESS_RANGES}]")
"""Han, kana and CJK punctuation: scripts written without spaces between words."""


def _arabic_or_hebrew(ch: str) -> bool:
    cp = ord(ch)
    return 0x0590 <= cp <= 0x08FF or 0xFB1D <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF


def drops(ch: str) -> bool:
    """A character that reads as nothing: tatweel (it stretches a word, never changes it), an Arabic or
    Hebrew diacritic (vowel marks, shadda: optional in writing), an invisible format mark."""
    category = unicodedata.category(ch)
    return ch == "\u0640" or category == "Cf" or (category == "Mn" and _arabic_or_hebrew(ch))


@lru_cache(maxsize=8192)
def fold(ch: str) -> str:
    """What one character reads as: "" for one that `drops`, " " for any space, else lower-case
    characters with the folds described in this module's docstring."""
    if ch in _TABLE:
        return _TABLE[ch]
    if ch.isspace():
        return " "
    if drops(ch):
        return ""
    digit = unicodedata.decimal(ch, None)
    if digit is not None:
        return str(digit)
    compat = unicodedata.normalize("NFKD", ch)
    keep = unicodedata.decomposition(ch).startswith(_KEEP_FORMS) or any(c.isspace() for c in compat)
    parts = unicodedata.normalize("NFD", ch) if keep else compat
    if parts == ch:
        return ch.lower()
    return "".join(fold(c) for c in parts)


def joins(before: str, after: str) -> bool:
    """Whether a space between two folded characters is only spacing, dropped on both sides of a match.
    `before` and `after` are the nearest characters on each side that are not punctuation: a space next
    to Han or kana (models add and remove spaces there, also around the punctuation they rewrite), and
    a space between two Arabic-script letters (a Persian zero-width non-joiner written as a space, a
    conjunction written apart)."""
    if SPACELESS.match(before) or SPACELESS.match(after):
        return True
    return _arabic_letter(before) and _arabic_letter(after)


def tight(before: str, after: str) -> bool:
    """Whether a space between two folded characters is only typography: next to a double quote mark
    (French « nous », German » wir «, and the spacing a model gives an ASCII " it put instead, which
    cannot say whether it opens or closes), and before a comma, stop, colon, percent sign or closing
    bracket (French « : » and « 50 % », the space a model leaves before a comma it made from ，)."""
    return before == '"' or (after != "" and (after == '"' or unicodedata.category(after) in ("Po", "Pe", "Pf")))


def punctuation(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P")


def _arabic_letter(ch: str) -> bool:
    return ch.isalpha() and 0x0600 <= ord(ch) <= 0x08FF
