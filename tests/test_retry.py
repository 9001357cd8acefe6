"""The retry policy against a real HTTP server on loopback that misbehaves on cue."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import openai
import pytest
from tenacity import RetryCallState

from claimx import errors
from claimx.extraction.identity import Endpoint
from claimx.extraction.llm import LLM, _WaitRetryAfter
from claimx.extraction.plan import plan

ARTICLE = "Police said rebels fired two rockets at the airport on Monday."
ANSWER = {
    "claims": [
        {
            "evidence": [ARTICLE],
            "claimant": "Police",
            "claimant_kind": "official_body",
            "via": [],
            "stance": "alleged",
            "actor": "rebels",
            "target": "the airport",
            "method": ["rockets"],
            "outcome": None,
            "time_text": "on Monday",
            "event_date": None,
            "place": None,
        }
    ]
}
UNFOUNDED = {"claims": [{**ANSWER["claims"][0], "outcome": "the airport was destroyed"}]}
DRONE = "The army said it shot down a drone over the base."
DRONE_CLAIM = {**ANSWER["claims"][0], "evidence": [DRONE], "claimant": "The army", "stance": "asserted", "actor": None}
DRONE_CLAIM |= {"target": None, "method": ["drone"], "time_text": None}
VALID_AND_UNFOUNDED = {"claims": [DRONE_CLAIM, UNFOUNDED["claims"][0]]}
pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


class Script:
    """What the server answers, in order; the last entry repeats."""

    def __init__(self, steps: list[str]) -> None:
        self.steps = steps
        self.seen = 0

    def next(self) -> str:
        step = self.steps[min(self.seen, len(self.steps) - 1)]
        self.seen += 1
        return step


def _completion(answer: dict = ANSWER) -> bytes:
    return json.dumps(
        {
            "id": "x",
            "object": "chat.completion",
            "created": 0,
            "model": "m",
            "choices": [
                {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": json.dumps(answer)}}
            ],
            "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
        }
    ).encode()


@pytest.fixture
def server() -> Iterator[tuple[str, Script]]:
    script = Script(["ok"])

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            step = script.next()
            if step == "drop":
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            status, body, headers = {
                "429": (429, b'{"error": {"message": "slow down"}}', {"Retry-After": "0"}),
                "500": (500, b'{"error": {"message": "boom"}}', {}),
                "401": (401, b'{"error": {"message": "bad key"}}', {}),
                "404": (404, b'{"error": {"message": "no such model"}}', {}),
                "ctx": (400, b'{"error": {"message": "the request exceeds the available context size"}}', {}),
                "ok": (200, _completion(), {}),
                "unfounded": (200, _completion(UNFOUNDED), {}),
                "valid-and-unfounded": (200, _completion(VALID_AND_UNFOUNDED), {}),
            }[step]
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", script
    httpd.shutdown()


def _llm(url: str, attempts: int = 5, reasks: int = 0) -> LLM:
    return LLM(
        endpoint=Endpoint.of(url, "m"),
        api_key="k",
        timeout=5,
        temperature=0,
        max_tokens=64,
        max_reasks=reasks,
        retry_attempts=attempts,
        retry_max_seconds=30,
        retry_initial_wait=0.01,
    )


async def _draft(llm: LLM, article: str = ARTICLE):
    unit = plan("whole", article, {"publisher": "P", "published": "unknown"})[0]
    return await llm.draft(unit.messages, unit.context, unit.schema)


async def test_429_500_and_dropped_connection_are_retried_until_success(server) -> None:
    url, script = server
    script.steps = ["429", "500", "drop", "ok"]
    outcome = await _draft(_llm(url))
    assert script.seen == 4
    assert outcome.drafts is not None and outcome.drafts.claims[0].claimant == "Police"
    # every HTTP request is counted; only the answer's tokens
    assert outcome.usage.llm_calls == 4 and outcome.usage.prompt_tokens == 11 and outcome.usage.reasks == 0


async def test_retries_are_bounded_and_end_in_a_typed_error(server) -> None:
    url, script = server
    script.steps = ["500"]
    outcome = await _draft(_llm(url, attempts=3))
    assert outcome.drafts is None and isinstance(outcome.error, errors.TransientLLMError)
    assert "retry" in str(outcome.error) and outcome.unresolved == [str(outcome.error)]
    assert script.seen == 3 and outcome.usage.llm_calls == 3


async def test_a_context_overflow_fails_that_call_only(server) -> None:
    url, script = server
    script.steps = ["ctx"]
    outcome = await _draft(_llm(url))
    assert outcome.drafts is None and isinstance(outcome.error, errors.ContextLengthError)
    assert "sentences" in str(outcome.error)
    assert script.seen == 1 and outcome.usage.llm_calls == 1


@pytest.mark.parametrize(
    ("step", "error", "advice"),
    [
        ("401", errors.AuthenticationError, "OPENAI_API_KEY"),
        ("404", errors.ModelNotFoundError, "CLAIMX_MODEL"),
    ],
)
async def test_client_errors_fail_fast_with_advice(server, step: str, error: type, advice: str) -> None:
    url, script = server
    script.steps = [step]
    with pytest.raises(error, match=advice):
        await _draft(_llm(url))
    assert script.seen == 1


async def test_a_reask_that_overflows_the_context_keeps_the_first_answer(server) -> None:
    url, script = server
    script.steps = ["unfounded", "ctx"]
    outcome = await _draft(_llm(url, reasks=2))
    assert script.seen == 2
    assert outcome.drafts is not None and outcome.drafts.claims[0].outcome == "the airport was destroyed"
    assert any("is not stated in the evidence" in p for p in outcome.unresolved)
    assert any(p.startswith("re-ask abandoned") for p in outcome.unresolved)
    assert [w.code for w in outcome.warnings] == ["reask_abandoned"]  # said on the result, not only in a log
    assert outcome.usage.llm_calls == 2 and outcome.usage.reasks == 0  # the refused re-ask was a request too


async def test_a_reask_that_fixes_the_answer_is_counted(server) -> None:
    url, script = server
    script.steps = ["unfounded", "ok"]
    outcome = await _draft(_llm(url, reasks=2))
    assert outcome.drafts is not None and outcome.drafts.claims[0].outcome is None and outcome.unresolved == []
    assert outcome.usage.llm_calls == 2 and outcome.usage.reasks == 1


async def test_a_reask_answer_that_drops_a_valid_claim_does_not_lose_it(server) -> None:
    url, script = server
    script.steps = ["valid-and-unfounded", "ok"]  # the re-ask answers with the fixed claim only
    outcome = await _draft(_llm(url, reasks=2), f"{ARTICLE} {DRONE}")
    assert outcome.drafts is not None and outcome.unresolved == []
    assert [c.evidence for c in outcome.drafts.claims] == [[ARTICLE], [DRONE]]  # the final answer's first
    assert outcome.drafts.claims[0].outcome is None


async def test_an_earlier_claim_that_broke_a_rule_is_not_brought_back(server) -> None:
    url, script = server
    script.steps = ["valid-and-unfounded", "ok"]
    outcome = await _draft(_llm(url, reasks=2))  # the drone sentence is not in this article: not valid
    assert outcome.drafts is not None and [c.evidence for c in outcome.drafts.claims] == [[ARTICLE]]


def _state_with(exc: BaseException) -> RetryCallState:
    state = RetryCallState(retry_object=None, fn=None, args=(), kwargs={})  # type: ignore[arg-type]
    state.attempt_number = 1
    state.set_exception((type(exc), exc, None))
    return state


@pytest.mark.parametrize(
    ("header", "expected"), [("7", 7.0), ("100000", 120.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)]
)
def test_retry_after_header_sets_the_wait(header: str, expected: float) -> None:
    import httpx

    response = httpx.Response(429, headers={"retry-after": header}, request=httpx.Request("POST", "http://x"))
    exc = openai.RateLimitError("slow down", response=response, body=None)
    assert _WaitRetryAfter(1.0, 60.0)(_state_with(exc)) == expected


def test_without_retry_after_the_wait_is_jittered_exponential() -> None:
    exc = openai.APIConnectionError(request=__import__("httpx").Request("POST", "http://x"))
    waits = {_WaitRetryAfter(1.0, 60.0)(_state_with(exc)) for _ in range(20)}
    assert len(waits) > 1 and all(0 <= w <= 2.0 for w in waits)


@pytest.mark.parametrize(("configure", "shown"), [("", False), ("logging.basicConfig()", True)])
def test_exhausted_reasks_are_not_printed_unless_logging_is_configured(configure: str, shown: bool) -> None:
    """claimx reports an exhausted re-ask as a `kept_unvalidated` warning; instructor's own ERROR line
    reaches stderr only when the user has configured logging. A fresh interpreter, since pytest's log
    capture would hide Python's last-resort handler."""
    script = (
        "import logging, claimx\n" + configure + "\n"
        "logging.getLogger('instructor.v2.retry').error('Max retries exceeded. Total attempts: 3')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert ("Max retries exceeded" in done.stderr) is shown
