"""One log line per LLM request, under the `claimx` logger at INFO: which call, how it ended, its tokens
and seconds. The library only emits them; `claimx … -v` (or the application) decides where they go.

`calls.run` names the call each task is making in `unit_label`; `llm.LLM` wraps every request in `timed`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import openai
from openai.types.chat import ChatCompletion

log = logging.getLogger(__name__)
unit_label: ContextVar[str] = ContextVar("claimx_unit_label", default="call")
"""The label of the unit (`plan.Unit.label`) the current task is asking about; each asyncio task has its own."""


@dataclass
class Request:
    """What one request got back, set by the caller inside `timed`."""

    answer: Any = None


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


@contextmanager
def timed() -> Iterator[Request]:
    """Log the request made inside the block: its status, tokens and seconds, or how it failed."""
    started, request = time.monotonic(), Request()
    try:
        yield request
    except BaseException as exc:
        log.info("%s: %s after %.2f s", unit_label.get(), _failure(exc), time.monotonic() - started)
        raise
    seconds = time.monotonic() - started
    if not isinstance(request.answer, ChatCompletion):
        log.info("%s: HTTP 200 but not a chat completion, %.2f s", unit_label.get(), seconds)
        return
    usage, finish = request.answer.usage, request.answer.choices[0].finish_reason if request.answer.choices else None
    tokens = f"{usage.prompt_tokens} prompt + {usage.completion_tokens} completion tokens" if usage else "no usage"
    log.info("%s: HTTP 200 (%s), %s, %.2f s", unit_label.get(), finish or "no choice", tokens, seconds)
