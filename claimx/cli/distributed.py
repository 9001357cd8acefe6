"""`claimx batch --engine ray`: the batch on Ray Data (`claimx.batch.distributed`), then its output imported
into --db (`claimx store import`)."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import click

from claimx import errors
from claimx.batch.distributed import run_distributed
from claimx.batch.prices import Price
from claimx.cli.render import EXIT_UNFINISHED, err, fail
from claimx.settings import Settings
from claimx.store import open_store
from claimx.store.imports import import_batch


def default_output(db: Path) -> str:
    """Where the output goes without --output: a new folder beside the store."""
    return str(db.with_name(f"{db.stem}-ray-{datetime.now():%Y%m%dT%H%M%S}"))


def ray_batch(
    sources: tuple[str, ...],
    *,
    db: Path,
    output: str | None,
    settings: Settings,
    concurrency: int,
    prices: dict[str, Price],
    max_fetch_bytes: int,
    log_calls: bool,
    published: date | None,
    publisher: str | None,
    unsupported: dict[str, object],
) -> None:
    """Run the batch on Ray, import its output into `db`, print both summaries; exit as `claimx batch` does."""
    given = [name for name, value in unsupported.items() if value]
    if given or "-" in sources:
        raise click.UsageError(f"--engine ray reads JSONL, CSV and Parquet files, not {', '.join(given) or '-'}")
    try:
        with open_store(db) as store:
            outcome = run_distributed(
                sources,
                output or default_output(db),
                settings=settings,
                store=store,
                concurrency=concurrency,
                prices=prices,
                max_fetch_bytes=max_fetch_bytes,
                log_calls=log_calls,
                published=published,
                publisher=publisher,
            )
            err.print(outcome.summary(), highlight=False, soft_wrap=True)
            err.print(import_batch(store, outcome.output).summary(), highlight=False, soft_wrap=True)
    except errors.ClaimxError as exc:
        raise fail(exc) from exc
    if outcome.unfinished:
        err.print("run the same command again to retry them: finished calls and claims are kept, not repeated")
        sys.exit(EXIT_UNFINISHED)
