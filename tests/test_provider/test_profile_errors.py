"""A missing AWS profile is one sentence naming it and where it came from, never a traceback (issue 19)."""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest

from mgn_resources.errors import ConnectionSettingsError
from mgn_resources.lifecycle.effective import StackSettings
from mgn_resources.provider.cutover import CutoverProvider
from mgn_resources.provider.launch_settings import LaunchSettingsProvider
from mgn_resources.provider.test_launch import TestLaunchProvider

PROVIDERS = [CutoverProvider, TestLaunchProvider, LaunchSettingsProvider]
SERVER = "s-1234567890abcdef0"
INPUTS = {"source_server_ids": [SERVER], "source_server_id": SERVER, "region": "us-east-1"}


@pytest.fixture(autouse=True)
def _empty_aws_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "config").write_text("[default]\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "config"))
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def _one_sentence(exc: pytest.ExceptionInfo[ConnectionSettingsError], source: str) -> None:
    text = "".join(traceback.format_exception(exc.value))
    # user_errors dropped botocore's chain: what the host shows (host_errors) is the message alone
    assert exc.value.__cause__ is None and "ProfileNotFound" not in text and "botocore" not in text
    message = str(exc.value)
    assert "\n" not in message and f"AWS profile 'nope' (from {source})" in message


@pytest.mark.parametrize("provider_class", PROVIDERS)
def test_check_and_diff_with_aws_profile_nope(provider_class: type, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "nope")
    provider = provider_class()
    with pytest.raises(ConnectionSettingsError) as checked:
        provider.check({}, dict(INPUTS))
    _one_sentence(checked, "AWS_PROFILE")
    with pytest.raises(ConnectionSettingsError) as diffed:
        provider.diff("id", dict(INPUTS), dict(INPUTS))
    _one_sentence(diffed, "AWS_PROFILE")


@pytest.mark.parametrize("provider_class", PROVIDERS)
def test_create_with_aws_profile_config_nope(provider_class: type) -> None:
    provider = provider_class()
    provider.stack = StackSettings(region="us-east-1", profile="nope")
    with pytest.raises(ConnectionSettingsError) as created:
        provider.create({**INPUTS, "endpoint_url": "http://127.0.0.1:9"})
    _one_sentence(created, "aws:profile")
    assert "pulumi config rm aws:profile" in str(created.value)
