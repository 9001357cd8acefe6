from __future__ import annotations

import pytest

from claimx import errors
from claimx.extraction.pipeline import connect
from claimx.settings import settings_from


def test_arguments_override_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMX_MODEL", "env-model")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://env:1/v1")
    monkeypatch.setenv("CLAIMX_MAX_REASKS", "5")
    settings = settings_from(model="arg-model", base_url=None)
    assert settings.model == "arg-model" and settings.base_url == "http://env:1/v1" and settings.max_reasks == 5
    assert not settings.is_local and settings.effective_strategy == "whole"


def test_no_endpoint_means_local_and_sentences(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "CLAIMX_BASE_URL", "CLAIMX_STRATEGY"):
        monkeypatch.delenv(name, raising=False)
    settings = settings_from()
    assert settings.is_local and settings.effective_strategy == "sentences"


def test_endpoint_without_model_says_how_to_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAIMX_MODEL", raising=False)
    with pytest.raises(errors.ConfigurationError, match="CLAIMX_MODEL"):
        connect(settings_from(base_url="http://127.0.0.1:9/v1"))


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_missing_local_model_names_the_command(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "CLAIMX_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(errors.LocalModelError, match="claimx local install"):
        connect(settings_from(cache_dir=tmp_path, local_port=9))


def test_invalid_setting_is_rejected() -> None:
    with pytest.raises(ValueError, match="strategy"):
        settings_from(strategy="paragraphs")
