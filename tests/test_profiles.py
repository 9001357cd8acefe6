"""Each provider profile sends the request its provider documents, captured on the fake server: OpenAI's strict
structured outputs and its reasoning models' parameters, Ollama's native chat request (inlined schema as `format`,
the context window in `options`) and the warning for a prompt it cut, vLLM without the keywords its older grammar
backends reject, and, for llama.cpp and any other server, exactly the request the cassettes recorded. A URL that
names no provider is asked what it is, once per process; one that names one never is."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import claimx
from claimx import errors
from claimx.cli import main
from claimx.extraction import discovery, local, ollama, profiles
from claimx.extraction.drafts import SentenceClaims
from claimx.extraction.identity import Endpoint, fingerprint
from claimx.settings import settings_from
from tests.fakeserver import FakeServer
from tests.helpers import ARTICLE, ROOT

FRENCH = "Le porte-parole de l'armée a déclaré que deux soldats avaient été tués lors de l'attaque du poste."
ITALIAN = "Il portavoce dell'esercito ha detto che due soldati sono stati uccisi nell'attacco al posto di blocco."

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
# The Modelfile parameters Ollama documents (docs/modelfile.mdx, "Valid parameters and values") that claimx sets.
OLLAMA_OPTIONS = {"num_ctx", "num_predict", "temperature"}


@pytest.fixture(autouse=True)
def _fresh_probes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts with no server described (a fake server's port may come back in a later test)."""
    monkeypatch.setattr(discovery, "_answers", {})


def _json(value: Any) -> tuple[int, str, bytes]:
    return 200, "application/json", json.dumps(value).encode()


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
    if expected != "generic":  # the others are asked what they are (below)
        assert profiles.choose(settings_from(base_url=url, model="m"), Endpoint.of(url, "m")).name == expected


def test_mode_overrides_detection_and_the_local_model_is_llamacpp(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "CLAIMX_BASE_URL", "CLAIMX_MODE"):
        monkeypatch.delenv(name, raising=False)
    url = "http://localhost:11434/v1"
    where = Endpoint.of(url, "m")
    assert profiles.choose(settings_from(base_url=url, model="m", mode="vllm"), where).name == "vllm"
    monkeypatch.setenv("CLAIMX_MODE", "generic")
    assert profiles.choose(settings_from(base_url=url, model="m"), where).name == "generic"
    monkeypatch.delenv("CLAIMX_MODE")
    local_url = local.base_url(settings_from())
    assert profiles.choose(settings_from(), Endpoint.of(local_url, "m")).name == "llamacpp"
    assert discovery._answers == {}  # none of them was probed


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


def test_openai_gets_a_sentence_schema_without_string_lengths_which_pydantic_still_checks() -> None:
    response_format = profiles.Profile("openai").request({}, SentenceClaims)["response_format"]
    schema = response_format["json_schema"]["schema"]
    assert "maxLength" not in json.dumps(schema) and "maxLength" in json.dumps(SentenceClaims.model_json_schema())
    assert schema["properties"]["claims"]["maxItems"] == 3  # array sizes are in OpenAI's subset
    claimant = {"claimant": "x" * 121, "claimant_kind": "unknown", "stance": "asserted", "target": None, "place": None}
    with pytest.raises(ValidationError, match="at most 120 characters"):
        SentenceClaims.model_validate({"claims": [claimant]})


@pytest.mark.parametrize("model", ["o3-mini", "o4-mini", "o1", "gpt-5", "gpt-5-mini"])
def test_openai_reasoning_models_get_max_completion_tokens_and_no_temperature(model: str) -> None:
    body = _sent("openai", model=model)
    assert body["max_completion_tokens"] == 2048
    assert "max_tokens" not in body and "temperature" not in body
    assert body["response_format"]["json_schema"]["strict"] is True


def test_ollama_gets_its_native_chat_request() -> None:
    """docs/api.md, "Generate a chat completion": model, messages, `format` (a JSON schema), `options` (Modelfile
    parameters), `stream: false` for one answer; nothing of OpenAI's request shape."""
    with FakeServer() as server:
        result = claimx.extract(
            ARTICLE, base_url=server.base_url, model="qwen3", api_key="k", strategy="whole", mode="ollama"
        )
        path, body = server.stats.last_path, server.stats.last_body
    assert path == "/api/chat"
    assert set(body) == {"model", "messages", "format", "options", "stream"}
    assert body["model"] == "qwen3" and body["stream"] is False
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert set(body["options"]) <= OLLAMA_OPTIONS
    assert body["options"] == {"num_ctx": 8192, "num_predict": 2048, "temperature": 0.0}
    schema = body["format"]
    assert schema["type"] == "object" and list(schema["properties"]) == ["claims"]
    assert not [s for s in _schemas(schema) if "$ref" in s or "$defs" in s or "anyOf" in s]
    claim = schema["properties"]["claims"]["items"]
    assert claim["properties"]["stance"]["enum"][0] == "asserted"  # the definition, inlined
    assert claim["properties"]["claimant"]["type"] == ["string", "null"]
    assert result.status == "complete" and result.claims


def test_ollama_context_window_comes_from_the_settings_and_enters_the_fingerprint() -> None:
    with FakeServer() as server:
        result = claimx.extract(
            ARTICLE,
            base_url=server.base_url,
            model="m",
            api_key="k",
            strategy="whole",
            mode="ollama",
            ollama_num_ctx=16384,
            temperature=0.3,
            max_tokens=512,
        )
        options = server.stats.last_body["options"]
    assert options == {"num_ctx": 16384, "num_predict": 512, "temperature": 0.3}
    assert result.provenance.parameters["num_ctx"] == 16384


def test_ollama_usage_and_audit_records_come_from_its_counts() -> None:
    """prompt_eval_count and eval_count are the usage; the audit record keeps the request but its schema."""
    with FakeServer(prompt_tokens=321) as server:
        result = claimx.extract(
            ARTICLE, base_url=server.base_url, model="m", api_key="k", strategy="whole", mode="ollama"
        )
    (call,) = result.calls
    assert call.prompt_tokens == 321 and call.completion_tokens and call.finish_reason == "stop"
    assert result.usage.prompt_tokens == 321 and result.usage.completion_tokens == call.completion_tokens
    assert call.parameters == {
        "model": "m",
        "options": {"num_ctx": 8192, "num_predict": 2048, "temperature": 0.0},
        "stream": False,
    }
    assert call.response and json.loads(call.response)["claims"]


def test_ollama_cut_off_answers_and_failures_take_the_same_roads() -> None:
    """done_reason "length" is a cut-off (asked again with twice the limit), a 500 is retried, a 404 is the
    typed error that names the model."""
    with FakeServer() as server:
        cut = claimx.extract(
            ARTICLE + "\nFAULT-LENGTH-ONCE",
            base_url=server.base_url,
            model="m",
            api_key="k",
            strategy="whole",
            mode="ollama",
        )
        assert server.stats.max_tokens == [2048, 4096]
    assert [c.kind for c in cut.calls] == ["ask", "larger-limit"] and cut.status == "complete"
    with FakeServer(script=["500", "ok"]) as server:
        retried = claimx.extract(
            ARTICLE, base_url=server.base_url, model="m", api_key="k", strategy="whole", mode="ollama"
        )
    assert [c.kind for c in retried.calls] == ["ask", "retry"] and retried.status == "complete"
    with FakeServer(script=["404"]) as server, pytest.raises(errors.ModelNotFoundError, match="'m'"):
        claimx.extract(ARTICLE, base_url=server.base_url, model="m", api_key="k", strategy="whole", mode="ollama")


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("http://localhost:11434/v1", "http://localhost:11434/api/chat"),
        ("http://localhost:11434/v1/", "http://localhost:11434/api/chat"),
        ("https://gateway.example.org/ollama/v1", "https://gateway.example.org/ollama/api/chat"),
        ("http://localhost:11434", "http://localhost:11434/api/chat"),
    ],
)
def test_the_native_endpoint_sits_beside_the_openai_base(base_url: str, expected: str) -> None:
    assert ollama.chat_url(base_url) == expected


@given(
    content=st.text(),
    done_reason=st.one_of(st.none(), st.sampled_from(["stop", "length", "load", "unload"]), st.text()),
    prompt=st.one_of(st.none(), st.integers(0, 10**7)),
    generated=st.one_of(st.none(), st.integers(0, 10**7)),
)
def test_any_ollama_answer_reads_as_a_completion_with_its_text_end_and_counts(
    content: str, done_reason: str | None, prompt: int | None, generated: int | None
) -> None:
    answer: dict[str, Any] = {"model": "m", "message": {"role": "assistant", "content": content}, "done": True}
    counts = {"done_reason": done_reason, "prompt_eval_count": prompt, "eval_count": generated}
    read = ollama.completion({**answer, **{k: v for k, v in counts.items() if v is not None}})
    assert not isinstance(read, str) and read.choices[0].message.content == content
    assert read.choices[0].finish_reason == ("length" if done_reason == "length" else "stop")
    if prompt is None or generated is None:
        assert read.usage is None  # no count is no usage, not zero
    else:
        assert read.usage is not None and (read.usage.prompt_tokens, read.usage.completion_tokens) == (
            prompt,
            generated,
        )


def test_a_body_that_is_no_ollama_answer_comes_back_as_text() -> None:
    assert ollama.completion("<html>502</html>") == "<html>502</html>"
    assert ollama.completion({"error": "model not loaded"}) == '{"error": "model not loaded"}'
    assert ollama.completion({"message": {"role": "assistant"}}) == '{"message": {"role": "assistant"}}'


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
    # the local model's port, a server that does not answer the probe (port 9 on loopback), a forced generic
    for url, mode in [("http://127.0.0.1:8734/v1", None), ("http://127.0.0.1:9/v1", None), (None, "generic")]:
        settings = settings_from(base_url=url or "http://10.0.0.2:8000/v1", model="m", mode=mode)
        assert fingerprint(settings)["parameters"] == before
    native = fingerprint(settings_from(base_url="http://localhost:11434/v1", model="m"))
    assert native["parameters"] == {**before, "mode": "ollama", "num_ctx": 8192}
    forced = fingerprint(settings_from(base_url="http://10.0.0.2:8000/v1", model="m", mode="openai"))
    assert forced["parameters"]["mode"] == "openai"


def test_ollama_warns_when_the_prompt_filled_the_context_window() -> None:
    with FakeServer(prompt_tokens=8192) as server:
        result = claimx.extract(
            ARTICLE, base_url=server.base_url, model="m", api_key="k", strategy="whole", mode="ollama"
        )
    cut = [w for w in result.warnings if w.code == "prompt_truncated"]
    assert (
        len(cut) == 1
        and cut[0].unit is not None
        and cut[0].message.startswith("article: ")
        and "8,192" in cut[0].message
    )
    assert "CLAIMX_OLLAMA_NUM_CTX" in cut[0].message and result.claims  # the answer is kept, with the warning
    assert result.provenance.parameters["mode"] == "ollama"


def test_ollama_warns_when_the_count_is_far_below_the_prompt() -> None:
    """A model whose window is smaller than the num_ctx sent: the count is the window, not the prompt."""
    with FakeServer(prompt_tokens=50) as server:
        result = claimx.extract(
            ARTICLE, base_url=server.base_url, model="m", api_key="k", strategy="whole", mode="ollama"
        )
    assert [w.code for w in result.warnings] == ["prompt_truncated"]


def test_no_truncation_warning_for_a_prompt_that_fits_or_another_profile() -> None:
    for mode, reported in [("ollama", None), ("ollama", 8191 - profiles.FULL_MARGIN), ("generic", 8192)]:
        with FakeServer(prompt_tokens=reported) as server:
            result = claimx.extract(
                ARTICLE, base_url=server.base_url, model="m", api_key="k", strategy="whole", mode=mode
            )
        assert result.warnings == [], (mode, reported)


def test_truncation_rule_reads_the_configured_window() -> None:
    url = "http://localhost:11434/v1"
    profile = profiles.choose(settings_from(base_url=url, model="m", ollama_num_ctx=8192), Endpoint.of(url, "m"))
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
    assert server.stats.last_path == "/api/chat" and "$ref" not in json.dumps(server.stats.last_body)
    assert "--mode" in CliRunner().invoke(main, ["batch", "--help"]).output


VLLM_MODELS = {"object": "list", "data": [{"id": "m", "object": "model", "owned_by": "vllm"}]}
ALL_PROBES = ["/v1/models", "/api/version", "/props", "/version"]


@pytest.mark.parametrize(
    ("pages", "expected", "asked"),
    [
        ({"/v1/models": _json(VLLM_MODELS)}, "vllm", ALL_PROBES[:1]),
        ({"/v1/models": _json({"data": [{"id": "m", "owned_by": "llamacpp"}]})}, "llamacpp", ALL_PROBES[:1]),
        (
            {
                "/v1/models": _json({"data": [{"id": "m", "owned_by": "library"}]}),
                "/api/version": _json({"version": "0.9"}),
            },
            "ollama",
            ALL_PROBES[:2],
        ),
        ({"/props": _json({"default_generation_settings": {}, "total_slots": 1})}, "llamacpp", ALL_PROBES[:3]),
        ({"/version": _json({"version": "0.8.5"})}, "vllm", ALL_PROBES),
        ({"/api/version": (200, "text/html", b"<html>hello</html>")}, "generic", ALL_PROBES),
        ({"/version": _json({"version": "2.1", "commit": "abc"})}, "generic", ALL_PROBES),  # another server's
        ({}, "generic", ALL_PROBES),
    ],
)
def test_an_unrecognised_server_is_asked_what_it_is_once(
    pages: dict[str, tuple[int, str, bytes]], expected: str, asked: list[str]
) -> None:
    with FakeServer(pages=pages) as server:
        settings = settings_from(base_url=server.base_url, model="m", api_key="k")
        where = Endpoint.of(server.base_url, "m")
        assert profiles.choose(settings, where).name == expected
        assert profiles.choose(settings, where).name == expected
        assert fingerprint(settings)["parameters"].get("mode") == (
            None if expected in ("llamacpp", "generic") else expected
        )
    assert list(server.stats.gets) == asked and set(server.stats.gets.values()) == {1}  # in order, once each


def test_a_server_that_says_it_is_ollama_is_asked_natively_and_probed_once_per_process() -> None:
    with FakeServer(pages={"/api/version": _json({"version": "0.12.3"})}) as server, FakeServer() as other:
        for _ in range(2):
            result = claimx.extract(ARTICLE, base_url=server.base_url, model="m", api_key="k", strategy="whole")
            claimx.extract(ARTICLE, base_url=other.base_url, model="m", api_key="k", strategy="whole")
        assert server.stats.last_path == "/api/chat" and other.stats.last_path == "/v1/chat/completions"
    assert result.provenance.parameters["mode"] == "ollama" and result.status == "complete"
    assert server.stats.gets == {"/v1/models": 1, "/api/version": 1}
    assert other.stats.gets == dict.fromkeys(ALL_PROBES, 1)  # each URL its own probe, and only one
    assert discovery._answers == {server.base_url: "ollama", other.base_url: None}


def test_a_recognised_url_or_a_given_mode_is_never_probed() -> None:
    """A fake llama.cpp on the local model's port (how the cassettes' server is recognised), and `--mode`."""
    with FakeServer(pages={"/v1/models": _json(VLLM_MODELS)}) as server:
        local_run = claimx.extract(
            ARTICLE, base_url=server.base_url, model="m", api_key="k", strategy="whole", local_port=server.port
        )
        for mode in ("generic", "vllm", "ollama"):
            claimx.extract(ARTICLE, base_url=server.base_url, model="m", api_key="k", strategy="whole", mode=mode)
    assert "mode" not in local_run.provenance.parameters
    assert server.stats.gets == {} and discovery._answers == {}


def test_a_server_that_does_not_answer_is_generic_for_the_rest_of_the_process() -> None:
    with FakeServer() as server:
        url = server.base_url
    settings = settings_from(base_url=url, model="m", api_key="k")
    assert profiles.choose(settings, Endpoint.of(url, "m")).name == "generic"
    assert discovery._answers == {url: None}


def test_the_native_request_and_the_probe_carry_the_urls_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with FakeServer() as server:
        url = server.base_url.replace("http://", "http://user:pa55@") + "?key=SECRET"
        claimx.extract(ARTICLE, base_url=url, model="m", strategy="whole", mode="ollama")
        assert server.stats.last_path == "/api/chat" and server.stats.last_query == {"key": ["SECRET"]}
        assert server.stats.last_authorization == "Basic " + base64.b64encode(b"user:pa55").decode()
        assert profiles.choose(settings_from(base_url=url, model="m"), Endpoint.of(url, "m")).name == "generic"
    assert list(server.stats.gets) == [f"{path}?key=SECRET" for path in ALL_PROBES]


@pytest.mark.parametrize("mode", ["openai", "vllm", "ollama"])
def test_each_call_is_held_to_its_own_schema_in_the_endpoint_s_shape(mode: str) -> None:
    """A French article's calls are held to the schema with the claimant in English, and the call that picks an
    Italian article's sentences to the list of their numbers, not to the English article's drafts."""
    bodies: dict[str, dict[str, Any]] = {}
    for language, text in [("fr", FRENCH), ("it", ITALIAN)]:
        with FakeServer() as server:
            result = claimx.extract(
                text, base_url=server.base_url, model="fake", api_key="k", strategy="sentences", mode=mode
            )
            bodies[language] = server.stats.last_body
        assert result.article.language == language and result.usage.llm_calls >= 1
    sent = json.dumps(bodies["fr"]["format"] if mode == "ollama" else bodies["fr"]["response_format"])
    assert '"claimant_english"' in sent
    chosen = json.dumps(bodies["it"]["format"] if mode == "ollama" else bodies["it"]["response_format"])
    assert '"sentences"' in chosen and '"evidence"' not in chosen
