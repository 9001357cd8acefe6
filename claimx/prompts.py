"""Prompt templates, loaded by name from `prompts/`, and the hashes that every result records.

Templates are Jinja and rendered by instructor together with the validation context, so the
article is substituted as a value and never parsed as template text itself.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel

from claimx.errors import ConfigurationError

_PLACES = (Path(__file__).parent / "_prompts", Path(__file__).parent.parent / "prompts")


@dataclass(frozen=True)
class Prompt:
    name: str
    template: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.template.encode()).hexdigest()


@cache
def load(name: str) -> Prompt:
    """The template `prompts/NAME.md`; a missing one is an installation problem, said as such."""
    for folder in _PLACES:
        path = folder / f"{name}.md"
        if path.is_file():
            return Prompt(name, path.read_text(encoding="utf-8"))
    raise ConfigurationError(f"prompt template {name!r} not found in {', '.join(map(str, _PLACES))}; reinstall claimx")


@cache
def schema_hash(model: type[BaseModel]) -> str:
    """Hash of the JSON schema the model is held to; it changes whenever a field does."""
    return hashlib.sha256(json.dumps(model.model_json_schema(), sort_keys=True).encode()).hexdigest()
