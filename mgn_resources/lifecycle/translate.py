"""Props become engine calls here, and only here: the checked inputs (or a resource's state) with the schema's
defaults filled in, converted to what the engine takes (`LaunchSpec`, the teardown's `OnDelete`, `TargetSettings`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..aws import LaunchKind
from ..engine import LaunchSpec, OnDelete, ServerLaunch, Teardown
from ..engine.target_settings import TargetSettings
from ..schema import CUTOVER, TEST_LAUNCH, ResourceSchema

SCHEMAS: dict[LaunchKind, ResourceSchema] = {LaunchKind.CUTOVER: CUTOVER, LaunchKind.TEST: TEST_LAUNCH}


def launch_spec(kind: LaunchKind, props: Mapping[str, Any]) -> LaunchSpec:
    """The engine's LaunchSpec from a Cutover's or TestLaunch's (checked) inputs and their schema's defaults."""
    inputs = SCHEMAS[kind].with_defaults(props)
    lag = inputs.get("max_replication_lag_seconds")
    return LaunchSpec(
        kind=kind,
        source_server_ids=tuple(inputs["source_server_ids"]),
        timeout_seconds=float(inputs["timeout_seconds"]),
        poll_interval_seconds=float(inputs["poll_interval_seconds"]),
        wait_for_post_launch_actions=bool(inputs["wait_for_post_launch_actions"]),
        tags=dict(inputs["tags"]),
        finalize=bool(inputs.get("finalize", False)),  # a cutover's input
        mark_ready_for_cutover=bool(inputs.get("mark_ready_for_cutover", False)),  # a test launch's input
        require_successful_test=bool(inputs.get("require_successful_test", False)),  # a cutover's input
        max_replication_lag_seconds=None if lag is None else float(lag),
        wait_for_healthy_instances=bool(inputs["wait_for_healthy_instances"]),
    )


def run_teardown(
    teardown: Teardown, kind: LaunchKind, launches: Sequence[ServerLaunch], props: Mapping[str, Any]
) -> None:
    """What destroying a Cutover or TestLaunch (or removing servers from one) does to ``launches``, by the
    ``on_delete`` of ``props`` (the schema's default if unset)."""
    inputs = SCHEMAS[kind].with_defaults(props)
    teardown.run(
        kind,
        OnDelete(inputs["on_delete"]),
        launches,
        float(inputs["timeout_seconds"]),
        float(inputs["poll_interval_seconds"]),
    )


def target_settings(inputs: Mapping[str, Any]) -> TargetSettings:
    """A LaunchSettings' inputs as the engine's TargetSettings (an input not given: None, not set)."""
    groups = inputs.get("security_group_ids")
    tags = inputs.get("instance_tags")
    return TargetSettings(
        launch_disposition=_text(inputs.get("launch_disposition")),
        copy_private_ip=_flag(inputs.get("copy_private_ip")),
        copy_tags=_flag(inputs.get("copy_tags")),
        right_sizing=_text(inputs.get("right_sizing")),
        boot_mode=_text(inputs.get("boot_mode")),
        byol=_flag(inputs.get("byol")),
        instance_type=_text(inputs.get("instance_type")),
        iam_instance_profile=_text(inputs.get("iam_instance_profile")),
        instance_tags=None if tags is None else dict(tags),
        subnet_id=_text(inputs.get("subnet_id")),
        security_group_ids=None if groups is None else tuple(groups),
        private_ip_address=_text(inputs.get("private_ip_address")),
        associate_public_ip_address=_flag(inputs.get("associate_public_ip_address")),
    )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)
