"""How an article is cut into LLM calls. Both strategies produce `Unit`s (one call each), so the
rest of the pipeline never knows which one ran.

- `whole`: one call for the article (or for each chunk of one too long for the model's context, see
  `chunks.py`); right for strong hosted models.
- `sentences`: one small call per sentence that carries an attribution cue, with its
  neighbours as context; small local models fill fields far better this way. When an English article
  has more cue sentences than its call limit (`max_calls`), adjacent ones share a call, each answered under
  its own key (`PairClaims`), before any is left unasked.

A call on English sentences (or ones whose language is unknown) is answered in `SentenceClaims` (`PairClaims`):
the sentence is each claim's evidence, and the model writes only who, their kind and stance, the target and
the place. An article in another language is split by its own rules, its sentences are chosen by its cue
lexicon, its prompt ends with `language.md` (quotes in the original script, and target, method and outcome in
the article's words: one more call, `rendering`, puts them in English unless the original is asked for) and its
answer carries the claimant in English too (`TranslatedDrafts`). In a language without a lexicon every sentence
is a candidate, and one cheap call (`selection`) picks those that cite a source.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from claimx.extraction import chunks, prompts
from claimx.extraction.cues import ENGLISH, cue_for, english
from claimx.extraction.drafts import ClaimDrafts, PairClaims, SentenceAnswer, SentenceClaims, TranslatedDrafts
from claimx.extraction.language import name
from claimx.extraction.text import split_sentences
from claimx.settings import FieldsLanguage, Strategy

PROMPT_NAMES: dict[Strategy, tuple[str, str]] = {
    "whole": ("system", "whole"),
    "sentences": ("sentence_system", "sentence"),
}
"""The system and user templates of each strategy's calls on an English article."""
PAIR_PROMPTS = ("pair_system", "pair")
"""A `sentences` call on two adjacent English cue sentences, answered in `PairClaims`: the line appended to the
system template (which otherwise only says how to answer one sentence) and the user template."""
SYSTEM_PROMPT = "system"
"""The system template of every call on an article not in English, whose answer has every field."""
LANGUAGE_PROMPT = "language"
"""Appended to the user message of every call on an article not in English."""
SELECT_PROMPT = "select"
"""The cheap call that picks the sentences citing a source, in a language without a cue lexicon."""
ENGLISH_PROMPT = "english"
"""The call that renders the target, method and outcome of an article not in English in English."""


@dataclass(frozen=True)
class Unit:
    """One LLM call: its label for warnings, its templates, its variables, and the reading
    position used to choose among repeated occurrences of a quote."""

    label: str
    messages: list[dict[str, str]]
    context: dict[str, Any]
    position: int
    schema: type[ClaimDrafts] | type[SentenceAnswer] = ClaimDrafts

    @property
    def sentences(self) -> list[str]:
        """The sentences this call asks about, in order; none for a call on an article or a chunk."""
        context = self.context
        return list(context.get("sentences") or ([context["sentence"]] if "sentence" in context else []))

    @property
    def key(self) -> str:
        """The same for the same call of the same article, so a resumed run can tell what is missing."""
        content = json.dumps([self.label, self.messages, self.context], sort_keys=True, default=str)
        return hashlib.sha256(content.encode()).hexdigest()[:16]


def templates(strategy: Strategy, language: str | None) -> tuple[str, ...]:
    """The templates of a strategy's calls on an article in `language`: the system's, the user's, and for an
    article not in English the language prompt appended to the user's (with the system prompt of every field)."""
    if english(language):
        return PROMPT_NAMES[strategy]
    return SYSTEM_PROMPT, PROMPT_NAMES[strategy][1], LANGUAGE_PROMPT


def _messages(strategy: Strategy, language: str | None, pair: bool = False) -> list[dict[str, str]]:
    system, user, *appended = templates(strategy, language)
    instructions = prompts.load(system).template
    if pair:  # the system template stays the prefix, so the server's prompt cache still serves it
        instructions = instructions.rstrip("\n") + prompts.load(PAIR_PROMPTS[0]).template
        user = PAIR_PROMPTS[1]
    template = prompts.load(user).template
    for tail in appended:
        template = template.rstrip("\n") + prompts.load(tail).template
    return [{"role": "system", "content": instructions}, {"role": "user", "content": template}]


def _language_context(language: str | None) -> dict[str, Any]:
    """What the prompt and the validators need to know of a language other than English (nothing for English,
    so its calls and their keys stay as they were)."""
    if english(language):
        return {}
    return {"language": language, "language_name": name(language)}


def plan(
    strategy: Strategy,
    text: str,
    meta: dict[str, str],
    language: str | None = None,
    *,
    chunk_chars: int | None = None,
    answer_claims: int | None = None,
    max_calls: int | None = None,
) -> list[Unit]:
    """The calls a strategy will make for one article: `whole` makes one per chunk of `chunk_chars` holding at
    most `answer_claims` sentences with an attribution cue (one for the article when it fits, or when no size
    is given); `sentences` makes one per cue sentence, two adjacent English ones sharing a call where that keeps
    the calls within `max_calls`; in a language without a cue lexicon, `sentences` gives its candidates, for
    `selection` to choose from."""
    base = {"article": text, **meta, **_language_context(language)}
    schema: type[ClaimDrafts] | type[SentenceAnswer] = ClaimDrafts if english(language) else TranslatedDrafts
    cue = cue_for(language)
    if strategy == "whole":
        size, most = chunk_chars or len(text), answer_claims
        # the sentences are found only when the article may need more than one chunk
        few = most is None or cue is None or (len(text) <= size and len(cue.findall(text)) <= most)
        found = [] if few else split_sentences(text, language or ENGLISH)
        sources = [s.start for s in found if cue is not None and cue.search(s.text)]
        spans = chunks.split(text, size, sources, most)
        if len(spans) == 1:
            return [Unit("article", _messages("whole", language), base, 0, schema)]
        return [
            Unit(
                f"chunk {i} of {len(spans)} at {span.start}",
                _messages("whole", language),
                {**base, "article": text[span.start : span.end]},
                span.start,
                schema,
            )
            for i, span in enumerate(spans, 1)
        ]
    sentences = split_sentences(text, language or ENGLISH)
    # only sentences with an attribution cue can hold somebody's claim
    picked = [i for i, sentence in enumerate(sentences) if cue is None or cue.search(sentence.text)]
    groups = _paired([[i] for i in picked], max_calls) if english(language) else [[i] for i in picked]
    units = []
    for group in groups:
        first, last = sentences[group[0]], sentences[group[-1]]
        context = {
            **base,
            "before": sentences[group[0] - 1].text if group[0] > 0 else "",
            "after": sentences[group[-1] + 1].text if group[-1] + 1 < len(sentences) else "",
        }
        if len(group) == 2:
            pair = {"sentences": [first.text, last.text]}
            label = f"sentences at {first.start} and {last.start}"
            units.append(
                Unit(label, _messages("sentences", language, pair=True), context | pair, first.start, PairClaims)
            )
        else:
            asked = SentenceClaims if english(language) else schema
            label = f"sentence at {first.start}"
            units.append(
                Unit(label, _messages("sentences", language), context | {"sentence": first.text}, first.start, asked)
            )
    return units


def _paired(groups: list[list[int]], most: int | None) -> list[list[int]]:
    """Single cue sentences, adjacent ones sharing a call from the article's end back until there are at most
    `most` calls: a pair's claims come out less often and less well attributed than a single sentence's
    (docs/benchmarks.md), so only an article over its limit pays that, its lead, where the main claims are,
    last. When even that is too many, every adjacent pair shares, so the calls sent cover the most sentences."""
    i = len(groups) - 1
    while most is not None and len(groups) > most and i > 0:
        if len(groups[i - 1]) == len(groups[i]) == 1 and groups[i - 1][0] == groups[i][0] - 1:
            groups[i - 1 : i + 1] = [groups[i - 1] + groups[i]]
            i -= 2
        else:
            i -= 1
    return groups


def selection(candidates: list[Unit], language: str | None) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """The messages and context of the call that picks, among numbered candidate sentences, those citing a source."""
    numbered = "\n".join(f"{n}. {unit.sentences[0]}" for n, unit in enumerate(candidates, start=1))
    context = {"numbered": numbered, "language_name": name(language)}
    return [{"role": "user", "content": prompts.load(SELECT_PROMPT).template}], context


def renders(language: str | None, fields_language: FieldsLanguage) -> bool:
    """Whether an article's target, method and outcome are rendered in English by a call of their own: not
    in English, and not kept in the article's language (`--fields-language original`)."""
    return not english(language) and fields_language == "english"


def rendering(phrases: list[str], language: str | None) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """The messages and context of the call that renders an article's descriptive phrases in English."""
    numbered = "\n".join(f"{n}. {phrase}" for n, phrase in enumerate(phrases, start=1))
    context = {"numbered": numbered, "language_name": name(language), "count": len(phrases)}
    return [{"role": "user", "content": prompts.load(ENGLISH_PROMPT).template}], context
