"""Options shared by every command that calls a model, so they read and behave the same everywhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])


def endpoint_options(command: F) -> F:
    """--model, --base-url and --strategy, with the same defaults as the Python API."""
    for option in reversed([
        click.option("--model", help="Model name (env CLAIMX_MODEL). Default: the local model."),
        click.option("--base-url", help="OpenAI-compatible endpoint (env OPENAI_BASE_URL). Default: the local model."),
        click.option("--strategy", type=click.Choice(["whole", "sentences"]),
                     help="whole: one call per article (strong models); sentences: one call per claim-bearing "
                          "sentence (small local models). Default: sentences locally, whole otherwise."),
    ]):
        command = option(command)
    return command


db_option = click.option(
    "--db", type=click.Path(dir_okay=False, path_type=Path), envvar="CLAIMX_DB", default=Path("claimx.db"),
    show_default=True, help="The claim store (SQLite; env CLAIMX_DB). Created on first use.",
)
