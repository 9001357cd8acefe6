"""One request shape per kind of endpoint: the schema the model is held to and the parameters it is sent.

Each call's schema (claim drafts, a sentence's claims, the chosen sentences) is sent in the endpoint's shape, and
the answer is validated against it by pydantic on our side whatever the server enforced, so a schema that says
less loses constrained decoding for those keywords, never a check.

- `llamacpp`, for the bundled local model (its loopback port), and `generic`, for any other server:
  instructor's JSON-schema mode (`response_format` of type `json_schema`) with pydantic's schema as is,
  max_tokens and temperature.
- `openai`, for api.openai.com: a strict schema (`strict: true`, every property required with optional ones
  nullable, no additional properties, no string lengths; the openai SDK's own conversion). Reasoning models
  (o1, o3, o4, gpt-5…) get max_completion_tokens and no temperature.
- `ollama`, for port 11434 or "ollama" in the URL: Ollama's native `/api/chat` (ollama.py), with the schema
  inlined (no `$ref`, nullable unions as type lists) as its `format`, and the context window set per request
  (`options.num_ctx` from `ollama_num_ctx`); a warning when the reported prompt-token count shows the prompt
  was cut all the same.
- `vllm`: the schema without validation-only keywords (`minItems`, …).

With no `--mode`, the URL decides when it names a provider; any other URL is asked what it is
(discovery.py: once per base URL and process), which is how vLLM, an Ollama behind another port, or a
llama.cpp server elsewhere are recognised.

`llamacpp` and `generic` send exactly the request claimx always sent (the cassettes replay it byte for byte),
so they stay out of fingerprints and cache keys; the others add `mode` (and Ollama its `num_ctx`) to the
recorded parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from openai.lib._parsing import type_to_response_format_param
from openai.lib._pydantic import resolve_ref
from pydantic import BaseModel

from claimx.extraction import discovery, ollama
from claimx.result import ExtractionWarning
from claimx.settings import Mode, Settings

if TYPE_CHECKING:  # identity imports this module: the type only
    from claimx.extraction.identity import Endpoint

DEFAULT_MODES: frozenset[Mode] = frozenset({"llamacpp", "generic"})
REASONING_PREFIXES = ("o1", "o3", "o4", "gpt-5")  # OpenAI models that refuse max_tokens and temperature
OLLAMA_PORT = 11434
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
# Keywords that only restrict values (pydantic checks them on our side): older vLLM (0.7 and 0.8 with xgrammar)
# rejects or ignores a schema that carries them. `enum` and `$ref` stay: they give the answer its shape.
VALIDATION_KEYWORDS = frozenset(
    {
        "minItems",
        "maxItems",
        "uniqueItems",
        "contains",
        "minContains",
        "maxContains",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minProperties",
        "maxProperties",
        "propertyNames",
        "patternProperties",
    }
)
STRICT_UNSUPPORTED = frozenset({"minLength", "maxLength"})
"""String lengths, which OpenAI's strict schemas do not take (pydantic still checks them here)."""
CHARS_PER_TOKEN = 4  # a deliberately rough estimate: it is only compared against half the reported count
FULL_MARGIN = 16  # tokens: a prompt this close to num_ctx leaves no room for an answer either


@dataclass(frozen=True)
class Profile:
    """How to ask one kind of endpoint: the shape it takes the schema of each call in, and, for Ollama, the
    `num_ctx` its native `/api/chat` requests are sent with (which prompt-token counts are checked against)."""

    name: Mode
    num_ctx: int | None = None

    @property
    def native(self) -> bool:
        """True when requests go to Ollama's `/api/chat` instead of OpenAI's `/chat/completions`."""
        return self.name == "ollama" and self.num_ctx is not None

    @property
    def default(self) -> bool:
        """True for the request claimx has always sent (recorded in no fingerprint)."""
        return self.name in DEFAULT_MODES

    def parameters(self, model: str, *, temperature: float, max_tokens: int) -> dict[str, Any]:
        """The completion parameters: OpenAI's reasoning models take `max_completion_tokens` and no temperature."""
        if self.name == "openai" and model.lower().startswith(REASONING_PREFIXES):
            return {"max_completion_tokens": max_tokens}
        return {"max_tokens": max_tokens, "temperature": temperature}

    def request(self, kwargs: dict[str, Any], schema: type[BaseModel]) -> dict[str, Any]:
        """The request instructor prepared for an answer held to `schema`, with the schema in this profile's
        shape in place of pydantic's; for Ollama, the native request it becomes."""
        if self.native and self.num_ctx is not None:
            return ollama.chat_request(kwargs, schema=_inlined(schema.model_json_schema()), num_ctx=self.num_ctx)
        if self.name == "openai":
            strict = cast(dict[str, Any], type_to_response_format_param(schema))
            return {**kwargs, "response_format": _without(strict, STRICT_UNSUPPORTED)}
        if self.name == "vllm":
            return {**kwargs, "response_format": _checked_here(schema)}
        return kwargs

    def truncation(self, prompt_tokens: int | None, messages: list[dict[str, Any]]) -> ExtractionWarning | None:
        """A warning when Ollama's prompt-token count shows that it cut the prompt, else None.

        Ollama cuts a prompt that does not fit its context window down to the window and reports the tokens
        it kept (`prompt_eval_count`). So the prompt was cut when the count reaches `num_ctx` (within
        FULL_MARGIN tokens), or, for a model whose window is smaller than the `num_ctx` sent (Ollama caps it at
        what the model was trained for), when the count is under half of an estimate from the characters sent
        (CHARS_PER_TOKEN per token; real text runs 3 to 5). No count, no verdict.
        """
        if self.num_ctx is None or not prompt_tokens:
            return None
        fix = (
            "raise CLAIMX_OLLAMA_NUM_CTX (ollama_num_ctx=; the model needs memory for it), or use --strategy sentences"
        )
        if prompt_tokens >= self.num_ctx - FULL_MARGIN:
            return ExtractionWarning(
                code="prompt_truncated",
                message=f"Ollama counted {prompt_tokens:,} prompt tokens, the whole context window claimx asked "
                f"for (num_ctx {self.num_ctx:,}): it cuts a longer prompt, so the article was probably cut; {fix}",
            )
        characters = sum(len(str(m.get("content") or "")) for m in messages)
        if prompt_tokens * 2 * CHARS_PER_TOKEN < characters:
            return ExtractionWarning(
                code="prompt_truncated",
                message=f"Ollama counted {prompt_tokens:,} prompt tokens for {characters:,} characters (about "
                f"{characters // CHARS_PER_TOKEN:,} tokens): the model's context window is probably smaller "
                f"than the prompt, which Ollama cut; {fix}",
            )
        return None


GENERIC = Profile("generic")


def detect(base_url: str, *, local_port: int) -> Mode:
    """The profile a base URL names: OpenAI's host, Ollama's port or name, the local model's loopback port."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    if host == "api.openai.com":
        return "openai"
    if parts.port == OLLAMA_PORT or "ollama" in host or "ollama" in parts.path.lower():
        return "ollama"
    if host in LOOPBACK and parts.port == local_port:
        return "llamacpp"
    return "generic"


def choose(settings: Settings, where: Endpoint) -> Profile:
    """The profile for an endpoint: `settings.mode` when set, else the local model's, else what the URL names,
    else what the server says it is (discovery.py), else `generic`."""
    name = settings.mode or (
        "llamacpp" if settings.is_local else detect(where.base_url, local_port=settings.local_port)
    )
    if name == "generic" and settings.mode is None:
        access = where.access
        key = settings.api_key.get_secret_value() if settings.api_key else None
        described = discovery.server_mode(
            where.base_url, url=access.url, headers=access.headers, query=access.query, api_key=key
        )
        name = described or name
    return Profile(name, num_ctx=settings.ollama_num_ctx if name == "ollama" else None)


def _checked_here(schema: type[BaseModel]) -> dict[str, Any]:
    """The `response_format` instructor's JSON-schema mode sends, less the keywords only pydantic checks."""
    return {
        "type": "json_schema",
        "json_schema": {"name": schema.__name__, "schema": _without(schema.model_json_schema(), VALIDATION_KEYWORDS)},
    }


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with every `$ref` replaced by its definition (no `$defs` left) and every nullable union of
    plain types (`anyOf: [{type: string}, {type: null}]`) as a type list, the forms Ollama's grammar takes."""

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            target = cast(dict[str, Any], resolve_ref(root=schema, ref=node["$ref"]))
            return walk({**target, **{k: v for k, v in node.items() if k != "$ref"}})
        out = {k: walk(v) for k, v in node.items() if k != "$defs"}
        variants = out.get("anyOf")
        if isinstance(variants, list) and all(isinstance(v, dict) and v.keys() == {"type"} for v in variants):
            del out["anyOf"]
            out["type"] = [v["type"] for v in variants]
        return out

    return cast(dict[str, Any], walk(schema))


def _without(node: Any, keywords: frozenset[str]) -> Any:
    """`node` with `keywords` removed wherever they are schema keywords (never a property of that name)."""
    if isinstance(node, list):
        return [_without(item, keywords) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        k: {name: _without(s, keywords) for name, s in v.items()}
        if k in ("properties", "$defs")
        else _without(v, keywords)
        for k, v in node.items()
        if k not in keywords
    }
