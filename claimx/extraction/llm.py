"""The one road to a model: an OpenAI-compatible endpoint, instructor for structured output and
validation re-asks, tenacity for transient failures, and a usage count for every completion.

OpenAI, Ollama, vLLM and llama.cpp's server all go through `LLM.draft`; a `Profile` (profiles.py) shapes
the request for each, and Ollama's goes to its native chat endpoint (ollama.py).
"""

from __future__ import annotations

import copy
import email.utils
import functools
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar, cast

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_delay,
    wait_random_exponential,
)

from claimx import errors
from claimx.extraction import ollama, requestlog
from claimx.extraction.drafts import ClaimDrafts, draft_problems
from claimx.extraction.identity import Endpoint
from claimx.extraction.profiles import GENERIC, Profile
from claimx.result import CallKind, CallRecord, ExtractionWarning, Usage

# instructor logs every exhausted re-ask at ERROR; claimx keeps those claims with a `kept_unvalidated`
# warning, so without logging configured Python's last-resort handler would print a traceback-like line to
# stderr for a result that is fine. A NullHandler stops only that; a handler the user configures still sees it.
logging.getLogger("instructor").addHandler(logging.NullHandler())


_CONTEXT_WORDS = ("context length", "context_length", "maximum context", "context size", "too many tokens")
RETRY_AFTER_CAP = 120.0
Answer = TypeVar("Answer", bound=BaseModel)


class Gate(Protocol):
    """Admission for each HTTP request, told how it went: a batch shares one across its articles to adapt
    how many requests are in flight (claimx.batch.concurrency)."""

    async def enter(self) -> int:
        """Wait for room; returns a ticket for `leave`."""

    def leave(self, ticket: int, seconds: float, *, overloaded: bool) -> None:
        """The request `enter` let through ended after `seconds`, `overloaded` if the server said it had no room."""


def overloaded(exc: BaseException) -> bool:
    """The server said it has no room now (429 Too Many Requests, 503 Service Unavailable)."""
    return isinstance(exc, openai.APIStatusError) and exc.status_code in (429, 503)


@functools.cache
def _response_model(schema: type[Answer]) -> type[Answer]:
    """A response model as instructor wraps it, wrapped once per schema: instructor skips a model that already
    is one, instead of building a new class on every call (about 1 ms each). Its JSON schema is built once too:
    instructor asks for it on every call and pydantic builds it anew each time (about 2.5 ms); each call gets
    its own copy, so nothing a request does to it reaches the next."""
    wrapped = instructor.openai_schema(schema)
    built = wrapped.model_json_schema
    text = json.dumps(built())

    def model_json_schema(cls: type[BaseModel], *args: Any, **kwargs: Any) -> dict[str, Any]:
        return cast(dict[str, Any], json.loads(text)) if not args and not kwargs else built(*args, **kwargs)

    setattr(wrapped, "model_json_schema", classmethod(model_json_schema))  # noqa: B010 (mypy: a method)
    return wrapped


class NotAnAnswer(Exception):
    """HTTP 200 with a body that is not a chat completion (a proxy's or gateway's error page)."""


def _transient(exc: BaseException) -> bool:
    """429, 5xx, timeouts, dropped connections and a 200 that is not an answer are worth another try;
    nothing else is."""
    if isinstance(exc, (openai.APIConnectionError, NotAnAnswer)):  # connection errors include timeouts, resets
        return True
    return isinstance(exc, openai.APIStatusError) and (exc.status_code in (408, 409, 429) or exc.status_code >= 500)


def retry_after(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (`Retry-After` as seconds or an HTTP date), capped."""
    if not isinstance(exc, openai.APIStatusError):
        return None
    value = exc.response.headers.get("retry-after")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        if parsed is None:
            return None
        seconds = parsed.timestamp() - time.time()
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)


class _WaitRetryAfter:
    """Honour Retry-After when given, else exponential backoff with full jitter."""

    def __init__(self, initial: float, maximum: float) -> None:
        self._backoff = wait_random_exponential(multiplier=initial, max=maximum)

    def __call__(self, state: RetryCallState) -> float:
        asked = retry_after(state.outcome.exception() if state.outcome else None)
        return asked if asked is not None else self._backoff(state)


def typed_error(exc: openai.OpenAIError, *, model: str, base_url: str) -> errors.LLMError:
    """Translate an SDK error into a claimx error whose message says what to do."""
    where = f"model {model!r} at {base_url}"
    if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
        return errors.AuthenticationError(
            f"{where} rejected the credentials ({exc.status_code}). Set OPENAI_API_KEY (or api_key=) to a valid key."
        )
    if isinstance(exc, openai.NotFoundError):
        return errors.ModelNotFoundError(
            f"{where} was not found (404). Check the model name (--model / CLAIMX_MODEL) and that the base URL "
            "ends in /v1 (--base-url / OPENAI_BASE_URL)."
        )
    message = str(exc)
    if isinstance(exc, openai.APIStatusError) and exc.status_code in (400, 413, 422):
        if any(word in message.lower() for word in _CONTEXT_WORDS):
            return errors.ContextLengthError(
                f"The prompt does not fit {where}'s context window: {message}. Use the `sentences` strategy, "
                "a shorter article (--max-chars), or serve the model with a larger context."
            )
        return errors.BadRequestError(f"{where} rejected the request ({exc.status_code}): {message}")
    return errors.TransientLLMError(
        f"{where} kept failing after every retry: {message}. Check that the server is up and not overloaded, "
        "or raise retry_attempts / retry_max_seconds."
    )


@dataclass
class DraftOutcome(Generic[Answer]):
    """What one structured call produced: drafts (possibly from a lenient parse), or None when no
    usable answer came (`error` says if the endpoint failed); the usage of every request it took; the
    problems left unresolved; what a reviewer should know about the exchange (a prompt the server cut); and
    the log of those requests."""

    drafts: Answer | None
    usage: Usage
    unresolved: list[str] = field(default_factory=list)
    raw: str | None = None
    error: errors.LLMError | None = None
    warnings: list[ExtractionWarning] = field(default_factory=list)
    calls: list[CallRecord] = field(default_factory=list)


@dataclass
class _Tally:
    """Requests and answers of one unit: every request costs, only answers after the first are re-asks;
    every request is logged, with why it was sent."""

    usage: Usage = field(default_factory=Usage)
    answers: int = 0
    warnings: list[ExtractionWarning] = field(default_factory=list)
    calls: list[CallRecord] = field(default_factory=list)

    def outcome(
        self,
        drafts: Answer | None,
        unresolved: list[str],
        raw: str | None = None,
        error: errors.LLMError | None = None,
    ) -> DraftOutcome[Answer]:
        self.usage.reasks = max(self.answers - 1, 0)
        return DraftOutcome(drafts, self.usage, unresolved, raw, error, self.warnings, self.calls)

    def request(self, kwargs: dict[str, Any], *, retry: bool) -> CallRecord:
        """Log a request about to be sent. What kind it is follows from the requests before it: instructor
        re-asks by appending the answer and its feedback to the messages, and the only other fresh start
        of a unit is the second try with a larger token limit."""
        messages = copy.deepcopy(list(kwargs.get("messages") or []))  # instructor extends the list it sent
        kind: CallKind
        reason = None
        if not self.calls:
            kind = "ask"
        elif retry:
            kind, reason = "retry", self.calls[-1].error
        elif len(messages) > len(self.calls[0].messages):
            kind = "reask"
            reason = str(messages[-1].get("content") or "").partition("\n")[2] or None  # less instructor's lead-in
        else:
            kind, reason = "larger-limit", f"the answer was cut off (finish_reason={self.calls[-1].finish_reason})"
        parameters = {k: v for k, v in kwargs.items() if k not in ("messages", "response_format", "format")}
        call = CallRecord(
            attempt=len(self.calls) + 1,
            kind=kind,
            reason=reason,
            messages=messages,
            parameters=parameters,
            at=datetime.now().astimezone(),
        )
        self.calls.append(call)
        return call

    @staticmethod
    def answered(call: CallRecord, response: Any, seconds: float) -> None:
        """Fill in what came back: a completion, or a body that is not one."""
        call.seconds = round(seconds, 3)
        if not isinstance(response, ChatCompletion):
            call.response, call.error = str(response), "HTTP 200 with a body that is not a chat completion"
            return
        call.response = _content(response)
        call.finish_reason = response.choices[0].finish_reason if response.choices else None
        if response.usage is not None:
            call.prompt_tokens = response.usage.prompt_tokens
            call.completion_tokens = response.usage.completion_tokens

    @staticmethod
    def failed(call: CallRecord, exc: BaseException, seconds: float) -> None:
        call.seconds, call.error = round(seconds, 3), f"{type(exc).__name__}: {exc}"


class LLM:
    """An OpenAI-compatible chat endpoint held to a schema (`ClaimDrafts` for claims), asked the way `profile`
    says."""

    def __init__(
        self,
        *,
        endpoint: Endpoint,
        api_key: str | None,
        timeout: float,
        temperature: float,
        max_tokens: int,
        max_reasks: int,
        retry_attempts: int,
        retry_max_seconds: float,
        retry_initial_wait: float = 1.0,
        profile: Profile = GENERIC,
        gate: Gate | None = None,
    ) -> None:
        self.base_url = endpoint.base_url  # the display URL: what messages and provenance show
        self.model = endpoint.model
        access = endpoint.access
        self._client = openai.AsyncOpenAI(
            base_url=access.url,
            api_key=api_key or "no-key",
            default_headers=access.headers,  # userinfo as Basic auth, over the SDK's placeholder Bearer
            default_query=access.query,
            max_retries=0,
            timeout=timeout,
        )
        self._profile = profile
        self._gate = gate
        self._temperature = temperature
        self._max_tokens = max_tokens
        self._max_reasks = max_reasks
        self._attempts = retry_attempts
        self._out_of_time = stop_after_delay(retry_max_seconds)
        self._wait = _WaitRetryAfter(retry_initial_wait, 60.0)

    async def aclose(self) -> None:
        """Close the HTTP client inside its event loop (else it is closed after the loop is gone)."""
        await self._client.close()

    async def _complete(self, tally: _Tally, **kwargs: Any) -> Any:
        """One completion, retried on transient failures; every request and every answer is counted and logged."""
        # Behind a gate, a 429/503 makes the gate send fewer requests and is not a failed attempt: only
        # the time budget bounds those (else a request unlucky enough to probe a full server a few times
        # over would fail its article).
        overloads = 0

        def spent(state: RetryCallState) -> bool:
            return state.attempt_number - overloads >= self._attempts or bool(self._out_of_time(state))

        try:
            retrying = AsyncRetrying(stop=spent, wait=self._wait, retry=retry_if_exception(_transient), reraise=True)
            async for attempt in retrying:
                with attempt:
                    # Waiting for the gate is not part of the request's time.
                    ticket = await self._gate.enter() if self._gate is not None else 0
                    tally.usage.llm_calls += 1
                    call = tally.request(kwargs, retry=attempt.retry_state.attempt_number > 1)
                    sent = time.monotonic()
                    try:
                        if self._profile.native:
                            response = await ollama.chat(self._client, kwargs)
                        else:
                            response = await self._client.chat.completions.create(**kwargs)
                    except BaseException as exc:
                        seconds = time.monotonic() - sent
                        if self._gate is not None:
                            self._gate.leave(ticket, seconds, overloaded=overloaded(exc))
                            if overloaded(exc):
                                overloads += 1
                        tally.failed(call, exc, seconds)
                        requestlog.line(call, exc)  # one log line per request (claimx -v)
                        raise
                    seconds = time.monotonic() - sent
                    if self._gate is not None:
                        self._gate.leave(ticket, seconds, overloaded=False)
                    tally.answered(call, response, seconds)
                    requestlog.line(call)
                    if not isinstance(response, ChatCompletion):
                        raise NotAnAnswer(f"{str(response)[:80]!r}")
                    tally.answers += 1
                    if response.usage is not None:
                        tally.usage.prompt_tokens += response.usage.prompt_tokens or 0
                        tally.usage.completion_tokens += response.usage.completion_tokens or 0
        except openai.OpenAIError as exc:
            raise typed_error(exc, model=self.model, base_url=self.base_url) from exc
        except NotAnAnswer as exc:
            raise errors.TransientLLMError(
                f"model {self.model!r} at {self.base_url} answered HTTP 200 with something that is not a chat "
                f"completion, on every retry: {exc}. A proxy or gateway error page? Check the base URL."
            ) from exc
        return response

    async def draft(
        self, messages: list[dict[str, str]], context: dict[str, Any], schema: type[Answer]
    ) -> DraftOutcome[Answer]:
        """Ask for an answer held to `schema` (claim drafts, or the sentences that cite a source); validation
        errors go back to the model up to `max_reasks` times, and an answer cut off at the token limit is asked
        once more with twice the limit.

        `messages` are Jinja templates that instructor renders with `context`, which also reaches
        the validators (`context["article"]` is what quotes are checked against). A failure that
        concerns this call only (retries exhausted, context overflow, no usable answer) comes back as
        an outcome without drafts; one that would fail every call alike (credentials, model) is raised.
        """
        tally = _Tally()
        limit = self._max_tokens
        try:
            try:
                return await self._ask(messages, context, schema, tally, limit)
            except IncompleteOutputException:
                limit *= 2
                return await self._ask(messages, context, schema, tally, limit)
        except IncompleteOutputException as exc:
            cut = f"the answer was cut off at max_tokens={limit // 2}, and again at {limit}"
            return tally.outcome(None, [cut], _content(exc.last_completion))
        except (errors.TransientLLMError, errors.ContextLengthError) as exc:
            return tally.outcome(None, [str(exc)], error=exc)

    async def _ask(
        self, messages: list[dict[str, str]], context: dict[str, Any], schema: type[Answer], tally: _Tally, limit: int
    ) -> DraftOutcome[Answer]:
        async def create(**kwargs: Any) -> Any:
            response = await self._complete(tally, **self._profile.request(kwargs, schema))
            usage = response.usage
            cut = self._profile.truncation(usage.prompt_tokens if usage else None, kwargs["messages"])
            if cut is not None and all(w.code != cut.code for w in tally.warnings):  # once per call
                tally.warnings.append(cut)
            return response

        patched = cast(
            Callable[..., Awaitable[Answer]], instructor.patch(create=create, mode=instructor.Mode.JSON_SCHEMA)
        )
        try:
            drafts = await patched(
                response_model=_response_model(schema),
                messages=messages,
                context=context,
                max_retries=self._max_reasks,
                strict=False,
                model=self.model,
                **self._profile.parameters(self.model, temperature=self._temperature, max_tokens=limit),
            )
            return tally.outcome(_with_earlier_valid(drafts, tally.calls, context), [])
        except InstructorRetryException as exc:
            cause = exc.__cause__
            if isinstance(cause, errors.ClaimxError):
                # A re-ask that overflows the context or keeps failing must not cost the answer
                # we already have; errors that no answer survives (credentials, model) propagate.
                if exc.failed_attempts and isinstance(cause, (errors.ContextLengthError, errors.TransientLLMError)):
                    tally.warnings.append(  # else only the claims' own problems would show: the failure is silent
                        ExtractionWarning(
                            code="reask_abandoned",
                            message=f"a re-ask got no answer, so the answer before it is kept as it was: {cause}",
                        )
                    )
                    return self._lenient(exc, context, schema, tally, note=f"re-ask abandoned: {cause}")
                raise cause from None
            return self._lenient(exc, context, schema, tally)

    def _lenient(
        self,
        exc: InstructorRetryException,
        context: dict[str, Any],
        schema: type[Answer],
        tally: _Tally,
        note: str | None = None,
    ) -> DraftOutcome[Answer]:
        """Re-asks are spent: keep what the last answer says, with the problems it still has."""
        last = exc.failed_attempts[-1] if exc.failed_attempts else None
        raw = _content(last.completion if last else exc.last_completion)
        unresolved = _problems(last.exception if last else exc.__cause__) + ([note] if note else [])
        if raw is None:
            return tally.outcome(None, unresolved or [str(exc)], raw)
        try:
            drafts = schema.model_validate_json(raw, context={**context, "lenient": True})
        except ValidationError as parse_error:
            return tally.outcome(None, unresolved + _problems(parse_error), raw)
        return tally.outcome(_with_earlier_valid(drafts, tally.calls, context), unresolved, raw)


def _with_earlier_valid(drafts: Answer, calls: list[CallRecord], context: dict[str, Any]) -> Answer:
    """The final answer plus every claim an earlier answer of the unit got right and the final one lost: a
    re-ask is sent for the claims that broke a rule, and a small model often answers it with fewer claims,
    dropping valid ones of the same sentence. A claim the final answer also quotes is the final answer's."""
    article = context.get("article")
    if article is None or not isinstance(drafts, ClaimDrafts):
        return drafts
    quoted = {quote.casefold() for claim in drafts.claims for quote in claim.evidence}
    kept = list(drafts.claims)
    for call in calls[:-1]:
        if call.response is None:
            continue
        try:
            earlier = type(drafts).model_validate_json(call.response, context={"lenient": True})
        except ValidationError:
            continue
        for claim in earlier.claims:
            quotes = {quote.casefold() for quote in claim.evidence}
            if quotes & quoted or draft_problems(claim, article, context.get("language")):
                continue
            kept.append(claim)
            quoted |= quotes
    return drafts if len(kept) == len(drafts.claims) else drafts.model_copy(update={"claims": kept})


def _content(completion: Any) -> str | None:
    try:
        content = completion.choices[0].message.content
    except (AttributeError, IndexError, TypeError):
        return None
    return content if isinstance(content, str) else None


def _problems(exc: BaseException | None) -> list[str]:
    if isinstance(exc, ValidationError):
        return [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
    return [str(exc)] if exc is not None else []
