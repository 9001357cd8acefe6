"""Many articles into the store: `runner` (the batch itself), `outcomes` (what it did, per article
and in total), `limits` (request and token rates, the budget), `concurrency` (requests in flight, adapted to
the server), `prices` (what a model costs)."""

from claimx.batch.concurrency import AdaptiveLimit
from claimx.batch.limits import Budget, Limits, RateLimiter, estimate_tokens, estimate_usage, parse_budget
from claimx.batch.outcomes import ArticleOutcome, BatchOutcome
from claimx.batch.prices import BUILT_IN, FREE, PRICES_DATE, Price, load_prices, parse_price, price_for
from claimx.batch.runner import Batch, arun_batch, dedupe, run_batch

__all__ = [
    "BUILT_IN",
    "FREE",
    "PRICES_DATE",
    "AdaptiveLimit",
    "ArticleOutcome",
    "Batch",
    "BatchOutcome",
    "Budget",
    "Limits",
    "Price",
    "RateLimiter",
    "arun_batch",
    "dedupe",
    "estimate_tokens",
    "estimate_usage",
    "load_prices",
    "parse_budget",
    "parse_price",
    "price_for",
    "run_batch",
]
