"""claimx's own work per article: what instructor would redo on every call is done once per schema or
template, and what reaches the model is what instructor alone would send (the cassettes prove it byte for
byte; these tests say which piece would differ)."""

from __future__ import annotations

import textwrap
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from instructor.v2.core import templating
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel

from claimx.extraction.drafts import ClaimDrafts, SourceSentences
from claimx.extraction.llm import _response_model
from claimx.extraction.plan import plan


def instructors_own(text: str, context: dict[str, Any]) -> str:
    """instructor's `apply_template` as it is written: a new sandbox, the template compiled, dedented."""
    return textwrap.dedent(SandboxedEnvironment().from_string(text).render(**context))


def test_the_response_models_schema_is_pydantics_and_each_call_gets_its_own_copy() -> None:
    for schema in (ClaimDrafts, SourceSentences):
        model = _response_model(schema)
        fresh = BaseModel.model_json_schema.__func__(model)  # type: ignore[attr-defined]
        first = model.model_json_schema()
        assert first == fresh and first is not model.model_json_schema()
        first["properties"].clear()  # a request that edits its schema does not edit the next one's
        assert model.model_json_schema() == fresh
        assert model.model_json_schema(mode="serialization") == BaseModel.model_json_schema.__func__(
            model, mode="serialization"
        )


@given(
    article=st.lists(st.sampled_from([*"ab {}%#\n\r\t<>'\"", "{{", "}}", "{%", "%}", "said"])).map("".join),
    publisher=st.text(max_size=20),
)
def test_messages_render_as_instructor_renders_them(article: str, publisher: str) -> None:
    assert templating.apply_template.__module__ == "claimx.extraction.llm"  # claimx's cached rendering is used
    indented = "    {{ publisher }}\n    {% if publisher %}named{% endif %}\n"
    assert templating.apply_template(indented, {"publisher": publisher}) == instructors_own(
        indented, {"publisher": publisher}
    )
    for strategy in ("whole", "sentences"):
        for unit in plan(strategy, f"Police said {article}.", {"publisher": publisher, "published": "2024-01-01"}):
            for message in unit.messages:
                assert templating.apply_template(message["content"], unit.context) == instructors_own(
                    message["content"], unit.context
                )
