"""Alias files: who is who as a person states it, which seeds and overrides entity resolution.

CSV with the columns `canonical,aliases,kind,external_id` (aliases separated by ";"), or YAML (needs PyYAML:
pip install 'claimx[yaml]'): a list of mappings with the same keys, `aliases` a list. `kind` is a claimant
kind or empty; `external_id` e.g. a Wikidata QID. claimx ships a few (`aliases.csv` beside this module:
transliterations and names of groups the field writes many ways); the user's entries replace them name by name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path
from typing import Any

from claimx.errors import InputError, MissingExtraError
from claimx.result import ClaimantKind
from claimx.store.links import Alias

COLUMNS = ("canonical", "aliases", "kind", "external_id")


def _entry(raw: dict[str, Any], where: str) -> Alias:
    canonical = str(raw.get("canonical") or "").strip()
    if not canonical:
        raise InputError(f"{where}: an alias entry needs a canonical name")
    names = raw.get("aliases") or []
    names = names.split(";") if isinstance(names, str) else names
    kind = str(raw.get("kind") or "").strip() or None
    if kind and kind not in {k.value for k in ClaimantKind}:
        raise InputError(f"{where}: unknown kind {kind!r}; use one of {', '.join(k.value for k in ClaimantKind)}")
    external = str(raw.get("external_id") or "").strip() or None
    return Alias(canonical, tuple(n for n in (str(n).strip() for n in names) if n), kind, external)


def parse_csv(text: str, name: str) -> list[Alias]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "canonical" not in reader.fieldnames:
        raise InputError(f"{name}: an alias CSV needs a header with the columns {','.join(COLUMNS)}")
    return [_entry(row, f"{name}:{i}") for i, row in enumerate(reader, start=2)]


def parse_yaml(text: str, name: str) -> list[Alias]:
    try:
        import yaml
    except ImportError as exc:
        raise MissingExtraError("YAML alias files need PyYAML: pip install 'claimx[yaml]' (or give a CSV)") from exc
    try:
        data = yaml.safe_load(text) or []
    except yaml.YAMLError as exc:
        raise InputError(f"{name}: not valid YAML: {exc}") from exc
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise InputError(f"{name}: a YAML alias file is a list of mappings with the keys {', '.join(COLUMNS)}")
    return [_entry(d, f"{name} entry {i}") for i, d in enumerate(data, start=1)]


def load(path: str | Path) -> list[Alias]:
    """The entries of a CSV or YAML (.yaml, .yml) alias file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the alias file {path}: {exc}") from exc
    return parse_yaml(text, str(path)) if path.suffix.lower() in (".yaml", ".yml") else parse_csv(text, str(path))


def builtin() -> list[Alias]:
    return parse_csv(files("claimx.corpus").joinpath("aliases.csv").read_text(encoding="utf-8"), "aliases.csv")


def combined(user: Iterable[Alias]) -> list[Alias]:
    """claimx's aliases with the user's: a name the user gives belongs to the user's entry only."""
    mine = list(user)
    taken = {n.casefold() for a in mine for n in (a.canonical, *a.aliases)}
    kept = []
    for entry in builtin():
        names = tuple(n for n in entry.aliases if n.casefold() not in taken)
        if entry.canonical.casefold() not in taken:
            kept.append(Alias(entry.canonical, names, entry.kind, entry.external_id))
    return kept + mine
