"""claimx's own work per article: the response model's JSON schema, which instructor asks for on every call,
is built once per schema, and what reaches the model is what instructor alone would send (the cassettes prove
it byte for byte; this test says which piece would differ)."""

from __future__ import annotations

from pydantic import BaseModel

from claimx.extraction.drafts import ClaimDrafts, SentenceClaims, SourceSentences
from claimx.extraction.llm import _response_model


def test_the_response_models_schema_is_pydantics_and_each_call_gets_its_own_copy() -> None:
    for schema in (ClaimDrafts, SentenceClaims, SourceSentences):
        model = _response_model(schema)
        fresh = BaseModel.model_json_schema.__func__(model)  # type: ignore[attr-defined]
        first = model.model_json_schema()
        assert first == fresh and first is not model.model_json_schema()
        first["properties"].clear()  # a request that edits its schema does not edit the next one's
        assert model.model_json_schema() == fresh
        assert model.model_json_schema(mode="serialization") == BaseModel.model_json_schema.__func__(
            model, mode="serialization"
        )
