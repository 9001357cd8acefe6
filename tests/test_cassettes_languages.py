"""A French and an Arabic article through the local model (Qwen2.5-Coder-1.5B via llama.cpp), with the
default local strategy (`sentences`).

Until their cassettes exist these tests need the model server and are skipped without --live. Record
them once, with `claimx local serve` running:
    pytest tests/test_cassettes_languages.py --live --record-mode=once
After that they replay from `cassettes/test_cassettes_languages/` like every other cassette test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

import pytest

import claimx
from claimx.extraction import cues, prompts
from claimx.extraction.drafts import EnglishPhrases, TranslatedDrafts
from claimx.extraction.plan import LANGUAGE_PROMPT, plan
from tests.helpers import DATA, ROOT

CASSETTES = ROOT / "cassettes" / "test_cassettes_languages"
F = TypeVar("F", bound=Callable[..., Any])


def recorded_or_live(test: F) -> F:
    """Mark a test `live` (skipped unless --live) while its cassette has not been recorded."""
    return test if (CASSETTES / f"{test.__name__}.yaml").is_file() else pytest.mark.live(test)


def _check(result: claimx.Result, language: str, vcr) -> None:
    text = result.article.text
    assert result.article.language == language
    schemas = [json.loads(request.body)["response_format"]["json_schema"]["schema"] for request in vcr.requests]
    rendered = sum(schema["title"] == EnglishPhrases.__name__ for schema in schemas)
    planned = len(plan("sentences", text, {}, language))
    assert result.usage.llm_calls == len(vcr.requests) == planned + result.usage.reasks + bool(rendered)
    cue = cues.cue_for(language)
    assert cue is not None
    grounded = [c for c in result.claims if c.grounded and c.claimant]
    assert grounded, [w.message for w in result.warnings]
    flagged = {w.claim_id for w in result.warnings if w.code == "kept_unvalidated"}
    for claim in result.claims:
        for evidence in claim.evidence:
            if evidence.status == "exact":
                assert text[evidence.start : evidence.end] == evidence.quote.strip()  # the original script
        if claim.id not in flagged:
            assert claim.grounded and claim.claimant and any(cue.search(e.quote) for e in claim.evidence)
    assert result.provenance.schema_hash == prompts.schema_hash(TranslatedDrafts, EnglishPhrases)
    assert result.provenance.prompt_hashes[LANGUAGE_PROMPT] == prompts.load(LANGUAGE_PROMPT).sha256
    assert schemas.count(TranslatedDrafts.model_json_schema()) == len(schemas) - rendered
    described = [p for c in result.claims for p in (c.target, *c.method, c.outcome) if p]
    assert bool(rendered) == bool(described)  # target, method and outcome in English, from a call of their own
    if language == "ar":
        assert not any(re.search(r"[\u0600-\u06ff]", p) for p in described), described


@recorded_or_live
@pytest.mark.vcr
def test_french_article(local_endpoint, vcr) -> None:
    text = (DATA / "fr_article.txt").read_text()
    result = claimx.extract(text, published="2024-05-08", publisher="Test", strategy="sentences", **local_endpoint)
    _check(result, "fr", vcr)


@recorded_or_live
@pytest.mark.vcr
def test_arabic_article(local_endpoint, vcr) -> None:
    text = (DATA / "ar_article.txt").read_text()
    result = claimx.extract(text, published="2024-05-09", publisher="Test", strategy="sentences", **local_endpoint)
    _check(result, "ar", vcr)
