"""The built wheel works on its own, from another directory: templates and the example article ship as
package data and the public API, the prompts and the CLI load from the installed files, not from the
checkout. The wheel's metadata keeps scipy optional; the sdist holds only what building and testing need,
every article text in it with its licence recorded."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from email.parser import HeaderParser
from pathlib import Path

import pytest

from tests.helpers import ROOT

UNREACHABLE = {"CLAIMX_BASE_URL": "http://127.0.0.1:9/v1", "CLAIMX_MODEL": "x", "CLAIMX_RETRY_ATTEMPTS": "1"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
    )
    (built,) = out.glob("claimx-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path) -> Path:
    """A fresh virtual environment outside the checkout with the wheel installed in it. Its dependencies
    come from this test environment's site-packages, named by a plain .pth line (so no editable claimx
    finder comes with them): installing them from PyPI would make the test slow and networked."""
    fresh = wheel.parent / "fresh"
    subprocess.run([sys.executable, "-m", "venv", str(fresh)], check=True)
    (site,) = (fresh / "lib").glob("python3.*/site-packages")
    (site / "dependencies.pth").write_text(next(p for p in sys.path if p.endswith("site-packages")) + "\n")
    subprocess.run([str(fresh / "bin" / "python"), "-m", "pip", "install", "--no-deps", "-q", str(wheel)], check=True)
    return fresh


def _run(venv: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`args` (a program of the fresh environment and its arguments) run from a folder outside the checkout."""
    elsewhere = venv.parent / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CLAIMX_", "PYTHON", "VIRTUAL_ENV"))}
    return subprocess.run(
        args, cwd=elsewhere, capture_output=True, text=True, check=False, env={**clean, **(env or {})}
    )


def test_the_wheel_carries_the_templates_and_loads_them_from_itself(installed: Path) -> None:
    probe = _run(
        installed,
        str(installed / "bin" / "python"),
        "-c",
        (
            "import claimx, claimx.extraction.prompts as p; "
            "print(claimx.__file__); "
            "print(*(p.load(name).sha256 for name in ('system', 'sentence', 'whole', 'sentence_system')))"
        ),
    )
    assert probe.returncode == 0, probe.stderr
    where, hashes = probe.stdout.splitlines()
    assert Path(where).is_relative_to(installed)
    from claimx.extraction import prompts

    assert hashes.split() == [prompts.load(name).sha256 for name in ("system", "sentence", "whole", "sentence_system")]


def test_the_installed_cli_answers_help_from_another_directory(installed: Path) -> None:
    shown = _run(installed, str(installed / "bin" / "claimx"), "--help")
    assert shown.returncode == 0, shown.stderr
    assert "claimx local install" in shown.stdout and "claimx extract --example" in shown.stdout


def test_the_installed_example_runs_and_fails_only_on_the_connection(installed: Path) -> None:
    """What a new user does first, with no endpoint reachable: the bundled article is found and read, and
    the one failure is the connection, said in one line."""
    probe = _run(
        installed, str(installed / "bin" / "python"), "-c", "import claimx.inputs as i; print(len(i.example().text))"
    )
    assert probe.returncode == 0 and int(probe.stdout) == len(
        (ROOT / "claimx" / "examples" / "almayadeen-2023-12-14.txt").read_text()
    )
    ran = _run(installed, str(installed / "bin" / "claimx"), "extract", "--example", env=UNREACHABLE)
    assert ran.returncode == 1 and ran.stdout == ""
    (line,) = ran.stderr.splitlines()
    assert line.startswith("Error: no call gave a usable answer") and "127.0.0.1:9" in line
    assert "Connection error" in line and "Traceback" not in ran.stderr


def test_the_wheel_ships_types_and_the_example_and_keeps_scipy_optional(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (metadata_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = HeaderParser().parsestr(archive.read(metadata_name).decode())
    assert {"claimx/py.typed", "claimx/examples/almayadeen-2023-12-14.txt", "claimx/examples/SOURCES.md"} <= names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    requires = metadata.get_all("Requires-Dist") or []
    core = [r for r in requires if "extra ==" not in r]
    assert not any(r.startswith(("scipy", "numpy")) for r in core)
    assert any(r.startswith("scipy") and "extra == 'eval'" in r.replace('"', "'") for r in requires)
    assert "eval" in (metadata.get_all("Provides-Extra") or [])
    classifiers = metadata.get_all("Classifier") or []
    assert "Typing :: Typed" in classifiers and "Programming Language :: Python :: 3.11" in classifiers
    assert "claims" in (metadata["Keywords"] or "") and metadata["License-Expression"] == "Apache-2.0"
    assert metadata.get_all("Project-URL") == ["Documentation, https://pypi.org/project/claimx/"]


def test_the_sdist_holds_what_building_and_testing_need_with_every_text_recorded(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    out = tmp_path_factory.mktemp("sdist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (sdist,) = out.glob("claimx-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    top = {name.split("/", 1)[0] for name in names}
    assert top == {"claimx", "tests", "cassettes", "eval", "docs", "README.md", "LICENSE", "pyproject.toml"} | {
        "PKG-INFO",
        ".gitignore",
    }
    assert "claimx/examples/almayadeen-2023-12-14.txt" in names and "tests/data/store-v1.db" in names
    assert not any("__pycache__" in name for name in names)
    # Every data file beside the code is named, with its origin and licence, in its folder's SOURCES.md.
    for folder in ("claimx/examples", "eval/dev", "tests/data"):
        sources = (ROOT / folder / "SOURCES.md").read_text()
        shipped = [name for name in names if name.startswith(f"{folder}/") and not name.endswith("SOURCES.md")]
        assert shipped and all(f"{Path(name).name}" in sources for name in shipped), folder
        assert f"{folder}/SOURCES.md" in names
    assert "cassettes/" in (ROOT / "tests" / "data" / "SOURCES.md").read_text()
