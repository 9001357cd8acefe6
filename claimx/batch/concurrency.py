"""How many LLM requests a batch keeps in flight: at most the configured number, fewer while the server
says it is overloaded (429/503) or its latency climbs, more again as it recovers (AIMD, as TCP does).

A hosted endpoint's capacity changes under you (other tenants, rate-limit tiers, a vLLM replica
restarting). Sending more than it can take only buys 429s and retries; sending fewer leaves it idle.
`AdaptiveLimit` is the `Gate` the batch's one `LLM` puts around every request:

- a 429 or 503 cuts the limit by a quarter (at most once per round of requests: the answers to
  requests sent before the cut say nothing about the new limit);
- a smoothed latency above twice the baseline (the lowest smoothed latency seen recently, which
  forgets 1 % per round so a server that got slower for good becomes the new normal) cuts it too;
  the first round's latencies are not counted: they hold claimx's own start (its first answers load what
  is loaded on first use while the other requests of the round wait for the event loop), not the server's;
- every `limit` answers in a row without either, while the limit held requests back, raise it by
  one, up to `maximum`.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass

DECREASE = 0.75  # the limit kept after an overload signal
LATENCY_TOLERANCE = 2.0  # smoothed latency above this many times the baseline is an overload signal
SMOOTHING = 0.2  # weight of the newest latency in the smoothed latency
FORGET = 1.01  # the baseline's growth per round, so it follows a server that got slower for good


@dataclass
class Change:
    """One change of the limit, for tests and the bench: what it became, after how many answers, and why."""

    limit: int
    answers: int
    reason: str


class AdaptiveLimit:
    """At most `limit` requests in flight, `minimum` ≤ limit ≤ `maximum`; the limit starts at `maximum`.
    Requests wait their turn first come, first served."""

    def __init__(self, maximum: int, *, minimum: int = 1) -> None:
        if not 1 <= minimum <= maximum:
            raise ValueError("need 1 <= minimum <= maximum")
        self.maximum, self.minimum = maximum, minimum
        self.limit = maximum
        self.in_flight = 0
        self.answers = 0  # requests that ended, however
        self.history: list[Change] = []
        self._round = 0  # bumped at every decrease: requests sent before it do not cut the limit again
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._streak = 0
        self._smoothed: float | None = None
        self._baseline: float | None = None
        self._since_forget = 0

    async def enter(self) -> int:
        """Wait for room; returns the round the request is sent in, to give back to `leave`."""
        if self.in_flight < self.limit and not self._waiting:
            self.in_flight += 1
            return self._round
        turn = asyncio.get_running_loop().create_future()
        self._waiting.append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():  # room was given just as we were cancelled: give it back
                self.in_flight -= 1
                self._admit()
            else:
                self._waiting.remove(turn)
            raise
        return self._round

    def leave(self, sent_in: int, seconds: float, *, overloaded: bool) -> None:
        """A request sent in round `sent_in` ended after `seconds`; `overloaded` if the server said it had no room."""
        busy = self.in_flight >= self.limit or bool(self._waiting)  # the limit, not the demand, was binding
        self.in_flight -= 1
        self.answers += 1
        current = sent_in == self._round  # sent under the limit now in force
        if overloaded:
            if current:
                self._decrease("the server answered 429/503")
        elif self._slow(seconds):
            if current:
                self._decrease(f"latency {self._smoothed:.2f} s, over twice the baseline {self._baseline:.2f} s")
        elif busy:  # a limit that is not reached says nothing about a higher one
            self._streak += 1
            if self._streak >= self.limit and self.limit < self.maximum:
                self._change(self.limit + 1, "answers kept coming")
        self._admit()

    def _admit(self) -> None:
        while self._waiting and self.in_flight < self.limit:
            turn = self._waiting.popleft()
            if not turn.done():
                self.in_flight += 1
                turn.set_result(None)

    def _slow(self, seconds: float) -> bool:
        if self.answers <= self.maximum:  # the first round: claimx starting, not the server
            return False
        smoothed = seconds if self._smoothed is None else (1 - SMOOTHING) * self._smoothed + SMOOTHING * seconds
        self._smoothed = smoothed
        self._since_forget += 1
        if self._baseline is None or smoothed < self._baseline:
            self._baseline = smoothed
        elif self._since_forget >= self.limit:  # once per round
            self._since_forget = 0
            self._baseline *= FORGET
        return smoothed > LATENCY_TOLERANCE * self._baseline

    def _decrease(self, reason: str) -> None:
        self._round += 1
        self._change(max(self.minimum, int(self.limit * DECREASE)), reason)

    def _change(self, limit: int, reason: str) -> None:
        self._streak = 0
        if limit != self.limit:
            self.limit = limit
            self.history.append(Change(limit, self.answers, reason))
