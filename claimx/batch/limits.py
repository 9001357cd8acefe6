"""Request and token rate limits for a batch, its budget, and the token estimate a reservation (and a
budget's look-ahead) is made with."""

from __future__ import annotations

import asyncio
import functools
import json
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from claimx import errors
from claimx.extraction.plan import Unit
from claimx.result import Usage

COMPLETION_GUESS = 256  # completion tokens reserved per call before the real count is known


@dataclass(frozen=True)
class Limits:
    """Requests and tokens per minute; None means no limit."""

    requests_per_minute: float | None = None
    tokens_per_minute: float | None = None


@dataclass
class Grant:
    """A reservation in a `RateLimiter` window; `settle` corrects its amount."""

    at: float
    amount: float
    live: bool = True


class RateLimiter:
    """At most `limit` units (requests, tokens) in any sliding window of `period` seconds.

    Waiters are served first come, first served. A request bigger than the whole limit waits for
    an empty window and then goes alone, so it is slow but never stuck. The amount reserved before
    the work can be corrected once the real one is known (`settle`)."""

    def __init__(
        self,
        limit: float,
        period: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Any] = asyncio.sleep,
    ) -> None:
        if limit <= 0:
            raise ValueError("a rate limit must be positive")
        self.limit = float(limit)
        self.period = period
        self._clock = clock
        self._sleep = sleep
        self._window: deque[Grant] = deque()
        self._used = 0.0
        self._lock = asyncio.Lock()

    @property
    def used(self) -> float:
        self._prune(self._clock())
        return self._used

    def _prune(self, now: float) -> None:
        while self._window and self._window[0].at + self.period <= now:
            gone = self._window.popleft()
            gone.live = False
            self._used -= gone.amount

    async def acquire(self, amount: float) -> Grant:
        async with self._lock:
            while True:
                now = self._clock()
                self._prune(now)
                if not self._window or self._used + amount <= self.limit:
                    grant = Grant(now, amount)
                    self._window.append(grant)
                    self._used += amount
                    return grant
                excess, until = self._used + amount - self.limit, self._window[-1].at + self.period
                freed = 0.0
                for old in self._window:
                    freed += old.amount
                    if freed >= excess:
                        until = old.at + self.period
                        break
                await self._sleep(max(until - now, 0.001))

    def settle(self, grant: Grant, amount: float) -> None:
        """Replace a reservation's estimate by the amount actually used (if still in the window)."""
        self._prune(self._clock())
        if grant.live:
            self._used += amount - grant.amount
        grant.amount = amount


@functools.cache
def _schema_chars(schema: type[BaseModel]) -> int:
    return len(json.dumps(schema.model_json_schema()))


def estimate_usage(units: list[Unit], max_tokens: int) -> Usage:
    """What an article's calls will use, guessed before sending (about 4 characters a token): as prompt
    tokens the templates, the text each call shows and the JSON schema; as completion tokens an allowance."""
    prompt = 0
    for unit in units:
        context, asked = unit.context, unit.sentences
        shown = (
            len(context.get("before", "")) + 2 * sum(map(len, asked)) + len(context.get("after", ""))
            if asked
            else len(context.get("article", ""))
        )
        prompt += (sum(len(m["content"]) for m in unit.messages) + shown + _schema_chars(unit.schema)) // 4
    completion = len(units) * min(COMPLETION_GUESS, max_tokens)
    return Usage(llm_calls=len(units), prompt_tokens=prompt, completion_tokens=completion)


def estimate_tokens(units: list[Unit], max_tokens: int) -> int:
    """Prompt and completion tokens of `estimate_usage`, together."""
    usage = estimate_usage(units, max_tokens)
    return usage.prompt_tokens + usage.completion_tokens


BudgetUnit = Literal["tokens", "usd"]
_BUDGET = re.compile(
    r"^\s*(?P<dollar>\$)?\s*(?P<number>\d+(?:\.\d*)?|\.\d+)\s*(?P<scale>[kKmM])?\s*(?P<unit>\$|usd|tokens?|tok)?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Budget:
    """What one batch run may spend, in tokens (prompt + completion) or US dollars (through the price table)."""

    amount: float
    unit: BudgetUnit

    def __str__(self) -> str:
        return f"${self.amount:,.2f}" if self.unit == "usd" else f"{self.amount:,.0f} tokens"


def parse_budget(spec: str) -> Budget:
    """`200000`, `200k`, `1.5M tokens` (tokens) or `$5`, `5usd`, `0.50$` (US dollars)."""
    match = _BUDGET.match(spec)
    if match is None or float(match["number"]) <= 0:
        raise errors.ConfigurationError(
            f"budget {spec!r} should be a positive number of tokens (200000, 200k, 1.5M tokens) or of US dollars "
            "($5, 5usd)"
        )
    dollars = bool(match["dollar"]) or (match["unit"] or "").lower() in ("$", "usd")
    if dollars and (match["dollar"] and (match["unit"] or "").lower().startswith("tok")):
        raise errors.ConfigurationError(f"budget {spec!r} is both dollars and tokens: say one")
    scale = {"k": 1e3, "m": 1e6}.get((match["scale"] or "").lower(), 1.0)
    return Budget(float(match["number"]) * scale, "usd" if dollars else "tokens")
