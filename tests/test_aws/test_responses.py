"""What MGN answers that the model does not promise: the adapter raises only the package's errors, a value it does not
know stops a wait at once, and times in either of MGN's forms are compared as moments.

Real boto3 clients talk over HTTP to an endpoint with canned replies (the emulator never says these things).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from mgn_resources.aws import LaunchKind, MgnApi
from mgn_resources.aws.shapes import source_server_from_api
from mgn_resources.clock import SYSTEM_CLOCK
from mgn_resources.engine import SharedJobPoller, SilentProgress
from mgn_resources.engine.waiting import JobWaiter, WaitPlan
from mgn_resources.errors import MgnCutoverError, UnexpectedResponseError
from tests.harness.canned import CannedMgn, reply

JOB = "mgnjob-0a1b2c3d4e5f6a7b8"
SERVER = "s-0a1b2c3d4e5f6a7b8"


def job(status: str = "STARTED", launch_status: str = "PENDING", created: str = "2026-11-28T02:00Z") -> dict[str, Any]:
    return {
        "jobID": JOB,
        "arn": f"arn:aws:mgn:us-east-1:111122223333:job/{JOB}",
        "type": "LAUNCH",
        "initiatedBy": "START_CUTOVER",
        "status": status,
        "creationDateTime": created,
        "participatingServers": [{"sourceServerID": SERVER, "launchStatus": launch_status}],
    }




def wait(api: MgnApi, seconds: float = 3.0) -> None:
    plan = WaitPlan(
        job_id=JOB,
        noun="cutover",
        deadline=SYSTEM_CLOCK.monotonic() + seconds,
        timeout_seconds=seconds,
        poll_interval_seconds=0.05,
        wait_for_post_launch_actions=True,
        visibility_grace_seconds=seconds,
    )
    JobWaiter(api, SharedJobPoller(SYSTEM_CLOCK), SYSTEM_CLOCK, SilentProgress()).wait(plan, None)


@pytest.mark.parametrize(
    ("answer", "field", "value"),
    [(job(status="PAUSED"), "status", "PAUSED"), (job(launch_status="HIBERNATED"), "launchStatus", "HIBERNATED")],
)
def test_an_unknown_status_stops_the_wait_at_once_naming_field_and_value(
    canned: CannedMgn, answer: dict[str, Any], field: str, value: str
) -> None:
    canned.replies["DescribeJobs"] = reply({"items": [answer]})

    with pytest.raises(UnexpectedResponseError) as caught:
        wait(canned.api())

    assert (caught.value.field, caught.value.value, caught.value.operation) == (field, value, "DescribeJobs")
    assert f"{field}='{value}'" in str(caught.value) and JOB in str(caught.value)
    assert canned.calls.count("DescribeJobs") == 1  # not retried as a failed poll


@pytest.mark.parametrize(
    ("operation", "call"),
    [
        ("StartCutover", lambda api: api.start_launch(LaunchKind.CUTOVER, [SERVER], {})),
        ("StartTest", lambda api: api.start_launch(LaunchKind.TEST, [SERVER], {})),
        ("TerminateTargetInstances", lambda api: api.terminate_target_instances([SERVER], {})),
    ],
)
def test_launch_replies_are_converted_inside_the_error_translation(
    canned: CannedMgn, operation: str, call: Any
) -> None:
    canned.replies[operation] = reply({"job": job(status="PAUSED")})
    with pytest.raises(UnexpectedResponseError) as caught:
        call(canned.api())
    assert caught.value.operation == operation and caught.value.field == "status"


def test_a_reply_missing_what_the_model_requires_is_still_a_package_error(canned: CannedMgn) -> None:
    canned.replies["FinalizeCutover"] = reply({"arn": "arn:aws:mgn:us-east-1:111122223333:source-server/x"})
    with pytest.raises(MgnCutoverError, match="FinalizeCutover"):
        canned.api().finalize_cutover(SERVER)


def test_a_malformed_time_names_its_field(canned: CannedMgn) -> None:
    canned.replies["DescribeJobs"] = reply({"items": [job(created="yesterday")]})
    with pytest.raises(UnexpectedResponseError) as caught:
        canned.api().describe_jobs([JOB])
    assert caught.value.field == "creationDateTime" and caught.value.value == "yesterday"


@pytest.mark.parametrize(
    ("end", "ended"),
    [
        ("2026-11-28T02:08:00.250000+00:00", datetime(2026, 11, 28, 2, 8, 0, 250000, tzinfo=UTC)),
        ("2026-11-28T02:08Z", datetime(2026, 11, 28, 2, 8, tzinfo=UTC)),
        ("", None),  # a job still running
        ("soon", None),  # only a hint for polling (when a job of this kind ends): unreadable is unknown, not an error
    ],
)
def test_a_jobs_end_time_is_read_as_a_moment_or_left_unknown(
    canned: CannedMgn, end: str, ended: datetime | None
) -> None:
    canned.replies["DescribeJobs"] = reply({"items": [{**job(status="COMPLETED"), "endDateTime": end}]})
    assert canned.api().describe_jobs([JOB])[JOB].ended == ended


# Real MGN writes "+00:00" with microseconds; the model's examples end in "Z". String order is not time order.
@pytest.mark.parametrize(
    ("initiated", "reverted", "active"),
    [
        ("2026-11-28T10:00:00.000Z", "2026-11-28T10:00:00.000001+00:00", False),  # reverted a microsecond later
        ("2026-11-28T10:00:00.500000+00:00", "2026-11-28T10:00:00Z", True),  # reverted before this launch
        ("2026-11-28T10:00:00+00:00", "2026-11-28T10:00:01.25Z", False),
        ("2026-11-28T10:00:01.25Z", "2026-11-28T10:00:00.999999+00:00", True),
    ],
)
def test_initiated_and_reverted_are_ordered_as_moments(initiated: str, reverted: str, active: bool) -> None:
    server = source_server_from_api(
        {
            "sourceServerID": SERVER,
            "lifeCycle": {
                "state": "READY_FOR_CUTOVER",
                "lastCutover": {
                    "initiated": {"jobID": JOB, "apiCallDateTime": initiated},
                    "reverted": {"apiCallDateTime": reverted},
                },
            },
        }
    )
    assert server.last_cutover.active is active


def test_describe_source_servers_reads_both_time_forms_over_http(canned: CannedMgn) -> None:
    record = {
        "initiated": {"jobID": JOB, "apiCallDateTime": "2026-11-28T10:00:00.000Z"},
        "reverted": {"apiCallDateTime": "2026-11-28T10:00:00.000001+00:00"},
    }
    life_cycle = {"state": "READY_FOR_CUTOVER", "lastCutover": record, "lastTest": {}}
    canned.replies["DescribeSourceServers"] = reply({"items": [{"sourceServerID": SERVER, "lifeCycle": life_cycle}]})

    server = canned.api().describe_source_servers([SERVER])[SERVER]

    assert server.last_cutover.job_id == JOB and not server.last_cutover.active
    assert not server.last_test.active
