"""How an article is cut into LLM calls. Both strategies produce `Unit`s (one call each), so the
rest of the pipeline never knows which one ran.

- `whole`: one call for the article (or for each chunk of one too long for the model's context, see
  `chunks.py`); right for strong hosted models.
- `sentences`: one small call per sentence that carries an attribution cue, with its
  neighbours as context; small local models fill fields far better this way.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from claimx.extraction import chunks, prompts
from claimx.extraction.drafts import ATTRIBUTION_CUE
from claimx.extraction.text import split_sentences
from claimx.settings import Strategy

PROMPT_NAMES: dict[Strategy, tuple[str, str]] = {"whole": ("system", "whole"), "sentences": ("system", "sentence")}


@dataclass(frozen=True)
class Unit:
    """One LLM call: its label for warnings, its templates, its variables, and the reading
    position used to choose among repeated occurrences of a quote."""

    label: str
    messages: list[dict[str, str]]
    context: dict[str, Any]
    position: int

    @property
    def key(self) -> str:
        """The same for the same call of the same article, so a resumed run can tell what is missing."""
        content = json.dumps([self.label, self.messages, self.context], sort_keys=True, default=str)
        return hashlib.sha256(content.encode()).hexdigest()[:16]


def _messages(strategy: Strategy) -> list[dict[str, str]]:
    system, user = PROMPT_NAMES[strategy]
    return [
        {"role": "system", "content": prompts.load(system).template},
        {"role": "user", "content": prompts.load(user).template},
    ]


def plan(strategy: Strategy, text: str, meta: dict[str, str], *, chunk_chars: int | None = None) -> list[Unit]:
    """The calls a strategy will make for one article; `whole` makes one per chunk of `chunk_chars` (one for
    the article when it fits, or when no size is given)."""
    base = {"article": text, **meta}
    if strategy == "whole":
        spans = chunks.split(text, chunk_chars or len(text))
        if len(spans) == 1:
            return [Unit("article", _messages("whole"), base, 0)]
        return [
            Unit(
                f"chunk {i} of {len(spans)} at {span.start}",
                _messages("whole"),
                {**base, "article": text[span.start : span.end]},
                span.start,
            )
            for i, span in enumerate(spans, 1)
        ]
    sentences = split_sentences(text)
    units = []  # only sentences with an attribution cue can hold somebody's claim
    for i, sentence in enumerate(sentences):
        if not ATTRIBUTION_CUE.search(sentence.text):
            continue
        before = sentences[i - 1].text if i > 0 else ""
        after = sentences[i + 1].text if i + 1 < len(sentences) else ""
        context = {**base, "sentence": sentence.text, "before": before, "after": after}
        units.append(Unit(f"sentence at {sentence.start}", _messages("sentences"), context, sentence.start))
    return units
