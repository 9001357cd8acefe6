"""The claim store (one SQLite file) and what comes out of it: `db` holds the store itself, `migrations`
its schema, views, search index and upgrades, `queries` what its reads return and how claims and articles
are asked for, `writes` the rows an article's outcome is written as, `calllog` the audit log of the requests
behind them, `export` writes stored claims in the formats the field uses, and `frames` gives them to pandas
and Arrow."""

from claimx.errors import StoreError, StoreNotFoundError
from claimx.store.db import DEFAULT_PATH, Store, open_store
from claimx.store.formats import ExportError
from claimx.store.queries import ArticleFilter, ClaimFilter, Failure, RunInfo, StoredArticle, StoredClaim

__all__ = [
    "DEFAULT_PATH",
    "ArticleFilter",
    "ClaimFilter",
    "ExportError",
    "Failure",
    "RunInfo",
    "Store",
    "StoreError",
    "StoreNotFoundError",
    "StoredArticle",
    "StoredClaim",
    "open_store",
]
