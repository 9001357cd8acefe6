"""`claimx local`: install, run, check and stop the bundled local model."""

from __future__ import annotations

import click

from claimx import errors
from claimx.cli.options import CONTEXT
from claimx.cli.render import err, fail
from claimx.extraction import local
from claimx.settings import settings_from


@click.group("local", context_settings=CONTEXT)
def local_group() -> None:
    """The bundled local model (Qwen2.5-Coder-1.5B-Instruct, llama.cpp on loopback).

    Each subcommand's --help gives its exit statuses.
    """


@local_group.command("install")
def local_install() -> None:
    """Install the llama.cpp runtime and fetch + verify the weights (~1.1 GB) into the user cache.

    Exit status: 0 installed, 1 a download failed or the weights did not verify (the message says why).
    """
    try:
        local.install(settings_from(), say=err.print)
    except errors.LocalModelError as exc:
        raise fail(exc) from exc


@local_group.command("serve")
@click.option("--port", type=int, help="Loopback port (env CLAIMX_LOCAL_PORT, default 8734).")
def local_serve(port: int | None) -> None:
    """Run the OpenAI-compatible server in the foreground (Ctrl-C stops it).

    Exit status: 0 stopped with Ctrl-C, 1 the runtime or weights are missing or the server failed to
    start (the message says what to run), 2 bad arguments.
    """
    settings = settings_from(local_port=port)
    err.print(f"serving {local.MODEL_NAME} on {local.base_url(settings)} — Ctrl-C to stop")
    try:
        local.serve(settings)
    except errors.LocalModelError as exc:
        raise fail(exc) from exc
    except KeyboardInterrupt:
        pass


@local_group.command("status")
def local_status() -> None:
    """Say whether the runtime, the weights and the server are there.

    Exit status: 0, whatever is missing (the lines say what).
    """
    settings = settings_from()
    path = local.weights_path(settings)
    click.echo(f"runtime: {'installed' if local.runtime_installed() else 'missing'}")
    click.echo(f"weights: {path if path.is_file() else 'missing'}")
    click.echo(f"server:  {local.base_url(settings) if local.healthy(settings) else 'not running'}")


@local_group.command("stop")
def local_stop() -> None:
    """Stop a server that claimx started in the background.

    Exit status: 0, whether or not one was running (the line says which).
    """
    click.echo("stopped" if local.stop(settings_from()) else "no server started by claimx is running")
