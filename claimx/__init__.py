"""claimx: attributed, source-grounded claims from news articles.

    >>> import claimx
    >>> result = claimx.extract(article_text, published="2023-12-14")
    >>> for claim in result.claims: print(claim.chain, claim.stance, claim.target)

An outcome is always somebody's assertion; verification is a separate record (`Result.verify`).
"""

from claimx.errors import (
    AuthenticationError,
    BadRequestError,
    BinaryInputError,
    ClaimxError,
    ConfigurationError,
    ContextLengthError,
    EmptyInputError,
    EncodingError,
    ExtractionError,
    InputError,
    InputTooLargeError,
    LLMError,
    LocalModelError,
    MissingExtraError,
    ModelNotFoundError,
    StoreError,
    StoreNotFoundError,
    TransientLLMError,
)
from claimx.extraction.pipeline import Job, aextract, extract, prepare
from claimx.result import (
    Article,
    Claim,
    ClaimantKind,
    Evidence,
    ExtractionWarning,
    GroundingStatus,
    Provenance,
    Result,
    Stance,
    Usage,
    Verdict,
    Verification,
)
from claimx.settings import Settings
from claimx.version import __version__

__all__ = [
    "Article",
    "AuthenticationError",
    "BadRequestError",
    "BinaryInputError",
    "Claim",
    "ClaimantKind",
    "ClaimxError",
    "ConfigurationError",
    "ContextLengthError",
    "EmptyInputError",
    "EncodingError",
    "Evidence",
    "ExtractionError",
    "ExtractionWarning",
    "GroundingStatus",
    "InputError",
    "InputTooLargeError",
    "Job",
    "LLMError",
    "LocalModelError",
    "MissingExtraError",
    "ModelNotFoundError",
    "Provenance",
    "Result",
    "Settings",
    "Stance",
    "StoreError",
    "StoreNotFoundError",
    "TransientLLMError",
    "Usage",
    "Verdict",
    "Verification",
    "__version__",
    "aextract",
    "extract",
    "prepare",
]
