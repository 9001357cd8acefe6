"""A fake OpenAI-compatible chat server on loopback, for testing the batch machinery only.

It is NOT a model: every answer is built mechanically from the request. The answer quotes,
verbatim, the first sentence of the article (or of the `<sentence>` in a sentence-strategy
prompt; of each, under "first" and "second", when a call asks about two) that contains "said",
so it passes claimx's validators (exact quote, attribution cue, a claimant, no outcome, no
relays, no event date); it answers on OpenAI's `/v1/chat/completions` and,
in Ollama's shape, on Ollama's `/api/chat`. It can add latency, cap how many requests
it serves at once (queueing the others, as vLLM does, or answering them 429 at once, as a hosted
API does: `reject_when_full`), change that capacity while it runs (`set_slots`, or after so many
answers: `schedule`),
and inject 429s (with Retry-After), 500s and dropped connections. Connections are kept alive
(HTTP/1.1), as real endpoints do.

    with FakeServer(latency=0.05, faults={"429": 0.1, "500": 0.1, "drop": 0.05}) as server:
        claimx.extract(text, base_url=server.base_url, model="m", api_key="x")

Run standalone (for the benchmark or by hand):  python -m tests.fakeserver --port 0 --latency 0.2
"""

from __future__ import annotations

import argparse
import json
import random
import re
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs

FAIL_MARKER = "FAKESERVER-ALWAYS-500"  # an article containing this always gets a 500
# A request whose article or sentence contains one of these gets that fault until `server.healed` is set:
# a 200 whose body is not JSON, a JSON answer that misfits the schema, an answer cut off at the token
# limit, a 500, a dropped connection; `length-once` is cut off only the first time its text is asked.
MARKER_FAULTS = {
    "FAULT-NONJSON": "nonjson",
    "FAULT-MISFIT": "misfit",
    "FAULT-LENGTH-ONCE": "length-once",
    "FAULT-LENGTH": "length",
    "FAULT-500": "500",
    "FAULT-DROP": "drop",
}
_BLOCK = re.compile(r"<(article|sentence)(?: n=\"\d+\")?>\n?(.*?)\n?</\1>", re.DOTALL)
_SENTENCE = re.compile(r"[^\n.!?]*(?:[.!?]+|$)")
_NUMBERED = re.compile(r"^(\d+)\. (.*)$", re.MULTILINE)


def first_said_sentence(text: str) -> str | None:
    """The first sentence (split on . ! ? and newlines) that contains the word "said"."""
    for line in text.splitlines():
        for match in _SENTENCE.finditer(line):
            sentence = match.group().strip()
            if re.search(r"\bsaid\b", sentence):
                return sentence
    return None


def answer_for(text: str) -> dict[str, Any]:
    """The `{"claims": [...]}` object for one article or sentence; for the call that picks the sentences citing
    a source in a language without a cue lexicon, `{"sentences": [...]}`, the numbers of those that contain
    "said"; for the call that renders phrases in English, `{"english": [...]}`, each phrase marked "(en)"."""
    if "<sentences>" in text:
        return {"sentences": [int(n) for n, line in _NUMBERED.findall(text) if re.search(r"\bsaid\b", line)]}
    if "<phrases>" in text:
        return {"english": [f"{phrase} (en)" for _, phrase in _NUMBERED.findall(text)]}
    sentence = first_said_sentence(text)
    if sentence is None:
        return {"claims": []}
    speaker = sentence.split(" said", 1)[0].strip(" ,\"'\u201c\u201d") or "an unnamed source"
    claimant = " ".join(speaker.split()[-6:])
    return {
        "claims": [
            {
                "evidence": [sentence],
                "claimant": claimant,
                "claimant_kind": "unknown",
                "via": [],
                "stance": "asserted",
                "actor": None,
                "target": None,
                "method": [],
                "outcome": None,
                "time_text": None,
                "event_date": None,
                "place": None,
            }
        ]
    }


def reply_content(
    kind: str, texts: list[str], answer: Callable[[str], dict[str, Any]] = answer_for, translated: bool = False
) -> tuple[str, str]:
    """The message content and finish reason: the mechanical answer (with each claimant in English too when the
    schema asks for it: an article not in English; each sentence's under its own key when a call asks about
    two), a schema misfit, or the answer cut off halfway at the token limit."""
    if len(texts) == 2:
        answered = {"first": answer(texts[0])["claims"], "second": answer(texts[1])["claims"]}
    else:
        answered = answer(texts[0])
    if translated:
        answered["claims"] = [claim | {"claimant_english": claim["claimant"]} for claim in answered.get("claims", [])]
    content = json.dumps(answered)
    if kind == "misfit":
        return json.dumps({"claims": "the model wrote prose here"}), "stop"
    if kind == "length":
        return content[: len(content) // 2], "length"
    return content, "stop"


def send_fault(handler: Any, kind: str, retry_after: str) -> None:
    """A 200 that is not JSON, a dropped connection, or an HTTP error status (429 with Retry-After)."""
    if kind == "nonjson":
        handler._send(200, b"<html><body>502 Bad Gateway</body></html>", "text/html")
    elif kind == "drop":
        handler.connection.shutdown(socket.SHUT_RDWR)
    else:
        headers = {"Retry-After": retry_after} if kind == "429" else {}
        message = {"429": "slow down", "401": "invalid api key", "404": "no such model"}.get(kind, "internal error")
        handler._send(int(kind), json.dumps({"error": {"message": message}}).encode(), headers=headers)


def request_texts(body: dict[str, Any]) -> list[str]:
    """The article (or the sentence, or the two sentences) inside the prompt; the last user message if no tag is
    found."""
    contents = [str(m.get("content") or "") for m in body.get("messages", [])]
    for content in contents:
        if blocks := _BLOCK.findall(content):
            return [text for _, text in blocks]
    users = [str(m.get("content") or "") for m in body.get("messages", []) if m.get("role") == "user"]
    return [users[-1] if users else ""]


def ollama_reply(body: dict[str, Any], content: str, finish: str, prompt_tokens: int) -> bytes:
    """An answer in the shape of Ollama's `/api/chat` without streaming (its docs/api.md)."""
    return json.dumps(
        {
            "model": body.get("model", "m"),
            "created_at": "2026-01-01T00:00:00.000000Z",
            "message": {"role": "assistant", "content": content},
            "done": True,
            "done_reason": finish,
            "prompt_eval_count": prompt_tokens,
            "eval_count": len(content) // 4,
        }
    ).encode()


@dataclass
class Stats:
    """What the server saw; read it from the test thread after the work is done."""

    requests: int = 0
    answered: int = 0
    faults: Counter = field(default_factory=Counter)
    by_text: Counter = field(default_factory=Counter)  # successful answers per request text
    gets: Counter = field(default_factory=Counter)  # GET requests per path (pages served for URL inputs)
    asked: Counter = field(default_factory=Counter)  # every chat request per request text, faulty ones too
    max_tokens: list[int] = field(default_factory=list)  # the completion limit of every chat request
    busy_seconds: float = 0.0  # sum over requests of time from arrival to response (queueing included)
    max_in_flight: int = 0
    answered_at: list[float] = field(default_factory=list)  # seconds since start of every successful answer
    rejected_full: int = 0  # 429s sent because every slot was busy (reject_when_full)
    # The last POST as it arrived, for credential and request-shape tests: path without query, decoded query,
    # Authorization header, JSON body.
    last_path: str = ""
    last_query: dict[str, list[str]] = field(default_factory=dict)
    last_authorization: str | None = None
    last_body: dict[str, Any] = field(default_factory=dict)


class _HTTPServer(ThreadingHTTPServer):
    """A listen backlog as real servers have (Python's default is 5): a client that opens a few dozen
    connections at once would otherwise see some of them fail (the kernel drops the overflow)."""

    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-answer is normal under load; its traceback would land on the stderr that
        a CLI test reads. Any other error is printed as usual."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FakeServer:
    """`latency`: seconds per answer (a float, or a (low, high) range drawn uniformly).
    `slots`: answers computed at once (the server's capacity); others queue.
    `faults`: probability per request of "429", "500" or "drop" (seeded, so runs repeat).
    `script`: what the first requests get, in order: "ok", "drop", or an HTTP status ("429", "401", …).
    `retry_after`: the Retry-After header sent with a 429.
    `prompt_tokens`: the prompt-token count every answer reports (default: the prompt's characters / 4).
    `answer`: builds the `{"claims": [...]}` answer from the request's article or sentence (`answer_for`).
    `reject_when_full`: a request that finds every slot busy gets a 429 at once instead of waiting.
    `schedule`: (answers, slots) pairs: the capacity becomes `slots` once that many requests were answered."""

    def __init__(
        self,
        *,
        latency: float | tuple[float, float] = 0.0,
        slots: int = 64,
        faults: dict[str, float] | None = None,
        script: list[str] | None = None,
        retry_after: str = "0",
        seed: int = 7,
        port: int = 0,
        pages: dict[str, tuple[int, str, bytes]] | None = None,
        prompt_tokens: int | None = None,
        answer: Callable[[str], dict[str, Any]] = answer_for,
        reject_when_full: bool = False,
        schedule: list[tuple[int, int]] | None = None,
    ) -> None:
        self.answer = answer
        self.latency = latency
        self.reject_when_full = reject_when_full
        self.schedule = sorted(schedule or [])
        self.faults = faults or {}
        self.script = list(script or [])
        self.retry_after = retry_after
        self.pages = pages or {}  # GET path -> (status, content type, body), for URL inputs
        self.prompt_tokens = prompt_tokens
        self.stats = Stats()
        self.healed = False  # set to stop the marker faults (MARKER_FAULTS)
        self._random = random.Random(seed)  # fault rolls: the same sequence on every run
        self._latency_random = random.Random(seed + 1)
        self._lock = threading.Lock()
        self.slots = slots
        self._room = threading.Condition(self._lock)
        self._in_flight = 0
        self._started = time.monotonic()
        self._httpd = _HTTPServer(("127.0.0.1", port), self._handler())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def set_slots(self, slots: int) -> None:
        """Change the capacity now (requests already being served finish)."""
        with self._room:
            self.slots = slots
            self._room.notify_all()

    def _enter(self) -> bool:
        """Take a slot, waiting for one; False (without waiting) if `reject_when_full` and none is free."""
        with self._room:
            if self.reject_when_full and self._in_flight >= self.slots:
                self.stats.rejected_full += 1
                return False
            self._room.wait_for(lambda: self._in_flight < self.slots)
            self._in_flight += 1
            self.stats.max_in_flight = max(self.stats.max_in_flight, self._in_flight)
            return True

    def _leave(self, answered: bool) -> None:
        with self._room:
            self._in_flight -= 1
            if answered:
                self.stats.answered += 1
                while self.schedule and self.stats.answered >= self.schedule[0][0]:
                    self.slots = self.schedule.pop(0)[1]
            self._room.notify_all()

    def start(self) -> FakeServer:
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True, name="fakeserver")
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _pick(self, text: str) -> str:
        with self._lock:
            self.stats.requests += 1
            self.stats.asked[text] += 1
            if self.script:
                return self.script.pop(0)
            if FAIL_MARKER in text:
                return "500"
            marker = next((m for m in MARKER_FAULTS if m in text), None)  # the longest first: -LENGTH-ONCE
            if marker and not self.healed and (MARKER_FAULTS[marker] != "length-once" or self.stats.asked[text] == 1):
                return "length" if MARKER_FAULTS[marker] == "length-once" else MARKER_FAULTS[marker]
            roll = self._random.random()
            for kind in ("429", "500", "drop"):
                chance = self.faults.get(kind, 0.0)
                if roll < chance:
                    return kind
                roll -= chance
            return "ok"

    def count_fault(self, kind: str) -> None:
        with self._lock:
            self.stats.faults[kind] += 1

    def _delay(self) -> float:
        if isinstance(self.latency, tuple):
            with self._lock:
                return self._latency_random.uniform(*self.latency)
        return self.latency

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive: every response says its Content-Length
            # Headers and body go out in separate writes: without TCP_NODELAY (which real servers set) the
            # body would wait for the client's delayed ACK of the headers, 40 ms on Linux.
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:
                pass

            def _send(
                self,
                status: int,
                body: bytes,
                content_type: str = "application/json",
                headers: dict[str, str] | None = None,
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                with server._lock:
                    server.stats.gets[self.path] += 1
                if self.path == "/_stats":
                    with server._lock:
                        stats = {
                            "requests": server.stats.requests,
                            "answered": server.stats.answered,
                            "faults": dict(server.stats.faults),
                            "busy_seconds": server.stats.busy_seconds,
                            "max_in_flight": server.stats.max_in_flight,
                            "answered_at": server.stats.answered_at,
                            "rejected_full": server.stats.rejected_full,
                        }
                    self._send(200, json.dumps(stats).encode())
                elif self.path in server.pages:
                    status, content_type, body = server.pages[self.path]
                    self._send(status, body, content_type)
                else:
                    self._send(404, b"not found", "text/plain")

            def do_POST(self) -> None:
                arrived = time.monotonic()
                body = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)) or b"{}")
                path, _, query = self.path.partition("?")
                with server._lock:
                    server.stats.last_path, server.stats.last_query = path, parse_qs(query, keep_blank_values=True)
                    server.stats.last_authorization = self.headers.get("Authorization")
                    server.stats.last_body = body
                native = path == "/api/chat"  # Ollama's own chat endpoint
                if not (native or path.endswith("/chat/completions")):
                    self._send(404, b'{"error": {"message": "unknown path"}}')
                    return
                texts = request_texts(body)
                text = "\n".join(texts)
                kind = server._pick(text)
                limit = body.get("options", {}).get("num_predict") if native else body.get("max_tokens")
                with server._lock:
                    server.stats.max_tokens.append(int(limit or 0))
                if kind not in ("ok", "misfit", "length"):
                    server.count_fault(kind)
                    send_fault(self, kind, server.retry_after)
                    return
                if not server._enter():
                    send_fault(self, "429", server.retry_after)
                    return
                try:
                    time.sleep(server._delay())
                    translated = "claimant_english" in json.dumps(body.get("response_format") or {})
                    content, finish = reply_content(kind, texts, server.answer, translated)
                finally:
                    server._leave(answered=kind == "ok")
                characters = sum(len(str(m.get("content") or "")) for m in body.get("messages", []))
                prompt = characters // 4 if server.prompt_tokens is None else server.prompt_tokens
                reply = (
                    ollama_reply(body, content, finish, prompt)
                    if native
                    else json.dumps(
                        {
                            "id": "chatcmpl-fake",
                            "object": "chat.completion",
                            "created": int(time.time()),
                            "model": body.get("model", "m"),
                            "choices": [
                                {
                                    "index": 0,
                                    "finish_reason": finish,
                                    "message": {"role": "assistant", "content": content},
                                }
                            ],
                            "usage": {
                                "prompt_tokens": prompt,
                                "completion_tokens": len(content) // 4,
                                "total_tokens": prompt + len(content) // 4,
                            },
                        }
                    ).encode()
                )
                self._send(200, reply)
                if kind != "ok":
                    server.count_fault(kind)
                    return
                with server._lock:
                    server.stats.by_text[text] += 1
                    server.stats.busy_seconds += time.monotonic() - arrived
                    server.stats.answered_at.append(time.monotonic() - server._started)

        return Handler


def main(argv: list[str] | None = None) -> None:
    """Serve until killed; prints `PORT <n>` on the first line so a parent can connect."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--slots", type=int, default=64)
    parser.add_argument("--fault", action="append", default=[], metavar="KIND=P", help="e.g. 429=0.05")
    parser.add_argument("--reject-when-full", action="store_true", help="429 at once when every slot is busy")
    parser.add_argument("--schedule", default="", metavar="A:N,…", help="slots N once A requests were answered")
    args = parser.parse_args(argv)
    faults = {k: float(v) for k, v in (f.split("=", 1) for f in args.fault)}
    schedule = [(int(at), int(n)) for at, n in (step.split(":") for step in args.schedule.split(",") if step)]
    server = FakeServer(
        latency=args.latency,
        slots=args.slots,
        faults=faults,
        port=args.port,
        reject_when_full=args.reject_when_full,
        schedule=schedule,
    ).start()
    print(f"PORT {server.port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
        sys.exit(0)


if __name__ == "__main__":
    main()
