"""What every export writes with: the claim's quote to show, the only URLs an export writes (http(s)),
text targets (a path, a stream or stdout), CSV rows, and the export's own error."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from claimx import errors
from claimx.result import Claim


class ExportError(errors.ClaimxError):
    """An export cannot be written as asked (a missing optional package, a binary format to stdout)."""


def web_url(value: str | None) -> str | None:
    """The value when it is an http(s) URL with a host, else None. Whatever reads an export may make a
    link of a URL field, and a `javascript:` or `data:` one would run script there; a store can hold any
    URL an input row gave (an article with its text needs no fetchable URL)."""
    if not value:
        return None
    try:
        parts = urlsplit(value)  # strips what browsers strip too (leading blanks, tabs and newlines inside)
        return value if parts.scheme.lower() in ("http", "https") and parts.hostname else None
    except ValueError:  # e.g. an unclosed [ in the host
        return None


def first_quote(claim: Claim) -> tuple[str, int | None, int | None]:
    grounded = [e for e in claim.evidence if e.grounded] or claim.evidence
    if not grounded:
        return "", None, None
    return grounded[0].quote, grounded[0].start, grounded[0].end


def _csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


@contextmanager
def text_out(target: str | Path | IO[str] | None) -> Iterator[IO[str]]:
    if target is None or str(target) == "-":
        yield sys.stdout
    elif isinstance(target, (str, Path)):
        with Path(target).open("w", encoding="utf-8", newline="") as stream:
            yield stream
    else:
        yield target


def write_rows(rows: Iterable[dict[str, Any]], columns: tuple[str, ...], target: str | Path | IO[str] | None) -> int:
    count = 0
    with text_out(target) as out:
        writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_value(v) for k, v in row.items()})
            count += 1
    return count
