"""Many articles on Ray Data, beyond one process: a cluster (or this machine's cores) reads the articles as a
Ray Dataset, extracts them in `map_batches` on a pool of actors, and writes runs, claims and failures as
Parquet datasets (`claimx.store.imports`), which `claimx store import` merges into a store. Ray is an
optional extra: `pip install 'claimx[ray]'`.

    >>> from claimx.batch.distributed import run_distributed
    >>> outcome = run_distributed(["s3://bucket/articles/"], "s3://bucket/claimx-out/",
    ...                           model="gpt-4o-mini", base_url="https://api.openai.com/v1", concurrency=8)
    >>> print(outcome.summary())

Each article goes through the steps of a single-process batch (`article.Steps`, which `runner.Batch` takes
too; the store's complete and partial runs as `Known` before the batch began): a bad record or a page that
cannot be fetched is a failure of that stage, an extraction with calls that gave no usable answer is kept as
a partial run, one with none is a failure, and an error that would fail every article alike (a bad key, an
unknown model) stops the batch. Given the store it will be imported into, work the store holds complete is
skipped and a partial run is resumed (only its failed calls are sent again), as `claimx batch` does.

A worker that dies (a killed process, a lost node) loses nothing: Ray Data restarts the actors of its pools
and retries their tasks (`max_restarts=-1`, `max_task_retries=-1` are its defaults), so the blocks the worker
held are extracted again, and the outcomes are materialized once before they are written, so every article
has exactly one row (tests/test_ray.py kills the workers mid-batch).
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimx import errors, fetch
from claimx.batch.article import Extracted, Failed, Steps
from claimx.batch.prices import Price
from claimx.extraction.identity import endpoint, fingerprint
from claimx.inputs import ArticleInput, article_id, from_record
from claimx.settings import Settings, settings_from
from claimx.store import Store
from claimx.store.imports import (
    CLAIMS,
    FAILURES,
    RUNS,
    Known,
    batch_counts,
    claim_records,
    claims_schema,
    failure_record,
    failures_schema,
    known_work,
    read_manifest,
    run_record,
    runs_schema,
    write_manifest,
)

if TYPE_CHECKING:
    import pyarrow
    from ray.data import Dataset

FORMATS = {".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet"}
# An actor mostly waits for the model: half a CPU each leaves the rest to reading and writing (an actor pool
# that took every CPU would starve the reads it waits for).
ACTOR_CPUS = 0.5
SKIPPED: dict[str, Any] = {"run": None, "failure": None, "fatal": None}  # work the store holds complete
Defaults = tuple[date | None, str | None]  # the publication date and publisher of articles that give none
ARTICLE_FIELDS = ("id", "text", "url", "published", "publisher", "origin", "problem")


def _ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:
        raise errors.MissingExtraError("the Ray engine needs Ray Data, an extra: pip install 'claimx[ray]'") from None
    return ray


# ---------------------------------------------------------------------------------------------
# Reading


def input_files(sources: Iterable[str | Path]) -> dict[str, list[str]]:
    """The files to read, by format: JSONL, CSV or Parquet files, and folders (any depth, hidden entries left
    out) holding them; local paths or URIs pyarrow can list (s3://, gs://, …)."""
    import pyarrow.fs

    found: dict[str, list[str]] = {}
    for source in sources:
        name = str(source)
        if "://" in name:
            fs, path = pyarrow.fs.FileSystem.from_uri(name)
            scheme = name.split("://", 1)[0] + "://"
        else:
            fs, path, scheme = pyarrow.fs.LocalFileSystem(), str(Path(name).absolute()), ""
        info = fs.get_file_info(path)
        if info.type == pyarrow.fs.FileType.NotFound:
            raise errors.InputError(f"{name} is not a file or folder of articles")
        folder = info.type == pyarrow.fs.FileType.Directory
        listed = fs.get_file_info(pyarrow.fs.FileSelector(path, recursive=True)) if folder else []
        for file in sorted(f.path for f in listed if f.is_file) if folder else [path]:
            kind = FORMATS.get(Path(file).suffix.lower())
            if kind is None and not folder:
                raise errors.InputError(f"{name}: the Ray engine reads .jsonl, .csv and .parquet files")
            hidden = any(part.startswith(".") for part in Path(file[len(path) :]).parts)
            if kind is not None and not hidden:
                found.setdefault(kind, []).append(scheme + file)
    if not found:
        raise errors.InputError("no .jsonl, .csv or .parquet file in the sources given")
    return found


def _article_row(article: ArticleInput) -> dict[str, Any]:
    return {name: getattr(article, name) for name in ARTICLE_FIELDS}


def _article_of(row: dict[str, Any]) -> ArticleInput:
    return ArticleInput(**{name: row[name] for name in ARTICLE_FIELDS})


def _articles_schema() -> pyarrow.Schema:
    import pyarrow as pa

    return pa.schema([(name, pa.date32() if name == "published" else pa.string()) for name in ARTICLE_FIELDS])


def _table(articles: Iterable[ArticleInput], defaults: Defaults) -> pyarrow.Table:
    import pyarrow as pa

    published, publisher = defaults
    rows = [
        _article_row(replace(a, published=a.published or published, publisher=a.publisher or publisher))
        for a in articles
    ]
    return pa.Table.from_pylist(rows, schema=_articles_schema())


def _line(line: str, origin: str) -> ArticleInput:
    """A JSONL line as an article: one that is not JSON is a record with a problem, as in `inputs.read_jsonl`."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return ArticleInput(article_id(text=line), origin=origin, problem=f"not valid JSON: {exc}")
    return from_record(record, origin)


def _from_lines(block: pyarrow.Table, defaults: Defaults) -> pyarrow.Table:
    return _table((_line(r["text"], r["path"]) for r in block.to_pylist()), defaults)


def _from_records(block: pyarrow.Table, defaults: Defaults) -> pyarrow.Table:
    """Table rows (CSV, Parquet) as articles, with the columns `claimx batch` reads (`inputs.from_record`)."""
    rows = block.to_pylist()
    return _table((from_record({k: v for k, v in r.items() if k != "path"}, r["path"]) for r in rows), defaults)


def read_articles(
    sources: Iterable[str | Path], *, published: date | None = None, publisher: str | None = None
) -> Dataset:
    """The articles in JSONL, CSV and Parquet files as one Ray Dataset of `ArticleInput` fields, with `published`
    and `publisher` for those that give none. JSONL is read line by line so a bad line fails alone; CSV and
    Parquet with Arrow's readers (every CSV column as text, quoted newlines allowed). An article's origin is its
    file."""
    ray = _ray()
    import pyarrow as pa
    import pyarrow.csv

    parts = []
    for kind, files in input_files(sources).items():
        if kind == "jsonl":
            read, parse = ray.data.read_text(files, include_paths=True), _from_lines
        elif kind == "csv":
            read = ray.data.read_csv(
                files,
                include_paths=True,
                parse_options=pyarrow.csv.ParseOptions(newlines_in_values=True),
                convert_options=pyarrow.csv.ConvertOptions(column_types=dict.fromkeys(ARTICLE_FIELDS[:5], pa.string())),
            )
            parse = _from_records
        else:
            read, parse = ray.data.read_parquet(files, include_paths=True), _from_records
        parts.append(read.map_batches(parse, batch_format="pyarrow", fn_kwargs={"defaults": (published, publisher)}))
    first, *rest = parts
    dataset: Dataset = first.union(*rest) if rest else first
    return dataset


# ---------------------------------------------------------------------------------------------
# Extracting


class ArticleWorker(Steps):
    """One actor of the pool: the batch's `Steps` (one event loop, one client for pages, one `LLM` whose
    requests pass the actor's own gate) with at most `concurrency` articles in flight. Ray Data hands it
    blocks of articles and gets back one outcome row each (a run or a failure)."""

    def __init__(
        self,
        settings: Settings,
        *,
        batch: str,
        known: Known,
        concurrency: int,
        prices: dict[str, Price] | None,
        max_fetch_bytes: int,
        log_calls: bool,
    ) -> None:
        super().__init__(
            settings, concurrency=concurrency, prices=prices, max_fetch_bytes=max_fetch_bytes, log_calls=log_calls
        )
        self.batch = batch
        self.known = known
        self.loop = asyncio.new_event_loop()
        self.slots = asyncio.Semaphore(concurrency)
        self.fatal: str | None = None

    def __call__(self, block: pyarrow.Table) -> pyarrow.Table:
        import pyarrow as pa

        articles = [_article_of(row) for row in block.to_pylist()]
        rows = self.loop.run_until_complete(self._all(articles))
        return pa.Table.from_pylist(rows, schema=_outcomes_schema())

    async def _all(self, articles: list[ArticleInput]) -> list[dict[str, Any]]:
        async def one(article: ArticleInput) -> dict[str, Any]:
            async with self.slots:
                return await self._one(article)

        return await asyncio.gather(*(one(a) for a in articles))

    async def _one(self, article: ArticleInput) -> dict[str, Any]:
        """The article's outcome row: a run, a failure, neither for work the store holds complete, or the
        error that stops the batch (Ray Data would pass an exception raised here on as its own)."""
        if self.fatal is not None:
            return {**SKIPPED, "fatal": self.fatal}
        by_url = article.text is None
        attempt = await self.attempt(article, self.known)
        if isinstance(attempt, Extracted):
            record = run_record(
                attempt.article,
                attempt.result,
                batch=self.batch,
                by_url=by_url,
                work_key=attempt.key,
                cache_key=attempt.ckey,
                usage=attempt.usage,
                seconds=attempt.seconds,
                cost=attempt.cost,
            )
            return {"run": record, "failure": None, "fatal": None}
        if (
            isinstance(attempt, Failed) and attempt.fatal is not None
        ):  # every article would fail alike: the driver stops
            self.fatal = f"{attempt.fatal}: {attempt.error}"
            return {**SKIPPED, "fatal": self.fatal}
        if isinstance(attempt, Failed):
            failure = failure_record(
                attempt.article,
                batch=self.batch,
                by_url=by_url,
                work_key=attempt.key,
                cache_key=attempt.ckey,
                stage=attempt.stage,
                error=attempt.error,
                model=self.model,
                usage=attempt.usage,
                seconds=attempt.seconds,
                cost=attempt.cost,
                partial=attempt.partial,
            )
            return {"run": None, "failure": failure, "fatal": None}
        return SKIPPED  # work the store holds complete (no budget here, so every article is attempted)


def _outcomes_schema() -> pyarrow.Schema:
    import pyarrow as pa

    return pa.schema(
        [
            ("run", pa.struct(list(runs_schema()))),
            ("failure", pa.struct(list(failures_schema()))),
            ("fatal", pa.string()),  # "ErrorClass: message" of an error that stops the batch
        ]
    )


def _part(name: str) -> Any:
    """The rows of one kind (`run` or `failure`) of an outcomes block, as a flat table."""

    def part(block: pyarrow.Table) -> pyarrow.Table:
        import pyarrow as pa
        import pyarrow.compute as pc

        column = block.column(name).combine_chunks()
        schema = runs_schema() if name == "run" else failures_schema()
        return pa.Table.from_struct_array(column.filter(pc.is_valid(column))).cast(schema)

    return part


def _claims(block: pyarrow.Table) -> pyarrow.Table:
    import pyarrow as pa

    return pa.Table.from_pylist([c for run in block.to_pylist() for c in claim_records(run)], schema=claims_schema())


# ---------------------------------------------------------------------------------------------
# The batch


@dataclass
class DistributedOutcome:
    """What a distributed batch wrote to `output`; `counts` are its totals as `claimx batch` records them."""

    batch: str
    output: str
    counts: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def skipped(self) -> int:
        return int(self.counts.get("skipped", 0))

    @property
    def unfinished(self) -> int:
        """Articles left partial or failed: the next batch over the same input (with the store) retries them."""
        return int(self.counts.get("partial", 0) + self.counts.get("failed", 0))

    def summary(self) -> str:
        c = self.counts
        return (
            f"batch {self.batch} on Ray: {c['articles'] + self.skipped} article(s) — {c['extracted']} extracted, "
            f"{self.skipped} already done, {c['partial']} partial, {c['failed']} failed; {c['claims']} claim(s), "
            f"{c['llm_calls']} LLM call(s), "
            f"{c['prompt_tokens']}+{c['completion_tokens']} tokens, ${c['cost']:.4f}, {self.seconds:.1f} s → "
            f"{self.output} (import it with `claimx store import {self.output}`)"
        )


def run_distributed(
    sources: Sequence[str | Path],
    output: str | Path,
    *,
    settings: Settings | None = None,
    store: Store | None = None,
    actors: int | None = None,
    concurrency: int = 4,
    prices: dict[str, Price] | None = None,
    max_fetch_bytes: int = fetch.MAX_FETCH_BYTES,
    log_calls: bool = True,
    published: date | None = None,
    publisher: str | None = None,
    **options: Any,
) -> DistributedOutcome:
    """Extract claims from the articles in `sources` (JSONL, CSV, Parquet files or folders; local or object-store
    URIs Ray can read) on Ray, into Parquet datasets under `output` (a new folder; see `claimx.store.imports`).

    Runs on the cluster Ray connects to (`ray.init()`: RAY_ADDRESS, a `ray job submit` job, else a local Ray).
    `actors` is the size of the actor pool (default: from one up to the cluster's CPUs), `concurrency` the
    articles each actor has in flight; `published` and `publisher` are for articles that give none. With
    `store`, the store the output will be imported into, its complete work is skipped and its partial runs
    resumed. `options` are `Settings` fields used when `settings` is not
    given. Returns the batch's counts; `import_batch` (or `claimx store import`) merges it into a store.
    """
    ray = _ray()
    settings = settings or settings_from(**options)
    print_ = fingerprint(settings)  # raises ConfigurationError before any work
    if concurrency < 1 or (actors is not None and actors < 1):
        raise errors.ConfigurationError("concurrency and actors must be at least 1")
    target = str(output)
    if read_manifest(target) is not None:
        raise errors.ConfigurationError(
            f"{target} already holds a finished batch: import it (claimx store import {target}) and give a new output"
        )
    batch, started, clock = uuid.uuid4().hex, datetime.now().astimezone(), time.monotonic()
    articles = read_articles(sources, published=published, publisher=publisher)
    # Blocks of `concurrency` articles: one block keeps one actor busy, and many blocks spread over the pool.
    articles = articles.repartition(target_num_rows_per_block=concurrency)
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    size = {"size": actors} if actors else {"min_size": 1, "max_size": cpus}
    pool = ray.data.ActorPoolStrategy(**size, max_tasks_in_flight_per_actor=2)
    outcomes = articles.map_batches(
        ArticleWorker,
        fn_constructor_args=(settings,),
        fn_constructor_kwargs={
            "batch": batch,
            "known": known_work(store) if store is not None else Known(),
            "concurrency": concurrency,
            "prices": prices,
            "max_fetch_bytes": max_fetch_bytes,
            "log_calls": log_calls,
        },
        compute=pool,
        num_cpus=ACTOR_CPUS,
        batch_size=None,
        batch_format="pyarrow",
    )
    done = outcomes.materialize()
    for row in done.select_columns(["fatal"]).iter_rows():
        if row["fatal"] is not None:
            raise _stopped(row["fatal"])
    done.map_batches(_part("run"), batch_format="pyarrow").write_parquet(f"{target.rstrip('/')}/{RUNS}")
    done.map_batches(_part("failure"), batch_format="pyarrow").write_parquet(f"{target.rstrip('/')}/{FAILURES}")
    runs = done.map_batches(_part("run"), batch_format="pyarrow")
    runs.map_batches(_claims, batch_format="pyarrow").write_parquet(f"{target.rstrip('/')}/{CLAIMS}")
    seconds = time.monotonic() - clock
    write_manifest(
        target,
        {
            "batch": batch,
            "model": print_["model"],
            "base_url": endpoint(settings).base_url,
            "strategy": print_["strategy"],
            "options": {"actors": actors, "concurrency": concurrency, "parameters": print_["parameters"]},
            "started_at": started.isoformat(),
            "seconds": round(seconds, 3),
        },
    )
    counts = batch_counts(target)
    counts["skipped"] = done.count() - counts["articles"]
    return DistributedOutcome(batch=batch, output=target, counts=counts, seconds=seconds)


def _stopped(fatal: str) -> errors.ClaimxError:
    """The error a worker stopped on ("AuthenticationError: …"), as its claimx type."""
    name, _, message = fatal.partition(": ")
    kind = getattr(errors, name, errors.ClaimxError)
    return (
        kind(message) if isinstance(kind, type) and issubclass(kind, errors.ClaimxError) else errors.ClaimxError(fatal)
    )
