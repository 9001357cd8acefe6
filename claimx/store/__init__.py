"""The claim store (one SQLite file) and what comes out of it: `db` holds the store itself, `migrations`
its schema and upgrades, `queries` what its reads return and how claims are asked for, `writes` the rows
an article's outcome is written as, `calllog` the audit log of the requests behind them, and `export`
writes stored claims in the formats the field uses."""

from claimx.errors import StoreError, StoreNotFoundError
from claimx.store.db import DEFAULT_PATH, Store, open_store
from claimx.store.queries import ClaimFilter, Failure, RunInfo, StoredClaim

__all__ = [
    "DEFAULT_PATH",
    "ClaimFilter",
    "Failure",
    "RunInfo",
    "Store",
    "StoreError",
    "StoreNotFoundError",
    "StoredClaim",
    "open_store",
]
