"""What a model costs: a price table in dollars per million tokens, from `--price` or a JSON file."""

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


def price_for(model: str, settings: Settings, prices: dict[str, Price] | None) -> Price:
    """The price of a model: from the table (exact name, else the longest matching prefix);
    nothing for the local model or a model not in the table."""
    if settings.is_local or not prices:
        return FREE
    if model in prices:
        return prices[model]
    prefixes = [m for m in prices if model.startswith(m)]
    return prices[max(prefixes, key=len)] if prefixes else FREE
