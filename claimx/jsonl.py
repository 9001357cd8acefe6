"""The one reader of claimx's JSONL files (results, predictions, gold articles, claim exports).

Blank lines are skipped; the first bad line stops the read with an `InputError` that names the file
and the line, so a broken file of thousands of articles is quick to fix.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from pydantic import ValidationError

from claimx.errors import InputError

T = TypeVar("T")


def _short(exc: Exception) -> str:
    """The first validation error, short enough for a terminal line."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "line"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        return f"{where}: {first.get('msg', 'invalid')}{more}"
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON: {exc}"
    if isinstance(exc, KeyError):
        return f"missing field {exc}"
    return f"{type(exc).__name__}: {exc}"


def parse_lines(lines: Iterable[str], parse: Callable[[Any], T], *, name: str, what: str) -> Iterator[tuple[int, T]]:
    """(line number, `parse(json value)`) for each non-blank line; `what` names a good line in errors."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield number, parse(json.loads(line))
        except (ValueError, KeyError, TypeError) as exc:  # JSONDecodeError and ValidationError are ValueErrors
            raise InputError(f"{name}:{number}: not {what}: {_short(exc)}") from exc


def read_jsonl(source: str | Path | IO[str], parse: Callable[[Any], T], *, what: str) -> list[T]:
    """Every line of a JSONL file or stream, parsed; see `parse_lines`."""
    if isinstance(source, (str, Path)):
        try:
            with Path(source).open(encoding="utf-8") as stream:
                return [value for _, value in parse_lines(stream, parse, name=str(source), what=what)]
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{source}: cannot read: {exc}") from exc
    return [value for _, value in parse_lines(source, parse, name=getattr(source, "name", "<stream>"), what=what)]
