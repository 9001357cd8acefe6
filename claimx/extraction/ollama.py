"""Ollama's native chat API (`POST /api/chat`), in the shape instructor and the rest of `llm.py` read.

Ollama's OpenAI endpoint reads no `options`, so it cannot set the context window per request and silently
cuts a longer prompt to the server's. Its native endpoint takes `options.num_ctx`, and `format` holds the JSON
schema the answer is decoded under (docs/api.md, "Generate a chat completion"; docs/modelfile.mdx for the
options). instructor speaks only OpenAI's shape to Ollama, so this module translates one request each way:
instructor still builds the messages, validates the answer and re-asks; `llm.LLM` still retries, counts
and logs every request. The request goes through the same openai client (its credentials, timeout and
typed errors), to an absolute URL beside the `/v1` base.
"""

from __future__ import annotations

import json
import time
from typing import Any

import openai
from openai.types.chat import ChatCompletion

from claimx.extraction.discovery import server_root


def chat_url(base_url: str) -> str:
    """The native chat endpoint of the Ollama server whose OpenAI-compatible base URL is `base_url`."""
    return f"{server_root(base_url)}/api/chat"


def chat_request(kwargs: dict[str, Any], *, schema: dict[str, Any], num_ctx: int) -> dict[str, Any]:
    """The `/api/chat` body for the request instructor prepared in OpenAI's shape: the same messages, the
    schema as `format`, one answer (no stream), and the limits as Ollama's options: `num_ctx` (the context
    window), `num_predict` (OpenAI's max_tokens) and `temperature`."""
    return {
        "model": kwargs["model"],
        "messages": kwargs["messages"],
        "format": schema,
        "options": {"num_ctx": num_ctx, "num_predict": kwargs["max_tokens"], "temperature": kwargs["temperature"]},
        "stream": False,
    }


def completion(answer: object) -> ChatCompletion | str:
    """Ollama's answer as an OpenAI chat completion: `done_reason` "length" is a cut-off (any other end is a
    stop), `prompt_eval_count` and `eval_count` are the usage (none when Ollama left either out). A body that
    is not an answer comes back as text, which `llm.LLM` treats as a 200 that is no completion."""
    message = answer.get("message") if isinstance(answer, dict) else None
    if not isinstance(answer, dict) or not isinstance(message, dict) or not isinstance(message.get("content"), str):
        return answer if isinstance(answer, str) else json.dumps(answer)
    prompt, generated = answer.get("prompt_eval_count"), answer.get("eval_count")
    usage = None
    if isinstance(prompt, int) and isinstance(generated, int):
        usage = {"prompt_tokens": prompt, "completion_tokens": generated, "total_tokens": prompt + generated}
    return ChatCompletion.model_validate(
        {
            "id": "ollama-chat",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": str(answer.get("model") or ""),
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "length" if answer.get("done_reason") == "length" else "stop",
                    "message": {"role": "assistant", "content": message["content"]},
                }
            ],
            "usage": usage,
        }
    )


async def chat(client: openai.AsyncOpenAI, body: dict[str, Any]) -> ChatCompletion | str:
    """Send one `/api/chat` request through `client` (an HTTP error raises the SDK's typed error)."""
    answer = await client.post(chat_url(str(client.base_url)), cast_to=object, body=body)
    return completion(answer)
