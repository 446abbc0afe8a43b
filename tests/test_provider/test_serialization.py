"""The providers are stored in every stack's state by import path: small, picklable, holding no client."""

from __future__ import annotations

import base64
import pickletools

import dill
import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.dynamic.dynamic import serialize_provider

from mgn_resources import CutoverProvider, TestLaunchProvider


@pytest.mark.parametrize(
    ("provider", "path"),
    [
        (CutoverProvider, ["mgn_resources.provider.cutover", "CutoverProvider"]),
        (TestLaunchProvider, ["mgn_resources.provider.test_launch", "TestLaunchProvider"]),
    ],
)
def test_provider_is_stored_by_its_import_path_alone(provider: type, path: list[str]) -> None:
    configured = provider()
    configured.configure(ConfigureRequest(Config({"aws:region": "eu-west-1"}, "mgn-cutover")))
    blob = base64.b64decode(serialize_provider(configured))
    strings = [arg for _, arg, _ in pickletools.genops(blob) if isinstance(arg, str)]
    assert strings == path  # no other module, class or setting: nothing else to keep stable across releases


def test_a_configured_provider_holds_only_the_stack_settings_and_restores_empty() -> None:
    provider = CutoverProvider()
    provider.configure(ConfigureRequest(Config({"aws:region": "eu-west-1", "aws:profile": "ops"}, "mgn-cutover")))
    assert vars(provider) == {"stack": provider.stack}
    assert (provider.stack.region, provider.stack.profile) == ("eu-west-1", "ops")
    restored = dill.loads(dill.dumps(provider))
    assert (restored.stack.region, restored.stack.profile) == ("", "")  # the host configures it again
