"""What the model fills for one call, and the rules a draft must meet against the article.

A draft that breaks a rule goes back to the model as a re-ask (instructor feeds the article to the
validator through `context=`); after the last re-ask it is kept with a `kept_unvalidated` warning.
Field order is generation order, and every description here is part of the request body.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, Field, ValidationInfo, create_model, model_validator

from claimx.extraction.cues import cue_examples, cue_for, english
from claimx.extraction.grounding import locate
from claimx.result import ISO_DATE, ClaimantKind, Stance


class ClaimDraft(BaseModel):
    """One claim as the model fills it. Field order is generation order: evidence first, so the
    model copies the sentence before it interprets it."""

    evidence: list[str] = Field(
        min_length=1, description="Exact words copied from the article that state the claim, most specific first."
    )
    claimant: str | None = Field(description="Original speaker; null when the sentence has no source.")
    claimant_kind: ClaimantKind
    via: list[str] = Field(default_factory=list, description="Relays between article and claimant, outermost first.")
    stance: Stance
    actor: str | None = Field(None, description="Who did it, according to the claimant.")
    target: str | None = None
    method: list[str] = Field(default_factory=list, description="Weapons or means the evidence names; else empty.")
    outcome: str | None = Field(None, description="The result as the claimant states it.")
    time_text: str | None = Field(None, description="The time as the article states it.")
    event_date: str | None = Field(None, description="ISO date or interval a/b, resolved against the publication date.")
    place: str | None = None

    @model_validator(mode="after")
    def _check_against_article(self, info: ValidationInfo) -> ClaimDraft:
        """Checks that feed back to the model as a re-ask; skipped when no article is in the
        context (lenient parsing of a final answer keeps the claim and warns instead)."""
        context = info.context or {}
        article = context.get("article")
        if article is None or context.get("lenient"):
            return self
        problems = draft_problems(self, article, context.get("language"))
        if problems:
            raise ValueError("; ".join(problems))
        return self


_STOPWORDS = frozenset("a an the of in on at to for and or by with from its it is was were be has have had".split())


def _content_words(text: str) -> set[str]:
    """Content words cut to five letters, so "hits"/"hit" and "wounding"/"wounded" still meet; in a script
    written without spaces (Chinese, Japanese), each pair of adjacent characters stands for a word."""
    lowered = text.lower()
    words = {w[:5] for w in re.findall(r"\w+", _UNSPACED.sub(" ", lowered)) if w not in _STOPWORDS}
    return words | set(_pairs(lowered))


_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+")


def _pairs(text: str) -> list[str]:
    """The "words" of a script written without spaces: each pair of adjacent characters of its runs."""
    return [run[i : i + 2] for run in _UNSPACED.findall(text) for i in range(max(len(run) - 1, 1))]


def _mostly_within(phrase: str, words: set[str]) -> bool:
    """A field restates its quote and never adds to it: of its content words, at most one in
    four may be missing from the evidence (none when it has fewer than four)."""
    own = _content_words(phrase)
    return len(own - words) <= len(own) // 4


def stated(phrase: str, quotes: list[str]) -> bool:
    """Whether quotes in any language state the phrase (a means, a result) in their own words: at most one in
    four of its words missing from them. A word counts by its stem (all but its last two letters, three at
    least) standing anywhere in the quotes, since inflections ("tué", "tués") and attached particles (Arabic's
    "ب", "و", "ال") differ; in a script without spaces, by each pair of adjacent characters."""
    text = " ".join(quotes).lower()
    lowered = phrase.lower()
    words = [w for w in re.findall(r"\w+", _UNSPACED.sub(" ", lowered)) if w not in _STOPWORDS]
    units = [w[: max(3, len(w) - 2)] for w in words] + _pairs(lowered)
    return sum(unit not in text for unit in units) <= len(units) // 4


def _unstated(what: str) -> str:
    """The re-ask for a claim nobody states, under either schema."""
    return f"{what} needs a claimant who states it; if the sentence has no source, return no claim for it"


def draft_problems(draft: ClaimDraft, article: str, language: str | None = None) -> list[str]:
    """What is wrong with a draft against the article text, phrased as instructions to the model.

    The attribution cue is the article's language's (English when unknown), and a re-ask names its words; a
    language without a lexicon has none to check. In English, outcome and method must restate the evidence; in
    another language the model writes them in the article's words too, but one the quote does not state is left
    out when the claim is settled (`attribution.settle`) rather than asked again: the small model mostly
    repeats it, and a re-ask costs a call."""
    problems = []
    cue = cue_for(language)
    for quote in draft.evidence:
        if not locate(quote, article).status.grounded:
            problems.append(
                f"evidence quote {quote!r} does not appear in the article: copy the words exactly as written"
            )
    if not draft.claimant or not draft.claimant.strip():
        problems.append(_unstated("an outcome" if draft.outcome else "a claim"))
    elif cue is not None and not any(cue.search(q) for q in draft.evidence):
        problems.append(
            f"the evidence has no attribution cue ({cue_examples(language)}): "
            "a sentence in the article's own voice is not a claim; quote the words that name the source or drop it"
        )
    quoted = _content_words(" ".join(draft.evidence))
    checked = english(language)
    if checked and draft.outcome and not _mostly_within(draft.outcome, quoted):
        problems.append(
            f"outcome {draft.outcome!r} is not stated in the evidence: use the claimant's own words from it, or null"
        )
    for means in draft.method if checked else []:
        if not _mostly_within(means, quoted):
            problems.append(
                f"method {means!r} is not named in the evidence: list only weapons or means its words name, "
                "or an empty list"
            )
    for relay in draft.via:
        if not _content_words(relay) & quoted:
            problems.append(f"via entry {relay!r} is not named in the evidence: list only relays the quote names")
    if draft.event_date is not None and not ISO_DATE.fullmatch(draft.event_date.strip()):
        problems.append(
            f"event_date {draft.event_date!r} must be YYYY-MM-DD, an interval YYYY-MM-DD/YYYY-MM-DD, or null"
        )
    return problems


class ClaimDrafts(BaseModel):
    """The model's whole answer for one call."""

    claims: list[ClaimDraft] = Field(default_factory=list)


class SentenceClaim(BaseModel):
    """One claim of one English sentence, as the model fills it under `sentences`: who says it, in what stance,
    of what and where. The sentence is the claim's evidence, and the frame and the rules read the relay, the
    doer, the means, the outcome and the time from its words (`attribution.settle`, `dates.claim_date`), so the
    model writes none of those: its own versions scored no better than the rules' and cost most of its tokens
    (docs/benchmarks.md). Lengths are capped so a small model cannot run on."""

    # This docstring is the schema's description, sent to the model. A one-line one spoken to the model (with
    # the system prompt's last line also speaking of pairs) was recorded on the dev set: claimant 0.897 and
    # stance 0.845 against 0.914 and 0.862, the same F1. So it stays as it is (docs/benchmarks.md).

    claimant: str | None = Field(
        max_length=120, description="Original speaker as the sentence names them; null when it has no source."
    )
    claimant_kind: ClaimantKind
    stance: Stance
    target: str | None = Field(None, max_length=160)
    place: str | None = Field(None, max_length=80)


def _check_stated(claims: list[SentenceClaim], info: ValidationInfo) -> None:
    """A claim nobody states goes back to the model, as under `ClaimDrafts`."""
    context = info.context or {}
    if context.get("article") is None or context.get("lenient"):
        return
    if any(not (claim.claimant or "").strip() for claim in claims):
        raise ValueError(_unstated("a claim"))


def _quoting(sentence: str, claims: list[SentenceClaim]) -> list[ClaimDraft]:
    return [ClaimDraft(evidence=[sentence], **claim.model_dump()) for claim in claims]


class SentenceClaims(BaseModel):
    """The model's answer for one sentence: at most three claims (a sentence holds one, sometimes two)."""

    claims: list[SentenceClaim] = Field(default_factory=list, max_length=3)

    @model_validator(mode="after")
    def _check_claimants(self, info: ValidationInfo) -> SentenceClaims:
        _check_stated(self.claims, info)
        return self

    def drafts(self, sentences: list[str]) -> ClaimDrafts:
        """The claims as drafts whose evidence is the sentence."""
        return ClaimDrafts(claims=_quoting(sentences[0], self.claims))


class PairClaims(BaseModel):
    """The model's answer for two sentences, each sentence's claims under its own key: at most three each."""

    first: list[SentenceClaim] = Field(max_length=3, description="Claims made in sentence 1.")
    second: list[SentenceClaim] = Field(max_length=3, description="Claims made in sentence 2.")

    @model_validator(mode="after")
    def _check_claimants(self, info: ValidationInfo) -> PairClaims:
        _check_stated(self.first + self.second, info)
        return self

    def drafts(self, sentences: list[str]) -> ClaimDrafts:
        """The claims as drafts whose evidence is their own sentence."""
        first, second = sentences
        return ClaimDrafts(claims=_quoting(first, self.first) + _quoting(second, self.second))


SentenceAnswer = SentenceClaims | PairClaims
"""The answer of a call on English sentences, each claim quoting its sentence."""


class TranslatedDraft(ClaimDraft):
    """A claim from an article not in English: the claimant as the article names it, and in English."""

    claimant_english: str | None = Field(description="The claimant in English; null when there is no claimant.")


class TranslatedDrafts(ClaimDrafts):
    """The answer for one call on an article not in English. English articles keep `ClaimDrafts`, whose
    schema every English request carries unchanged."""

    claims: list[TranslatedDraft] = Field(default_factory=list)  # type: ignore[assignment]  # a narrower item


class EnglishPhrases(BaseModel):
    """The target, method and outcome phrases of an article not in English, rendered in English in the order
    they were asked (each call holds its answer to their number: `sized`). Asked for English inside the claim
    call, the small model mostly kept the article's words, so the phrases get a call of their own."""

    english: list[str] = Field(description="One English rendering per numbered phrase, in order.")

    @classmethod
    @cache
    def sized(cls, count: int) -> type[EnglishPhrases]:
        """The schema of an answer for `count` phrases: a server that holds answers to the schema (llama.cpp's
        grammar) then cannot skip one, which the small model did under the plain list."""
        english = (
            list[str],
            Field(min_length=count, max_length=count, description=cls.model_fields["english"].description),
        )
        return create_model(cls.__name__, __base__=cls, english=english)


class SourceSentences(BaseModel):
    """The cheap pass over an article in a language without a cue lexicon: which numbered sentences name a
    source (somebody who says, claims, denies, accuses or threatens)."""

    sentences: list[int] = Field(default_factory=list, description="Numbers of the sentences that cite a source.")
