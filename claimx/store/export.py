"""Claims out of the store: JSONL (lossless, reads back), CSV, Parquet, an ACLED-style event CSV,
and schema.org ClaimReview JSON-LD for claims that carry a verification.

Every format says what a claim is: somebody's assertion. The ACLED-style rows are candidate
events for a coder to review, and their notes name who claims what; they are not coded events.
Every URL written is http(s) (`formats.web_url`): an article URL with another scheme is left out.

    >>> from claimx.store.export import export
    >>> from claimx.store import Store
    >>> with Store("claimx.db") as store:
    ...     export(store.claims(grounded_only=True), "acled", "events.csv")
    ...     export(store.claims(verified=True), "claimreview", "reviews.jsonld", reviewer_type="Organization")
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import IO, Any, Literal

from claimx import jsonl
from claimx.result import Claim, Verification
from claimx.store.acled import ACLED_COLUMNS, write_acled
from claimx.store.claimreview import write_claimreview
from claimx.store.formats import ExportError, first_quote, text_out, web_url, write_rows
from claimx.store.queries import StoredClaim

__all__ = ["ACLED_COLUMNS", "CSV_COLUMNS", "FORMATS", "ExportError", "export", "read_jsonl", "to_string"]

Format = Literal["jsonl", "csv", "parquet", "acled", "claimreview"]
FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet", "acled", "claimreview")

CSV_COLUMNS = (
    "article_id",
    "claim_id",
    "claimant",
    "claimant_kind",
    "via",
    "chain",
    "stance",
    "event_type",
    "actor",
    "target",
    "method",
    "outcome",
    "time_text",
    "event_date",
    "place",
    "grounded",
    "quote",
    "quote_start",
    "quote_end",
    "evidence_count",
    "publisher",
    "published",
    "url",
    "model",
    "run_id",
    "verdict",
    "verified_by",
    "verified_at",
)
# ---------------------------------------------------------------------------------------------
# Rows


def claim_row(item: StoredClaim) -> dict[str, Any]:
    """One flat row (the CSV and Parquet columns); lists are kept as lists."""
    claim, verdict = item.claim, item.verification
    quote, start, end = first_quote(claim)
    return {
        "article_id": item.article_id,
        "claim_id": claim.id,
        "claimant": claim.claimant,
        "claimant_kind": claim.claimant_kind.value,
        "via": list(claim.via),
        "chain": claim.chain,
        "stance": claim.stance.value,
        "event_type": claim.event_type.value,
        "actor": claim.actor,
        "target": claim.target,
        "method": list(claim.method),
        "outcome": claim.outcome,
        "time_text": claim.time_text,
        "event_date": claim.event_date,
        "place": claim.place,
        "grounded": claim.grounded,
        "quote": quote,
        "quote_start": start,
        "quote_end": end,
        "evidence_count": len(claim.evidence),
        "publisher": item.publisher,
        "published": item.published.isoformat() if item.published else None,
        "url": web_url(item.url),
        "model": item.model,
        "run_id": item.run_id,
        "verdict": verdict.verdict.value if verdict else None,
        "verified_by": verdict.by if verdict else None,
        "verified_at": verdict.at.isoformat() if verdict else None,
    }


def jsonl_record(item: StoredClaim) -> dict[str, Any]:
    """The lossless record: the claim exactly as claimx returns it, where it came from, and its verdicts."""
    return {
        "article_id": item.article_id,
        "run_id": item.run_id,
        "model": item.model,
        "strategy": item.strategy,
        "publisher": item.publisher,
        "published": item.published.isoformat() if item.published else None,
        "url": web_url(item.url),
        "language": item.language,
        "claim": item.claim.model_dump(mode="json"),
        "verifications": [v.model_dump(mode="json") for v in item.verifications],
    }


def read_jsonl(source: str | Path | IO[str]) -> list[StoredClaim]:
    """Read a claimx JSONL export back into `StoredClaim`s (the same claims that were written); a bad
    line stops the read with an `InputError` naming the file and the line."""
    return jsonl.read_jsonl(source, _stored_claim, what="a claimx claim record")


def _stored_claim(data: dict[str, Any]) -> StoredClaim:
    """One line of `write_jsonl` back into the claim it was written from."""
    return StoredClaim(
        claim=Claim.model_validate(data["claim"]),
        article_id=data["article_id"],
        run_id=data["run_id"],
        model=data["model"],
        strategy=data["strategy"],
        publisher=data.get("publisher"),
        published=date.fromisoformat(data["published"]) if data.get("published") else None,
        url=data.get("url"),
        verifications=tuple(Verification.model_validate(v) for v in data.get("verifications", [])),
        language=data.get("language"),
    )


# ---------------------------------------------------------------------------------------------
# Writers


def write_jsonl(items: Iterable[StoredClaim], target: str | Path | IO[str] | None) -> int:
    count = 0
    with text_out(target) as out:
        for item in items:
            out.write(json.dumps(jsonl_record(item), ensure_ascii=False) + "\n")
            count += 1
    return count


def write_csv(items: Iterable[StoredClaim], target: str | Path | IO[str] | None) -> int:
    return write_rows((claim_row(i) for i in items), CSV_COLUMNS, target)


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise ExportError(
            "Parquet export needs pyarrow, an optional extra: pip install 'claimx[parquet]' (or pip install pyarrow)"
        ) from None
    return pyarrow


def parquet_schema() -> Any:
    pa = _pyarrow()
    string, integer = pa.string(), pa.int64()
    types = {
        "via": pa.list_(string),
        "method": pa.list_(string),
        "grounded": pa.bool_(),
        "quote_start": integer,
        "quote_end": integer,
        "evidence_count": integer,
        "run_id": integer,
        "published": pa.date32(),
    }
    return pa.schema([(name, types.get(name, string)) for name in CSV_COLUMNS])


def write_parquet(items: Iterable[StoredClaim], target: str | Path) -> int:
    pa = _pyarrow()
    if target is None or str(target) == "-" or not isinstance(target, (str, Path)):
        raise ExportError("Parquet is binary: give a file with -o/--output")
    rows = [claim_row(i) for i in items]
    for row in rows:
        row["published"] = date.fromisoformat(row["published"]) if row["published"] else None
    table = pa.Table.from_pylist(rows, schema=parquet_schema())
    pa.parquet.write_table(table, str(target))
    return len(rows)


WRITERS: dict[str, Callable[..., int]] = {
    "jsonl": write_jsonl,
    "csv": write_csv,
    "parquet": write_parquet,
    "acled": write_acled,
    "claimreview": write_claimreview,
}


def export(
    items: Iterable[StoredClaim], fmt: Format | str, target: str | Path | IO[str] | None = None, **options: Any
) -> int:
    """Write claims in one of `FORMATS` to a path, a stream, or stdout (None / "-"); returns how
    many records were written (ClaimReview: verified claims only; ACLED: without denied and threatened
    claims unless `include_stances` names them). ClaimReview needs `reviewer_type` (see `claimreview`)."""
    if fmt not in WRITERS:
        raise ExportError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    return WRITERS[fmt](items, target, **options)


def to_string(items: Iterable[StoredClaim], fmt: Format | str, **options: Any) -> str:
    """A text export as a string (not Parquet)."""
    buffer = io.StringIO()
    export(items, fmt, buffer, **options)
    return buffer.getvalue()
