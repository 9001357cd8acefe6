"""What a server whose URL names no provider says it is, asked once per base URL in each process.

`profiles.choose` reads a profile from the URL when it can (OpenAI's host, Ollama's port or name, the local
model's loopback port): those URLs, and every run with `--mode`, are never probed, so the recorded llama.cpp
runs send exactly their recorded requests. Any other URL is probed here, with small GETs that stop at the
first answer that names a server:

1. `{base}/models` (OpenAI's model list): `owned_by` is "vllm" on vLLM and "llamacpp" on llama.cpp's server
   (Ollama's names the model's namespace, "library", which a gateway could say too, so it settles nothing);
2. `{root}/api/version`, Ollama's (`{"version": …}` alone);
3. `{root}/props`, llama.cpp's (its `default_generation_settings`);
4. `{root}/version`, vLLM's (`{"version": …}` alone).

`root` is the base URL without its `/v1`. The answer, or None when nothing answered or nothing was
recognised (then the server is asked the generic way), is kept in memory for the life of the process, not on
disk: a fingerprint and the calls of one run always agree on the profile, and a server replaced on the same
port is asked again by the next run. The probe sends the endpoint's credentials, as a call would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from claimx.settings import Mode

PROBE_TIMEOUT = 10.0  # seconds per GET: these answers come from memory, not from the model
_answers: dict[str, Mode | None] = {}
_lock = threading.Lock()  # held while probing, so concurrent first uses probe once


def server_root(url: str) -> str:
    """The server's own root under an OpenAI-compatible base URL: the URL without a trailing `/v1`."""
    return url.rstrip("/").removesuffix("/v1")


def server_mode(
    base_url: str, *, url: str, headers: Mapping[str, str], query: Mapping[str, str], api_key: str | None
) -> Mode | None:
    """The profile the server at `base_url` (the display URL, the cache key) names, probed at `url` (the URL
    calls go to) the first time it is asked in this process; None when it names none."""
    with _lock:
        if base_url not in _answers:
            _answers[base_url] = _probe(url, headers=headers, query=query, api_key=api_key)
        return _answers[base_url]


def _owned_by(answer: Any) -> Mode | None:
    models = answer.get("data") if isinstance(answer, dict) else None
    owners = {m.get("owned_by") for m in models if isinstance(m, dict)} if isinstance(models, list) else set()
    return "vllm" if owners == {"vllm"} else "llamacpp" if owners == {"llamacpp"} else None


def _versioned(mode: Mode) -> Callable[[Any], Mode | None]:
    """Ollama's `/api/version` and vLLM's `/version` both answer `{"version": "…"}` and nothing else."""
    return lambda answer: mode if isinstance(answer, dict) and answer.keys() == {"version"} else None


def _props(answer: Any) -> Mode | None:
    return "llamacpp" if isinstance(answer, dict) and "default_generation_settings" in answer else None


def _probe(url: str, *, headers: Mapping[str, str], query: Mapping[str, str], api_key: str | None) -> Mode | None:
    root = server_root(url)
    probes: list[tuple[str, Callable[[Any], Mode | None]]] = [
        (f"{url.rstrip('/')}/models", _owned_by),
        (f"{root}/api/version", _versioned("ollama")),
        (f"{root}/props", _props),
        (f"{root}/version", _versioned("vllm")),
    ]
    sent = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    with httpx.Client(headers={**sent, **headers}, params=dict(query), timeout=PROBE_TIMEOUT) as client:
        for address, read in probes:
            try:
                response = client.get(address)
            except httpx.HTTPError:
                return None  # nothing answers there: the calls will say so, with their own retries
            if not response.is_success:
                continue
            try:
                mode = read(response.json())
            except ValueError:  # not JSON: a page, not a self-description
                continue
            if mode is not None:
                return mode
    return None
