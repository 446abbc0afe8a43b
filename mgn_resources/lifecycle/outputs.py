"""The resource's outputs, both ways: from the engine's results to outputs, and from a state back to each server's
recorded launch (states written before per-server records included: their servers all share the resource's job)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..aws import Connection, Job, LaunchKind
from ..aws.shapes import ActionStatus, PostLaunchAction
from ..engine import ServerLaunch, ServerState
from .effective import arn_account

#: The output that says a resource's follow-up is done: a cutover finalized, a test's servers marked ready.
FOLLOW_UP_DONE = {LaunchKind.CUTOVER: "finalized", LaunchKind.TEST: "marked_ready_for_cutover"}
FOLLOW_UP_INPUT = {LaunchKind.CUTOVER: "finalize", LaunchKind.TEST: "mark_ready_for_cutover"}


def job_outputs(job: Job, inputs: Mapping[str, Any], connection: Connection) -> dict[str, Any]:
    """The job a create started or adopted, and where it lives."""
    return {
        "job_id": job.job_id,
        "job_arn": job.arn,
        "job_status": job.status.value,
        "creation_time": job.creation_time,
        "end_time": job.end_time,
        "effective_region": connection.region,
        "effective_endpoint_url": connection.endpoint_url,
        "effective_role_arn": connection.role_arn,
        # The account that owns the job: the account_id input, else the deploying identity's (from the job's ARN).
        "effective_account_id": str(inputs.get("account_id") or "") or arn_account(job.arn),
    }


def server_outputs(launches: Sequence[ServerLaunch]) -> dict[str, Any]:
    """Each server's launch, and the views downstream resources use (live instances only)."""
    live = [s for s in launches if s.state is ServerState.LAUNCHED and s.instance_id]
    return {
        "launched_instance_ids": {s.source_server_id: s.instance_id for s in live},
        "instance_ids": [s.instance_id for s in live],
        "servers": [_server(s) for s in launches],
        "server_job_ids": {s.source_server_id: s.job_id for s in launches if s.state.done},
        "pending_server_ids": [
            s.source_server_id for s in launches if not s.state.done and s.state is not ServerState.FAILED
        ],
        "failed_server_ids": [s.source_server_id for s in launches if s.state is ServerState.FAILED],
    }


def recorded_launches(state: Mapping[str, Any]) -> list[ServerLaunch]:
    """Each server's launch as the state records it, in the order of its ``source_server_ids``."""
    entries = {e.get("source_server_id"): e for e in state.get("servers") or () if isinstance(e, Mapping)}
    instances = state.get("launched_instance_ids") or {}
    launches = []
    for sid in state.get("source_server_ids") or ():
        entry = entries.get(sid) or {}
        instance = str(entry.get("instance_id") or instances.get(sid) or "")
        launches.append(
            ServerLaunch(
                source_server_id=sid,
                state=_recorded_state(entry),
                job_id=str(entry.get("job_id") or state.get("job_id") or ""),
                job_arn=str(entry.get("job_arn") or ("" if entry.get("job_id") else state.get("job_arn") or "")),
                launch_status=str(entry.get("launch_status") or ""),
                instance_id=instance,
                post_launch_actions=tuple(_action(a) for a in entry.get("post_launch_actions") or ()),
            )
        )
    return launches


def job_arns(state: Mapping[str, Any]) -> list[str]:
    """Every job ARN the state names: the create's job and each server's."""
    arns = [str(state.get("job_arn") or "")] + [s.job_arn for s in recorded_launches(state)]
    return [arn for arn in dict.fromkeys(arns) if arn]


def _recorded_state(entry: Mapping[str, Any]) -> ServerState:
    try:
        return ServerState(str(entry.get("state") or ""))
    except ValueError:
        # A state written before per-server records: only a create that launched every server wrote one.
        return ServerState.LAUNCHED


def _action(recorded: Mapping[str, Any]) -> PostLaunchAction:
    return PostLaunchAction(
        action_name=str(recorded.get("action_name") or ""),
        document_name=str(recorded.get("document_name") or ""),
        status=ActionStatus(str(recorded.get("status"))),
        must_succeed=bool(recorded.get("must_succeed")),
        failure_reason=str(recorded.get("failure_reason") or ""),
    )


def _server(server: ServerLaunch) -> dict[str, Any]:
    return {
        "source_server_id": server.source_server_id,
        "state": server.state.value,
        "job_id": server.job_id,
        "job_arn": server.job_arn,
        "launch_status": server.launch_status,
        "instance_id": server.instance_id,
        "post_launch_actions": [
            {
                "action_name": a.action_name,
                "document_name": a.document_name,
                "status": a.status.value,
                "must_succeed": a.must_succeed,
                "failure_reason": a.failure_reason,
            }
            for a in server.post_launch_actions
        ],
    }
