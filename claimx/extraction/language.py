"""The language an article is written in, so that its sentences are split, its sources recognised and its
prompt phrased for that language.

py3langid (a fork of langid.py, BSD) ships its model inside the wheel: nothing is downloaded at run time,
loading takes about half a second once per process. Its cost grows with the text (a walk over every byte
in Python: about 4 ms for 7,000 characters), and an article's first paragraphs say its language as well as
the whole does, so only the first `SAMPLE_CHARS` are read.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

SAMPLE_CHARS = 2_000
"""How much of the text is classified: the start (headline, lead and first paragraphs)."""

MIN_CONFIDENCE = 0.5
"""Below this probability a guess on text in Latin letters is no guess: short English lines ("Hamas said")
come out as Estonian or Acehnese. Text in another script is told by its script and keeps the best guess."""

_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LETTER = re.compile(r"[^\W\d_]")

_MACRO: dict[str, str | None] = {"arz": "ar", "ary": "ar", "yue": "zh", "wuu": "zh", "uzs": "uz", "zxx": None}
"""py3langid's varieties without a two-letter code, as the language they are written in ("zxx": no language)."""

NAMES = {
    "en": "English",
    "ar": "Arabic",
    "fr": "French",
    "es": "Spanish",
    "de": "German",
    "ru": "Russian",
    "uk": "Ukrainian",
    "fa": "Persian",
    "tr": "Turkish",
    "zh": "Chinese",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "pl": "Polish",
    "he": "Hebrew",
    "ur": "Urdu",
    "hi": "Hindi",
    "ja": "Japanese",
    "ko": "Korean",
    "am": "Amharic",
    "so": "Somali",
    "sw": "Swahili",
    "ps": "Pashto",
    "ku": "Kurdish",
    "hy": "Armenian",
    "ka": "Georgian",
    "az": "Azerbaijani",
}
"""English names of common news languages, for prompts and messages; any other code is shown as itself."""


def name(code: str | None) -> str:
    """A language's English name ("unknown" for None)."""
    if code is None:
        return "unknown"
    return NAMES.get(code, code)


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> str | None:
    """The ISO 639-1 code of the text's language; None when the text is too short or too mixed to tell."""
    sample = text[:SAMPLE_CHARS]
    letters = "".join(_LETTER.findall(sample))
    if not letters:
        return None
    code, confidence = _identifier().classify(sample)
    latin = len(_LATIN.findall(letters)) > len(letters) / 2
    if latin and confidence < MIN_CONFIDENCE:
        return None
    return _MACRO.get(code, code)
