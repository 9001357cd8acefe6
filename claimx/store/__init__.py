"""The claim store (one SQLite file) and what comes out of it: `db` holds the store itself,
`export` writes stored claims in the formats the field uses."""

from claimx.store.db import (
    DEFAULT_PATH,
    ClaimFilter,
    Failure,
    RunInfo,
    Store,
    StoredClaim,
    StoreError,
    list_claims,
    open_store,
    show,
    verify,
)

__all__ = [
    "DEFAULT_PATH", "ClaimFilter", "Failure", "RunInfo", "Store", "StoreError", "StoredClaim", "list_claims",
    "open_store", "show", "verify",
]
