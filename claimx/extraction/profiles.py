"""One request shape per kind of endpoint: the schema the model is held to and the parameters it is sent.

Every profile asks through instructor's JSON-schema mode (`response_format` of type `json_schema`); they
differ in the schema that reaches the server and in the completion parameters. The answer is validated
against `ClaimDrafts` by pydantic on our side whatever the server enforced, so a schema that says less
loses constrained decoding for those keywords, never a check.

- `llamacpp`, for the bundled local model (its loopback port), and `generic`, for any URL not recognised:
  pydantic's schema as is, with max_tokens and temperature.
- `openai`, for api.openai.com: a strict schema (`strict: true`, every property required with optional ones
  nullable, no additional properties; the openai SDK's own conversion). Reasoning models (o1, o3, o4, gpt-5…)
  get max_completion_tokens and no temperature.
- `ollama`, for port 11434 or "ollama" in the URL: the schema inlined (no `$ref`, nullable unions as type
  lists), and a warning when the reported prompt-token count shows the prompt was cut.
- `vllm`, chosen with `--mode vllm` only: the schema without validation-only keywords (`minItems`, …).

`llamacpp` and `generic` send exactly the request claimx always sent (the cassettes replay it byte for byte),
so they stay out of fingerprints and cache keys; the others add `mode` to the recorded parameters.

Ollama's OpenAI endpoint cannot set its context window per request (it reads no `options`): it runs the model
with the server's (`OLLAMA_CONTEXT_LENGTH`, or the Modelfile's `num_ctx`) and silently cuts a longer prompt.
What claimx can see is the prompt-token count it reports; `Profile.truncation` names the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

from openai.lib._parsing import type_to_response_format_param
from openai.lib._pydantic import resolve_ref

from claimx.extraction.drafts import ClaimDrafts
from claimx.result import ExtractionWarning
from claimx.settings import Mode, Settings

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
CHARS_PER_TOKEN = 4  # a deliberately rough estimate: it is only compared against half the reported count
FULL_MARGIN = 16  # tokens: a prompt this close to num_ctx leaves no room for an answer either


@dataclass(frozen=True)
class Profile:
    """How to ask one kind of endpoint. `response_format` replaces instructor's (None: keep it);
    `num_ctx` is the Ollama context window that prompt-token counts are checked against."""

    name: Mode
    response_format: dict[str, Any] | None = None
    num_ctx: int | None = None

    @property
    def default(self) -> bool:
        """True for the request claimx has always sent (recorded in no fingerprint)."""
        return self.name in DEFAULT_MODES

    def parameters(self, model: str, *, temperature: float, max_tokens: int) -> dict[str, Any]:
        """The completion parameters: OpenAI's reasoning models take `max_completion_tokens` and no temperature."""
        if self.name == "openai" and model.lower().startswith(REASONING_PREFIXES):
            return {"max_completion_tokens": max_tokens}
        return {"max_tokens": max_tokens, "temperature": temperature}

    def request(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """The request instructor prepared, with this profile's schema in place of pydantic's."""
        return kwargs if self.response_format is None else {**kwargs, "response_format": self.response_format}

    def truncation(self, prompt_tokens: int | None, messages: list[dict[str, Any]]) -> ExtractionWarning | None:
        """A warning when Ollama's prompt-token count shows that it cut the prompt, else None.

        Ollama cuts a prompt that does not fit its context window down to the window and reports the tokens
        it kept. So the prompt was cut when the count reaches `num_ctx` (within FULL_MARGIN tokens), or, for
        a server whose window is smaller than `num_ctx` says, when the count is under half of an estimate
        from the characters sent (CHARS_PER_TOKEN per token; real text runs 3 to 5). No count, no verdict.
        """
        if self.num_ctx is None or not prompt_tokens:
            return None
        fix = (
            "serve the model with a larger context (OLLAMA_CONTEXT_LENGTH, or PARAMETER num_ctx in a Modelfile) "
            "and set CLAIMX_OLLAMA_NUM_CTX to it, or use --strategy sentences"
        )
        if prompt_tokens >= self.num_ctx - FULL_MARGIN:
            return ExtractionWarning(
                code="prompt_truncated",
                message=f"Ollama counted {prompt_tokens:,} prompt tokens, its whole context window "
                f"(ollama_num_ctx {self.num_ctx:,}): it cuts a longer prompt, so the article was probably cut; {fix}",
            )
        characters = sum(len(str(m.get("content") or "")) for m in messages)
        if prompt_tokens * 2 * CHARS_PER_TOKEN < characters:
            return ExtractionWarning(
                code="prompt_truncated",
                message=f"Ollama counted {prompt_tokens:,} prompt tokens for {characters:,} characters (about "
                f"{characters // CHARS_PER_TOKEN:,} tokens): its context window is probably smaller than the "
                f"prompt, which it cut; {fix}",
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


def choose(settings: Settings, base_url: str) -> Profile:
    """The profile for an endpoint: `settings.mode` when set, else the local model's, else what the URL names."""
    name = settings.mode or ("llamacpp" if settings.is_local else detect(base_url, local_port=settings.local_port))
    if name == "openai":
        return Profile(name, cast(dict[str, Any], type_to_response_format_param(ClaimDrafts)))
    if name == "ollama":
        return Profile(name, _json_schema(_inlined(ClaimDrafts.model_json_schema())), settings.ollama_num_ctx)
    if name == "vllm":
        return Profile(name, _json_schema(_without(ClaimDrafts.model_json_schema(), VALIDATION_KEYWORDS)))
    return Profile(name)


def _json_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The `response_format` instructor's JSON-schema mode sends, around another schema."""
    return {"type": "json_schema", "json_schema": {"name": ClaimDrafts.__name__, "schema": schema}}


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
