"""What decides a result besides the article, known before any call: the endpoint and model that
will answer, and the fingerprint and keys under which a store files the work.

Every result's provenance and every cache key come from here, so a stored run and a new request
can only agree or differ for a real reason.

A configured URL is split here, once, into the display URL that results, the store, pages and messages
show, and the credentials it carried, which only the HTTP client ever sees.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, unquote, unquote_plus, urlsplit, urlunsplit

import httpx

from claimx import errors
from claimx.extraction import chunks, local, profiles, prompts
from claimx.extraction.cues import cue_for, english
from claimx.extraction.drafts import ClaimDrafts, EnglishPhrases, PairClaims, SentenceClaims, TranslatedDrafts
from claimx.extraction.plan import ENGLISH_PROMPT, PAIR_PROMPTS, SELECT_PROMPT, renders, templates
from claimx.result import Result
from claimx.settings import MAX_CALLS, Settings, Strategy

OPENAI_URL = "https://api.openai.com/v1"
# Query parameters (compared case-insensitively) that carry a credential: sent, never shown.
CREDENTIAL_PARAMETERS = frozenset(
    {
        "api_key",
        "api-key",
        "apikey",
        "key",
        "token",
        "access_token",
        "auth",
        "sig",
        "signature",
        "password",
        "secret",
        "code",
    }
)


@dataclass(frozen=True, repr=False)
class Access:
    """How to call an endpoint, held in memory only: its repr names no value, and nothing stores it.

    `url` has neither userinfo nor query (the openai client appends paths to it); `headers` carry the
    URL's userinfo as HTTP Basic auth; `query` is every query parameter, credentials included.
    """

    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Access(url={self.url!r}, headers={sorted(self.headers)}, query={sorted(self.query)})"


def _is_credential(parameter: str) -> bool:
    return unquote_plus(parameter.partition("=")[0]).lower() in CREDENTIAL_PARAMETERS


def split_url(url: str) -> tuple[str, Access]:
    """A configured URL as the display URL (no userinfo, no credential parameters; the only form that is
    stored, printed or rendered) and the `Access` that calling it needs."""
    parts = urlsplit(url)
    userinfo, at, host = parts.netloc.rpartition("@")
    headers: dict[str, str] = {}
    if at:
        user, _, password = userinfo.partition(":")
        token = base64.b64encode(f"{unquote(user)}:{unquote(password)}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    shown = "&".join(p for p in parts.query.split("&") if p and not _is_credential(p))
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    display = urlunsplit((parts.scheme, host, parts.path, shown, ""))
    return display, Access(urlunsplit((parts.scheme, host, parts.path, "", "")), headers, query)


@dataclass(frozen=True)
class Endpoint:
    """Where the calls go (`base_url`, the display URL) and the model name the endpoint knows; `access`
    holds the credentials the configured URL carried and stays out of every repr."""

    base_url: str
    model: str
    access: Access = field(repr=False, compare=False)

    @classmethod
    def of(cls, url: str, model: str) -> Endpoint:
        """The endpoint at a configured URL, its credentials split off."""
        display, access = split_url(url)
        return cls(display, model, access)


def endpoint(settings: Settings, *, start: bool = False) -> Endpoint:
    """The configured endpoint, or the local model's (started in the background when `start`)."""
    if settings.is_local:
        url = local.ensure_server(settings) if start else local.base_url(settings)
        return Endpoint.of(url, settings.model or local.MODEL_NAME)
    where = Endpoint.of(settings.base_url or OPENAI_URL, settings.model or "")
    if not settings.model and settings.base_url is None:
        # Only a key is set (an OPENAI_API_KEY exported for other tools, often): that alone turns the local
        # default off, which is easy to miss, so say so and name both ways out.
        raise errors.ConfigurationError(
            f"OPENAI_API_KEY (or api_key=) is set, so claimx calls the hosted endpoint ({where.base_url}) instead "
            "of the local model, but no model is given. Either set CLAIMX_MODEL (or --model / model=) to a model "
            "that endpoint serves, or unset OPENAI_API_KEY to use the local model."
        )
    if not settings.model:
        raise errors.ConfigurationError(
            f"An endpoint is configured ({where.base_url}) but no model: pass model= / --model or set CLAIMX_MODEL."
        )
    if "Authorization" in where.access.headers and settings.api_key is not None:
        # The SDK sends the key as `Authorization: Bearer …`; one request cannot carry both.
        raise errors.ConfigurationError(
            f"The endpoint URL ({where.base_url}) carries a user name and password and an API key is set too "
            "(OPENAI_API_KEY / api_key=): both would be sent as the Authorization header. Put the credential "
            "in one place."
        )
    return where


_SERVED: dict[str, int | None] = {}
LLAMACPP_LIKE = ("llamacpp", "generic")
"""The modes whose server may be llama.cpp's, which reports its context; the others are never asked."""


def served_context(where: Endpoint) -> int | None:
    """The context per request a llama.cpp server reports (`/props`: `default_generation_settings.n_ctx`),
    asked once per endpoint and process; None when the server says nothing (another kind of server)."""
    if where.base_url not in _SERVED:
        root = where.access.url.rstrip("/").removesuffix("/v1")
        try:
            response = httpx.get(
                f"{root}/props", headers=dict(where.access.headers), params=dict(where.access.query), timeout=10.0
            )
            n_ctx = response.json()["default_generation_settings"]["n_ctx"] if response.is_success else None
            _SERVED[where.base_url] = n_ctx if isinstance(n_ctx, int) and n_ctx > 0 else None
        except (httpx.HTTPError, ValueError, KeyError, TypeError):
            _SERVED[where.base_url] = None
    return _SERVED[where.base_url]


def context_tokens(settings: Settings, *, probe: bool = False) -> int:
    """The context one request may fill: as given; else the slot claimx serves the local model with; else, when
    `probe` (only a long article asks, so a short one never costs a request), what a llama.cpp or unrecognised
    endpoint reports; else `chunks.DEFAULT_CONTEXT_TOKENS` (give `context_tokens` for a larger window)."""
    if settings.context_tokens is not None:
        return settings.context_tokens
    if settings.is_local:
        return local.N_CTX // local.N_PARALLEL
    if probe and settings.model:  # without a model the calls fail anyway, with their own message
        where = endpoint(settings)
        if (settings.mode or profiles.detect(where.base_url, local_port=settings.local_port)) in LLAMACPP_LIKE:
            return served_context(where) or chunks.DEFAULT_CONTEXT_TOKENS
    return chunks.DEFAULT_CONTEXT_TOKENS


def prompt_hashes(strategy: Strategy) -> dict[str, str]:
    """The templates of a strategy's calls on an English article: under `sentences` a pair's too."""
    names = [*templates(strategy, None), *(PAIR_PROMPTS if strategy == "sentences" else ())]
    return {name: prompts.load(name).sha256 for name in names}


def fingerprint(settings: Settings) -> dict[str, Any]:
    """What decides a result besides the article: the same fields `Result.provenance` records.

    A profile other than the default request (llamacpp, generic) adds `mode` to the parameters, and Ollama's the
    context window it sets (`num_ctx`, which decides how much of a long article the model sees); the default
    adds nothing, so results and cache keys made before profiles existed still match; so do `context_tokens` and
    `max_calls`, which change a result only when given (the chunks) or when not at their default (the calls)."""
    chosen = settings.effective_strategy
    where = endpoint(settings)
    parameters: dict[str, Any] = {
        "temperature": settings.temperature,
        "max_tokens": settings.max_tokens,
        "max_reasks": settings.max_reasks,
    }
    profile = profiles.choose(settings, where)
    if not profile.default:
        parameters["mode"] = profile.name
    if profile.num_ctx is not None:
        parameters["num_ctx"] = profile.num_ctx
    if settings.language is not None:
        parameters["language"] = settings.language
    if settings.fields_language != "english":
        parameters["fields_language"] = settings.fields_language
    if settings.context_tokens is not None:
        parameters["context_tokens"] = settings.context_tokens
    if settings.max_calls != MAX_CALLS:
        parameters["max_calls"] = settings.max_calls
    return {
        "model": where.model,
        "strategy": chosen,
        "prompt_hashes": prompt_hashes(chosen),
        "schema_hash": prompts.schema_hash(
            *((SentenceClaims, PairClaims) if chosen == "sentences" else (ClaimDrafts,))
        ),
        "parameters": parameters,
    }


def in_language(print_: dict[str, Any], language: str | None) -> dict[str, Any]:
    """The fingerprint of the work on an article in `language`: an article not in English is also asked with
    the system prompt of every field, the language prompt (and, without a cue lexicon under `sentences`, the
    selection prompt) and answers the schema with the claimant in English; unless its fields stay in its own
    language, the English rendering of its fields is a call of its own. English articles keep the fingerprint
    as it was."""
    if english(language):
        return print_
    strategy = print_["strategy"]
    names = [*templates(strategy, language)]
    names += [SELECT_PROMPT] if strategy == "sentences" and cue_for(language) is None else []
    rendered = renders(language, print_["parameters"].get("fields_language", "english"))
    names += [ENGLISH_PROMPT] if rendered else []
    return {
        **print_,
        "prompt_hashes": {n: prompts.load(n).sha256 for n in names},
        "schema_hash": prompts.schema_hash(TranslatedDrafts, *((EnglishPhrases,) if rendered else ())),
    }


def fingerprint_of(result: Result) -> dict[str, Any]:
    """The same fingerprint read back from a finished result (for checks and imports)."""
    p = result.provenance
    return {
        "model": p.model,
        "strategy": p.strategy,
        "prompt_hashes": p.prompt_hashes,
        "schema_hash": p.schema_hash,
        "parameters": p.parameters,
    }


def _sha(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def work_key(print_: dict[str, Any], published: date | None, publisher: str | None) -> str:
    """The job as requested, before its text is known (a URL not fetched yet)."""
    return _sha({**print_, "published": published.isoformat() if published else None, "publisher": publisher})


def cache_key(text_sha256: str, print_: dict[str, Any], published: date | None, publisher: str | None) -> str:
    """Identical work: same prepared text, configuration, and the metadata the prompt shows."""
    return _sha(
        {
            **print_,
            "text_sha256": text_sha256,
            "published": published.isoformat() if published else None,
            "publisher": publisher,
        }
    )


def cache_key_of(result: Result) -> str:
    """The cache key of a finished result, from what its provenance records."""
    return cache_key(result.article.sha256, fingerprint_of(result), result.article.published, result.article.publisher)
