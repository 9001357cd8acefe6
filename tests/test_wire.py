"""The hard-wrapped, all-capitals wire report against the local model (Qwen2.5-Coder-1.5B via llama.cpp).

Replayed from `cassettes/test_wire/`, recorded from the local server. When a request body changes, re-record
with the server running (`claimx local serve`):
    pytest tests/test_wire.py --live --record-mode=all
"""

from __future__ import annotations

import pytest

import claimx
from claimx.extraction.text import split_sentences
from tests.helpers import DATA

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

WIRE = (DATA / "wire-dev-muc3-0001.txt").read_text()


@pytest.mark.vcr
@pytest.mark.parametrize("strategy", ["sentences", "whole"])
def test_wrapped_all_caps_wire_report(strategy: str, local_endpoint: dict) -> None:
    result = claimx.extract(WIRE, published="1990-01-03", strategy=strategy, **local_endpoint)
    assert result.article.text == WIRE and any(w.code == "reflowed" for w in result.warnings)
    if strategy == "sentences":  # one call per cue sentence of the re-flowed text, not per wrapped line
        assert result.usage.llm_calls - result.usage.reasks == 3 < len(split_sentences(WIRE))
    grounded = [e for c in result.claims for e in c.evidence if e.grounded]
    assert grounded, "the report states who reported the kidnapping: at least one claim is grounded"
    for evidence in grounded:
        assert evidence.start is not None and evidence.end is not None
        span = " ".join(WIRE[evidence.start : evidence.end].split())
        assert span.lower() == " ".join(evidence.quote.split()).lower()  # offsets into the wrapped original
