"""`claimx store`: work on the claim store itself; `claimx store import` merges what a distributed batch wrote."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from claimx import errors
from claimx.cli.options import CONTEXT, db_option
from claimx.cli.render import EXIT_UNFINISHED, err, fail
from claimx.store import open_store
from claimx.store.imports import batch_counts, import_batch


@click.group("store", context_settings=CONTEXT)
def store_group() -> None:
    """Work on the claim store: import what `claimx batch --engine ray` wrote."""


@store_group.command("import", context_settings=CONTEXT)
@click.argument("sources", nargs=-1, required=True, metavar="OUTPUT...")
@db_option
def import_command(*, sources: tuple[str, ...], db: Path) -> None:
    """Merge the output of distributed batches (Parquet datasets of runs, claims and failures, from
    `claimx batch --engine ray` or `claimx.batch.distributed.run_distributed`) into the store, which is
    created if needed.

    OUTPUT is the batch's output folder: a local path or an object-store URI (s3://, gs://, …). Each
    article is merged in one transaction under the rules `claimx batch` follows: work the store holds
    complete is skipped, a partial run is completed in place and its failure cleared once complete, and
    failures are recorded with their reasons. Importing the same output again changes nothing.

    Exit status: 0 imported, 3 imported but some of the batches' articles are partial or failed (run
    the batch again with --db to retry them), 1 an output that is not a finished batch or a store that
    cannot be written, 2 bad arguments.

    \b
    Examples:
      claimx store import claimx-ray-20240506T101500 --db claimx.db
      claimx store import s3://bucket/claimx-out/ --db claimx.db
    """
    unfinished = 0
    try:
        with open_store(db) as store:
            for source in sources:
                outcome = import_batch(store, source)
                err.print(outcome.summary(), highlight=False, soft_wrap=True)
                counts = batch_counts(source)
                unfinished += counts["partial"] + counts["failed"]
    except errors.ClaimxError as exc:
        raise fail(exc) from exc
    if unfinished:
        err.print(f"{unfinished} article(s) partial or failed: see `claimx show` and the failures table in {db}")
        sys.exit(EXIT_UNFINISHED)
