"""The typed public surface (`Cutover`, `TestLaunch` and their Args) under `pulumi.runtime.set_mocks`."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

import mgn_resources
from mgn_resources import Cutover, CutoverArgs, TestLaunch, TestLaunchArgs
from tests.harness.mgn import SERVERS
from tests.harness.program import CUTOVER_TYPE, TEST_LAUNCH_TYPE, ProgramRun, run_program

LAUNCH_OUTPUTS = ("job_id", "job_arn", "job_status", "launched_instance_ids", "instance_ids", "servers")


def declare(make: Any) -> ProgramRun:
    def program() -> None:
        resource = make()
        pulumi.export("id", resource.id)
        for name in (*LAUNCH_OUTPUTS, "source_server_ids", "tags"):
            pulumi.export(name, getattr(resource, name))

    return run_program({"aws:region": "us-east-1"}, program=program)


def test_package_exports() -> None:
    assert sorted(mgn_resources.__all__) == sorted(
        [
            "Cutover", "CutoverArgs", "CutoverProvider", "TestLaunch", "TestLaunchArgs", "TestLaunchProvider",
            "LaunchSettings", "LaunchSettingsArgs", "LaunchSettingsProvider", "WaveApplication",
            "get_wave_applications",
        ]
    )
    assert mgn_resources.CutoverProvider.__module__ == "mgn_resources.provider.cutover"
    assert mgn_resources.TestLaunchProvider.__module__ == "mgn_resources.provider.test_launch"
    assert mgn_resources.LaunchSettingsProvider.__module__ == "mgn_resources.provider.launch_settings"


def test_cutover_from_args_registers_the_dynamic_type_and_every_output() -> None:
    run = declare(lambda: Cutover("c", CutoverArgs(source_server_ids=SERVERS[:2], tags={"a": "b"}, finalize=True)))
    registered = run.by_name("c")
    assert registered.type == CUTOVER_TYPE
    assert registered.inputs["source_server_ids"] == SERVERS[:2]
    assert registered.inputs["finalize"] is True and registered.inputs["tags"] == {"a": "b"}
    assert "__provider" in registered.inputs
    assert run.exports["id"] == run.exports["job_id"]
    assert set(run.exports["launched_instance_ids"]) == set(SERVERS[:2])
    assert run.exports["source_server_ids"] == SERVERS[:2]


def test_keyword_arguments_are_the_same_as_args() -> None:
    by_args = declare(lambda: Cutover("c", CutoverArgs(source_server_ids=SERVERS[:1], on_delete="revert")))
    by_kwargs = declare(lambda: Cutover("c", source_server_ids=SERVERS[:1], on_delete="revert"))
    assert by_args.by_name("c").inputs.keys() == by_kwargs.by_name("c").inputs.keys()
    assert by_kwargs.by_name("c").inputs["on_delete"] == "revert"


def test_test_launch_registers_its_own_type() -> None:
    run = declare(lambda: TestLaunch("t", TestLaunchArgs(source_server_ids=SERVERS[3:5], mark_ready_for_cutover=False)))
    registered = run.by_name("t")
    assert registered.type == TEST_LAUNCH_TYPE
    assert registered.inputs["mark_ready_for_cutover"] is False
    assert run.exports["job_id"].startswith("mgnjob-")


def test_outputs_are_typed_attributes() -> None:
    seen: dict[str, Any] = {}

    def program() -> None:
        cutover = Cutover("c", source_server_ids=SERVERS[:1])
        test = TestLaunch("t", source_server_ids=SERVERS[3:4])
        seen.update(cutover=cutover, test=test)

    run_program({}, program=program)
    for name in (*LAUNCH_OUTPUTS, "creation_time", "end_time", "finalized", "timeout_seconds", "on_delete"):
        assert isinstance(getattr(seen["cutover"], name), pulumi.Output), name
    assert isinstance(seen["test"].marked_ready_for_cutover, pulumi.Output)
    assert not hasattr(seen["test"], "finalized")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Cutover("c"), "Missing required property 'source_server_ids'"),
        (lambda: Cutover("c", tags={"a": "b"}), "Missing required property 'source_server_ids'"),
        (lambda: TestLaunch("t"), "Missing required property 'source_server_ids'"),
        (lambda: Cutover("c", CutoverArgs(source_server_ids=["s"]), finalize=True), "not both"),
        (lambda: Cutover("c", source_server_ids=["s"], finalise=True), "finalise"),
        (lambda: Cutover("c", TestLaunchArgs(source_server_ids=["s"])), "Expected args to be a CutoverArgs"),
        (lambda: Cutover("c", source_server_ids=["s"], mark_ready_for_cutover=True), "mark_ready_for_cutover"),
        (lambda: TestLaunch("t", source_server_ids=["s"], finalize=True), "finalize"),
        (lambda: Cutover("c", CutoverArgs(source_server_ids=["s"]), opts={"protect": True}), "ResourceOptions"),
    ],
)
def test_wrong_arguments_raise_type_error(make: Any, message: str) -> None:
    errors: list[BaseException] = []

    def program() -> None:
        try:
            make()
        except TypeError as exc:
            errors.append(exc)

    run = run_program({}, program=program)
    assert len(errors) == 1 and message in str(errors[0])
    assert run.registrations == []


def test_args_getters_and_setters() -> None:
    args = CutoverArgs(source_server_ids=SERVERS[:1])
    assert args.source_server_ids == SERVERS[:1] and args.tags is None and args.finalize is None
    args.finalize = True
    args.tags = {"k": "v"}
    assert args.finalize is True and args.tags == {"k": "v"}
    test_args = TestLaunchArgs(source_server_ids=SERVERS[:1], on_delete="terminate")
    assert test_args.on_delete == "terminate" and test_args.mark_ready_for_cutover is None
