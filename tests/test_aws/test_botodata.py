"""botocore's data read without a profile: the same service models botocore's own session loads, read once."""

from __future__ import annotations

import pytest
from botocore.session import Session

from mgn_resources.aws.botodata import service_model


@pytest.mark.parametrize("service", ["mgn", "ec2"])
def test_the_model_is_the_one_botocores_session_loads(service: str) -> None:
    ours, botocores = service_model(service), Session().get_service_model(service)
    assert ours.api_version == botocores.api_version
    assert ours.metadata == botocores.metadata
    assert ours._service_description == botocores._service_description  # type: ignore[attr-defined]


def test_the_model_is_loaded_once_per_process() -> None:
    assert service_model("mgn") is service_model("mgn")
