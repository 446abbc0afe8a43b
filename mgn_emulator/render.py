"""Entities -> MGN wire dicts (the edge where dicts appear), shaped as the model's output shapes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mgn_emulator.models import (
    DEFAULT_ACCOUNT,
    DEFAULT_REGION,
    PENDING_SHARE,
    Application,
    HealthStatus,
    Job,
    JobStatus,
    JobType,
    LastLaunch,
    LaunchStatus,
    LifeCycleState,
    ProgressStatus,
    SourceServer,
    Wave,
)
from mgn_emulator.spec import enum_values
from mgn_resources.clock import iso8601


@dataclass(frozen=True)
class Context:
    """Where a request runs: the region it was signed for and the account whose backend answers it."""

    region: str = DEFAULT_REGION
    account_id: str = DEFAULT_ACCOUNT

    def arn(self, kind: str, resource_id: str) -> str:
        return f"arn:aws:mgn:{self.region}:{self.account_id}:{kind}/{resource_id}"


def job(item: Job, now: datetime, ctx: Context) -> dict[str, Any]:
    status = item.status(now)
    data: dict[str, Any] = {
        "jobID": item.job_id,
        "arn": ctx.arn("job", item.job_id),
        "type": item.job_type.value,
        "initiatedBy": item.initiated_by.value,
        "creationDateTime": iso8601(item.created),
        "status": status.value,
        "participatingServers": [_participant(item, s, now) for s in item.servers],
        "tags": dict(item.tags),
    }
    if status is JobStatus.COMPLETED:
        data["endDateTime"] = iso8601(item.ends)
    return data


def _participant(item: Job, server: Any, now: datetime) -> dict[str, Any]:
    launch = item.launch_status(server, now)
    data: dict[str, Any] = {"sourceServerID": server.server_id, "launchStatus": launch.value}
    if launch is LaunchStatus.LAUNCHED and server.instance_id:
        data["launchedEc2InstanceID"] = server.instance_id
    if item.job_type is JobType.LAUNCH and server.actions and not server.fails:
        entries = []
        for action, execution_id in zip(server.actions, server.execution_ids, strict=True):
            status = item.action_status(action, now)
            if status is None:
                continue
            entry: dict[str, Any] = {
                "ssmDocument": {
                    "actionName": action.name,
                    "ssmDocumentName": f"AWS-{action.name}"[:172],
                    "mustSucceedForCutover": action.must_succeed,
                    "timeoutSeconds": 3600,
                },
                "ssmDocumentType": "AUTOMATION",
                "executionID": execution_id,
                "executionStatus": status.value,
            }
            if status.value == "FAILED":
                entry["failureReason"] = f"Post-launch action {action.name} failed on {server.instance_id}"
            entries.append(entry)
        status_block: dict[str, Any] = {"postLaunchActionsLaunchStatusList": entries}
        if entries:
            status_block["ssmAgentDiscoveryDatetime"] = iso8601(item.ends)
        data["postLaunchActionsStatus"] = status_block
    return data


#: A launch job's events for each server, at these shares of the job's STARTED time (after its first 20%, PENDING):
#: MGN's JobLogEvent names (botocore's model), in MGN's order. The cleanup (0 to 10%) is logged only for a server
#: whose launch deleted its previous test instance. The model has no LAUNCH_END: a launched server's last event
#: is LAUNCH_START; a failed one ends with LAUNCH_FAILED (``rawError``) when the job ends.
CLEANUP_STEPS = ((0.0, "CLEANUP_START"), (0.1, "CLEANUP_END"))
LAUNCH_STEPS = (
    (0.1, "SNAPSHOT_START"),
    (0.3, "SNAPSHOT_END"),
    (0.3, "CONVERSION_START"),
    (0.6, "CONVERSION_END"),
    (0.6, "LAUNCH_START"),
)


def job_log(item: Job, now: datetime) -> list[dict[str, Any]]:
    """The job's log as far as ``now``, oldest first, so a client polling a running job sees each server progress.

    A launch job: JOB_START; per server (CLEANUP_START, CLEANUP_END,) SNAPSHOT_START, SNAPSHOT_END,
    CONVERSION_START, CONVERSION_END and LAUNCH_START over the STARTED time (:data:`LAUNCH_STEPS`); at its end
    LAUNCH_FAILED per failed server, then JOB_END. A terminate job: JOB_START, CLEANUP_START per server when it
    starts, CLEANUP_END per server and JOB_END when it ends. Events are only ever added after the last one
    listed (nothing listed earlier moves), so paging through a running job's log stays consistent.
    """
    started = item.created + timedelta(seconds=item.launch_seconds * PENDING_SHARE)
    running = item.ends - started
    events: list[tuple[datetime, str, dict[str, Any]]] = [(item.created, "JOB_START", {})]
    completed = item.status(now) is JobStatus.COMPLETED
    for s in item.servers:
        sid: dict[str, Any] = {"sourceServerID": s.server_id}
        if item.job_type is not JobType.LAUNCH:
            events.append((started, "CLEANUP_START", sid))
            if completed:
                events.append((item.ends, "CLEANUP_END", sid))
            continue
        steps = (CLEANUP_STEPS if s.deleted_instance else ()) + LAUNCH_STEPS
        for share, event in steps:
            data = {**sid, "targetInstanceID": s.deleted_instance} if event.startswith("CLEANUP") else sid
            events.append((started + running * share, event, data))
        if completed and s.fails:
            why = s.error or "emulated failure"
            raw = f"Failed to launch the target instance for source server {s.server_id} ({why})"
            events.append((item.ends, "LAUNCH_FAILED", {**sid, "rawError": raw}))
    if completed:
        events.append((item.ends, "JOB_END", {}))
    out = []
    for moment, event, data in sorted(events, key=lambda e: e[0]):  # stable: ties keep the order above
        if moment <= now:
            entry: dict[str, Any] = {"logDateTime": iso8601(moment), "event": event}
            if data:
                entry["eventData"] = dict(data)
            out.append(entry)
    return out


def _last(last: LastLaunch) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if last.initiated:
        data["initiated"] = {"apiCallDateTime": iso8601(last.initiated.api_call), "jobID": last.initiated.job_id}
    if last.reverted:
        data["reverted"] = {"apiCallDateTime": iso8601(last.reverted)}
    if last.finalized:
        data["finalized"] = {"apiCallDateTime": iso8601(last.finalized)}
    return data


def server(item: SourceServer, ctx: Context) -> dict[str, Any]:
    replication: dict[str, Any] = {"dataReplicationState": item.replication_state, "replicatedDisks": []}
    if item.replication_state != "DISCONNECTED":
        replication["lagDuration"] = f"PT{item.replication_lag_seconds:g}S"  # ISO 8601, as MGN answers it
    data: dict[str, Any] = {
        "sourceServerID": item.server_id,
        "arn": ctx.arn("source-server", item.server_id),
        "isArchived": item.archived,
        "tags": dict(item.tags),
        "replicationType": item.replication_type,
        "dataReplicationInfo": replication,
        "lifeCycle": {
            "state": item.state.value,
            "addedToServiceDateTime": iso8601(item.added),
            "lastTest": _last(item.last_test),
            "lastCutover": _last(item.last_cutover),
        },
        "sourceProperties": {"identificationHints": {"hostname": item.hostname}},
    }
    if item.application_id:
        data["applicationID"] = item.application_id
    if item.launched_instance:
        data["launchedInstance"] = {
            "ec2InstanceID": item.launched_instance.ec2_instance_id,
            "jobID": item.launched_instance.job_id,
            "firstBoot": item.launched_instance.first_boot,
        }
    return data


# ---- applications and waves ------------------------------------------------------------------------
#: A server in one of these states has been tested at least (MGN's path: READY_FOR_TEST -> TESTING -> ...).
_STARTED_STATES = frozenset(
    {LifeCycleState.TESTING, LifeCycleState.READY_FOR_CUTOVER, LifeCycleState.CUTTING_OVER, LifeCycleState.CUTOVER}
)
_WORST_FIRST = (HealthStatus.ERROR, HealthStatus.LAGGING, HealthStatus.HEALTHY)


def server_progress(item: SourceServer) -> ProgressStatus:
    """COMPLETED once its cutover is finalized; IN_PROGRESS once launched or past READY_FOR_TEST; else NOT_STARTED."""
    if item.last_cutover.finalized is not None:
        return ProgressStatus.COMPLETED
    if item.state in _STARTED_STATES or item.last_test.initiated or item.last_cutover.initiated:
        return ProgressStatus.IN_PROGRESS
    return ProgressStatus.NOT_STARTED


def server_health(item: SourceServer) -> HealthStatus:
    """ERROR when replication is STALLED; LAGGING with a replication lag or a BACKLOG; else HEALTHY."""
    if item.replication_state == "STALLED":
        return HealthStatus.ERROR
    lagging = item.replication_state != "DISCONNECTED" and item.replication_lag_seconds > 0
    if lagging or item.replication_state == "BACKLOG":
        return HealthStatus.LAGGING
    return HealthStatus.HEALTHY


def combined_progress(parts: Sequence[ProgressStatus]) -> ProgressStatus:
    """COMPLETED when every part is (and there is one); NOT_STARTED when none has started; else IN_PROGRESS."""
    if parts and all(p is ProgressStatus.COMPLETED for p in parts):
        return ProgressStatus.COMPLETED
    if all(p is ProgressStatus.NOT_STARTED for p in parts):
        return ProgressStatus.NOT_STARTED
    return ProgressStatus.IN_PROGRESS


def combined_health(parts: Sequence[HealthStatus]) -> HealthStatus:
    """The worst of the parts (HEALTHY when there are none)."""
    return next(h for h in _WORST_FIRST if h in parts or h is HealthStatus.HEALTHY)


def _common(item: Application | Wave, ctx: Context, kind: str, resource_id: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "arn": ctx.arn(kind, resource_id),
        "name": item.name,
        "isArchived": item.archived,
        "creationDateTime": iso8601(item.created),
        "lastModifiedDateTime": iso8601(item.modified),
        "tags": dict(item.tags),
    }
    if item.description:
        data["description"] = item.description
    return data


def application(item: Application, servers: Sequence[SourceServer], ctx: Context) -> dict[str, Any]:
    """An ``Application``; ``servers`` are its members (their statuses make ``applicationAggregatedStatus``)."""
    data = {"applicationID": item.application_id, **_common(item, ctx, "application", item.application_id)}
    data["applicationAggregatedStatus"] = {
        "lastUpdateDateTime": iso8601(item.modified),
        "healthStatus": combined_health([server_health(s) for s in servers]).value,
        "progressStatus": combined_progress([server_progress(s) for s in servers]).value,
        "totalSourceServers": len(servers),
    }
    if item.wave_id:
        data["waveID"] = item.wave_id
    return data


def wave(
    item: Wave, applications: Sequence[tuple[Application, Sequence[SourceServer]]], ctx: Context
) -> dict[str, Any]:
    """A ``Wave``; ``applications`` are its members with theirs (``waveAggregatedStatus`` combines them)."""
    health = combined_health([combined_health([server_health(s) for s in ss]) for _, ss in applications])
    progress = combined_progress([combined_progress([server_progress(s) for s in ss]) for _, ss in applications])
    data = {"waveID": item.wave_id, **_common(item, ctx, "wave", item.wave_id)}
    data["waveAggregatedStatus"] = {
        "lastUpdateDateTime": iso8601(item.modified),
        "healthStatus": _wave_value("WaveHealthStatus", health.value),
        "progressStatus": _wave_value("WaveProgressStatus", progress.value),
        "totalApplications": len(applications),
    }
    return data


def _wave_value(shape: str, value: str) -> str:
    """``value`` of the application's enum, checked against the wave's own enum in the model."""
    if value not in enum_values(shape):
        raise ValueError(f"{value} is not a {shape} in MGN's model")
    return value
