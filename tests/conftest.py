"""Shared fixtures: no real AWS credentials ever, and an MGN emulator per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from tests.harness.emulator import make_seed, server_entry
from tests.harness.emulator import mgn_client as _mgn_client

#: Three servers ready for cutover: s-00000000000000001 .. s-00000000000000003.
DEFAULT_SEED: dict[str, Any] = make_seed([server_entry(1), server_entry(2), server_entry(3)])
EMULATOR_LAUNCH_SECONDS = 0.3


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Fake credentials and region, no profile, no shared files, no IMDS: nothing reaches a real account."""
    empty = tmp_path_factory.getbasetemp() / "no-aws-config"
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ROLE_ARN",
                 "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                 "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_MGN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty / "credentials"))


@pytest.fixture
def emulator_seed() -> dict[str, Any]:
    """Override in a test module to seed ``emulator`` differently."""
    return DEFAULT_SEED


@pytest.fixture
def emulator(emulator_seed: dict[str, Any]) -> Iterator[EmulatorServer]:
    """A running emulator on a free loopback port, launches taking 0.3 s."""
    with EmulatorServer(seed=emulator_seed, launch_seconds=EMULATOR_LAUNCH_SECONDS) as emu:
        yield emu


@pytest.fixture
def mgn_client(emulator: EmulatorServer) -> Any:
    """A real boto3 ``mgn`` client for ``emulator`` (standard retry mode, one attempt)."""
    return _mgn_client(emulator.url)
