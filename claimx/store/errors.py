"""The store's one error type, in a module of its own so that each store module can raise it."""

from __future__ import annotations

from claimx.errors import ClaimxError


class StoreError(ClaimxError):
    """The store file cannot be used as asked (unknown article or claim, newer schema, …)."""
