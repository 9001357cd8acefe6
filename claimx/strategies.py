"""How an article is cut into LLM calls. Both strategies produce `Unit`s (one call each) and
`run` turns them into drafts, so the rest of the pipeline never knows which one ran.

- `whole`: one call for the article; right for strong hosted models.
- `sentences`: one small call per sentence that carries an attribution cue, with its
  neighbours as context; small local models fill fields far better this way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from claimx import errors, prompts
from claimx.llm import LLM, DraftOutcome
from claimx.schema import ATTRIBUTION_CUE
from claimx.settings import Strategy
from claimx.text import split_sentences

PROMPT_NAMES: dict[Strategy, tuple[str, str]] = {"whole": ("system", "whole"), "sentences": ("system", "sentence")}


@dataclass(frozen=True)
class Unit:
    """One LLM call: its label for warnings, its templates, its variables, and the reading
    position used to choose among repeated occurrences of a quote."""

    label: str
    messages: list[dict[str, str]]
    context: dict[str, Any]
    position: int


@dataclass(frozen=True)
class UnitResult:
    unit: Unit
    outcome: DraftOutcome | None
    error: errors.LLMError | None = None


def _messages(strategy: Strategy) -> list[dict[str, str]]:
    system, user = PROMPT_NAMES[strategy]
    return [
        {"role": "system", "content": prompts.load(system).template},
        {"role": "user", "content": prompts.load(user).template},
    ]


def plan(strategy: Strategy, text: str, meta: dict[str, str]) -> list[Unit]:
    """The calls a strategy will make for one article."""
    base = {"article": text, **meta}
    if strategy == "whole":
        return [Unit("article", _messages("whole"), base, 0)]
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


async def run(
    llm: LLM, units: list[Unit], *, concurrency: int, on_done: Callable[[UnitResult], None] | None = None
) -> list[UnitResult]:
    """Run every unit, at most `concurrency` at once, results in unit order.

    A unit that outlasts its transient retries or overflows the context is recorded and the rest
    go on; an error that would fail every unit alike (credentials, unknown model) stops the run.
    """
    gate = asyncio.Semaphore(concurrency)

    async def one(unit: Unit) -> UnitResult:
        async with gate:
            try:
                result = UnitResult(unit, await llm.draft(unit.messages, unit.context))
            except (errors.TransientLLMError, errors.ContextLengthError) as exc:
                result = UnitResult(unit, None, exc)
        if on_done is not None:
            on_done(result)
        return result

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(unit)) for unit in units]
    except* errors.ClaimxError as failures:
        raise failures.exceptions[0] from None
    return [task.result() for task in tasks]
