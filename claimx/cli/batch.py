"""`claimx batch`: many articles into the claim store, resumable, with progress, cost and exit status."""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import FrameType

import click
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from claimx import errors, inputs
from claimx.batch import ArticleOutcome, BatchOutcome, Price, arun_batch, load_prices, parse_budget, parse_price
from claimx.batch.prices import PRICES_DATE
from claimx.cli.distributed import ray_batch
from claimx.cli.options import (
    CONTEXT,
    calls_option,
    db_option,
    endpoint_options,
    language_options,
    length_options,
    verbose_option,
)
from claimx.cli.render import EXIT_INTERRUPTED, EXIT_TERMINATED, EXIT_UNFINISHED, err, fail
from claimx.fetch import MAX_FETCH_BYTES
from claimx.inputs import ArticleInput
from claimx.settings import settings_from
from claimx.store import open_store


@contextmanager
def _sigterm_as_ctrl_c(received: list[int]) -> Iterator[None]:
    """While the batch runs, a SIGTERM (a service manager, `timeout`, `kill`) stops it the way Ctrl-C
    does: through the SIGINT handler in force (asyncio's cancels the batch, which is then closed as
    interrupted in the store), instead of ending the process with the batch left `running`. The
    signals are noted in `received`; the previous handler is restored after."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread handles signals
        yield
        return

    def terminate(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        handler = signal.getsignal(signal.SIGINT)
        if not callable(handler):  # SIGINT ignored or left to the system: stop here all the same
            raise KeyboardInterrupt
        handler(signal.SIGINT, frame)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _collect(
    sources: tuple[str, ...],
    url_lists: tuple[Path, ...],
    stdin_format: str,
    published: str | None,
    publisher: str | None,
) -> list[ArticleInput]:
    found = list(inputs.iter_inputs(sources, stdin_format=stdin_format))  # type: ignore[arg-type]
    for path in url_lists:
        found += list(inputs.read_url_list(path))
    if published or publisher:
        default_date = inputs.parse_date(published)
        found = [replace(a, published=a.published or default_date, publisher=a.publisher or publisher) for a in found]
    return found


def _prices(price_specs: tuple[str, ...], price_file: Path | None) -> dict[str, Price]:
    table = load_prices(price_file) if price_file else {}
    table.update(dict(parse_price(spec) for spec in price_specs))
    return table


class _Bar:
    """A rich progress bar with ETA, claims found, tokens and estimated cost so far."""

    def __init__(self, total: int, show: bool) -> None:
        self.claims = self.tokens = self.failed = self.partial = self.cached = self.skipped = 0
        self.cost = 0.0
        self.progress = Progress(
            TextColumn("[bold]batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[stats]}"),
            console=err,
            disable=not show,
        )
        self.task = self.progress.add_task("articles", total=total, stats=self._stats())

    def _stats(self) -> str:
        text = f"{self.claims} claims · {self.tokens:,} tok · ${self.cost:.4f}"
        if self.cached:
            text += f" · {self.cached} cached"
        if self.skipped:
            text += f" · {self.skipped} done before"
        if self.partial:
            text += f" · [yellow]{self.partial} partial[/]"
        if self.failed:
            text += f" · [red]{self.failed} failed[/]"
        return text

    def update(self, outcome: ArticleOutcome) -> None:
        if outcome.status != "skipped":
            self.claims += outcome.claims
        self.tokens += outcome.usage.prompt_tokens + outcome.usage.completion_tokens
        self.cost += outcome.cost
        self.failed += outcome.status == "failed"
        self.partial += outcome.status == "partial"
        self.cached += outcome.status == "cached"
        self.skipped += outcome.status == "skipped"
        if outcome.status == "failed" and not self.progress.disable:
            self.progress.console.print(
                f"[red]failed[/] {outcome.article_id} ({outcome.origin}): {outcome.error}",
                highlight=False,
                markup=True,
                soft_wrap=True,
            )
        self.progress.update(self.task, advance=1, stats=self._stats())


def _print_report(report: BatchOutcome) -> None:
    err.print(report.summary(), highlight=False, soft_wrap=True)
    unfinished = report.unfinished
    for outcome in unfinished[:20]:
        err.print(
            f"  {outcome.status} {outcome.article_id} ({outcome.origin}) [{outcome.stage}]: {outcome.error}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    if len(unfinished) > 20:
        err.print(f"  … and {len(unfinished) - 20} more: see the failures table in {report.db}")
    if unfinished:
        err.print("run the same command again to retry them: finished calls and claims are kept, not repeated")
    elif report.status == "stopped":
        err.print("run the same command again (with a --budget for what is left) to go on")


@click.command("batch", context_settings=CONTEXT)
@click.argument("sources", nargs=-1, metavar="[FILE|DIR|URL|-]...")
@db_option
@click.option(
    "--urls",
    "url_lists",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file of URLs, one per line (# comments allowed). Repeatable.",
)
@click.option(
    "--stdin-format",
    type=click.Choice(["text", "jsonl", "csv"]),
    default="text",
    show_default=True,
    help="How to read - (stdin): one article, or a JSONL/CSV table of articles.",
)
@endpoint_options
@language_options
@click.option("--published", help="Publication date YYYY-MM-DD for articles that do not give one.")
@click.option("--publisher", help="Publisher for articles that do not give one.")
@click.option(
    "-j",
    "--concurrency",
    type=click.IntRange(min=1),
    default=4,
    show_default=True,
    help="Articles whose LLM calls are in flight at once (at most their product with --calls-per-article reaches "
    "the server at once; with the whole strategy, one call each). Set it to the server's parallel slots: claimx "
    "prepares and stores other articles meanwhile, so the server never waits for it.",
)
@click.option(
    "--fixed-concurrency",
    is_flag=True,
    help="Keep that many requests in flight whatever the server says. By default claimx sends fewer while the "
    "server answers 429/503 or its latency climbs, and more again (up to that many) as it recovers.",
)
@click.option(
    "--budget",
    metavar="AMOUNT",
    help="Spend at most this in this run: tokens (200000, 200k, 1.5M) or US dollars ($5, 5usd; needs the model's "
    "price). No article starts whose estimated cost would take the run over it; the batch stops there "
    "(exit 3) and the same command goes on later. Articles already in flight may spend beyond their estimate "
    "(re-asks).",
)
@calls_option
@click.option(
    "--rpm",
    "--requests-per-minute",
    "rpm",
    type=click.FloatRange(min=0, min_open=True),
    help="At most this many LLM requests in any minute.",
)
@click.option(
    "--tpm",
    "--tokens-per-minute",
    "tpm",
    type=click.FloatRange(min=0, min_open=True),
    help="At most this many tokens (prompt + completion, estimated before each article and "
    "corrected after) in any minute.",
)
@click.option(
    "--price",
    "price_specs",
    multiple=True,
    metavar="MODEL=IN,OUT",
    help="Dollars per million prompt and completion tokens, for the cost and --budget. Repeatable. Wins over the "
    f"built-in table of common hosted models' list prices (as of {PRICES_DATE}, not kept current: check them); "
    "models in neither and the local model cost 0.",
)
@click.option(
    "--prices",
    "price_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='A JSON price table: {"MODEL": {"input": 0.15, "output": 0.6}}.',
)
@length_options
@click.option(
    "--max-input-bytes",
    type=click.IntRange(min=1),
    help="Largest input accepted, in bytes, checked before HTML is reduced (env CLAIMX_MAX_INPUT_BYTES, default 5e6).",
)
@click.option("--max-reasks", type=int, help="Validation re-asks per call (default 2).")
@click.option("--retry-attempts", type=click.IntRange(min=1), help="Attempts per call on 429/5xx/timeouts (default 6).")
@click.option(
    "--retry-max-seconds",
    type=click.FloatRange(min=0, min_open=True),
    help="Time budget for those attempts (default 600).",
)
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), help="Seconds to wait for one response.")
@click.option(
    "--max-fetch-bytes",
    type=click.IntRange(min=1),
    default=MAX_FETCH_BYTES,
    show_default=True,
    help="Largest web page fetched for a URL.",
)
@click.option(
    "--no-log", is_flag=True, help="Keep no audit log of the LLM requests (`claimx logs`: prompts and raw answers)."
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="local: this process. ray: Ray Data (pip install 'claimx[ray]'; a local Ray, or the cluster of RAY_ADDRESS "
    "or `ray job submit`) reads JSONL/CSV/Parquet files or folders, local or s3://…, extracts them on an actor pool "
    "(-j articles per actor), writes Parquet datasets to --output, and imports them into --db (see `claimx store "
    "import`). --rpm, --tpm and --urls are local only.",
)
@click.option(
    "--output",
    metavar="DIR",
    envvar="CLAIMX_RAY_OUTPUT",
    help="With --engine ray: the new folder (or s3://…, gs://… URI on a cluster) the Parquet datasets are written to "
    "[env: CLAIMX_RAY_OUTPUT; default: a new claimx-ray-<time> folder beside --db].",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar; only the summary.")
@verbose_option
def batch_command(
    *,
    sources: tuple[str, ...],
    db: Path,
    url_lists: tuple[Path, ...],
    stdin_format: str,
    model: str | None,
    base_url: str | None,
    strategy: str | None,
    mode: str | None,
    published: str | None,
    publisher: str | None,
    concurrency: int,
    fixed_concurrency: bool,
    budget: str | None,
    calls_per_article: int | None,
    language: str | None,
    fields_language: str | None,
    rpm: float | None,
    tpm: float | None,
    price_specs: tuple[str, ...],
    price_file: Path | None,
    max_chars: int | None,
    max_calls: int | None,
    context_tokens: int | None,
    max_input_bytes: int | None,
    max_reasks: int | None,
    retry_attempts: int | None,
    retry_max_seconds: float | None,
    timeout: float | None,
    max_fetch_bytes: int,
    no_log: bool,
    engine: str,
    output: str | None,
    quiet: bool,
) -> None:
    """Extract claims from many articles into the claim store.

    SOURCES are files (.txt, .md, .html), folders (searched recursively for .txt .html .htm .md
    .json .jsonl .csv), JSONL/CSV/JSON tables with columns id, text, published, publisher, url
    (text or url required), http(s) URLs, and - for stdin.

    Finished articles are committed within a moment (those that finish together in one
    transaction), each whole or not at all: stop the batch any time (Ctrl-C, even kill -9) and run
    the same command again to resume. Nothing is duplicated, finished articles are skipped, failed
    ones are retried, and identical work (same text, model, prompts, schema and parameters) is
    served from the store with no LLM call.

    Exit status: 0 all done, 3 some articles failed or are partial (listed, with reasons; a partial
    article keeps its claims, and the next run sends only its missing calls) or the --budget was
    reached before every article started (run the same command again to go on), 1 the batch stopped
    (bad credentials, unknown model), 2 bad arguments, 130 interrupted (Ctrl-C), 143 terminated
    (SIGTERM; closed the same way, so the batch is recorded as interrupted).

    \b
    Examples:
      claimx batch articles/ --db claims.db
      claimx batch feed.jsonl --model gpt-4o-mini --base-url https://api.openai.com/v1 \\
          -j 8 --rpm 500 --tpm 200000 --price gpt-4o-mini=0.15,0.60 --budget '$2'
      claimx batch --urls urls.txt --publisher Reuters
      cat articles.csv | claimx batch - --stdin-format csv
      claimx batch feed.jsonl --engine ray -j 8 --output ray-out/ --db claims.db
      claimx batch s3://bucket/articles/ --engine ray --output s3://bucket/claimx/run1/ \
          -m gpt-4o-mini --base-url https://api.openai.com/v1
    """
    if not sources and not url_lists:
        raise click.UsageError("give at least one FILE, DIR, URL or - (or --urls FILE)")
    try:
        settings = settings_from(
            model=model,
            base_url=base_url,
            strategy=strategy,
            mode=mode,
            max_chars=max_chars,
            max_calls=max_calls,
            context_tokens=context_tokens,
            max_input_bytes=max_input_bytes,
            max_reasks=max_reasks,
            concurrency=calls_per_article,
            language=language,
            fields_language=fields_language,
            retry_attempts=retry_attempts,
            retry_max_seconds=retry_max_seconds,
            timeout=timeout,
        )
        prices = _prices(price_specs, price_file)
        spend = parse_budget(budget) if budget else None
        if engine == "ray":
            return ray_batch(
                sources,
                db=db,
                output=output,
                settings=settings,
                concurrency=concurrency,
                prices=prices,
                max_fetch_bytes=max_fetch_bytes,
                log_calls=not no_log,
                published=inputs.parse_date(published),
                publisher=publisher,
                unsupported={"--rpm": rpm, "--tpm": tpm, "--urls": url_lists, "--budget": budget},
            )
        if output is not None:
            raise click.UsageError("--output is for --engine ray (the local engine writes to --db)")
        articles = _collect(sources, url_lists, stdin_format, published, publisher)
    except (ValueError, errors.ConfigurationError) as exc:  # settings, dates, prices
        raise click.UsageError(str(exc)) from exc
    bar = _Bar(total=len({a.id for a in articles}), show=not quiet)
    terminated: list[int] = []
    try:
        with _sigterm_as_ctrl_c(terminated), open_store(db) as store, bar.progress:
            report = asyncio.run(
                arun_batch(
                    articles,
                    store,
                    settings=settings,
                    concurrency=concurrency,
                    requests_per_minute=rpm,
                    tokens_per_minute=tpm,
                    prices=prices,
                    on_outcome=bar.update,
                    max_fetch_bytes=max_fetch_bytes,
                    log_calls=not no_log,
                    adaptive=not fixed_concurrency,
                    budget=spend,
                )
            )
    except KeyboardInterrupt:
        err.print(
            f"{'terminated' if terminated else 'interrupted'}: every finished article is saved in {db}; "
            "run the same command again to resume",
            soft_wrap=True,
        )
        sys.exit(EXIT_TERMINATED if terminated else EXIT_INTERRUPTED)
    except errors.ClaimxError as exc:
        raise fail(exc) from exc
    _print_report(report)
    if report.status == "aborted":
        raise click.ClickException(f"the batch stopped: {report.error}")
    if report.unfinished or report.status == "stopped":
        sys.exit(EXIT_UNFINISHED)
