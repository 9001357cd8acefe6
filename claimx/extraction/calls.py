"""The calls of a plan sent to the endpoint, at most `concurrency` at once: units in, drafts out."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from claimx import errors
from claimx.extraction import requestlog
from claimx.extraction.drafts import ClaimDrafts, SentenceAnswer
from claimx.extraction.llm import LLM, DraftOutcome
from claimx.extraction.plan import Unit


@dataclass(frozen=True)
class UnitResult:
    """One unit and what its call produced."""

    unit: Unit
    outcome: DraftOutcome[ClaimDrafts]


def _as_drafts(outcome: DraftOutcome[ClaimDrafts | SentenceAnswer], unit: Unit) -> DraftOutcome[ClaimDrafts]:
    """Sentences' answer as claim drafts quoting their sentence; any other answer is drafts already."""
    answer = outcome.drafts
    drafts = answer.drafts(unit.sentences) if isinstance(answer, SentenceAnswer) else answer
    return cast(DraftOutcome[ClaimDrafts], dataclasses.replace(outcome, drafts=drafts))


async def run(
    llm: LLM, units: list[Unit], *, concurrency: int, on_done: Callable[[UnitResult], None] | None = None
) -> list[UnitResult]:
    """Run every unit, at most `concurrency` at once, results in unit order.

    A unit that gets no usable answer is recorded in its outcome and the rest go on; an error that
    would fail every unit alike (credentials, unknown model) stops the run.
    """
    gate = asyncio.Semaphore(concurrency)

    async def one(unit: Unit) -> UnitResult:
        requestlog.unit_label.set(unit.label)  # this task's context only: names its requests in the log
        async with gate:
            result = UnitResult(unit, _as_drafts(await llm.draft(unit.messages, unit.context, unit.schema), unit))
        if on_done is not None:
            on_done(result)
        return result

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(unit)) for unit in units]
    except* errors.ClaimxError as failures:
        raise failures.exceptions[0] from None
    return [task.result() for task in tasks]
