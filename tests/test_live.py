"""Checks against the real local model; run with `pytest --live` when `claimx local serve` runs."""

from __future__ import annotations

import pytest

import claimx
from claimx.extraction import local
from claimx.settings import settings_from

pytestmark = [pytest.mark.live, pytest.mark.block_network(allowed_hosts=["127.0.0.1"])]


def test_installed_weights_verify() -> None:
    local.verify(local.weights_path(settings_from()))


def test_extract_uses_the_local_server_when_nothing_is_configured(monkeypatch, example) -> None:
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "CLAIMX_BASE_URL", "CLAIMX_MODEL"):
        monkeypatch.delenv(name, raising=False)
    sentence = example["text"].splitlines()[4]
    result = claimx.extract(sentence, published=example["published"])
    assert result.provenance.model == local.MODEL_NAME
    assert result.provenance.base_url == local.base_url(settings_from())
    assert result.usage.llm_calls >= 1
