"""The program under `pulumi.runtime.set_mocks`: waves, their order, the exports, and config errors."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from tests.harness.mgn import SERVERS
from tests.harness.program import CUTOVER_TYPE, TEST_LAUNCH_TYPE, Registration, local_stack_config, run_program

REGION = {"aws:region": "us-east-1"}


def waves(*entries: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {**REGION, "mgn-cutover:waves": list(entries), **{f"mgn-cutover:{k}": v for k, v in extra.items()}}


def test_one_cutover_per_wave_in_order() -> None:
    run = run_program(
        waves(
            {"name": "w1", "sourceServerIds": SERVERS[:2]},
            {"name": "w2", "sourceServerIds": SERVERS[2:3], "finalize": True, "onDelete": "revert"},
        )
    )
    assert [r.name for r in run.of_type(CUTOVER_TYPE)] == ["w1-cutover", "w2-cutover"]
    assert run.of_type(TEST_LAUNCH_TYPE) == []
    assert run.depends_on("w1-cutover") == []
    assert run.depends_on("w2-cutover") == ["w1-cutover"]

    w2 = run.by_name("w2-cutover").inputs
    assert w2["source_server_ids"] == SERVERS[2:3]
    assert w2["finalize"] is True and w2["on_delete"] == "revert"
    assert w2["tags"] == {"mgn:wave": "w2"}
    assert "__provider" in w2
    assert "region" not in w2 and "endpoint_url" not in w2  # unset inputs never reach the engine


def test_parallel_waves_share_a_stage() -> None:
    run = run_program(
        waves(
            {"name": "a", "sourceServerIds": SERVERS[:1]},
            {"name": "b", "sourceServerIds": SERVERS[1:2], "parallel": True},
            {"name": "c", "sourceServerIds": SERVERS[2:3]},
        )
    )
    assert run.depends_on("a-cutover") == []
    assert run.depends_on("b-cutover") == []
    assert run.depends_on("c-cutover") == ["a-cutover", "b-cutover"]


def test_a_tested_wave_cuts_over_after_its_test_launch() -> None:
    run = run_program(
        waves(
            {"name": "a", "sourceServerIds": SERVERS[:1]},
            {"name": "b", "sourceServerIds": SERVERS[1:3], "test": True, "timeoutSeconds": 600},
        )
    )
    test = run.by_name("b-test")
    assert test.type == TEST_LAUNCH_TYPE
    assert test.inputs["source_server_ids"] == SERVERS[1:3] and test.inputs["timeout_seconds"] == 600
    assert run.depends_on("b-test") == ["a-cutover"]
    assert run.depends_on("b-cutover") == ["a-cutover", "b-test"]
    assert run.by_name("b-cutover").inputs["require_successful_test"] is True
    assert run.by_name("a-cutover").inputs["require_successful_test"] is False
    assert set(run.exports["test_job_ids"]) == {"b"}


def test_exports_hold_job_and_instance_ids_per_wave() -> None:
    run = run_program(
        waves({"name": "w1", "sourceServerIds": SERVERS[:2]}, {"name": "w2", "sourceServerIds": [SERVERS[2]]})
    )
    assert set(run.exports["job_ids"]) == {"w1", "w2"}
    assert all(job.startswith("mgnjob-") for job in run.exports["job_ids"].values())
    assert set(run.exports["instance_ids"]["w1"]) == set(SERVERS[:2])
    assert run.exports["instance_ids"]["w2"][SERVERS[2]].startswith("i-")


def test_endpoint_role_and_account_reach_every_launch() -> None:
    run = run_program(
        waves(
            {"name": "w1", "sourceServerIds": SERVERS[:1], "test": True},
            endpointUrl="http://127.0.0.1:4599",
            roleArn="arn:aws:iam::123456789012:role/mgn-cutover",
            accountId="123456789012",
        )
    )
    for name in ("w1-test", "w1-cutover"):
        inputs = run.by_name(name).inputs
        assert inputs["endpoint_url"] == "http://127.0.0.1:4599"
        assert inputs["role_arn"] == "arn:aws:iam::123456789012:role/mgn-cutover"
        assert inputs["account_id"] == "123456789012"


def test_tag_instances_tags_each_launched_instance_with_wave_and_job() -> None:
    run = run_program(waves({"name": "w1", "sourceServerIds": SERVERS[:2]}, tagInstances=True))
    tags = run.of_type("aws:ec2/tag:Tag")
    assert len(tags) == 4  # 2 servers x (wave, job)
    instances = run.exports["instance_ids"]["w1"]
    job = run.exports["job_ids"]["w1"]
    seen = {(t.inputs["resourceId"], t.inputs["key"], t.inputs["value"]) for t in tags}
    expected = {(instances[s], "mgn:wave", "w1") for s in SERVERS[:2]} | {
        (instances[s], "mgn:job-id", job) for s in SERVERS[:2]
    }
    assert seen == expected


def test_no_tags_without_tag_instances() -> None:
    run = run_program(waves({"name": "w1", "sourceServerIds": SERVERS[:1]}, tagInstances=False))
    assert run.of_type("aws:ec2/tag:Tag") == []


def test_the_local_stack_config_runs() -> None:
    run = run_program(local_stack_config())
    assert [r.name for r in run.registrations if r.type in (CUTOVER_TYPE, TEST_LAUNCH_TYPE)] == [
        "wave-1-test",
        "wave-1-cutover",
        "wave-2-cutover",
    ]
    assert run.depends_on("wave-2-cutover") == ["wave-1-cutover"]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (REGION, "mgn-cutover:waves is not set"),
        (waves(), "must be a non-empty list"),
        (waves({"name": "w1", "sourceServerIds": []}), "waves[0] (w1) has no servers"),
        (waves({"name": "w1"}), "waves[0] (w1) has no servers"),
        (waves({"sourceServerIds": SERVERS[:1]}), "waves[0] has no name"),
        (
            waves({"name": "w1", "sourceServerIds": SERVERS[:2]}, {"name": "w2", "sourceServerIds": SERVERS[1:3]}),
            f"server {SERVERS[1]} is in waves 'w1' and 'w2'",
        ),
        (
            waves({"name": "w1", "sourceServerIds": SERVERS[:1]}, {"name": "w1", "sourceServerIds": SERVERS[1:2]}),
            "two waves are named 'w1'",
        ),
        (waves({"name": "w1", "sourceServerIds": SERVERS[:1], "finalise": True}), "unknown key 'finalise'"),
        (waves({"name": "w1", "sourceServerIds": SERVERS[:1], "onDelete": "destroy"}), "'onDelete' is 'destroy'"),
        (waves({"name": "w1", "sourceServerIds": SERVERS[:1], "timeoutSeconds": 0}), "'timeoutSeconds' must be"),
        (waves({"name": "w1", "sourceServerIds": SERVERS[:1], "test": "maybe"}), "'test' must be true or false"),
        ({**REGION, "mgn-cutover:waves": "wave-1"}, "must be a list"),
    ],
)
def test_bad_config_stops_the_program_with_one_line_before_anything_is_created(
    config: dict[str, Any], message: str
) -> None:
    registered: list[Registration] = []
    with pytest.raises(pulumi.RunError) as caught:
        run_program(config, registrations=registered)
    text = str(caught.value)
    assert message in text
    assert "\n" not in text
    assert registered == []


def test_a_wave_in_testing_declares_only_its_test_launch_and_the_next_stage_waits_for_it() -> None:
    run = run_program(
        waves(
            {"name": "a", "sourceServerIds": SERVERS[:2], "test": True, "cutover": False},
            {"name": "b", "sourceServerIds": SERVERS[2:3]},
        )
    )
    assert [r.name for r in run.of_type(CUTOVER_TYPE)] == ["b-cutover"]
    assert run.by_name("a-test").type == TEST_LAUNCH_TYPE
    assert run.depends_on("b-cutover") == ["a-test"]
    assert set(run.exports["job_ids"]) == {"b"} and set(run.exports["test_job_ids"]) == {"a"}
    assert set(run.exports["test_instance_ids"]["a"]) == set(SERVERS[:2])
