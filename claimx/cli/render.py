"""What the commands print, written once: the stderr console, the claims tables, the footer under a
result, and how claimx errors become click errors (and so exit codes)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import click
from rich.console import Console
from rich.progress import Progress, ProgressColumn
from rich.table import Table

from claimx import errors
from claimx.result import Claim, Result, Verification
from claimx.store import StoredClaim

err = Console(stderr=True)
EXIT_UNFINISHED = 3  # some work is not done: failed or partial articles, or a partial extraction
EXIT_INTERRUPTED = 130  # Ctrl-C: everything finished is kept
EXIT_TERMINATED = 143  # 128 + SIGTERM, what a shell reports for a process a SIGTERM ended
"""Progress, warnings and summaries go to stderr, so stdout stays clean JSON or CSV for pipes."""

_CLAIM_COLUMNS = ("claimant ← via", "stance", "actor", "target", "method")


def fail(exc: errors.ClaimxError) -> click.ClickException:
    """A bad article or argument, or a --db that names no store, is a usage error (exit 2); any other
    claimx failure exits 1."""
    if isinstance(exc, errors.StoreNotFoundError):
        return click.BadParameter(str(exc), param_hint="'--db'")
    return click.UsageError(str(exc)) if isinstance(exc, errors.InputError) else click.ClickException(str(exc))


def transient_progress(*columns: str | ProgressColumn) -> Progress:
    """A progress bar on stderr that vanishes when done. Off when stderr is not a terminal: there it would
    show nothing and leave a blank line before the message that follows."""
    return Progress(*columns, console=err, transient=True, disable=not err.is_terminal)


class _ConsoleLog(logging.Handler):
    """Log records as plain lines on the stderr console, so they print above a progress bar, not through it."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            err.print(self.format(record), markup=False, highlight=False, soft_wrap=True)
        except Exception:
            self.handleError(record)


def log_to_stderr() -> Callable[[], None]:
    """Show claimx's INFO log (one line per LLM request) on stderr until the returned function is called.
    The library only emits records; this is the one place the command line decides where they go."""
    logger, handler = logging.getLogger("claimx"), _ConsoleLog()
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    def restore() -> None:
        logger.removeHandler(handler)
        logger.setLevel(previous)

    return restore


def _table(title: str, columns: tuple[str, ...]) -> Table:
    table = Table(title=title, show_lines=True)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _claim_cells(claim: Claim) -> list[str]:
    """Who claims what, through whom: the cells every claims table shows, in `_CLAIM_COLUMNS` order."""
    return [claim.chain, claim.stance.value, claim.actor or "–", claim.target or "–", ", ".join(claim.method) or "–"]


def _verdict(record: Verification | None, missing: str) -> str:
    return f"{record.verdict.value} ({record.by})" if record else missing


def result_table(result: Result, *, stored: bool = False) -> Table:
    """A reviewer's view of one result: who claims what, through whom, and whether the quote was found.
    A stored result's claims go by id (what `claimx verify` takes) and show their latest verdict."""
    columns = ("claim id" if stored else "#", *_CLAIM_COLUMNS, "outcome (as claimed)", "grounding")
    table = _table(
        f"{len(result.claims)} claim(s) — {result.provenance.model} ({result.provenance.strategy})",
        (*columns, "verdict") if stored else columns,
    )
    for number, claim in enumerate(result.claims, 1):
        cells = [
            claim.id if stored else str(number),
            *_claim_cells(claim),
            claim.outcome or "–",
            ", ".join(e.status.value for e in claim.evidence),
        ]
        if stored:
            cells.append(_verdict(result.verification_of(claim.id), "unverified"))
        table.add_row(*cells)
    return table


def claims_table(items: list[StoredClaim]) -> Table:
    """Stored claims across articles, dated by the event (else the publication, in brackets)."""
    table = _table(
        f"{len(items)} claim(s) — each is somebody's assertion",
        ("claim id", "article", *_CLAIM_COLUMNS, "date", "grounded", "verdict"),
    )
    for item in items:
        claim = item.claim
        table.add_row(
            claim.id,
            item.article_id,
            *_claim_cells(claim),
            claim.event_date or (f"({item.published})" if item.published else "–"),
            "yes" if claim.grounded else "no",
            _verdict(item.verification, "–"),
        )
    return table


def print_footer(result: Result, console: Console, *, stored: bool = False) -> None:
    """What a result cost, a reminder of what its claims are, and every warning. A fresh extraction
    reports re-asks and time; a stored one may carry verdicts."""
    usage = result.usage
    if stored:
        console.print(
            f"{usage.llm_calls} LLM call(s), {usage.prompt_tokens} prompt + {usage.completion_tokens} "
            "completion tokens. A claim is somebody's assertion until a verdict says otherwise."
        )
    else:
        console.print(
            f"{usage.llm_calls} LLM call(s), {usage.reasks} re-ask(s), {usage.prompt_tokens} prompt + "
            f"{usage.completion_tokens} completion tokens, {result.provenance.seconds:.1f} s. "
            "All claims unverified."
        )
    for warning in result.warnings:
        console.print(f"[yellow]warning[/] {warning.code}: {warning.message}", highlight=False)
    if result.status == "partial":
        console.print(
            f"[yellow]partial[/]: {len(result.failed_units)} call(s) gave no usable answer, so their claims are "
            "missing; `claimx batch` keeps the rest and retries only those calls.",
            highlight=False,
        )
