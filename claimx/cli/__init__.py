"""The `claimx` command: a thin layer over the Python API."""

from claimx.cli.main import main

__all__ = ["main"]
