"""After a launch: wait until each launched instance runs with both EC2 status checks ok."""

from __future__ import annotations

from ..aws.shapes import Job, LaunchStatus
from ..aws.target import InstanceHealth, TargetApi
from ..clock import Clock
from ..errors import JobTimeoutError, UnhealthyInstanceError
from .types import Progress

STOPPED_DISPOSITION = "STOPPED"  # MGN's launchDisposition for instances left stopped: nothing to wait for
GONE_STATES = frozenset({"stopping", "stopped", "shutting-down", "terminated"})
FAILED_CHECK = "impaired"
CHECKS = (("system", "system_status"), ("instance", "instance_status"))


class HealthWaiter:
    """Polls DescribeInstanceStatus on the shared clock until every instance is healthy or the deadline passes."""

    def __init__(self, target: TargetApi, clock: Clock, progress: Progress) -> None:
        self._target = target
        self._clock = clock
        self._progress = progress

    def wait(self, job: Job, deadline: float, timeout_seconds: float, poll_interval_seconds: float) -> None:
        watched = self._instances(job)
        if not watched:
            return
        while True:
            health = self._target.instance_health(sorted(watched))
            pending = {iid: why for iid in watched if (why := _verdict(iid, watched[iid], health.get(iid)))}
            if not pending:
                self._progress.info(f"Instances {', '.join(sorted(watched))} are running with status checks ok.")
                return
            remaining = deadline - self._clock.monotonic()
            if remaining <= 0:
                iid, why = sorted(pending.items())[0]
                raise JobTimeoutError(
                    f"Instance {iid} (source server {watched[iid]}) {why} after timeout_seconds="
                    f"{timeout_seconds:g}; job {job.job_id} launched it: check it in the EC2 console, then run "
                    "`pulumi up` again."
                )
            self._clock.sleep(min(poll_interval_seconds, remaining))

    def _instances(self, job: Job) -> dict[str, str]:
        """instance ID -> source server ID of every launched instance not launched STOPPED."""
        launched = {s.instance_id: s.source_server_id for s in job.servers
                    if s.instance_id and s.launch_status is LaunchStatus.LAUNCHED}
        return {
            iid: sid for iid, sid in launched.items()
            if self._target.get_launch_configuration(sid).launch_disposition != STOPPED_DISPOSITION
        }


def _verdict(instance_id: str, server_id: str, health: InstanceHealth | None) -> str:
    """"" when healthy; what it still waits for; raises when the instance cannot become healthy."""
    if health is None or not health.state:
        return "is not listed by EC2 yet"
    if health.state in GONE_STATES:
        raise UnhealthyInstanceError(
            f"Instance {instance_id} (source server {server_id}) is {health.state}, not running, so its status "
            "checks cannot pass; start it or launch again."
        )
    for name, attribute in CHECKS:
        status = getattr(health, attribute)
        if status == FAILED_CHECK:
            raise UnhealthyInstanceError(
                f"Instance {instance_id} (source server {server_id}) failed its EC2 {name} status check "
                f"({status}); check the instance in the EC2 console, then launch again."
            )
    if health.state != "running":
        return f"is {health.state}, not running yet"
    for name, attribute in CHECKS:
        status = getattr(health, attribute)
        if status != "ok":
            return f"has its EC2 {name} status check at {status or 'unknown'}, not ok"
    return ""

