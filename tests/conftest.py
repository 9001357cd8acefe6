"""Shared test setup: cassettes live in the top-level `cassettes/` folder, credentials never
reach a recording, and a request whose body differs from the recording (a changed prompt or
schema) fails loudly instead of being served a stale answer."""

from __future__ import annotations

import json
from typing import Any

import pytest

from claimx.extraction import local
from claimx.extraction.identity import CREDENTIAL_PARAMETERS
from tests.helpers import LOCAL_URL, ROOT, SECRET_HEADERS, same_body


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--live", action="store_true", help="run tests that need the local model server")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--live"):
        return
    skip = pytest.mark.skip(reason="needs the local model server: run with --live (see README)")
    for item in items:
        if "live" in item.keywords:
            item.add_marker(skip)


def _scrub_response(response: dict) -> dict:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in SECRET_HEADERS:
            del headers[name]
    return response


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    vcr.register_matcher("same_body", same_body)


@pytest.fixture(scope="session")
def vcr_config() -> dict:
    return {
        "filter_headers": SECRET_HEADERS,
        "filter_query_parameters": sorted(CREDENTIAL_PARAMETERS),  # keys some providers take in the URL
        "before_record_response": _scrub_response,
        "match_on": ["method", "scheme", "host", "port", "path", "query", "same_body"],
        "decode_compressed_response": True,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(ROOT / "cassettes" / request.module.__name__.split(".")[-1])


@pytest.fixture
def local_endpoint() -> dict:
    """Arguments that point claimx at the local llama.cpp server, recorded or live. A dummy key
    is sent so that the credential filter is exercised on every recording."""
    return {"base_url": LOCAL_URL, "model": local.MODEL_NAME, "api_key": "sk-test-not-a-real-key"}


@pytest.fixture(scope="session")
def example() -> dict:
    """The bundled example article with its gold annotation."""
    return json.loads((ROOT / "eval" / "dev" / "dev.jsonl").read_text().splitlines()[0])
