"""What a model costs: a price table in dollars per million tokens, built in (`BUILT_IN`, dated) and
overridden by `--price` or a JSON file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from claimx import errors
from claimx.result import Usage
from claimx.settings import Settings


@dataclass(frozen=True)
class Price:
    """US dollars per million prompt (input) and completion (output) tokens."""

    input_per_million: float = 0.0
    output_per_million: float = 0.0

    def cost(self, usage: Usage) -> float:
        return (usage.prompt_tokens * self.input_per_million + usage.completion_tokens * self.output_per_million) / 1e6


FREE = Price()

# The built-in table: list prices (standard tier, uncached input, text) in US dollars per million tokens, as
# the providers published them on their pricing pages (platform.openai.com/docs/pricing,
# anthropic.com/pricing, ai.google.dev/gemini-api/docs/pricing, mistral.ai/pricing,
# api-docs.deepseek.com/quick_start/pricing). Written on PRICES_DATE from what the author knew of those pages
# as of mid-2025: NOT checked online (claimx's development machine has no internet), so they may be stale or
# wrong. Prices change: pass `--price MODEL=IN,OUT` (or `--prices FILE`), which wins over this table.
PRICES_DATE = "2025-08-15"
BUILT_IN: dict[str, Price] = {
    "gpt-4o": Price(2.50, 10.00),
    "gpt-4o-mini": Price(0.15, 0.60),
    "gpt-4.1": Price(2.00, 8.00),
    "gpt-4.1-mini": Price(0.40, 1.60),
    "gpt-4.1-nano": Price(0.10, 0.40),
    "gpt-5": Price(1.25, 10.00),
    "gpt-5-mini": Price(0.25, 2.00),
    "gpt-5-nano": Price(0.05, 0.40),
    "o3": Price(2.00, 8.00),
    "o3-mini": Price(1.10, 4.40),
    "o4-mini": Price(1.10, 4.40),
    "claude-opus-4": Price(15.00, 75.00),
    "claude-sonnet-4": Price(3.00, 15.00),
    "claude-3-7-sonnet": Price(3.00, 15.00),
    "claude-3-5-haiku": Price(0.80, 4.00),
    "gemini-2.5-pro": Price(1.25, 10.00),  # prompts up to 200k tokens
    "gemini-2.5-flash": Price(0.30, 2.50),
    "gemini-2.5-flash-lite": Price(0.10, 0.40),
    "gemini-2.0-flash": Price(0.10, 0.40),
    "mistral-large": Price(2.00, 6.00),
    "mistral-small": Price(0.10, 0.30),
    "deepseek-chat": Price(0.27, 1.10),
    "deepseek-reasoner": Price(0.55, 2.19),
}


def parse_price(spec: str) -> tuple[str, Price]:
    """`MODEL=INPUT,OUTPUT` in dollars per million tokens, e.g. `gpt-4o-mini=0.15,0.60`."""
    model, sep, numbers = spec.rpartition("=")
    parts = numbers.replace(":", ",").split(",")
    try:
        if not sep or not model.strip() or len(parts) != 2:
            raise ValueError
        return model.strip(), Price(float(parts[0]), float(parts[1]))
    except ValueError:
        raise errors.ConfigurationError(
            f"price {spec!r} should be MODEL=INPUT,OUTPUT in dollars per million tokens, e.g. gpt-4o-mini=0.15,0.60"
        ) from None


def load_prices(path: str | Path) -> dict[str, Price]:
    """A JSON price table: {"model": {"input": 0.15, "output": 0.6}, …} (dollars per million tokens)."""
    try:
        table = json.loads(Path(path).read_text(encoding="utf-8"))
        return {str(m): Price(float(p["input"]), float(p["output"])) for m, p in table.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise errors.ConfigurationError(
            f"cannot read the price table {path}: {exc}. Expected JSON like "
            '{"gpt-4o-mini": {"input": 0.15, "output": 0.6}} in dollars per million tokens.'
        ) from None


def price_for(model: str, settings: Settings, prices: dict[str, Price] | None = None) -> Price:
    """The price of a model: from `prices` over the built-in table (exact name, else the longest matching
    prefix, so `gpt-4o-mini-2024-07-18` costs what `gpt-4o-mini` does); nothing for the local model or a
    model in neither."""
    if settings.is_local:
        return FREE
    table = {**BUILT_IN, **(prices or {})}
    if model in table:
        return table[model]
    prefixes = [m for m in table if model.startswith(m)]
    return table[max(prefixes, key=len)] if prefixes else FREE
