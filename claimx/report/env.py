"""The one Jinja environment both pages render with (the review page and an event's own page): templates from
`templates/`, autoescape on, since article text and model output are untrusted, and an undefined name an error."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined

ENV = Environment(
    loader=PackageLoader("claimx.report", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
