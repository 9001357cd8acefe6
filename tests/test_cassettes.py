"""Replays of real exchanges with the local model (Qwen2.5-Coder-1.5B via llama.cpp).

Re-record after any prompt or schema change, with the server running (`claimx local serve`):
    pytest tests/test_cassettes.py --record-mode=rewrite
These tests assert what claimx does with whatever the model said: grounding, attribution
checks, re-asks, provenance and the request it sent, never the model's exact wording.
"""

from __future__ import annotations

import json

import pytest

import claimx
from claimx.extraction import prompts
from claimx.extraction.cues import ATTRIBUTION_CUE
from claimx.extraction.drafts import ClaimDrafts, PairClaims, SentenceClaims
from claimx.extraction.plan import PAIR_PROMPTS, PROMPT_NAMES, plan
from tests.helpers import DATA, ROOT, same_body


def _bodies(vcr) -> list[dict]:
    return [json.loads(request.body) for request in vcr.requests]


def _check_result(result: claimx.Result, vcr) -> None:
    """Invariants every extraction must hold, whatever the model answered."""
    text = result.article.text
    flagged = {w.claim_id for w in result.warnings if w.code == "kept_unvalidated"}
    for claim in result.claims:
        for evidence in claim.evidence:
            if evidence.grounded:
                assert evidence.start is not None and evidence.end is not None
                located = text[evidence.start : evidence.end]
                if evidence.status == "exact":
                    assert located == evidence.quote.strip()
        # A claim that failed validation is only ever kept with a warning that names it.
        if not claim.grounded or claim.claimant is None:
            assert claim.id in flagged
        if claim.id not in flagged:
            assert any(ATTRIBUTION_CUE.search(e.quote) for e in claim.evidence)
    assert result.usage.llm_calls == len(vcr.requests)
    sentences = result.provenance.strategy == "sentences"
    assert result.provenance.schema_hash == prompts.schema_hash(
        *((SentenceClaims, PairClaims) if sentences else (ClaimDrafts,))
    )
    names = [*PROMPT_NAMES[result.provenance.strategy], *(PAIR_PROMPTS if sentences else ())]  # type: ignore[index]
    assert result.provenance.prompt_hashes == {n: prompts.load(n).sha256 for n in names}
    assert "key" not in result.provenance.base_url
    assert result.verifications == [] and all(result.verification_of(c.id) is None for c in result.claims)


@pytest.mark.vcr
def test_example_sentences(example, local_endpoint, vcr) -> None:
    result = claimx.extract(
        example["text"],
        published=example["published"],
        publisher=example["publisher"],
        strategy="sentences",
        **local_endpoint,
    )
    _check_result(result, vcr)
    units = plan("sentences", result.article.text, {})
    assert result.usage.llm_calls == len(units) + result.usage.reasks
    assert len(result.claims) >= len(example["claims"]) // 2
    # The model wrote who and what; each claim quotes a sentence it was asked about, found exactly.
    sentences = {sentence for unit in units for sentence in unit.sentences}
    assert all(e.quote in sentences and e.status == "exact" for c in result.claims for e in c.evidence)
    # Each call carried one cue sentence (two adjacent ones only past the call limit), as the plan says; the system
    # prompt was the template itself.
    asked = sorted(json.dumps(unit.schema.model_json_schema()) for unit in units)
    first = [body for body in _bodies(vcr) if len(body["messages"]) == 2]  # re-asks carry the answer and its errors
    assert sorted(json.dumps(body["response_format"]["json_schema"]["schema"]) for body in first) == asked
    for body in _bodies(vcr):
        assert body["messages"][0]["content"] == prompts.load("sentence_system").template.rstrip("\n")


@pytest.mark.vcr
@pytest.mark.default_cassette("test_example_whole.yaml")
def test_reask_feeds_validation_errors_back(example, local_endpoint, vcr) -> None:
    result = claimx.extract(
        example["text"],
        published=example["published"],
        publisher=example["publisher"],
        strategy="whole",
        **local_endpoint,
    )
    reasks = [b for b in _bodies(vcr) if any("Correct your JSON" in str(m.get("content")) for m in b["messages"])]
    assert result.usage.reasks == len(reasks) >= 1
    for body in reasks:
        feedback = body["messages"][-1]["content"]
        assert any(word in feedback for word in ("evidence", "outcome", "method", "via", "claimant", "event_date"))
        assert body["messages"][-2]["role"] == "assistant"


@pytest.mark.vcr
def test_example_whole(example, local_endpoint, vcr) -> None:
    result = claimx.extract(
        example["text"],
        published=example["published"],
        publisher=example["publisher"],
        strategy="whole",
        **local_endpoint,
    )
    _check_result(result, vcr)
    first = _bodies(vcr)[0]
    assert len([b for b in _bodies(vcr) if len(b["messages"]) == 2]) == 1  # one article call, plus re-asks
    assert example["text"].strip() in first["messages"][1]["content"]


@pytest.mark.vcr
def test_no_claims_article(local_endpoint, vcr) -> None:
    text = (DATA / "no_claims.txt").read_text()
    by_sentence = claimx.extract(text, strategy="sentences", **local_endpoint)
    assert by_sentence.usage.llm_calls == 0 and by_sentence.claims == []  # no cue, no call
    result = claimx.extract(text, strategy="whole", published="2018-08-08", **local_endpoint)
    _check_result(result, vcr)
    # Nothing in this article has a source: any claim the model still returned is flagged.
    flagged = {w.claim_id for w in result.warnings if w.code == "kept_unvalidated"}
    assert all(c.id in flagged for c in result.claims)


@pytest.mark.vcr
def test_prompt_injection_is_data(local_endpoint, vcr) -> None:
    text = (DATA / "injection.txt").read_text()
    result = claimx.extract(text, strategy="whole", published="2011-06-12", **local_endpoint)
    _check_result(result, vcr)
    injected = next(line for line in text.splitlines() if "ignore all previous instructions" in line)
    for body in _bodies(vcr):
        system, user = body["messages"][0], body["messages"][1]
        assert system["content"] == prompts.load("system").template.rstrip("\n")
        assert "ignore all previous instructions" not in system["content"]
        # The injected line reaches the model verbatim (not rendered as a template) inside the article tags.
        before, inside = user["content"].split("<article>", 1)
        assert injected in inside.split("</article>")[0] and injected not in before
        assert body["response_format"]["json_schema"]["schema"] == ClaimDrafts.model_json_schema()
    assert all(isinstance(c, claimx.Claim) for c in result.claims)


def test_a_changed_request_is_not_served_from_a_recording(vcr_config: dict) -> None:
    """A changed prompt, schema or article fails the replay loudly instead of getting a stale answer."""
    import httpx
    import vcr as vcrpy
    import yaml
    from vcr.errors import CannotOverwriteExistingCassetteException

    cassette = ROOT / "cassettes" / "test_cassettes" / "test_prompt_injection_is_data.yaml"
    recorded = yaml.safe_load(cassette.read_text())["interactions"][0]["request"]
    replayer = vcrpy.VCR(record_mode="none", **vcr_config)
    replayer.register_matcher("same_body", same_body)
    headers = {"content-type": "application/json"}
    with replayer.use_cassette(str(cassette)), httpx.Client() as client:
        assert client.post(recorded["uri"], content=recorded["body"].encode(), headers=headers).status_code == 200
        changed = recorded["body"].replace("DATA", "data", 1)
        assert changed != recorded["body"]
        with pytest.raises(CannotOverwriteExistingCassetteException, match="request body differs"):
            client.post(recorded["uri"], content=changed.encode(), headers=headers)


def test_cassettes_hold_no_credentials() -> None:
    from tests.helpers import SECRET_HEADERS

    for cassette in (ROOT / "cassettes").rglob("*.yaml"):
        content = cassette.read_text().lower()
        assert "sk-test-not-a-real-key" not in content, cassette
        for header in SECRET_HEADERS:
            assert f"\n      {header}:" not in content, (cassette, header)
        assert "server:\n      - llama.cpp" in content, f"{cassette} was not recorded from llama.cpp"


@pytest.mark.vcr
def test_eval_scores_the_dev_set(local_endpoint, tmp_path, vcr) -> None:
    """`claimx eval` end to end on the whole dev set (16 real articles), replayed from one recording of a
    live run; the saved results score the same when read back with --predictions."""
    from click.testing import CliRunner

    from claimx.cli import main
    from claimx.evaluation.gold import load_gold

    gold = ROOT / "eval" / "dev" / "dev.jsonl"
    golds = load_gold(gold)
    saved = tmp_path / "saved.jsonl"
    args = [
        "eval",
        str(gold),
        "--format",
        "json",
        "--strategy",
        "sentences",
        "--base-url",
        local_endpoint["base_url"],
        "--model",
        local_endpoint["model"],
        "--save",
        str(saved),
    ]
    result = CliRunner(env={"OPENAI_API_KEY": local_endpoint["api_key"]}).invoke(main, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    rows = {row["id"]: row for row in report["articles"]}
    assert list(rows) == [g.id for g in golds]
    for g in golds:
        metrics = rows[g.id]["metrics"]
        assert metrics["gold"] == len(g.claims)
        assert metrics["matched"] <= min(metrics["gold"], metrics["predicted"])
        assert rows[g.id]["stats"] is not None  # every article was extracted, none failed
    total = report["total"]
    assert total["articles"] == len(golds)
    assert total["metrics"]["gold"] == sum(len(g.claims) for g in golds)
    for key in ("gold", "predicted", "matched"):
        assert total["metrics"][key] == sum(row["metrics"][key] for row in rows.values())
    assert 0 < total["metrics"]["matched"] <= total["metrics"]["predicted"]
    # Every call the run made was answered from the recording, and counted.
    assert total["stats"]["llm_calls"] == len(vcr.requests) == sum(r["stats"]["llm_calls"] for r in rows.values())
    assert len(saved.read_text().splitlines()) == len(golds)
    rescored = CliRunner().invoke(main, ["eval", str(gold), "--format", "json", "--predictions", str(saved)])
    assert rescored.exit_code == 0, rescored.output
    assert json.loads(rescored.stdout)["total"]["metrics"] == total["metrics"]
