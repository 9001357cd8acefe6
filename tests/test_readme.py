from __future__ import annotations

import re

from tests.helpers import ROOT


def test_readme_starts_with_the_two_setup_commands_and_ci_runs_the_second() -> None:
    commands = re.findall(r"```bash\n(.+?)\n```", (ROOT / "README.md").read_text(), re.S)[:2]
    assert "claimx local install" in commands[0] and "claimx extract examples/" in commands[0]
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert commands[1] in ci


def test_the_readme_example_folder_is_the_packaged_one() -> None:
    """`examples/` is a link to the package data `claimx extract --example` reads, so the README's first
    command and an installed claimx run on one file, never on two copies that could drift."""
    assert (ROOT / "examples").is_symlink() and (ROOT / "examples").resolve() == ROOT / "claimx" / "examples"
    assert (ROOT / "examples" / "almayadeen-2023-12-14.txt").is_file()
