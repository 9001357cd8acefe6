"""The exception hierarchy: every failure a caller can act on has its own type and says what to do."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimx.result import Result


class ClaimxError(Exception):
    """Base of every error claimx raises on purpose."""


class InputError(ClaimxError, ValueError):
    """The article cannot be processed as given; no LLM call was made."""


class EmptyInputError(InputError):
    """The article is empty or whitespace only."""


class BinaryInputError(InputError):
    """The article looks like binary data (NUL bytes)."""


class EncodingError(InputError):
    """The article bytes are not valid UTF-8."""


class InputTooLargeError(InputError):
    """The article is longer than the configured limit."""


class ConfigurationError(ClaimxError):
    """Settings are missing or contradictory (e.g. an endpoint without a model)."""


class MissingExtraError(ClaimxError):
    """A feature needs an optional extra that is not installed; the message names the pip command."""


class LocalModelError(ClaimxError):
    """The local model runtime or weights are missing, corrupt or failed to start."""


class LLMError(ClaimxError):
    """The endpoint refused or failed a request."""


class AuthenticationError(LLMError):
    """401/403: the endpoint rejected the credentials."""


class ModelNotFoundError(LLMError):
    """404: the endpoint does not serve this model or path."""


class ContextLengthError(LLMError):
    """The prompt does not fit in the model's context window."""


class BadRequestError(LLMError):
    """400: the endpoint rejected the request for another reason."""


class TransientLLMError(LLMError):
    """Rate limits, 5xx, timeouts or dropped connections outlasted every retry."""


class StoreError(ClaimxError):
    """The store file cannot be used as asked (unknown article or claim, newer schema, …)."""


class StoreNotFoundError(StoreError):
    """A command that reads a store was pointed at a file that does not exist (nothing is created)."""


class ExtractionError(ClaimxError):
    """Extraction stopped part-way; `partial` holds every claim that was finished."""

    def __init__(self, message: str, partial: Result | None = None) -> None:
        super().__init__(message)
        self.partial = partial
