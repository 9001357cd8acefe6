"""Prompt templates, shipped inside the package (`claimx/extraction/templates/NAME.md`), and the hashes
that every result records.

Templates are Jinja and rendered by instructor together with the validation context, so the
article is substituted as a value and never parsed as template text itself.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pydantic import BaseModel

from claimx.errors import ConfigurationError


@dataclass(frozen=True)
class Prompt:
    name: str
    template: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.template.encode()).hexdigest()


@cache
def load(name: str) -> Prompt:
    """The template `NAME.md`; a missing one is an installation problem, said as such."""
    path = resources.files("claimx.extraction").joinpath("templates", f"{name}.md")
    if not path.is_file():
        raise ConfigurationError(f"prompt template {name!r} is missing from the installed package; reinstall claimx")
    return Prompt(name, path.read_text(encoding="utf-8"))


@cache
def schema_hash(*models: type[BaseModel]) -> str:
    """Hash of the JSON schemas the model is held to; it changes whenever a field does (a single schema hashes
    alone, as it always did, so results keep their fingerprints)."""
    schemas = [model.model_json_schema() for model in models]
    return hashlib.sha256(json.dumps(schemas[0] if len(schemas) == 1 else schemas, sort_keys=True).encode()).hexdigest()
