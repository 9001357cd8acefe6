"""Each provider profile sends the request its provider documents, captured on the fake server: OpenAI's strict
structured outputs and its reasoning models' parameters, Ollama's inlined schema and the warning for a prompt it
cut, vLLM without the keywords its older grammar backends reject, and, for llama.cpp and any other server,
exactly the request the cassettes recorded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import claimx
from claimx.cli import main
from claimx.extraction import local, profiles
from claimx.extraction.identity import fingerprint
from claimx.settings import settings_from
from tests.fakeserver import FakeServer
from tests.helpers import ARTICLE, ROOT

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


def _sent(mode: str | None, model: str = "fake", text: str = ARTICLE, **options: Any) -> dict[str, Any]:
    """The body of the one request a whole-article extraction sends in `mode`."""
    with FakeServer() as server:
        result = claimx.extract(
            text, base_url=server.base_url, model=model, api_key="k", strategy="whole", mode=mode, **options
        )
    assert result.usage.llm_calls == 1  # no re-ask: the last request is the only one
    return server.stats.last_body


def _schemas(node: Any) -> Iterator[dict[str, Any]]:
    """Every object in a JSON schema (subschemas, and the dicts around them)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schemas(value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.openai.com/v1", "openai"),
        ("http://localhost:11434/v1", "ollama"),
        ("http://gpu-box:11434/v1", "ollama"),
        ("https://ollama.example.org/v1", "ollama"),
        ("https://gateway.example.org/ollama/v1", "ollama"),
        ("http://127.0.0.1:8734/v1", "llamacpp"),
        ("http://localhost:8734/v1", "llamacpp"),
        ("http://127.0.0.1:8000/v1", "generic"),
        ("https://openrouter.ai/api/v1", "generic"),
    ],
)
def test_the_base_url_names_the_profile(url: str, expected: str) -> None:
    assert profiles.detect(url, local_port=8734) == expected
    assert profiles.choose(settings_from(base_url=url, model="m"), url).name == expected


def test_mode_overrides_detection_and_the_local_model_is_llamacpp(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "CLAIMX_BASE_URL", "CLAIMX_MODE"):
        monkeypatch.delenv(name, raising=False)
    url = "http://localhost:11434/v1"
    assert profiles.choose(settings_from(base_url=url, model="m", mode="vllm"), url).name == "vllm"
    monkeypatch.setenv("CLAIMX_MODE", "generic")
    assert profiles.choose(settings_from(base_url=url, model="m"), url).name == "generic"
    monkeypatch.delenv("CLAIMX_MODE")
    assert profiles.choose(settings_from(), local.base_url(settings_from())).name == "llamacpp"


def test_openai_sends_a_strict_schema() -> None:
    body = _sent("openai", model="gpt-4.1-mini")
    response_format = body["response_format"]
    assert response_format["type"] == "json_schema" and response_format["json_schema"]["strict"] is True
    objects = [s for s in _schemas(response_format["json_schema"]["schema"]) if s.get("type") == "object"]
    assert len(objects) == 2  # ClaimDrafts and ClaimDraft
    for schema in objects:
        assert schema["additionalProperties"] is False
        assert set(schema["required"]) == set(schema["properties"])
    actor = response_format["json_schema"]["schema"]["$defs"]["ClaimDraft"]["properties"]["actor"]
    assert {"type": "null"} in actor["anyOf"]  # optional fields are required but nullable
    assert body["max_tokens"] == 2048 and body["temperature"] == 0.0


@pytest.mark.parametrize("model", ["o3-mini", "o4-mini", "o1", "gpt-5", "gpt-5-mini"])
def test_openai_reasoning_models_get_max_completion_tokens_and_no_temperature(model: str) -> None:
    body = _sent("openai", model=model)
    assert body["max_completion_tokens"] == 2048
    assert "max_tokens" not in body and "temperature" not in body
    assert body["response_format"]["json_schema"]["strict"] is True


def test_ollama_gets_a_schema_without_references_or_unions() -> None:
    body = _sent("ollama")
    schema = body["response_format"]["json_schema"]["schema"]
    assert not [s for s in _schemas(schema) if "$ref" in s or "$defs" in s or "anyOf" in s]
    claim = schema["properties"]["claims"]["items"]
    assert claim["properties"]["stance"]["enum"][0] == "asserted"  # the definition, inlined
    assert claim["properties"]["claimant"]["type"] == ["string", "null"]
    assert body["max_tokens"] == 2048 and body["temperature"] == 0.0


def test_vllm_gets_no_validation_keywords_and_keeps_the_shape() -> None:
    body = _sent("vllm")
    schema = body["response_format"]["json_schema"]["schema"]
    assert not [s for s in _schemas(schema) if profiles.VALIDATION_KEYWORDS & s.keys()]
    assert "minItems" not in json.dumps(schema) and schema["$defs"]["Stance"]["enum"]
    named = {"properties": {"pattern": {"type": "string", "pattern": "^a", "minLength": 1}}}
    assert profiles._without(named, profiles.VALIDATION_KEYWORDS) == {"properties": {"pattern": {"type": "string"}}}


@pytest.mark.parametrize("mode", ["llamacpp", "generic", None])
def test_llamacpp_and_generic_send_the_recorded_request(example: dict, mode: str | None) -> None:
    """The first request of the recorded whole-article run, sent again the same way against the fake server."""
    recording = yaml.safe_load((ROOT / "cassettes" / "test_cassettes" / "test_example_whole.yaml").read_text())
    recorded = json.loads(recording["interactions"][0]["request"]["body"])
    body = _sent(
        mode,
        model=local.MODEL_NAME,
        text=example["text"],
        published=example["published"],
        publisher=example["publisher"],
    )
    assert body == recorded


def test_only_a_profile_other_than_the_default_enters_the_fingerprint() -> None:
    before = {"temperature": 0.0, "max_tokens": 2048, "max_reasks": 2}  # the parameters results recorded so far
    for url, mode in [("http://127.0.0.1:8734/v1", None), ("http://10.0.0.2:8000/v1", None), (None, "generic")]:
        settings = settings_from(base_url=url or "http://10.0.0.2:8000/v1", model="m", mode=mode)
        assert fingerprint(settings)["parameters"] == before
    ollama = fingerprint(settings_from(base_url="http://localhost:11434/v1", model="m"))
    assert ollama["parameters"] == {**before, "mode": "ollama"}
    forced = fingerprint(settings_from(base_url="http://10.0.0.2:8000/v1", model="m", mode="openai"))
    assert forced["parameters"]["mode"] == "openai"


def test_ollama_warns_when_the_prompt_filled_the_context_window() -> None:
    with FakeServer(prompt_tokens=4096) as server:
        result = claimx.extract(
            ARTICLE, base_url=server.base_url, model="m", api_key="k", strategy="whole", mode="ollama"
        )
    cut = [w for w in result.warnings if w.code == "prompt_truncated"]
    assert (
        len(cut) == 1
        and cut[0].unit is not None
        and cut[0].message.startswith("article: ")
        and "4,096" in cut[0].message
    )
    assert "OLLAMA_CONTEXT_LENGTH" in cut[0].message and result.claims  # the answer is kept, with the warning
    assert result.provenance.parameters["mode"] == "ollama"


def test_ollama_warns_when_the_count_is_far_below_the_prompt() -> None:
    """A server whose window is smaller than ollama_num_ctx says: the count is the window, not the prompt."""
    with FakeServer(prompt_tokens=50) as server:
        result = claimx.extract(
            ARTICLE, base_url=server.base_url, model="m", api_key="k", strategy="whole", mode="ollama"
        )
    assert [w.code for w in result.warnings] == ["prompt_truncated"]


def test_no_truncation_warning_for_a_prompt_that_fits_or_another_profile() -> None:
    for mode, reported in [("ollama", None), ("ollama", 4095 - profiles.FULL_MARGIN), ("generic", 4096)]:
        with FakeServer(prompt_tokens=reported) as server:
            result = claimx.extract(
                ARTICLE, base_url=server.base_url, model="m", api_key="k", strategy="whole", mode=mode
            )
        assert result.warnings == [], (mode, reported)


def test_truncation_rule_reads_the_configured_window() -> None:
    profile = profiles.choose(
        settings_from(base_url="http://localhost:11434/v1", model="m", ollama_num_ctx=8192), "http://localhost:11434/v1"
    )
    short = [{"role": "user", "content": "x" * 400}]
    assert profile.truncation(8192, short) is not None and profile.truncation(8176, short) is not None
    assert profile.truncation(8175, short) is None and profile.truncation(4096, short) is None
    assert profile.truncation(None, short) is None and profile.truncation(0, short) is None  # no count, no verdict
    assert profile.truncation(49, short) is not None and profile.truncation(50, short) is None  # 400 chars ≈ 100


def test_the_cli_takes_mode() -> None:
    with FakeServer() as server:
        env = {"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": None, "CLAIMX_BASE_URL": None, "CLAIMX_MODE": None}
        result = CliRunner(env=env).invoke(
            main, ["extract", "-", "--base-url", server.base_url, "--model", "m", "--mode", "ollama"], input=ARTICLE
        )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["provenance"]["parameters"]["mode"] == "ollama"
    assert "$ref" not in json.dumps(server.stats.last_body)
    assert "--mode" in CliRunner().invoke(main, ["batch", "--help"]).output
