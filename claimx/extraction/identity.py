"""What decides a result besides the article, known before any call: the endpoint and model that
will answer, and the fingerprint and keys under which a store files the work.

Every result's provenance and every cache key come from here, so a stored run and a new request
can only agree or differ for a real reason.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from claimx import errors
from claimx.extraction import local, prompts
from claimx.extraction.drafts import ClaimDrafts
from claimx.extraction.plan import PROMPT_NAMES
from claimx.result import Result
from claimx.settings import Settings, Strategy

OPENAI_URL = "https://api.openai.com/v1"


@dataclass(frozen=True)
class Endpoint:
    """Where the calls go and the model name the endpoint knows."""

    base_url: str
    model: str


def endpoint(settings: Settings, *, start: bool = False) -> Endpoint:
    """The configured endpoint, or the local model's (started in the background when `start`)."""
    if settings.is_local:
        url = local.ensure_server(settings) if start else local.base_url(settings)
        return Endpoint(url, settings.model or local.MODEL_NAME)
    url = settings.base_url or OPENAI_URL
    if not settings.model:
        raise errors.ConfigurationError(
            f"An endpoint is configured ({url}) but no model: pass model= / --model or set CLAIMX_MODEL."
        )
    return Endpoint(url, settings.model)


def prompt_hashes(strategy: Strategy) -> dict[str, str]:
    return {name: prompts.load(name).sha256 for name in PROMPT_NAMES[strategy]}


def fingerprint(settings: Settings) -> dict[str, Any]:
    """What decides a result besides the article: the same fields `Result.provenance` records."""
    chosen = settings.effective_strategy
    return {
        "model": endpoint(settings).model,
        "strategy": chosen,
        "prompt_hashes": prompt_hashes(chosen),
        "schema_hash": prompts.schema_hash(ClaimDrafts),
        "parameters": {
            "temperature": settings.temperature,
            "max_tokens": settings.max_tokens,
            "max_reasks": settings.max_reasks,
        },
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
