from __future__ import annotations

import re

from tests.helpers import ROOT


def test_readme_starts_with_the_two_setup_commands_and_ci_runs_the_second() -> None:
    commands = re.findall(r"```bash\n(.+?)\n```", (ROOT / "README.md").read_text(), re.S)[:2]
    assert "claimx local install" in commands[0] and "claimx extract examples/" in commands[0]
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert commands[1] in ci
