"""After a launch: wait until each launched instance runs with both EC2 status checks ok.

A wait in terraform-plugin-sdk's terms (StateChangeConf): Pending is "not listed yet", "pending", checks not ok
yet; Target is running with both checks ok; Refresh is DescribeInstanceStatus; NotFoundChecks is
:data:`NOT_FOUND_CHECKS`, how long EC2's ``InvalidInstanceID.NotFound`` is taken for "not listed yet".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..aws.target import InstanceHealth, TargetApi
from ..clock import Cancellation, Clock
from ..errors import (
    InstanceNotFoundError,
    JobTimeoutError,
    MgnCutoverError,
    UnhealthyInstanceError,
    UpdateCancelledError,
)
from .server_truth import STOPPED_DISPOSITION, listed_instances
from .types import Progress, ServerLaunch, named_jobs

GONE_STATES = frozenset({"stopping", "stopped", "shutting-down", "terminated"})
FAILED_CHECK = "impaired"
CHECKS = (("system", "system_status"), ("instance", "instance_status"))
NOT_LISTED = "is not listed by EC2 yet (InvalidInstanceID.NotFound)"

#: EC2's eventual-consistency tolerance, as terraform-plugin-sdk's ``StateChangeConf.NotFoundChecks``: how many
#: polls in a row an instance may be unknown to EC2 (``InvalidInstanceID.NotFound``, or not in the answer) before the
#: wait fails naming it. ``None``: until the wait's deadline. Real EC2 answers NotFound for a while after an
#: instance appears (and for a job adopted after a restart), so a launched instance that EC2 does not list yet is
#: pending, not failed; only an instance that is really gone (stopped, shutting down, terminated) or the deadline
#: ends the wait.
NOT_FOUND_CHECKS: int | None = None


class HealthWaiter:
    """Polls DescribeInstanceStatus on the shared clock until every instance is healthy or the deadline passes."""

    def __init__(
        self,
        target: TargetApi,
        clock: Clock,
        progress: Progress,
        *,
        not_found_checks: int | None = NOT_FOUND_CHECKS,
        cancellation: Cancellation | None = None,
    ) -> None:
        """``not_found_checks``: see :data:`NOT_FOUND_CHECKS` (None: NotFound is "not listed yet" until the
        deadline; a number: that many polls in a row, then the wait fails with :class:`InstanceNotFoundError`).
        ``cancellation``: once cancelled, the wait stops at once, raising :class:`UpdateCancelledError`."""
        self._target = target
        self._clock = clock
        self._progress = progress
        self._not_found_checks = not_found_checks
        self._cancellation = cancellation

    def prepare(self) -> None:
        """What the wait needs ready, done ahead while the job runs; a failure here is met again, and reported, by
        the wait itself."""
        try:
            self._target.prepare()
        except MgnCutoverError:
            pass

    def wait(
        self, launches: Sequence[ServerLaunch], deadline: float, timeout_seconds: float, poll_interval_seconds: float
    ) -> None:
        watched = self._instances(launches)
        if not watched:
            return
        job = named_jobs(sorted(s.job_id for s in launches if s.instance_id), none="(unknown)")
        unlisted_polls = dict.fromkeys(watched, 0)
        while True:
            if self._cancellation is not None and self._cancellation.cancelled:
                raise UpdateCancelledError(
                    f"The instances of {job} ({', '.join(sorted(watched))}) were not waited for to pass their EC2 "
                    "status checks: the update was cancelled; the next `pulumi up` keeps them and waits for their "
                    "checks."
                )
            health = listed_instances(self._target, sorted(watched))
            pending = {iid: why for iid in watched if (why := _verdict(iid, watched[iid], health.get(iid)))}
            if not pending:
                self._progress.info(f"Instances {', '.join(sorted(watched))} are running with status checks ok.")
                return
            for iid in watched:
                unlisted_polls[iid] = unlisted_polls[iid] + 1 if pending.get(iid) == NOT_LISTED else 0
            first_unlisted = sorted(iid for iid, polls in unlisted_polls.items() if polls == 1)
            if first_unlisted:
                verb = "are" if len(first_unlisted) > 1 else "is"
                self._progress.info(
                    f"{_named(first_unlisted, watched)} {verb} not listed by EC2 yet (InvalidInstanceID.NotFound, "
                    "as EC2 answers for a while after a launch); waiting until the deadline."
                )
            self._check_not_found(job, watched, unlisted_polls)
            remaining = deadline - self._clock.monotonic()
            if remaining <= 0:
                raise JobTimeoutError(_timed_out(job, watched, pending, timeout_seconds))
            self._clock.sleep(min(poll_interval_seconds, remaining), self._cancellation)

    def _check_not_found(self, job: str, watched: Mapping[str, str], unlisted_polls: Mapping[str, int]) -> None:
        if self._not_found_checks is None:
            return
        unknown = sorted(iid for iid, polls in unlisted_polls.items() if polls > self._not_found_checks)
        if unknown:
            many = len(unknown) > 1
            raise InstanceNotFoundError(
                f"{_named(unknown, watched)} {'were' if many else 'was'} not listed by EC2 in "
                f"{self._not_found_checks + 1} polls in a row (InvalidInstanceID.NotFound); {job} launched "
                f"{'them' if many else 'it'}: check in the EC2 console that {'they exist' if many else 'it exists'}, "
                "then run `pulumi up` again.",
                instance_ids=tuple(unknown),
                code="InvalidInstanceID.NotFound",
            )

    def _instances(self, launches: Sequence[ServerLaunch]) -> dict[str, str]:
        """instance ID -> source server ID of every launched instance not launched STOPPED."""
        launched = {s.instance_id: s for s in launches if s.instance_id}
        return {
            iid: s.source_server_id for iid, s in launched.items()
            if self._target.get_launch_configuration(s.source_server_id).launch_disposition != STOPPED_DISPOSITION
        }


def _timed_out(job: str, watched: Mapping[str, str], pending: Mapping[str, str], timeout_seconds: float) -> str:
    """The timeout's message: every instance EC2 still does not list, else the first instance still pending."""
    unlisted = sorted(iid for iid, why in pending.items() if why == NOT_LISTED)
    if unlisted:
        many = len(unlisted) > 1
        return (
            f"{_named(unlisted, watched)} {'are' if many else 'is'} still not listed by EC2 "
            f"(InvalidInstanceID.NotFound) after timeout_seconds={timeout_seconds:g}; {job} launched "
            f"{'them' if many else 'it'}: check in the EC2 console that {'they exist' if many else 'it exists'} in "
            "the region and account of the job, then run `pulumi up` again."
        )
    iid, why = sorted(pending.items())[0]
    return (
        f"{_named([iid], watched)} {why} after timeout_seconds={timeout_seconds:g}; {job} launched it: "
        "check it in the EC2 console, then run `pulumi up` again."
    )


def _named(instance_ids: Sequence[str], watched: Mapping[str, str]) -> str:
    """``Instance i-1 (source server s-1)`` or ``Instances i-1, i-2 (source servers s-1, s-2)``."""
    if len(instance_ids) == 1:
        return f"Instance {instance_ids[0]} (source server {watched[instance_ids[0]]})"
    return (
        f"Instances {', '.join(instance_ids)} (source servers {', '.join(watched[iid] for iid in instance_ids)})"
    )


def _verdict(instance_id: str, server_id: str, health: InstanceHealth | None) -> str:
    """"" when healthy; what it still waits for; raises when the instance cannot become healthy."""
    if health is None or not health.state:
        return NOT_LISTED
    if health.state in GONE_STATES:
        raise UnhealthyInstanceError(
            f"Instance {instance_id} (source server {server_id}) is {health.state}, not running, so its status "
            "checks cannot pass; start it, or run `pulumi up` again, which launches that server again."
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
