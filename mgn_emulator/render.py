"""Entities -> MGN wire dicts (the edge where dicts appear), shaped as the model's output shapes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mgn_emulator.models import (
    DEFAULT_ACCOUNT,
    DEFAULT_REGION,
    PENDING_SHARE,
    Job,
    JobStatus,
    JobType,
    LastLaunch,
    LaunchStatus,
    SourceServer,
)
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
    if item.launched_instance:
        data["launchedInstance"] = {
            "ec2InstanceID": item.launched_instance.ec2_instance_id,
            "jobID": item.launched_instance.job_id,
            "firstBoot": item.launched_instance.first_boot,
        }
    return data
