"""A 61,000-character article through the local model (Qwen2.5-Coder-1.5B via llama.cpp), under both
strategies: `whole` cuts it into chunks and records them on the result, `sentences` has no size limit. Both
are bounded by `max_calls`, the cost limit, and say so: every chunk or sentence past it is listed, none is
dropped unannounced.

`tests/data/roundup_61k.txt` is 23 public-domain and CC BY news articles one after the other (see
`tests/data/SOURCES.md`). Until their cassettes exist these tests need the model server and are skipped
without --live. Record them once, with `claimx local serve` running (about 15 minutes on 2 cores):
    pytest tests/test_cassettes_long.py --live --record-mode=once
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest

import claimx
from tests.helpers import DATA, ROOT

CASSETTES = ROOT / "cassettes" / "test_cassettes_long"
TEXT = (DATA / "roundup_61k.txt").read_text()
F = TypeVar("F", bound=Callable[..., Any])


def recorded_or_live(test: F) -> F:
    """Mark a test `live` (skipped unless --live) while its cassette has not been recorded."""
    return test if (CASSETTES / f"{test.__name__}.yaml").is_file() else pytest.mark.live(test)


def _check_grounded(result: claimx.Result) -> None:
    """Claims were found, and every exactly grounded quote sits at its offsets in the article as given."""
    assert len(result.article.text) > 60_000
    assert [c for c in result.claims if c.grounded and c.claimant], [w.message for w in result.warnings]
    for claim in result.claims:
        for evidence in claim.evidence:
            if evidence.status == "exact":
                assert TEXT[evidence.start : evidence.end] == evidence.quote.strip()


@recorded_or_live
@pytest.mark.vcr
def test_a_61k_article_under_whole_is_read_in_recorded_chunks(local_endpoint) -> None:
    result = claimx.extract(TEXT, published="2014-07-30", strategy="whole", max_calls=6, **local_endpoint)
    _check_grounded(result)
    sent = [c for c in result.chunks if not c.skipped]
    assert len(sent) == 6 < len(result.chunks)
    assert result.chunks[0].start == 0 and result.chunks[-1].end >= len(TEXT.rstrip())
    for before, after in zip(result.chunks, result.chunks[1:], strict=False):
        assert after.start <= before.end  # they overlap or touch: no text between two chunks is unread
    limit = [w for w in result.warnings if w.code == "call_limit"]
    assert len(limit) == 1 and limit[0].message.startswith(f"{len(result.chunks) - 6} call(s) past the limit of 6")
    last_read = sent[-1].end
    assert all(e.start is None or e.start < last_read for c in result.claims for e in c.evidence)
    # A chunk whose every attempt failed (in this recording, calls that queued behind runaway 2,048-token answers
    # on a 2-core server until the client's timeout) is named, and the claims of the others are kept.
    failed = {f.key for f in result.failed_units}
    assert failed <= {c.unit for c in sent} and result.status == ("partial" if failed else "complete")
    assert {w.unit for w in result.warnings if w.code == "call_failed"} == failed


@recorded_or_live
@pytest.mark.vcr
def test_a_61k_article_under_sentences_has_no_size_limit_only_a_call_limit(local_endpoint) -> None:
    result = claimx.extract(TEXT, published="2014-07-30", strategy="sentences", max_calls=16, **local_endpoint)
    _check_grounded(result)
    assert result.chunks == []
    assert result.usage.llm_calls - result.usage.reasks == 16
    assert [w.code for w in result.warnings].count("call_limit") == 1
