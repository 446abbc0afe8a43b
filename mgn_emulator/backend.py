"""The MGN state machine: one backend per account and region, methods named after the operations, lazy jobs.

Jobs carry their creation time and durations; their status is computed from the injected clock when
read, and their effects on source servers are applied ("settled") under the lock the first time any
call observes them completed. No background threads, no direct reads of the system clock.

Relaunching follows MGN's user guide ("Launching a test instance", "Launching cutover instances"): every test
launch (StartTest) and every cutover launch (StartCutover) of a server first deletes that server's previously
launched *test* instance (terminated in the emulator's EC2, in the same transaction, so saved with the launch),
then launches a new instance. The previous test instance is the last one a test job launched for the server
that the emulator still has (:attr:`SourceServer.test_instance`): a reverted test's instance counts (a revert,
ChangeServerLifeCycleState, terminates nothing), so does one a cutover launched after; one already terminated
(or unknown to EC2) is left alone. It is deleted even when the new launch then fails (a ``launch: fail`` server,
or EC2 refusing the launch): MGN deletes before it launches. The job log shows the deletion as the server's
``CLEANUP_START`` / ``CLEANUP_END`` (``eventData.targetInstanceID`` is the deleted instance).

The guide does not say what happens to an earlier *cutover* instance when a server is cut over again. The
emulator takes the conservative reading: it never deletes a cutover instance on a relaunch (only a terminate
job, TerminateTargetInstances, terminates one), so an earlier cutover instance keeps running beside the new
one. A caller must never rely on MGN deleting production.
"""

from __future__ import annotations

import random
import string
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from mgn_emulator import render
from mgn_emulator.applications import ApplicationsMixin
from mgn_emulator.ec2 import Ec2Error, Ec2Side
from mgn_emulator.exceptions import ConflictError, ErrorDetail, FieldProblem, ValidationError
from mgn_emulator.faults import Faults
from mgn_emulator.launch_config import LaunchConfigMixin
from mgn_emulator.lifecycle import JobQuotas, check_launchable, check_terminable, quota_errors
from mgn_emulator.models import (
    DEFAULT_ACCOUNT,
    DEFAULT_REGION,
    Application,
    Initiated,
    InitiatedBy,
    Job,
    JobServer,
    JobStatus,
    JobType,
    LastLaunch,
    LaunchedInstance,
    LaunchOutcome,
    LifeCycleState,
    SourceServer,
    Wave,
)
from mgn_emulator.paging import DEFAULT_PAGE, paginate
from mgn_emulator.render import Context
from mgn_emulator.seed import ServerSpec
from mgn_emulator.tags import TagsMixin
from mgn_emulator.transitions import TransitionsMixin
from mgn_emulator.waves import WavesMixin
from mgn_resources.clock import Clock, parse_iso8601

_ALNUM = string.ascii_lowercase + string.digits
_OPERATIONS = {
    InitiatedBy.START_CUTOVER: "StartCutover",
    InitiatedBy.START_TEST: "StartTest",
    InitiatedBy.TERMINATE: "TerminateTargetInstances",
}


@dataclass(frozen=True)
class Snapshot:
    """What :meth:`MgnBackend.snapshot` returns, to put back with ``restore`` (entities are frozen: copies of the
    maps are enough)."""

    servers: dict[str, SourceServer]
    jobs: dict[str, Job]
    applications: dict[str, Application]
    waves: dict[str, Wave]
    revision: int


class MgnBackend(TagsMixin, TransitionsMixin, LaunchConfigMixin, ApplicationsMixin, WavesMixin):
    """All servers, jobs, applications, waves and tags of one account in one region; every method takes the
    (shared) lock."""

    def __init__(
        self,
        clock: Clock,
        *,
        faults: Faults | None = None,
        launch_seconds: float = 2.0,
        post_launch_seconds: float | None = None,
        rng: random.Random | None = None,
        lock: threading.RLock | None = None,
        account_id: str = DEFAULT_ACCOUNT,
        region: str = DEFAULT_REGION,
        ec2: Ec2Side | None = None,
        quotas: JobQuotas | None = None,
    ) -> None:
        self.clock = clock
        self.quotas = quotas or JobQuotas()  # concurrent jobs, servers in active jobs
        self.ec2 = ec2  # the emulator's EC2 (moto); None only for a bare state machine: instance IDs only
        self.account_id = account_id
        self.region = region
        self.faults = faults or Faults()
        self.launch_seconds = launch_seconds
        self.post_launch_seconds = launch_seconds if post_launch_seconds is None else post_launch_seconds
        self.page_size = DEFAULT_PAGE  # items per page when a request sets no maxResults
        self.lock: threading.RLock = lock or threading.RLock()
        self.revision = 0
        self._rng = rng or random.Random()
        self._servers: dict[str, SourceServer] = {}
        self._jobs: dict[str, Job] = {}
        self._applications: dict[str, Application] = {}
        self._waves: dict[str, Wave] = {}

    # ---- inspection (tests, admin, persistence) -------------------------------------------------
    def now(self) -> datetime:
        return self.clock.now()

    def server(self, server_id: str) -> SourceServer:
        with self.lock:
            self._settle()
            return self._servers[server_id]

    def servers(self) -> list[SourceServer]:
        with self.lock:
            self._settle()
            return list(self._servers.values())

    def job(self, job_id: str) -> Job:
        with self.lock:
            self._settle()
            return self._jobs[job_id]

    def jobs(self) -> list[Job]:
        with self.lock:
            self._settle()
            return list(self._jobs.values())

    def applications(self) -> list[Application]:
        with self.lock:
            return list(self._applications.values())

    def waves(self) -> list[Wave]:
        with self.lock:
            return list(self._waves.values())

    def add_server(self, spec: ServerSpec) -> SourceServer:
        """Add or replace a source server (seed entry schema); a replaced server stays in its application."""
        with self.lock:
            self._settle()
            previous = self._servers.get(spec.server_id)
            server = SourceServer(
                server_id=spec.server_id,
                hostname=spec.hostname,
                state=spec.state,
                added=self.now(),
                launch=spec.launch,
                post_launch_actions=spec.post_launch_actions,
                replication_type=spec.replication_type,
                archived=spec.archived,
                tags=dict(spec.tags),
                replication_state=spec.replication_state,
                replication_lag_seconds=spec.replication_lag_seconds,
                application_id=previous.application_id if previous is not None else None,
            )
            self._servers[spec.server_id] = server
            self._touch()
            return server

    def load(
        self,
        servers: Iterable[SourceServer],
        jobs: Iterable[Job],
        applications: Iterable[Application] = (),
        waves: Iterable[Wave] = (),
    ) -> None:
        with self.lock:
            self._servers = {s.server_id: s for s in servers}
            self._jobs = {j.job_id: j for j in sorted(jobs, key=lambda j: j.created)}
            self._applications = {a.application_id: a for a in applications}
            self._waves = {w.wave_id: w for w in waves}
            self._touch()

    def snapshot(self) -> Snapshot:
        """The state as it is."""
        with self.lock:
            return Snapshot(
                dict(self._servers), dict(self._jobs), dict(self._applications), dict(self._waves), self.revision
            )

    def restore(self, snapshot: Snapshot) -> None:
        with self.lock:
            self._servers, self._jobs = dict(snapshot.servers), dict(snapshot.jobs)
            self._applications, self._waves = dict(snapshot.applications), dict(snapshot.waves)
            self.revision = snapshot.revision

    # ---- launches ------------------------------------------------------------------------------
    def start_cutover(self, ids: Sequence[str], tags: Mapping[str, str], ctx: Context) -> dict[str, Any]:
        return self._launch(InitiatedBy.START_CUTOVER, ids, tags, ctx)

    def start_test(self, ids: Sequence[str], tags: Mapping[str, str], ctx: Context) -> dict[str, Any]:
        return self._launch(InitiatedBy.START_TEST, ids, tags, ctx)

    def terminate_target_instances(
        self, ids: Sequence[str], tags: Mapping[str, str], ctx: Context
    ) -> dict[str, Any]:
        return self._launch(InitiatedBy.TERMINATE, ids, tags, ctx)

    def _launch(
        self, kind: InitiatedBy, ids: Sequence[str], tags: Mapping[str, str], ctx: Context
    ) -> dict[str, Any]:
        """Check, build the job and its answer, and only then change the servers and add the job."""
        with self.lock:
            self._settle()
            now = self.now()
            wanted = list(dict.fromkeys(ids))
            active = [j for j in self._jobs.values() if not j.settled]
            operation = _OPERATIONS[kind]
            problems = quota_errors(active, len(wanted), self.quotas)
            if not problems:
                problems = [p for sid in wanted if (p := self._check(kind, sid, active)) is not None]
            if problems:
                detail = "; ".join(p.message for p in problems)
                raise ConflictError(f"{operation} refused: {detail}", errors=problems)
            job = self._new_job(kind, [self._servers[sid] for sid in wanted], tags, now)
            answer = {"job": render.job(job, now, ctx)}
            started = {p.server_id: self._on_start(self._servers[p.server_id], kind, job, p, now) for p in job.servers}
            self._servers.update(started)
            self._jobs[job.job_id] = job
            self._touch()
            return answer

    def _check(self, kind: InitiatedBy, server_id: str, active: Sequence[Job]) -> ErrorDetail | None:
        server = self._servers.get(server_id)
        if kind is InitiatedBy.TERMINATE:
            return check_terminable(server_id, server, active)
        return check_launchable(kind, server_id, server, active)

    def _new_job(
        self, kind: InitiatedBy, servers: Sequence[SourceServer], tags: Mapping[str, str], now: datetime
    ) -> Job:
        settings = self.faults.settings
        participants = []
        for server in servers:
            fails = kind is not InitiatedBy.TERMINATE and server.launch is LaunchOutcome.FAIL
            actions = server.post_launch_actions if kind is not InitiatedBy.TERMINATE else ()
            instance_id, error, deleted = None, "", None
            if kind is not InitiatedBy.TERMINATE:
                deleted = self._delete_test_instance(server)  # first, even when this launch is going to fail
                if not fails:
                    instance_id, error = self._run_instance(server)
            participants.append(
                JobServer(
                    server_id=server.server_id,
                    previous_state=server.state,
                    fails=fails or (instance_id is None and kind is not InitiatedBy.TERMINATE),
                    instance_id=instance_id,
                    error=error,
                    deleted_instance=deleted,
                    actions=actions,
                    execution_ids=tuple(self._execution_id() for _ in actions),
                )
            )
        return Job(
            job_id="mgnjob-" + "".join(self._rng.choice(_ALNUM) for _ in range(17)),
            job_type=JobType.TERMINATE if kind is InitiatedBy.TERMINATE else JobType.LAUNCH,
            initiated_by=kind,
            created=now,
            launch_seconds=self.launch_seconds,
            post_launch_seconds=self.post_launch_seconds,
            servers=tuple(participants),
            tags=dict(tags),
            never_complete=settings.never_complete,
            visible_from=now + timedelta(seconds=settings.invisible_seconds),
        )

    @staticmethod
    def _on_start(server: SourceServer, kind: InitiatedBy, job: Job, part: JobServer, now: datetime) -> SourceServer:
        """The server once its launch started: its new state, and its previous test instance gone (deleted by
        :meth:`_delete_test_instance`, or already gone); a test launch's new instance is its test instance now."""
        if kind is InitiatedBy.TERMINATE:
            return server
        initiated = LastLaunch(initiated=Initiated(now, job.job_id))
        launched = server.launched_instance
        if launched is not None and server.test_instance is not None:
            if launched.ec2_instance_id == server.test_instance.ec2_instance_id:
                launched = None  # deleted (or gone already): MGN no longer has that instance to name
        server = replace(server, launched_instance=launched, test_instance=None)
        if kind is InitiatedBy.START_CUTOVER:
            return replace(server, state=LifeCycleState.CUTTING_OVER, last_cutover=initiated)
        test_instance = LaunchedInstance(part.instance_id, job.job_id) if part.instance_id and not part.fails else None
        return replace(server, state=LifeCycleState.TESTING, last_test=initiated, test_instance=test_instance)

    def _delete_test_instance(self, server: SourceServer) -> str | None:
        """MGN's relaunch rule: terminate the server's previous test instance (if EC2 has it, not terminated) before
        a test or cutover launch; its ID, or None if there was nothing to delete. Never a cutover instance."""
        previous = server.test_instance
        if previous is None:
            return None
        instance_id = previous.ec2_instance_id
        if self.ec2 is None:
            return instance_id  # a bare state machine: the ID was all there was
        try:
            if self.ec2.instance_state(self.region, instance_id) in (None, "shutting-down", "terminated"):
                return None
            self.ec2.terminate(self.region, [instance_id])
        except Ec2Error:
            return None  # gone in the meantime: nothing left to delete
        return instance_id

    def _run_instance(self, server: SourceServer) -> tuple[str | None, str]:
        """(instance ID, "") of an EC2 instance run from the server's launch template (moto), or (None, why) if EC2
        refused it: an unknown template, one with no default version, an unknown subnet. That server's launch
        fails, as MGN's does, with the reason in the job log (``LAUNCH_FAILED``, ``rawError``)."""
        if self.ec2 is None:
            return self._instance_id(), ""
        try:
            config = self._launch_config(server.server_id)
            stopped = config.launch_disposition == "STOPPED"
            return self.ec2.launch(self.region, config.ec2_launch_template_id, server.server_id, stopped), ""
        except Ec2Error as exc:
            return None, f"{exc.code}: {exc.message}"

    def _instance_id(self) -> str:
        return "i-" + "".join(self._rng.choice("0123456789abcdef") for _ in range(17))

    def _execution_id(self) -> str:
        hexes = "".join(self._rng.choice("0123456789abcdef") for _ in range(32))
        return f"{hexes[:8]}-{hexes[8:12]}-{hexes[12:16]}-{hexes[16:20]}-{hexes[20:]}"

    def settle(self) -> None:
        with self.lock:
            self._settle()

    def _settle(self) -> None:
        """Apply the effects of every job that has completed since the last call."""
        now = self.now()
        for job in list(self._jobs.values()):
            if job.settled or job.status(now) is not JobStatus.COMPLETED:
                continue
            for part in job.servers:
                server = self._servers.get(part.server_id)
                if server is None:
                    continue
                if job.job_type is JobType.TERMINATE:
                    test_instance = server.test_instance
                    if server.launched_instance is not None:
                        if self.ec2 is not None:
                            self._terminate(server.launched_instance.ec2_instance_id)
                        if test_instance and test_instance.ec2_instance_id == server.launched_instance.ec2_instance_id:
                            test_instance = None
                    server = replace(server, launched_instance=None, test_instance=test_instance)
                elif part.fails:
                    server = replace(server, state=part.previous_state)
                elif part.instance_id:
                    server = replace(server, launched_instance=LaunchedInstance(part.instance_id, job.job_id))
                self._servers[part.server_id] = server
            self._jobs[job.job_id] = replace(job, settled=True)
            self._touch()

    def _touch(self) -> None:
        self.revision += 1

    def _terminate(self, instance_id: str) -> None:
        try:
            if self.ec2 is not None:
                self.ec2.terminate(self.region, [instance_id])
        except Ec2Error:
            pass  # already gone (e.g. terminated in EC2 directly): MGN's terminate job still completes

    # ---- describes -----------------------------------------------------------------------------
    def describe_jobs(
        self, filters: Mapping[str, Any], max_results: int | None, token: str | None, ctx: Context
    ) -> dict[str, Any]:
        with self.lock:
            self._settle()
            now = self.now()
            ids = set(filters.get("jobIDs") or [])
            low = _date_filter(filters, "fromDate")
            high = _date_filter(filters, "toDate")
            found = [
                j
                for j in reversed(sorted(self._jobs.values(), key=lambda j: j.created))  # ties: last started first
                if j.visible(now)
                and (not ids or j.job_id in ids)
                and (low is None or j.created >= low)
                and (high is None or j.created <= high)
            ]
            page, next_token = paginate(
                found, max_results or self.page_size, token, operation="DescribeJobs", params={"filters": filters}
            )
            return _page([render.job(j, now, ctx) for j in page], next_token)

    def describe_job_log_items(self, job_id: str, max_results: int | None, token: str | None) -> dict[str, Any]:
        with self.lock:
            self._settle()
            job = self._jobs.get(job_id)
            items = render.job_log(job, self.now()) if job else []
            page, next_token = paginate(
                items, max_results or self.page_size, token, operation="DescribeJobLogItems", params={"jobID": job_id}
            )
            return _page(page, next_token)

    def describe_source_servers(
        self, filters: Mapping[str, Any], max_results: int | None, token: str | None, ctx: Context
    ) -> dict[str, Any]:
        with self.lock:
            self._settle()
            ids = set(filters.get("sourceServerIDs") or [])
            states = set(filters.get("lifeCycleStates") or [])
            types = set(filters.get("replicationTypes") or [])
            archived = filters.get("isArchived")
            applications = set(filters.get("applicationIDs") or [])
            found = [
                s
                for s in sorted(self._servers.values(), key=lambda s: s.server_id)
                if (not ids or s.server_id in ids)
                and (not states or s.state.value in states)
                and (not types or s.replication_type in types)
                and (archived is None or s.archived == archived)
                and (not applications or s.application_id in applications)
            ]
            page, next_token = paginate(
                found,
                max_results or self.page_size,
                token,
                operation="DescribeSourceServers",
                params={"filters": filters},
            )
            return _page([render.server(s, ctx) for s in page], next_token)


def _date_filter(filters: Mapping[str, Any], name: str) -> datetime | None:
    """A ``DescribeJobs`` date filter; the model's pattern admits dates no calendar has (``2026-02-31``)."""
    text = filters.get(name)
    if not text:
        return None
    try:
        return parse_iso8601(text)
    except ValueError as exc:
        problem = FieldProblem(f"filters.{name}", f"Member is not a valid date-time: {exc}")
        raise ValidationError(f"Invalid value for filters.{name}: {text}", fields=[problem]) from exc


def _page(items: list[Any], next_token: str | None) -> dict[str, Any]:
    return {"items": items, **({"nextToken": next_token} if next_token else {})}
