"""One job's unreadable answer (a status this release does not know) stops only that job's wait: the other waits
sharing the poller, whose jobs came in the same DescribeJobs answer, go on. Real boto3 clients over HTTP to canned
replies."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from mgn_resources.aws import MgnApi
from mgn_resources.clock import SYSTEM_CLOCK
from mgn_resources.engine import SharedJobPoller, SilentProgress
from mgn_resources.engine.waiting import JobWaiter, WaitPlan
from mgn_resources.errors import UnexpectedResponseError
from tests.harness.canned import CannedMgn, reply

BROKEN, HEALTHY = "mgnjob-0a1b2c3d4e5f6a7b8", "mgnjob-1b2c3d4e5f6a7b8c9"


def job(job_id: str, status: str, launch_status: str = "PENDING") -> dict[str, Any]:
    return {
        "jobID": job_id,
        "arn": f"arn:aws:mgn:us-east-1:111122223333:job/{job_id}",
        "type": "LAUNCH",
        "initiatedBy": "START_CUTOVER",
        "status": status,
        "creationDateTime": "2026-11-28T02:00:00Z",
        "participatingServers": [{"sourceServerID": "s-0a1b2c3d4e5f6a7b8", "launchStatus": launch_status}],
    }




class Waiting(threading.Thread):
    """One wait on the shared poller, in its own thread; keeps its job or its error."""

    def __init__(self, api: MgnApi, poller: SharedJobPoller, job_id: str) -> None:
        super().__init__(daemon=True)
        self.plan = WaitPlan(
            job_id=job_id,
            noun="cutover",
            deadline=SYSTEM_CLOCK.monotonic() + 60,
            timeout_seconds=60,
            poll_interval_seconds=0.05,
            wait_for_post_launch_actions=False,
        )
        self.waiter = JobWaiter(api, poller, SYSTEM_CLOCK, SilentProgress())
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.waiter.wait(self.plan, None)
        except BaseException as exc:  # noqa: BLE001 - kept for the test to judge
            self.error = exc


def test_describe_each_job_keeps_the_readable_jobs_of_an_answer(canned: CannedMgn) -> None:
    canned.replies["DescribeJobs"] = reply({"items": [job(BROKEN, "PAUSED"), job(HEALTHY, "STARTED")]})

    answers = canned.api().describe_each_job([BROKEN, HEALTHY])

    broken = answers[BROKEN]
    assert isinstance(broken, UnexpectedResponseError)
    assert (broken.value, broken.operation) == ("PAUSED", "DescribeJobs") and BROKEN in str(broken)
    assert not isinstance(answers[HEALTHY], Exception) and answers[HEALTHY].status.value == "STARTED"
    assert canned.calls == ["DescribeJobs"]
    with pytest.raises(UnexpectedResponseError, match=BROKEN):  # the all-or-nothing call still refuses
        canned.api().describe_jobs([BROKEN, HEALTHY])


def test_an_unknown_status_stops_only_its_own_wait(canned: CannedMgn) -> None:
    canned.replies["DescribeJobs"] = reply({"items": [job(BROKEN, "PAUSED"), job(HEALTHY, "STARTED")]})
    api, poller = canned.api(), SharedJobPoller(SYSTEM_CLOCK)
    broken, healthy = Waiting(api, poller, BROKEN), Waiting(api, poller, HEALTHY)

    broken.start()
    healthy.start()
    broken.join(30)

    assert isinstance(broken.error, UnexpectedResponseError) and BROKEN in str(broken.error)
    assert HEALTHY not in str(broken.error)
    calls_when_it_stopped = canned.calls.count("DescribeJobs")
    assert healthy.is_alive() and healthy.error is None  # the same answers: its job is still STARTED
    while canned.calls.count("DescribeJobs") < calls_when_it_stopped + 2 and healthy.is_alive():
        threading.Event().wait(0.05)  # the healthy wait keeps polling after the other one stopped
    assert healthy.is_alive() and healthy.error is None

    canned.replies["DescribeJobs"] = reply({"items": [job(HEALTHY, "COMPLETED", "LAUNCHED")]})
    healthy.join(30)

    assert healthy.error is None, healthy.error
    assert healthy.result.job_id == HEALTHY and healthy.result.status.value == "COMPLETED"
