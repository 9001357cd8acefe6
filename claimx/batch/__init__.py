"""Many articles into the store: `runner` (the batch itself), `outcomes` (what it did, per article
and in total), `limits` (request and token rates), `prices` (what a model costs)."""

from claimx.batch.limits import Limits, RateLimiter, estimate_tokens
from claimx.batch.outcomes import ArticleOutcome, BatchOutcome
from claimx.batch.prices import FREE, Price, load_prices, parse_price, price_for
from claimx.batch.runner import Batch, arun_batch, dedupe, run_batch

__all__ = [
    "FREE",
    "ArticleOutcome",
    "Batch",
    "BatchOutcome",
    "Limits",
    "Price",
    "RateLimiter",
    "arun_batch",
    "dedupe",
    "estimate_tokens",
    "load_prices",
    "parse_price",
    "price_for",
    "run_batch",
]
