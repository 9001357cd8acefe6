"""claimx: attributed, source-grounded claims from news articles.

    >>> import claimx
    >>> result = claimx.extract(article_text, published="2023-12-14")
    >>> for claim in result.claims: print(claim.chain, claim.stance, claim.target)
    >>> store = claimx.open_store("claimx.db", create=False)   # what `claimx batch` stored
    >>> store.search("drones"), store.to_pandas(grounded_only=True)
    >>> claimx.import_batch(store, claimx.run_distributed(["s3://bucket/feed/"], "s3://bucket/out/").output)  # Ray
    >>> claimx.events("claimx.db", min_sources=2, contradicted=True)   # claims across articles, by event

An outcome is always somebody's assertion; verification is a separate record (`Result.verify`).
"""

from claimx.batch.distributed import DistributedOutcome, run_distributed
from claimx.corpus import Event, EventFilter, events
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
    Chunk,
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
from claimx.store import ArticleFilter, ClaimFilter, ExportError, Store, StoredArticle, StoredClaim, open_store
from claimx.store.imports import ImportOutcome, import_batch
from claimx.version import __version__

__all__ = [
    "Article",
    "ArticleFilter",
    "AuthenticationError",
    "BadRequestError",
    "BinaryInputError",
    "Chunk",
    "Claim",
    "ClaimFilter",
    "ClaimantKind",
    "ClaimxError",
    "ConfigurationError",
    "ContextLengthError",
    "DistributedOutcome",
    "EmptyInputError",
    "EncodingError",
    "Event",
    "EventFilter",
    "Evidence",
    "ExportError",
    "ExtractionError",
    "ExtractionWarning",
    "GroundingStatus",
    "ImportOutcome",
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
    "Store",
    "StoreError",
    "StoreNotFoundError",
    "StoredArticle",
    "StoredClaim",
    "TransientLLMError",
    "Usage",
    "Verdict",
    "Verification",
    "__version__",
    "aextract",
    "events",
    "extract",
    "import_batch",
    "open_store",
    "prepare",
    "run_distributed",
]
