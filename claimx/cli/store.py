"""`claimx batch | show | claims | verify | export`: the claim store from the command line.

Each command is a thin layer over `claimx.batch`, `claimx.store` and `claimx.export`. They are
registered on the main `claimx` group; `python -m claimx.cli_store COMMAND …` runs them alone.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from claimx import errors, inputs
from claimx.store import export
from claimx.batch import ArticleOutcome, BatchOutcome, Price, arun_batch, load_prices, parse_price
from claimx.cli.options import db_option, endpoint_options
from claimx.inputs import ArticleInput
from claimx.settings import settings_from
from claimx.result import Result, Stance, Verdict
from claimx.store import Store, StoredClaim, list_claims, open_store, show
from claimx.store import verify as store_verify

err = Console(stderr=True)
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
STANCES = [s.value for s in Stance]
VERDICTS = [v.value for v in Verdict]
EXIT_FAILED_ARTICLES = 3
EXIT_INTERRUPTED = 130

def _open(db: Path) -> Store:
    try:
        return open_store(db)
    except errors.ClaimxError as exc:
        raise click.ClickException(str(exc)) from exc


def _fail(exc: errors.ClaimxError) -> click.ClickException:
    return click.UsageError(str(exc)) if isinstance(exc, errors.InputError) else click.ClickException(str(exc))


# ---------------------------------------------------------------------------------------------
# batch


def _collect(sources: tuple[str, ...], url_lists: tuple[Path, ...], stdin_format: str, published: str | None,
             publisher: str | None) -> list[ArticleInput]:
    found = list(inputs.iter_inputs(sources, stdin_format=stdin_format))  # type: ignore[arg-type]
    for path in url_lists:
        found += list(inputs.read_url_list(path))
    if published or publisher:
        default_date = inputs.parse_date(published)
        found = [replace(a, published=a.published or default_date, publisher=a.publisher or publisher)
                 for a in found]
    return found


def _prices(price_specs: tuple[str, ...], price_file: Path | None) -> dict[str, Price]:
    table = load_prices(price_file) if price_file else {}
    table.update(dict(parse_price(spec) for spec in price_specs))
    return table


class _Bar:
    """A rich progress bar with ETA, claims found, tokens and estimated cost so far."""

    def __init__(self, total: int, show: bool) -> None:
        self.claims = self.tokens = self.failed = self.cached = self.skipped = 0
        self.cost = 0.0
        self.progress = Progress(
            TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("ETA"),
            TimeRemainingColumn(), TextColumn("{task.fields[stats]}"), console=err, disable=not show,
        )
        self.task = self.progress.add_task("articles", total=total, stats=self._stats())

    def _stats(self) -> str:
        text = f"{self.claims} claims · {self.tokens:,} tok · ${self.cost:.4f}"
        if self.cached:
            text += f" · {self.cached} cached"
        if self.skipped:
            text += f" · {self.skipped} done before"
        if self.failed:
            text += f" · [red]{self.failed} failed[/]"
        return text

    def update(self, outcome: ArticleOutcome) -> None:
        if outcome.status != "skipped":
            self.claims += outcome.claims
        self.tokens += outcome.usage.prompt_tokens + outcome.usage.completion_tokens
        self.cost += outcome.cost
        self.failed += outcome.status == "failed"
        self.cached += outcome.status == "cached"
        self.skipped += outcome.status == "skipped"
        if outcome.status == "failed" and not self.progress.disable:
            self.progress.console.print(f"[red]failed[/] {outcome.article_id} ({outcome.origin}): {outcome.error}",
                                        highlight=False, markup=True, soft_wrap=True)
        self.progress.update(self.task, advance=1, stats=self._stats())


@click.command("batch", context_settings=CONTEXT)
@click.argument("sources", nargs=-1, metavar="[FILE|DIR|URL|-]...")
@db_option
@click.option("--urls", "url_lists", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A file of URLs, one per line (# comments allowed). Repeatable.")
@click.option("--stdin-format", type=click.Choice(["text", "jsonl", "csv"]), default="text", show_default=True,
              help="How to read - (stdin): one article, or a JSONL/CSV table of articles.")
@endpoint_options
@click.option("--published", help="Publication date YYYY-MM-DD for articles that do not give one.")
@click.option("--publisher", help="Publisher for articles that do not give one.")
@click.option("-j", "--concurrency", type=click.IntRange(min=1), default=4, show_default=True,
              help="Articles processed at once. Set it a little above the server's parallel slots, so the server "
                   "never idles while claimx handles answers.")
@click.option("--calls-per-article", type=click.IntRange(min=1),
              help="LLM calls in flight per article with --strategy sentences (env CLAIMX_CONCURRENCY, default 4). "
                   "At most concurrency × calls-per-article calls reach the server at once.")
@click.option("--rpm", "--requests-per-minute", "rpm", type=click.FloatRange(min=0, min_open=True),
              help="At most this many LLM requests in any minute.")
@click.option("--tpm", "--tokens-per-minute", "tpm", type=click.FloatRange(min=0, min_open=True),
              help="At most this many tokens (prompt + completion, estimated before each article and "
                   "corrected after) in any minute.")
@click.option("--price", "price_specs", multiple=True, metavar="MODEL=IN,OUT",
              help="Dollars per million prompt and completion tokens, for the cost estimate. Repeatable. "
                   "Unlisted models and the local model cost 0.")
@click.option("--prices", "price_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help='A JSON price table: {"MODEL": {"input": 0.15, "output": 0.6}}.')
@click.option("--max-chars", type=int, help="Longest article accepted (env CLAIMX_MAX_CHARS, default 40000).")
@click.option("--max-reasks", type=int, help="Validation re-asks per call (default 2).")
@click.option("--retry-attempts", type=click.IntRange(min=1), help="Attempts per call on 429/5xx/timeouts (default 6).")
@click.option("--retry-max-seconds", type=click.FloatRange(min=0, min_open=True),
              help="Time budget for those attempts (default 600).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), help="Seconds to wait for one response.")
@click.option("--max-fetch-bytes", type=click.IntRange(min=1), default=inputs.MAX_FETCH_BYTES, show_default=True,
              help="Largest web page fetched for a URL.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar; only the summary.")
def batch_command(sources: tuple[str, ...], db: Path, url_lists: tuple[Path, ...], stdin_format: str,
                  model: str | None, base_url: str | None, strategy: str | None, published: str | None,
                  publisher: str | None, concurrency: int, calls_per_article: int | None, rpm: float | None,
                  tpm: float | None, price_specs: tuple[str, ...], price_file: Path | None, max_chars: int | None,
                  max_reasks: int | None, retry_attempts: int | None, retry_max_seconds: float | None,
                  timeout: float | None, max_fetch_bytes: int, quiet: bool) -> None:
    """Extract claims from many articles into the claim store.

    SOURCES are files (.txt, .md, .html), folders (searched recursively for .txt .html .htm .md
    .json .jsonl .csv), JSONL/CSV/JSON tables with columns id, text, published, publisher, url
    (text or url required), http(s) URLs, and - for stdin.

    Each finished article is committed at once: stop the batch any time (Ctrl-C, even kill -9)
    and run the same command again to resume. Nothing is duplicated, finished articles are
    skipped, failed ones are retried, and identical work (same text, model, prompts, schema and
    parameters) is served from the store with no LLM call.

    Exit status: 0 all done, 3 some articles failed (listed, with reasons), 1 the batch stopped
    (bad credentials, unknown model), 130 interrupted.

    \b
    Examples:
      claimx batch articles/ --db claims.db
      claimx batch feed.jsonl --model gpt-4o-mini --base-url https://api.openai.com/v1 \\
          -j 8 --rpm 500 --tpm 200000 --price gpt-4o-mini=0.15,0.60
      claimx batch --urls urls.txt --publisher Reuters
      cat articles.csv | claimx batch - --stdin-format csv
    """
    if not sources and not url_lists:
        raise click.UsageError("give at least one FILE, DIR, URL or - (or --urls FILE)")
    try:
        settings = settings_from(model=model, base_url=base_url, strategy=strategy, max_chars=max_chars,
                                 max_reasks=max_reasks, concurrency=calls_per_article, retry_attempts=retry_attempts,
                                 retry_max_seconds=retry_max_seconds, timeout=timeout)
        prices = _prices(price_specs, price_file)
        articles = _collect(sources, url_lists, stdin_format, published, publisher)
    except (ValueError, errors.ConfigurationError) as exc:  # settings, dates, prices
        raise click.UsageError(str(exc)) from exc
    store = _open(db)
    bar = _Bar(total=len({a.id for a in articles}), show=not quiet)
    try:
        with bar.progress:
            report = asyncio.run(arun_batch(
                articles, store, settings=settings, concurrency=concurrency, requests_per_minute=rpm,
                tokens_per_minute=tpm, prices=prices, on_outcome=bar.update, max_fetch_bytes=max_fetch_bytes,
            ))
    except KeyboardInterrupt:
        err.print(f"interrupted: every finished article is saved in {db}; run the same command again to resume",
                  soft_wrap=True)
        sys.exit(EXIT_INTERRUPTED)
    except errors.ClaimxError as exc:
        raise _fail(exc) from exc
    finally:
        store.close()
    _print_report(report)
    if report.status == "aborted":
        raise click.ClickException(f"the batch stopped: {report.error}")
    if report.failed:
        sys.exit(EXIT_FAILED_ARTICLES)


def _print_report(report: BatchOutcome) -> None:
    err.print(report.summary(), highlight=False, soft_wrap=True)
    for outcome in report.failed[:20]:
        err.print(f"  failed {outcome.article_id} ({outcome.origin}) [{outcome.stage}]: {outcome.error}",
                  highlight=False, markup=False, soft_wrap=True)
    if len(report.failed) > 20:
        err.print(f"  … and {len(report.failed) - 20} more: see the failures table in {report.db}")


# ---------------------------------------------------------------------------------------------
# show


def result_table(result: Result) -> Table:
    """The reviewer's table of `claimx extract --format table`, with claim ids and verdicts."""
    table = Table(title=f"{len(result.claims)} claim(s) — {result.provenance.model} ({result.provenance.strategy})",
                  show_lines=True)
    for column in ("claim id", "claimant ← via", "stance", "actor", "target", "method", "outcome (as claimed)",
                   "grounding", "verdict"):
        table.add_column(column, overflow="fold")
    for claim in result.claims:
        verdict = result.verification_of(claim.id)
        table.add_row(
            claim.id, claim.chain, claim.stance.value, claim.actor or "–", claim.target or "–",
            ", ".join(claim.method) or "–", claim.outcome or "–", ", ".join(e.status.value for e in claim.evidence),
            f"{verdict.verdict.value} ({verdict.by})" if verdict else "unverified",
        )
    return table


@click.command("show", context_settings=CONTEXT)
@click.argument("article_id")
@db_option
@click.option("--run", "run_id", type=int, help="A specific run (default: the article's latest).")
@click.option("--model", help="The latest run made with this model.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def show_command(article_id: str, db: Path, run_id: int | None, model: str | None, fmt: str) -> None:
    """Show an article's stored result: its claims, grounding and verdicts.

    ARTICLE_ID may be a unique prefix (4+ characters). --format json prints the full Result,
    verifications included, the same JSON `claimx extract` gives (so `claimx report` reads it).

    \b
    Examples:
      claimx show 3f2a9c0d1e2b4a5f
      claimx show 3f2a --format json > result.json
    """
    try:
        result = show(article_id, db=db, run_id=run_id, model=model)
    except errors.ClaimxError as exc:
        raise _fail(exc) from exc
    if fmt == "json":
        click.echo(result.model_dump_json(indent=2))
        return
    console = Console()
    article = result.article
    console.print(f"[bold]{article.publisher or 'unknown publisher'}[/], {article.published or 'undated'} — "
                  f"{result.provenance.model} ({result.provenance.strategy}), run of "
                  f"{result.provenance.started_at:%Y-%m-%d %H:%M}, text sha256 {article.sha256[:12]}",
                  highlight=False)
    table = result_table(result)
    console.print(table)
    usage = result.usage
    console.print(f"{usage.llm_calls} LLM call(s), {usage.prompt_tokens} prompt + {usage.completion_tokens} "
                  f"completion tokens. A claim is somebody's assertion until a verdict says otherwise.")
    for warning in result.warnings:
        console.print(f"[yellow]warning[/] {warning.code}: {warning.message}", highlight=False)


# ---------------------------------------------------------------------------------------------
# claims and export share their filters


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--claimant", help="Claimant contains this text (case-insensitive)."),
        click.option("--stance", "stances", multiple=True, type=click.Choice(STANCES),
                     help="Only these stances. Repeatable."),
        click.option("--target", help="Target contains this text (case-insensitive)."),
        click.option("--since", type=click.DateTime(["%Y-%m-%d"]),
                     help="Claims dated on or after this day (event date, else publication date)."),
        click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Claims dated on or before this day."),
        click.option("--grounded-only", is_flag=True, help="Only claims whose quote was found in the article."),
        click.option("--article", "article_id", help="Only this article (id or unique prefix)."),
        click.option("--model", help="Only runs made with this model."),
        click.option("--verified/--unverified", default=None, help="Only claims with / without a verdict."),
        click.option("--all-runs", is_flag=True, help="Claims of every run, not only each article's latest."),
        click.option("--limit", type=click.IntRange(min=1), help="At most this many claims."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _criteria(stances: tuple[str, ...], since: datetime | None, until: datetime | None,
              **rest: Any) -> dict[str, Any]:
    """The command's filter options as `ClaimFilter` keywords."""
    return {"stance": list(stances), "since": since.date() if since else None,
            "until": until.date() if until else None, **rest}


def claims_table(items: list[StoredClaim]) -> Table:
    table = Table(title=f"{len(items)} claim(s) — each is somebody's assertion", show_lines=True)
    for column in ("claim id", "article", "claimant ← via", "stance", "actor", "target", "method", "date",
                   "grounded", "verdict"):
        table.add_column(column, overflow="fold")
    for item in items:
        claim, verdict = item.claim, item.verification
        table.add_row(
            claim.id, item.article_id, claim.chain, claim.stance.value, claim.actor or "–", claim.target or "–",
            ", ".join(claim.method) or "–", claim.event_date or (f"({item.published})" if item.published else "–"),
            "yes" if claim.grounded else "no", f"{verdict.verdict.value} ({verdict.by})" if verdict else "–",
        )
    return table


@click.command("claims", context_settings=CONTEXT)
@db_option
@filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True)
def claims_command(db: Path, fmt: str, **selection: Any) -> None:
    """List stored claims, filtered.

    Dates match the claim's event date (a day or an interval), else the article's publication
    date. By default each article's latest run is shown.

    \b
    Examples:
      claimx claims --stance claimed_responsibility --grounded-only
      claimx claims --claimant "islamic resistance" --since 2023-12-01 --until 2023-12-31
      claimx claims --target base --format jsonl | jq .claim.chain
    """
    try:
        items = list_claims(db=db, **_criteria(**selection))
    except errors.ClaimxError as exc:
        raise _fail(exc) from exc
    if fmt == "table":
        Console().print(claims_table(items))
    else:
        export.export(items, fmt, sys.stdout)


# ---------------------------------------------------------------------------------------------
# verify


@click.command("verify", context_settings=CONTEXT)
@click.argument("claim_id")
@db_option
@click.option("--verdict", required=True, type=click.Choice(VERDICTS), help="Your finding about the claim.")
@click.option("--by", required=True, help="Who reached the verdict (a person or an organisation).")
@click.option("--evidence", multiple=True, metavar="URL", help="A source supporting the verdict. Repeatable.")
@click.option("--note", help="A short explanation.")
def verify_command(claim_id: str, db: Path, verdict: str, by: str, evidence: tuple[str, ...],
                   note: str | None) -> None:
    """Record a verdict on a claim. The claim itself is never changed: the verdict is a separate,
    dated record, and the latest one is what `show`, `claims` and the exports report.

    CLAIM_ID may be a unique prefix (4+ characters).

    \b
    Examples:
      claimx verify 9c1e0b2a7d4f --verdict false --by "Jane Doe" \\
          --evidence https://example.org/debunk --note "Base was empty that week"
    """
    try:
        record = store_verify(claim_id, verdict=verdict, by=by, evidence=list(evidence), note=note, db=db)
    except (errors.ClaimxError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(record.model_dump_json())


# ---------------------------------------------------------------------------------------------
# export


@click.command("export", context_settings=CONTEXT)
@click.argument("fmt", metavar="FORMAT", type=click.Choice(list(export.FORMATS)))
@db_option
@click.option("-o", "--output", default="-", show_default=True,
              help="File to write; - for stdout (not for parquet).")
@click.option("--reviewer-url", help="claimreview: the URL where your review is published.")
@click.option("--reviewer-type", type=click.Choice(["Organization", "Person"]), default="Organization",
              show_default=True, help="claimreview: what the --by of the verdicts is.")
@filter_options
def export_command(fmt: str, db: Path, output: str, reviewer_url: str | None, reviewer_type: str,
                   **selection: Any) -> None:
    """Export stored claims as jsonl, csv, parquet, acled or claimreview.

    \b
    jsonl        one claim per line, lossless (reads back with claimx.export.read_jsonl)
    csv          one row per claim, lists joined with "; "
    parquet      the csv columns, typed (needs pyarrow: pip install 'claimx[parquet]')
    acled        ACLED-style candidate events: event_date, actor1 (reported perpetrator, else
                 claimant), actor2 (target), event_type/sub_event_type from the method (drone/air
                 strike, shelling/artillery/missile attack, …), location, source (the relay
                 chain), notes saying it is a claim and by whom
    claimreview  schema.org ClaimReview JSON-LD for claims that carry a verdict

    The same filters as `claimx claims` apply.

    \b
    Examples:
      claimx export jsonl -o claims.jsonl
      claimx export acled --grounded-only --since 2023-12-01 -o events.csv
      claimx export claimreview --verified -o reviews.jsonld
    """
    try:
        written = export.export_claims(fmt, None if output == "-" else Path(output), db=db, reviewer_url=reviewer_url,
                                       reviewer_type=reviewer_type, **_criteria(**selection))
    except errors.ClaimxError as exc:
        raise _fail(exc) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc}") from exc
    what = "verified claim(s)" if fmt == "claimreview" else "claim(s)"
    err.print(f"exported {written} {what} as {fmt}" + (f" to {output}" if output != "-" else ""), highlight=False)


COMMANDS = (batch_command, show_command, claims_command, verify_command, export_command)
