"""The `claimx` command group. Each command lives in a module of its own and is registered here."""

from __future__ import annotations

import click

from claimx.cli.batch import batch_command
from claimx.cli.claims import claims_command
from claimx.cli.entities import entities_group
from claimx.cli.evaluate import eval_command
from claimx.cli.events import event_command, events_command
from claimx.cli.export import export_command
from claimx.cli.extract import extract_command
from claimx.cli.local import local_group
from claimx.cli.logs import logs_command
from claimx.cli.options import CONTEXT
from claimx.cli.report import report_command
from claimx.cli.show import show_command
from claimx.cli.store import store_group
from claimx.cli.verify import verify_command
from claimx.version import __version__

_EPILOG = """\b
Exit status: 0 done, 1 failed, 2 bad arguments or input, 3 unfinished (partial or failed articles),
130 interrupted, 143 terminated; each command's --help says which of these it uses.
\b
Shell completion: add the line for your shell to its start-up file.
  bash (~/.bashrc):  eval "$(_CLAIMX_COMPLETE=bash_source claimx)"
  zsh (~/.zshrc):    eval "$(_CLAIMX_COMPLETE=zsh_source claimx)"
  fish (~/.config/fish/completions/claimx.fish):  _CLAIMX_COMPLETE=fish_source claimx | source
"""


@click.group(context_settings=CONTEXT, epilog=_EPILOG)
@click.version_option(version=__version__, package_name="claimx")
def main() -> None:
    """Turn news articles into attributed, source-grounded claims.

    A claim is always somebody's assertion (claimant ← relay chain), never a verified fact.

    \b
    First run, with the bundled local model (no account, no key) on the bundled example article:
      claimx local install
      claimx extract --example --format table
    With a hosted or self-hosted endpoint:
      OPENAI_BASE_URL=http://localhost:11434/v1 claimx extract article.txt -m qwen2.5:7b
      OPENAI_API_KEY=sk-… claimx extract https://example.org/news/1 -m gpt-4.1-mini
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
    store_group,
    entities_group,
    events_command,
    event_command,
):
    main.add_command(command)
