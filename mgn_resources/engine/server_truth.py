"""Each server's launch as MGN and EC2 tell it now: the per-server truth that launch, refresh and teardown share.

A server counts as launched by its last launch of the resource's kind (``lifeCycle.lastTest`` or ``lastCutover``)
while that launch is active (not reverted) and its instance is alive. An instance EC2 does not list (yet) is taken
as alive: EC2 is eventually consistent, and a production server must never be launched twice on a guess.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ..aws.api import MgnApi
from ..aws.shapes import Job, JobStatus, LaunchKind, LaunchStatus, SourceServer
from ..aws.target import InstanceHealth, TargetApi
from ..errors import InstanceNotFoundError, MgnCutoverError
from .types import ServerLaunch, ServerState

GONE_INSTANCE_STATES = frozenset({"shutting-down", "terminated"})
STOPPED_INSTANCE_STATES = frozenset({"stopping", "stopped"})
STOPPED_DISPOSITION = "STOPPED"  # MGN's launchDisposition for instances launched stopped: stopped is alive for them
STILL_LAUNCHING = (LaunchStatus.PENDING, LaunchStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Survey:
    """The servers as MGN lists them, the jobs their launches name, and each server's launch."""

    servers: Mapping[str, SourceServer]
    jobs: Mapping[str, Job]
    launches: Mapping[str, ServerLaunch]


class ServerTruth:
    def __init__(self, api: MgnApi, target: TargetApi | None) -> None:
        """``target`` is how EC2 is asked whether instances are alive (None: every instance is taken as alive)."""
        self._api = api
        self._target = target

    def survey(self, kind: LaunchKind, source_server_ids: Sequence[str], *, with_last_tests: bool = False) -> Survey:
        """One DescribeSourceServers, one DescribeJobs for the jobs their launches name (and their last tests',
        if asked), one DescribeInstanceStatus for the instances those launches name."""
        servers = self._api.describe_source_servers(source_server_ids)
        job_ids = {s.last_launch(kind).job_id for s in servers.values() if s.last_launch(kind).job_id}
        if with_last_tests:
            job_ids |= {s.last_test.job_id for s in servers.values() if s.last_test.active}
        jobs = readable(self._api.describe_each_job(sorted(job_ids))) if job_ids else {}
        launches = {sid: from_mgn(kind, sid, servers.get(sid), jobs) for sid in source_server_ids}
        return Survey(servers, jobs, self._with_instances(launches))

    def _with_instances(self, launches: dict[str, ServerLaunch]) -> dict[str, ServerLaunch]:
        alive = {s.instance_id: s for s in launches.values() if s.state is ServerState.LAUNCHED and s.instance_id}
        if self._target is None or not alive:
            return launches
        listed = listed_instances(self._target, sorted(alive))
        for instance_id, launch in alive.items():
            health = listed.get(instance_id)
            if health is not None and self._dead(launch.source_server_id, health):
                launches[launch.source_server_id] = replace(
                    launch, state=ServerState.INSTANCE_GONE, instance_id="", instance_state=health.state
                )
            elif health is not None:
                launches[launch.source_server_id] = replace(launch, instance_state=health.state)
        return launches

    def _dead(self, source_server_id: str, health: InstanceHealth) -> bool:
        if health.state in GONE_INSTANCE_STATES:
            return True
        if health.state not in STOPPED_INSTANCE_STATES or self._target is None:
            return False
        return self._target.get_launch_configuration(source_server_id).launch_disposition != STOPPED_DISPOSITION


def from_mgn(kind: LaunchKind, sid: str, server: SourceServer | None, jobs: Mapping[str, Job]) -> ServerLaunch:
    """The server's launch of ``kind`` as MGN tells it (EC2 not asked yet: LAUNCHED means "has an instance")."""
    if server is None:
        return ServerLaunch(source_server_id=sid, state=ServerState.MISSING)
    record = server.last_launch(kind)
    if not record.job_id:
        return ServerLaunch(source_server_id=sid, state=ServerState.PENDING)
    job = jobs.get(record.job_id)
    participant = job.server(sid) if job else None
    launch = ServerLaunch(
        source_server_id=sid,
        state=ServerState.PENDING,
        job_id=record.job_id,
        job_arn=job.arn if job else "",
        launch_status=participant.launch_status.value if participant else "",
        post_launch_actions=participant.post_launch_actions if participant else (),
    )
    if not record.active:
        return replace(launch, state=ServerState.REVERTED)
    if kind is LaunchKind.TEST and _cut_over_since_test(server):
        return replace(launch, state=ServerState.SUPERSEDED)
    if participant is not None and participant.launch_status is LaunchStatus.FAILED:
        return replace(launch, state=ServerState.FAILED)
    if job is not None and job.status is not JobStatus.COMPLETED:
        if participant is None or participant.launch_status in STILL_LAUNCHING:
            return replace(launch, state=ServerState.IN_PROGRESS)
    instance = participant.instance_id if participant and participant.instance_id else ""
    if not instance and server.launched_job_id == record.job_id:
        instance = server.launched_instance_id
    if not instance or (participant is not None and participant.launch_status is LaunchStatus.TERMINATED):
        return replace(launch, state=ServerState.INSTANCE_GONE)
    return replace(launch, state=ServerState.LAUNCHED, instance_id=instance)


def _cut_over_since_test(server: SourceServer) -> bool:
    """A cutover was launched after the server's test launch: MGN deleted the test instance then, and the test did
    its part, even if that cutover was reverted since."""
    cutover, test = server.last_cutover, server.last_test
    if cutover.initiated is None:
        return False
    return test.initiated is None or cutover.initiated >= test.initiated


def readable(answers: Mapping[str, Job | MgnCutoverError]) -> dict[str, Job]:
    """The jobs; a job this release cannot read stops the caller (it cannot tell what that job did)."""
    for answer in answers.values():
        if isinstance(answer, MgnCutoverError):
            raise answer
    return {job_id: answer for job_id, answer in answers.items() if isinstance(answer, Job)}


def listed_instances(target: TargetApi, instance_ids: Sequence[str]) -> dict[str, InstanceHealth]:
    """What EC2 lists of ``instance_ids``; those it answers NotFound for are left out ("not listed yet")."""
    asked = list(instance_ids)
    while asked:
        try:
            return target.instance_health(asked)
        except InstanceNotFoundError as exc:
            # EC2 refuses the whole call when any ID is unknown: ask again for the others.
            unknown = set(exc.instance_ids) & set(asked) or set(asked)
            asked = [iid for iid in asked if iid not in unknown]
    return {}
