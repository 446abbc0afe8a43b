"""From the engine's result to the resource's outputs (every input, plus the job and its instances)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..aws import Connection, LaunchKind, ParticipatingServer
from ..engine import LaunchResult
from .effective import arn_account


def launch_outputs(
    kind: LaunchKind, inputs: Mapping[str, Any], result: LaunchResult, connection: Connection
) -> dict[str, Any]:
    job = result.job
    servers = result.servers_in_order()
    outs: dict[str, Any] = {
        **inputs,
        "job_id": job.job_id,
        "job_arn": job.arn,
        "job_status": job.status.value,
        "launched_instance_ids": {s.source_server_id: s.instance_id for s in servers if s.instance_id},
        "instance_ids": [s.instance_id for s in servers if s.instance_id],
        "servers": [_server(s) for s in servers],
        "creation_time": job.creation_time,
        "end_time": job.end_time,
        "effective_region": connection.region,
        "effective_endpoint_url": connection.endpoint_url,
        "effective_role_arn": connection.role_arn,
        # The account that owns the job: the account_id input, else the deploying identity's (from the job's ARN).
        "effective_account_id": str(inputs.get("account_id") or "") or arn_account(job.arn),
    }
    if kind is LaunchKind.CUTOVER:
        outs["finalized"] = result.finalized
    else:
        outs["marked_ready_for_cutover"] = result.marked_ready_for_cutover
    return outs


def _server(server: ParticipatingServer) -> dict[str, Any]:
    return {
        "source_server_id": server.source_server_id,
        "launch_status": server.launch_status.value,
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
