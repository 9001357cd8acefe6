"""What a distributed batch (`claimx.batch.distributed`, on Ray) writes instead of the store, and how those
files are merged into it: three Parquet datasets under one output folder (local or an object-store URI)
and a manifest written last, when every article has its row.

- `runs/`: one row per article with a result (complete or partial): the `Result` as JSON, its requests
  for the audit log, what this attempt cost, and the keys the store files it under.
- `failures/`: one row per article that gave no result: the stage and reason, as `claimx batch` records them.
- `claims/`: one row per claim of those runs, in the Parquet export's columns (with the run's `cache_key`
  instead of a store run id, and no verdicts yet), for reading without a store.
- `claimx-batch.json`: the batch (id, model, endpoint, strategy, options, when); its absence means the
  batch did not finish.

`import_batch` merges runs and failures into a `Store` with the store's own writes (`writes.save_outcome`,
`writes.save_failure`), one article per transaction, under the rules a single-process batch follows: work
the store holds complete is skipped, a partial run is completed in place, and an article's failure ends
once it is complete. Rows are recognised by content keys (article id, work key, cache key, the batch id),
so importing the same output twice changes nothing, and an import that was stopped resumes.

    >>> from claimx.store import Store
    >>> from claimx.store.imports import import_batch
    >>> with Store("claimx.db") as store:
    ...     print(import_batch(store, "s3://bucket/claimx-out/").summary())
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from claimx.errors import StoreError
from claimx.inputs import ArticleInput
from claimx.result import CallRecord, Result, Usage
from claimx.store import work, writes
from claimx.store.db import Store
from claimx.store.export import claim_row, parquet_schema
from claimx.store.formats import ExportError
from claimx.store.queries import StoredClaim
from claimx.store.work import LeaseState

RUNS, FAILURES, CLAIMS = "runs", "failures", "claims"
MANIFEST = "claimx-batch.json"
MANIFEST_VERSION = 1
USAGE = tuple(Usage.model_fields)
# The export's columns that only a store can fill: its run ids and the verdicts people add to it.
STORE_ONLY = ("run_id", "verdict", "verified_by", "verified_at")


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.dataset
        import pyarrow.fs
    except ImportError:
        raise ExportError(
            "a distributed batch's Parquet datasets need pyarrow: pip install 'claimx[ray]' (or 'claimx[parquet]')"
        ) from None
    return pyarrow


def _article_fields(pa: Any) -> list[tuple[str, Any]]:
    string = pa.string()
    return [
        ("batch", string),
        ("article_id", string),
        ("origin", string),
        ("url", string),
        ("publisher", string),
        ("published", pa.date32()),
        ("by_url", pa.bool_()),
        ("work_key", string),
        ("cache_key", string),
    ]


def _cost_fields(pa: Any) -> list[tuple[str, Any]]:
    return [*((name, pa.int64()) for name in USAGE), ("seconds", pa.float64()), ("cost", pa.float64())]


def runs_schema() -> Any:
    pa = _pyarrow()
    return pa.schema(
        [
            *_article_fields(pa),
            ("status", pa.string()),
            ("claims", pa.int64()),
            ("result", pa.string()),
            ("calls", pa.string()),
            *_cost_fields(pa),
        ]
    )


def failures_schema() -> Any:
    pa = _pyarrow()
    return pa.schema(
        [
            *_article_fields(pa),
            ("text", pa.string()),
            ("stage", pa.string()),
            ("error", pa.string()),
            ("model", pa.string()),
            ("partial", pa.string()),
            ("calls", pa.string()),
            *_cost_fields(pa),
        ]
    )


def claims_schema() -> Any:
    pa = _pyarrow()
    kept = [f for f in parquet_schema() if f.name not in STORE_ONLY]
    return pa.schema([("batch", pa.string()), *kept, ("cache_key", pa.string())])


# ---------------------------------------------------------------------------------------------
# Rows, as the distributed batch writes them


def _article_record(
    article: ArticleInput, batch: str, by_url: bool, work_key: str, cache_key: str | None
) -> dict[str, Any]:
    return {
        "batch": batch,
        "article_id": article.id,
        "origin": article.origin,
        "url": article.url,
        "publisher": article.publisher,
        "published": article.published,
        "by_url": by_url,
        "work_key": work_key,
        "cache_key": cache_key,
    }


def _cost_record(usage: Usage | None, seconds: float, cost: float) -> dict[str, Any]:
    counts = {name: getattr(usage, name) if usage is not None else None for name in USAGE}
    return {**counts, "seconds": seconds, "cost": cost}


def _calls_json(result: Result | None) -> str:
    return json.dumps([c.model_dump(mode="json") for c in result.calls] if result is not None else [])


def run_record(
    article: ArticleInput,
    result: Result,
    *,
    batch: str,
    by_url: bool,
    work_key: str,
    cache_key: str,
    usage: Usage,
    seconds: float,
    cost: float,
) -> dict[str, Any]:
    """An article's result: complete, or partial (its reasons become the article's failure on import)."""
    return {
        **_article_record(article, batch, by_url, work_key, cache_key),
        "status": result.status,
        "claims": len(result.claims),
        "result": result.model_dump_json(),
        "calls": _calls_json(result),
        **_cost_record(usage, seconds, cost),
    }


def failure_record(
    article: ArticleInput,
    *,
    batch: str,
    by_url: bool,
    work_key: str,
    cache_key: str | None,
    stage: str,
    error: str,
    model: str | None,
    usage: Usage | None,
    seconds: float,
    cost: float,
    partial: Result | None,
) -> dict[str, Any]:
    """An article without a result: where and why it failed, and what the attempt cost."""
    return {
        **_article_record(article, batch, by_url, work_key, cache_key),
        "text": article.text,
        "stage": stage,
        "error": error,
        "model": model,
        "partial": partial.model_dump_json() if partial is not None else None,
        "calls": _calls_json(partial),
        **_cost_record(usage, seconds, cost),
    }


def claim_records(run: dict[str, Any]) -> list[dict[str, Any]]:
    """The claims of a run record, one flat row each (the Parquet export's columns but the store's own)."""
    result = Result.model_validate_json(run["result"])
    rows = []
    for claim in result.claims:
        stored = StoredClaim(
            claim=claim,
            article_id=run["article_id"],
            run_id=0,  # a store's; dropped below
            model=result.provenance.model,
            strategy=result.provenance.strategy,
            publisher=result.article.publisher,
            published=result.article.published,
            url=run["url"],
        )
        row = {k: v for k, v in claim_row(stored).items() if k not in STORE_ONLY}
        row["published"] = result.article.published
        rows.append({"batch": run["batch"], **row, "cache_key": run["cache_key"]})
    return rows


# ---------------------------------------------------------------------------------------------
# Reading an output folder


def _filesystem(root: str) -> tuple[Any, str]:
    """The filesystem and path of an output folder: a local path, or a URI pyarrow knows (s3://, gs://, …)."""
    pa = _pyarrow()
    if "://" in root:
        fs, path = pa.fs.FileSystem.from_uri(root)
        return fs, str(path)
    return pa.fs.LocalFileSystem(), str(Path(root).absolute())


def write_manifest(root: str, manifest: dict[str, Any]) -> None:
    """Written last by the batch: its presence says every article has its row."""
    fs, path = _filesystem(root)
    with fs.open_output_stream(f"{path.rstrip('/')}/{MANIFEST}") as out:
        out.write(json.dumps({"version": MANIFEST_VERSION, **manifest}, indent=2, default=str).encode())


def read_manifest(root: str) -> dict[str, Any] | None:
    fs, path = _filesystem(root)
    try:
        with fs.open_input_stream(f"{path.rstrip('/')}/{MANIFEST}") as stream:
            manifest: dict[str, Any] = json.loads(stream.read())
    except FileNotFoundError:
        return None
    if manifest.get("version") != MANIFEST_VERSION:
        raise StoreError(f"{root}: {MANIFEST} has version {manifest.get('version')}, not {MANIFEST_VERSION}")
    return manifest


def read_records(root: str, name: str, columns: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """The rows of one dataset of an output folder, in no particular order; none when the batch wrote none."""
    pa = _pyarrow()
    fs, path = _filesystem(root)
    where = f"{path.rstrip('/')}/{name}"
    if fs.get_file_info(where).type == pa.fs.FileType.NotFound:
        return
    dataset = pa.dataset.dataset(where, format="parquet", filesystem=fs)
    for part in dataset.to_batches(columns=columns):
        yield from part.to_pylist()


# ---------------------------------------------------------------------------------------------
# Importing


Action = Literal["imported", "skipped", "already"]


@dataclass
class ImportOutcome:
    """What an import did: rows written, rows whose work the store held complete already (`skipped`), and
    rows this batch had imported before (`already`)."""

    source: str
    batch: str
    batch_id: int | None = None
    runs: dict[Action, int] = field(default_factory=lambda: {"imported": 0, "skipped": 0, "already": 0})
    failures: dict[Action, int] = field(default_factory=lambda: {"imported": 0, "skipped": 0, "already": 0})

    @property
    def changed(self) -> bool:
        return bool(self.runs["imported"] or self.failures["imported"])

    def summary(self) -> str:
        r, f = self.runs, self.failures
        return (
            f"imported batch {self.batch} from {self.source}"
            + (f" as batch {self.batch_id}" if self.batch_id is not None else "")
            + f": {r['imported']} run(s) and {f['imported']} failure(s) written; {r['skipped']} run(s) and "
            f"{f['skipped']} failure(s) of work already complete in the store skipped; "
            f"{r['already'] + f['already']} row(s) imported before"
        )


def _article_of(row: dict[str, Any]) -> ArticleInput:
    return ArticleInput(
        id=row["article_id"],
        text=row.get("text"),
        url=row["url"],
        published=row["published"],
        publisher=row["publisher"],
        origin=row["origin"] or "",
    )


def _usage_of(row: dict[str, Any]) -> Usage | None:
    if row[USAGE[0]] is None:
        return None
    return Usage(**{name: row[name] for name in USAGE})


def _with_calls(result: Result, calls: str) -> Result:
    return result.model_copy(update={"calls": [CallRecord.model_validate(c) for c in json.loads(calls)]})


def _done(db: sqlite3.Connection, row: dict[str, Any]) -> bool:
    """Whether the store holds this job complete, as a single-process batch would check before working on it:
    by cache key once the text is known, and by work key for an article that came as a URL."""
    if (
        row["cache_key"]
        and db.execute(
            "SELECT 1 FROM runs WHERE article_id = ? AND cache_key = ? AND status = 'complete'",
            (row["article_id"], row["cache_key"]),
        ).fetchone()
    ):
        return True
    return bool(
        row["by_url"]
        and db.execute(
            "SELECT 1 FROM runs WHERE article_id = ? AND work_key = ? AND status = 'complete'",
            (row["article_id"], row["work_key"]),
        ).fetchone()
    )


def _import_run(db: sqlite3.Connection, row: dict[str, Any], batch_id: int) -> Action:
    if _done(db, row):
        return "skipped"
    if db.execute(
        "SELECT 1 FROM runs WHERE article_id = ? AND cache_key = ? AND batch_id = ?",
        (row["article_id"], row["cache_key"], batch_id),
    ).fetchone():
        return "already"  # this batch's partial run, imported before
    writes.save_outcome(
        db,
        _article_of(row),
        _with_calls(Result.model_validate_json(row["result"]), row["calls"]),
        work_key=row["work_key"],
        cache_key=row["cache_key"],
        batch_id=batch_id,
        cached_from=None,
        usage=_usage_of(row),
        latency=row["seconds"],
        cost=row["cost"],
    )
    return "imported"


def _import_failure(db: sqlite3.Connection, row: dict[str, Any], batch_id: int) -> Action:
    if row["stage"] != "input" and _done(db, row):
        return "skipped"
    if db.execute(
        "SELECT 1 FROM failures WHERE article_id = ? AND work_key = ? AND batch_id = ?",
        (row["article_id"], row["work_key"], batch_id),
    ).fetchone():
        return "already"
    partial = _with_calls(Result.model_validate_json(row["partial"]), row["calls"]) if row["partial"] else None
    writes.save_failure(
        db,
        _article_of(row),
        work_key=row["work_key"],
        stage=row["stage"],
        error=row["error"],
        batch_id=batch_id,
        model=row["model"],
        usage=_usage_of(row),
        latency=row["seconds"],
        cost=row["cost"],
        partial=partial,
    )
    return "imported"


def _batch_row(store: Store, manifest: dict[str, Any]) -> int:
    """The store's batch row for this distributed batch: found by its id, else added (still `running` until
    the import finishes)."""
    found = store.execute("SELECT id FROM batches WHERE json_extract(options, '$.batch') = ?", (manifest["batch"],))
    if found:
        return int(found[0][0])
    with store.transaction() as db:
        return work.insert_batch(
            db,
            model=manifest.get("model"),
            base_url=manifest.get("base_url"),
            strategy=manifest.get("strategy"),
            options={**manifest.get("options", {}), "batch": manifest["batch"], "engine": "ray"},
        )


def batch_counts(source: str) -> dict[str, Any]:
    """The batch's totals, as `claimx batch` records them, from its rows."""
    counts: dict[str, Any] = {"extracted": 0, "partial": 0, "failed": 0, "claims": 0, "llm_calls": 0}
    counts |= {"prompt_tokens": 0, "completion_tokens": 0, "cost": 0.0}
    for row in read_records(source, RUNS, ["status", "claims", *USAGE, "cost"]):
        counts["extracted" if row["status"] == "complete" else "partial"] += 1
        counts["claims"] += row["claims"]
        _add_costs(counts, row)
    for row in read_records(source, FAILURES, [*USAGE, "cost"]):
        counts["failed"] += 1
        _add_costs(counts, row)
    counts["articles"] = counts["extracted"] + counts["partial"] + counts["failed"]
    counts["cost"] = round(counts["cost"], 6)
    return counts


def _add_costs(counts: dict[str, Any], row: dict[str, Any]) -> None:
    for key in ("llm_calls", "prompt_tokens", "completion_tokens", "cost"):
        counts[key] += row[key] or 0


def _unfinished(store: Store, batch_id: int) -> bool:
    return bool(store.execute("SELECT 1 FROM batches WHERE id = ? AND status != 'finished'", (batch_id,)))


def import_batch(store: Store, source: str) -> ImportOutcome:
    """Merge a finished distributed batch's output folder into the store (see the module's docstring)."""
    manifest = read_manifest(source)
    if manifest is None:
        raise StoreError(
            f"no {MANIFEST} in {source}: not the output of a finished distributed batch (it is written last; "
            "run the batch again to finish it)"
        )
    outcome = ImportOutcome(source=source, batch=manifest["batch"])
    batch_id: int | None = None
    for name, one, tally in ((RUNS, _import_run, outcome.runs), (FAILURES, _import_failure, outcome.failures)):
        for row in read_records(source, name):
            if batch_id is None:
                batch_id = _batch_row(store, manifest)
            with store.transaction() as db:
                tally[one(db, row, batch_id)] += 1
    outcome.batch_id = batch_id
    if batch_id is not None and (outcome.changed or _unfinished(store, batch_id)):
        store.finish_batch(batch_id, "finished", batch_counts(source))
    return outcome


# ---------------------------------------------------------------------------------------------
# What a distributed batch needs to know of a store before it runs


@dataclass(frozen=True)
class Known:
    """Work a store holds, as a distributed batch's articles look it up (`batch.article.Ledger`): complete runs'
    ids by (article id, cache key) and, for URL articles, by (article id, work key); partial runs' results by
    (article id, cache key), which the next attempt resumes. A distributed batch takes no lease: the store
    it will be imported into is not where it runs."""

    runs: dict[tuple[str, str], int] = field(default_factory=dict)
    work: dict[tuple[str, str], int] = field(default_factory=dict)
    partials: dict[tuple[str, str], str] = field(default_factory=dict)

    def claim(self, article_id: str, key: str, *, by_url: bool) -> LeaseState:
        return "done" if by_url and (article_id, key) in self.work else "taken"

    def done(self, article_id: str, key: str) -> int | None:
        return self.work.get((article_id, key))

    def complete(self, article_id: str, ckey: str) -> int | None:
        return self.runs.get((article_id, ckey))

    def partial(self, article_id: str, ckey: str) -> Result | None:
        found = self.partials.get((article_id, ckey))
        return Result.model_validate_json(found) if found is not None else None

    def identical(self, ckey: str) -> int | None:
        return None  # identical work of another article is extracted again: the actors hold no results to copy

    def release(self, article_id: str, key: str) -> None:
        return None


def known_work(store: Store) -> Known:
    known = Known()
    for row in store.execute("SELECT id, article_id, cache_key, work_key, status, result FROM runs ORDER BY id"):
        if row["status"] == "complete":
            known.runs[(row["article_id"], row["cache_key"])] = row["id"]
            known.work[(row["article_id"], row["work_key"])] = row["id"]
        else:
            known.partials[(row["article_id"], row["cache_key"])] = row["result"]
    return known
