"""`claimx logs`: the audit log of LLM requests behind stored results, newest first, like `llm logs`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from claimx import errors
from claimx.cli.options import CONTEXT, db_option
from claimx.cli.render import fail
from claimx.store import open_store
from claimx.store.calllog import LogFilter, LoggedCall

_REASON_WIDTH = 160
_BOILERPLATE = re.compile(r"\d+ validation errors? for \w+|For further information visit \S+")


def _short(text: str | None, width: int = _REASON_WIDTH) -> str:
    """A reason or error as one short cell: pydantic's heading and links left out (`--full` has them)."""
    flat = " ".join(_BOILERPLATE.sub(" ", text or "").split())
    return escape(flat if len(flat) <= width else flat[: width - 1] + "…") or "–"


def _table(calls: list[LoggedCall]) -> Table:
    table = Table(title=f"{len(calls)} logged request(s), newest first", show_lines=True)
    for column in ("id", "sent", "article", "unit", "#", "kind", "finish", "tokens", "s", "claims", "why / error"):
        table.add_column(column, overflow="fold")
    for logged in calls:
        call = logged.record
        tokens = f"{call.prompt_tokens}+{call.completion_tokens}" if call.prompt_tokens is not None else "–"
        table.add_row(
            str(logged.id),
            f"{call.at:%Y-%m-%d %H:%M:%S}",
            logged.article_id,
            escape(call.label),
            str(call.attempt),
            call.kind,
            call.finish_reason or ("error" if call.error else "–"),
            tokens,
            f"{call.seconds:.2f}",
            ", ".join(call.claim_ids) or "–",
            _short(call.error or call.reason),
        )
    return table


def _print_full(calls: list[LoggedCall], console: Console) -> None:
    """Each request whole: what was sent, message by message, and what came back."""
    for logged in calls:
        call = logged.record
        console.rule(
            f"call {logged.id} · article {logged.article_id} · run {logged.run_id or '–'} · {call.label} · "
            f"attempt {call.attempt} ({call.kind}) · {call.at:%Y-%m-%d %H:%M:%S}"
        )
        console.print(f"parameters: {json.dumps(call.parameters, sort_keys=True)}")
        if call.reason:
            console.print(f"why: {call.reason}")
        for message in call.messages:
            console.print(f"\n[{message.get('role', '?')}]\n{message.get('content', '')}")
        console.print(f"\n[response{f' · finish_reason={call.finish_reason}' if call.finish_reason else ''}]")
        console.print(call.response if call.response is not None else "(none)")
        if call.error:
            console.print(f"error: {call.error}")
        if call.claim_ids:
            console.print(f"claims: {', '.join(call.claim_ids)}")
        console.print()


@click.command("logs", context_settings=CONTEXT)
@db_option
@click.option("--article", "article_id", help="Only this article's requests (id or unique prefix).")
@click.option("--run", "run_id", type=int, help="Only the requests of this run.")
@click.option("--reasks", is_flag=True, help="Only validation re-asks (each with the problems that caused it).")
@click.option(
    "-n", "--limit", type=click.IntRange(min=0), default=20, show_default=True, help="At most this many; 0 for all."
)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl"]), default="table", show_default=True)
@click.option("--full", is_flag=True, help="Show the messages as sent and the raw response, article text included.")
def logs_command(
    *, db: Path, article_id: str | None, run_id: int | None, reasks: bool, limit: int, fmt: str, full: bool
) -> None:
    """List the logged LLM requests behind stored results, newest first.

    `claimx batch` logs every HTTP request an extraction makes (unless --no-log): the unit of the
    article it belongs to, its attempt and kind (ask, reask, retry after a transient error, or
    larger-limit after an answer was cut off), why it was sent again, the tokens, the time, the
    finish reason or error, and the claims its answer gave. --full adds the messages as sent and
    the raw response; the store keeps the article's text once, and it is put back here.

    Exit status: 0 listed (or nothing logged yet), 1 a store that cannot be read or an unknown article,
    2 bad arguments or no store at --db.

    \b
    Examples:
      claimx logs -n 5
      claimx logs --article 3f2a --reasks
      claimx logs --run 12 --full
      claimx logs --format jsonl --full -n 0 > calls.jsonl
    """
    try:
        with open_store(db, create=False) as store:
            selection = LogFilter(
                article_id=store.resolve_article(article_id) if article_id else None,
                run_id=run_id,
                reasks=reasks,
                limit=limit or None,
            )
            calls = store.calls(selection, full=full)
    except errors.ClaimxError as exc:
        raise fail(exc) from exc
    if fmt == "json":
        click.echo(json.dumps([c.to_json(full=full) for c in calls], indent=2, ensure_ascii=False))
    elif fmt == "jsonl":
        for logged in calls:
            click.echo(json.dumps(logged.to_json(full=full), ensure_ascii=False))
    elif full:
        _print_full(calls, Console(highlight=False, markup=False, soft_wrap=True))
    else:
        Console().print(_table(calls))
