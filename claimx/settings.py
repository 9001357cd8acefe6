"""One typed settings object: explicit arguments win, then environment variables, then defaults."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

Strategy = Literal["whole", "sentences"]
Mode = Literal["openai", "ollama", "vllm", "llamacpp", "generic"]
FieldsLanguage = Literal["english", "original"]
MAX_CALLS = 200
"""The default `max_calls`: a 60,000-character article has about 200 sentences with an attribution cue."""


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "claimx"


class Settings(BaseSettings):
    """Everything that changes what claimx sends where.

    With neither `base_url` nor `api_key` set, claimx uses the local model (see `claimx.local`).
    """

    model_config = SettingsConfigDict(env_prefix="CLAIMX_", extra="forbid", populate_by_name=True)

    model: str | None = Field(None, description="Model name as the endpoint knows it.")
    base_url: str | None = Field(
        None,
        validation_alias=AliasChoices("base_url", "CLAIMX_BASE_URL", "OPENAI_BASE_URL"),
        description="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 for Ollama.",
        repr=False,  # it may carry credentials; `identity.endpoint` gives the form that can be shown
    )
    api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("api_key", "OPENAI_API_KEY"), description="Endpoint key."
    )
    strategy: Strategy | None = Field(
        None,
        description="`whole` (one call per article) or `sentences` (one per claim-bearing sentence). "
        "Default: `sentences` for the local model, `whole` for any configured endpoint.",
    )
    mode: Mode | None = Field(
        None,
        description="How to ask the endpoint (`claimx.extraction.profiles`): `openai` (strict JSON schema), `ollama`, "
        "`vllm`, `llamacpp` or `generic` (any OpenAI-compatible server). Default: detected from the base URL, or "
        "else from what the server says it is.",
    )
    language: str | None = Field(
        None,
        pattern=r"^[a-z]{2,3}$",
        description="ISO 639-1 code of the articles' language (e.g. `fr`, `ar`), instead of detecting it per article.",
    )
    fields_language: FieldsLanguage = Field(
        "english",
        description="The language of target, method and outcome for an article not in English: `english` (the "
        "claim calls write them in the article's words, and one more call renders them), or `original` (the "
        "article's). Evidence always stays in the article's own words and script.",
    )
    ollama_num_ctx: int = Field(
        8192,
        ge=256,
        description="Context window, in tokens, claimx asks Ollama for (`options.num_ctx` of each native request): "
        "prompt and answer must fit in it, and Ollama silently cuts a longer prompt (claimx warns when its "
        "prompt-token count shows that). A larger window takes more memory.",
    )
    max_reasks: int = Field(2, ge=0, le=10, description="Validation re-asks per call.")
    max_chars: int | None = Field(
        None,
        ge=1,
        description="Longest article text accepted, in characters (after HTML reduction); None: any length "
        "(`max_calls` bounds the cost, and `whole` cuts a long article into chunks that fit `context_tokens`).",
    )
    max_calls: int = Field(
        MAX_CALLS,
        ge=1,
        description="Most calls planned for one article (cue sentences, or chunks; re-asks and retries not "
        "counted). The calls past it are not sent, and a `call_limit` warning names them.",
    )
    context_tokens: int | None = Field(
        None,
        ge=2048,
        description="The model's context window per request, in tokens, for sizing the chunks of a long article "
        "under `whole`. Default: the local model's slot, else 8192 (`chunks.DEFAULT_CONTEXT_TOKENS`).",
    )
    max_input_bytes: int = Field(
        5_000_000, ge=1, description="Largest input accepted as given, in bytes, checked before any parsing."
    )
    temperature: float = Field(0.0, ge=0.0, le=2.0)
    max_tokens: int = Field(
        2048, ge=16, description="Completion limit per call; under `whole` it also bounds the claims a chunk may hold."
    )
    timeout: float = Field(900.0, gt=0, description="Seconds to wait for one HTTP response (CPU models are slow).")
    retry_attempts: int = Field(6, ge=1, description="Attempts per call on 429/5xx/timeouts/resets.")
    retry_max_seconds: float = Field(600.0, gt=0, description="Total time budget for those attempts.")
    concurrency: int = Field(4, ge=1, description="Calls in flight at once (match the server's slots).")
    local_port: int = Field(8734, ge=1, le=65535, description="Loopback port of the local model server.")
    cache_dir: Path = Field(default_factory=_default_cache_dir, description="Where local weights live.")

    @property
    def is_local(self) -> bool:
        """True when no endpoint is configured, so the bundled local model is used. A key alone (an exported
        OPENAI_API_KEY) configures one: OpenAI's, which then needs a model (`identity.endpoint` says so)."""
        return self.base_url is None and self.api_key is None

    @property
    def effective_strategy(self) -> Strategy:
        if self.strategy is not None:
            return self.strategy
        return "sentences" if self.is_local else "whole"


def settings_from(**arguments: Any) -> Settings:
    """Arguments given (not None) override the environment, which overrides defaults."""
    return Settings(**{k: v for k, v in arguments.items() if v is not None})
