"""The adapter's enums are the model's: a value MGN adds or renames fails here, not in production."""

from __future__ import annotations

from enum import Enum

import botocore.session
import pytest

from mgn_resources.aws import ActionStatus, JobStatus, LaunchKind, LaunchStatus, LifeCycleState

MODEL = botocore.session.get_session().get_service_model("mgn")


@pytest.mark.parametrize(
    ("enum", "shape"),
    [
        (JobStatus, "JobStatus"),
        (LaunchStatus, "LaunchStatus"),
        (ActionStatus, "PostLaunchActionExecutionStatus"),
        (LifeCycleState, "LifeCycleState"),
    ],
)
def test_enum_values_are_the_models(enum: type[Enum], shape: str) -> None:
    assert [m.value for m in enum] == MODEL.shape_for(shape).enum


def test_launch_kinds_map_to_the_models_initiated_by() -> None:
    assert {k.initiated_by for k in LaunchKind} <= set(MODEL.shape_for("InitiatedBy").enum)
