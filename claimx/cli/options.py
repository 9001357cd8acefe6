"""Options shared by several commands, so they read, default and behave the same everywhere."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar, get_args

import click

from claimx.cli.render import log_to_stderr
from claimx.eventtypes import EVENT_TYPE_GROUPS, EventType
from claimx.result import Stance
from claimx.settings import MAX_CALLS, FieldsLanguage, Mode
from claimx.store import DEFAULT_PATH, Store, StoredClaim

F = TypeVar("F", bound=Callable[..., object])

CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
"""Context settings of the group and of every command, so `-h` and the help width hold when a command runs alone."""


def _apply(command: F, options: list[Callable[[F], F]]) -> F:
    """Decorate with `options`, listed in the order --help shows them."""
    for option in reversed(options):
        command = option(command)
    return command


def endpoint_options(command: F) -> F:
    """-m/--model, --base-url, --strategy and --mode, with the same defaults as the Python API."""
    return _apply(
        command,
        [
            click.option("-m", "--model", help="Model name (env CLAIMX_MODEL). Default: the local model."),
            click.option(
                "--base-url", help="OpenAI-compatible endpoint (env OPENAI_BASE_URL). Default: the local model."
            ),
            click.option(
                "--strategy",
                type=click.Choice(["whole", "sentences"]),
                help="whole: one call per article (strong models); sentences: one call per claim-bearing "
                "sentence (small local models). Default: sentences locally, whole otherwise.",
            ),
            click.option(
                "--mode",
                type=click.Choice(get_args(Mode)),
                help="How to ask the endpoint (env CLAIMX_MODE): openai (strict JSON schema; reasoning models get "
                "max_completion_tokens), ollama (its native chat API with the context window set, env "
                "CLAIMX_OLLAMA_NUM_CTX; a warning when it cuts the prompt), vllm (no minItems and other validation "
                "keywords), llamacpp or generic (any OpenAI-compatible server). Default: detected from the base URL, "
                "else asked of the server once.",
            ),
        ],
    )


def _language_code(_: click.Context, __: click.Parameter, value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"[a-z]{2,3}", value):
        raise click.BadParameter(f"{value!r} is not an ISO 639-1 code: give two small letters, e.g. fr, ar, zh")
    return value


def language_options(command: F) -> F:
    """--language and --fields-language: what language the articles are in, and the descriptive fields come in."""
    return _apply(
        command,
        [
            click.option(
                "--language",
                callback=_language_code,
                help="The articles' language as an ISO 639-1 code (fr, ar, zh, …; env CLAIMX_LANGUAGE), instead of "
                "detecting it per article.",
            ),
            click.option(
                "--fields-language",
                type=click.Choice(get_args(FieldsLanguage)),
                help="For an article not in English: target, method and outcome in English (default: one more call "
                "per article renders them) or in the article's language (env CLAIMX_FIELDS_LANGUAGE). Quotes "
                "always stay as written.",
            ),
        ],
    )


calls_option = click.option(
    "--calls-per-article",
    type=click.IntRange(min=1),
    help="LLM calls in flight for one article with --strategy sentences (env CLAIMX_CONCURRENCY, default 4; "
    "match the server's parallel slots).",
)
"""One name for `Settings.concurrency` in every command; `claimx batch -j/--concurrency` counts articles instead."""


def length_options(command: F) -> F:
    """How long an article may be and what it may cost: the same options on `extract` and `batch`."""
    command = click.option(
        "--context-tokens",
        type=click.IntRange(min=2048),
        help="The model's context per request, in tokens: a longer article is sent in overlapping chunks under "
        "--strategy whole (env CLAIMX_CONTEXT_TOKENS; default: the local model's slot, else 8192).",
    )(command)
    command = click.option(
        "--max-calls",
        type=click.IntRange(min=1),
        help=f"Most calls per article (cue sentences or chunks; env CLAIMX_MAX_CALLS, default {MAX_CALLS}). Past it, "
        "adjacent cue sentences of an English article share a call, two at a time, from the end; then the rest "
        "are not sent and a warning names them.",
    )(command)
    return click.option(
        "--max-chars",
        type=click.IntRange(min=1),
        help="Longest article accepted, in characters (env CLAIMX_MAX_CHARS; default: any length).",
    )(command)


def _verbose(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    if value:
        ctx.call_on_close(log_to_stderr())


verbose_option = click.option(
    "-v",
    "--verbose",
    is_flag=True,
    expose_value=False,
    callback=_verbose,
    help="Log every LLM request on stderr: the call, its HTTP status, tokens and seconds.",
)


db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="CLAIMX_DB",
    default=DEFAULT_PATH,
    show_default=True,
    help="The claim store (SQLite; env CLAIMX_DB). `claimx batch` creates it; the other commands need it to exist.",
)


def filter_options(command: F) -> F:
    """The claim filters of `claimx claims` and `claimx export`; `selected_claims` applies them."""
    return _apply(
        command,
        [
            click.option("--claimant", help="Claimant contains this text (case-insensitive)."),
            click.option(
                "--stance",
                "stances",
                multiple=True,
                type=click.Choice([s.value for s in Stance]),
                help="Only these stances. Repeatable.",
            ),
            click.option(
                "--event-type",
                "event_types",
                multiple=True,
                type=click.Choice([*EVENT_TYPE_GROUPS, *(t.value for t in EventType)]),
                help="Only these event types (read from each claim's words). Repeatable; 'attacks' is every type "
                "but other_statement.",
            ),
            click.option("--target", help="Target contains this text (case-insensitive)."),
            click.option(
                "--search",
                help="Full-text search of evidence quotes and claimants, best match first (SQLite FTS5: words, "
                '"a phrase", prefix*, OR, NOT, claimant:word).',
            ),
            click.option(
                "--since",
                type=click.DateTime(["%Y-%m-%d"]),
                help="Claims dated on or after this day (event date, else publication date).",
            ),
            click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Claims dated on or before this day."),
            click.option("--grounded-only", is_flag=True, help="Only claims whose quote was found in the article."),
            click.option("--article", "article_id", help="Only this article (id or unique prefix)."),
            click.option("--language", help="Only articles in this language (ISO 639-1 code, e.g. fr, ar)."),
            click.option("-m", "--model", help="Only runs made with this model."),
            click.option("--verified/--unverified", default=None, help="Only claims with / without a verdict."),
            click.option("--all-runs", is_flag=True, help="Claims of every run, not only each article's latest."),
            click.option("--limit", type=click.IntRange(min=1), help="At most this many claims."),
        ],
    )


def selected_claims(
    store: Store,
    *,
    stances: tuple[str, ...],
    event_types: tuple[str, ...],
    since: datetime | None,
    until: datetime | None,
    article_id: str | None,
    **rest: Any,
) -> list[StoredClaim]:
    """The stored claims the filter options select: click's values turned into `ClaimFilter` fields, the
    article given by id or unique prefix."""
    return store.claims(
        stance=list(stances),
        event_type=list(event_types),
        since=since.date() if since else None,
        until=until.date() if until else None,
        article_id=store.resolve_article(article_id) if article_id else None,
        **rest,
    )
