"""The adapter's enums come from botocore's model; what it writes by hand (LaunchKind) must be in the model too."""

from __future__ import annotations

import botocore.session

from mgn_resources.aws import LaunchKind

MODEL = botocore.session.get_session().get_service_model("mgn")


def test_launch_kinds_map_to_the_models_initiated_by() -> None:
    assert {k.initiated_by for k in LaunchKind} <= set(MODEL.shape_for("InitiatedBy").enum)
