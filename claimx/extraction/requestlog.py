"""One log line per LLM request, under the `claimx` logger at INFO: which call, how it ended, its tokens
and seconds. The library only emits them; `claimx … -v` (or the application) decides where they go.

`calls.run` names the call each task is making in `unit_label`; `llm.LLM` logs every request's audit
record (`CallRecord`) here once it is filled, so the line and the record never disagree.
"""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar

import openai

from claimx.result import CallRecord

log = logging.getLogger(__name__)
unit_label: ContextVar[str] = ContextVar("claimx_unit_label", default="call")
"""The label of the unit (`plan.Unit.label`) the current task is asking about; each asyncio task has its own."""


def _failure(exc: BaseException) -> str:
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}"
    if isinstance(exc, openai.APITimeoutError):
        return "timed out"
    if isinstance(exc, openai.APIConnectionError):
        return "connection failed"
    if isinstance(exc, asyncio.CancelledError):
        return "cancelled"
    return type(exc).__name__


def line(call: CallRecord, failure: BaseException | None = None) -> None:
    """Log a request from its record: its status, tokens and seconds, or how it failed."""
    label = unit_label.get()
    if failure is not None:
        log.info("%s: %s after %.2f s", label, _failure(failure), call.seconds)
    elif call.error is not None:
        log.info("%s: HTTP 200 but not a chat completion, %.2f s", label, call.seconds)
    else:
        tokens = (
            f"{call.prompt_tokens} prompt + {call.completion_tokens} completion tokens"
            if call.prompt_tokens is not None
            else "no usage"
        )
        log.info("%s: HTTP 200 (%s), %s, %.2f s", label, call.finish_reason or "no choice", tokens, call.seconds)
