"""The `claimx` command group. Each command lives in a module of its own and is registered here."""

from __future__ import annotations

import click

from claimx.cli.batch import batch_command
from claimx.cli.claims import claims_command
from claimx.cli.evaluate import eval_command
from claimx.cli.export import export_command
from claimx.cli.extract import extract_command
from claimx.cli.local import local_group
from claimx.cli.logs import logs_command
from claimx.cli.options import CONTEXT
from claimx.cli.report import report_command
from claimx.cli.show import show_command
from claimx.cli.verify import verify_command
from claimx.version import __version__


@click.group(context_settings=CONTEXT)
@click.version_option(version=__version__, package_name="claimx")
def main() -> None:
    """Turn news articles into attributed, source-grounded claims.

    A claim is always somebody's assertion (claimant ← relay chain), never a verified fact.

    \b
    First run, with the bundled local model (no account, no key):
      claimx local install
      claimx extract examples/almayadeen-2023-12-14.txt --published 2023-12-14 --format table
    With a hosted or self-hosted endpoint:
      OPENAI_BASE_URL=http://localhost:11434/v1 claimx extract article.txt --model qwen2.5:7b
    """


for command in (
    extract_command,
    eval_command,
    local_group,
    batch_command,
    show_command,
    claims_command,
    verify_command,
    export_command,
    report_command,
    logs_command,
):
    main.add_command(command)
