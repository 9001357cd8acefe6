"""The built wheel works on its own, from another directory: templates ship as package data and
the public API, the prompts and the CLI load from the installed files, not from the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout, unpacked into a folder of its own."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
    )
    (wheel,) = out.glob("claimx-*.whl")
    site = out / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)], check=True
    )
    return site


def _run(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    elsewhere = site.parent / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, *args],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(site)},
    )


def test_the_wheel_carries_the_templates_and_loads_them_from_itself(installed: Path) -> None:
    probe = _run(
        installed,
        "-c",
        (
            "import claimx, claimx.extraction.prompts as p; "
            "print(claimx.__file__); print(p.load('system').sha256, p.load('sentence').sha256, p.load('whole').sha256)"
        ),
    )
    assert probe.returncode == 0, probe.stderr
    where, hashes = probe.stdout.splitlines()
    assert Path(where).is_relative_to(installed)
    from claimx.extraction import prompts

    assert hashes.split() == [prompts.load(name).sha256 for name in ("system", "sentence", "whole")]


def test_the_installed_cli_answers_help_from_another_directory(installed: Path) -> None:
    shown = _run(installed, "-m", "claimx", "--help")
    assert shown.returncode == 0, shown.stderr
    assert "claimx local install" in shown.stdout
