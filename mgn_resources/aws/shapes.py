"""MGN's response shapes as frozen dataclasses, converted once from boto3's dicts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class JobStatus(StrEnum):
    PENDING = "PENDING"
    STARTED = "STARTED"
    COMPLETED = "COMPLETED"


class LaunchStatus(StrEnum):
    PENDING = "PENDING"
    IN_PROGRESS = "IN_PROGRESS"
    LAUNCHED = "LAUNCHED"
    FAILED = "FAILED"
    TERMINATED = "TERMINATED"


class ActionStatus(StrEnum):
    IN_PROGRESS = "IN_PROGRESS"
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"


class LifeCycleState(StrEnum):
    STOPPED = "STOPPED"
    NOT_READY = "NOT_READY"
    READY_FOR_TEST = "READY_FOR_TEST"
    TESTING = "TESTING"
    READY_FOR_CUTOVER = "READY_FOR_CUTOVER"
    CUTTING_OVER = "CUTTING_OVER"
    CUTOVER = "CUTOVER"
    DISCONNECTED = "DISCONNECTED"
    DISCOVERED = "DISCOVERED"
    PENDING_INSTALLATION = "PENDING_INSTALLATION"


class LaunchKind(StrEnum):
    """Which launch a job is: MGN's StartTest or StartCutover."""

    TEST = "TEST"
    CUTOVER = "CUTOVER"

    @property
    def initiated_by(self) -> str:
        return "START_TEST" if self is LaunchKind.TEST else "START_CUTOVER"

    @property
    def noun(self) -> str:
        return "test launch" if self is LaunchKind.TEST else "cutover"


@dataclass(frozen=True)
class PostLaunchAction:
    action_name: str
    document_name: str
    status: ActionStatus
    must_succeed: bool
    failure_reason: str

    @property
    def terminal(self) -> bool:
        return self.status is not ActionStatus.IN_PROGRESS


@dataclass(frozen=True)
class ParticipatingServer:
    source_server_id: str
    launch_status: LaunchStatus
    instance_id: str
    post_launch_actions: tuple[PostLaunchAction, ...] = ()


@dataclass(frozen=True)
class Job:
    job_id: str
    arn: str
    type: str
    initiated_by: str
    status: JobStatus
    creation_time: str
    end_time: str
    servers: tuple[ParticipatingServer, ...]
    tags: Mapping[str, str] = field(default_factory=dict)

    @property
    def server_ids(self) -> frozenset[str]:
        return frozenset(s.source_server_id for s in self.servers)

    def server(self, source_server_id: str) -> ParticipatingServer | None:
        return next((s for s in self.servers if s.source_server_id == source_server_id), None)


@dataclass(frozen=True)
class LaunchRecord:
    """``lifeCycle.lastTest`` or ``lifeCycle.lastCutover`` of a source server."""

    job_id: str = ""
    initiated_time: str = ""
    reverted_time: str = ""
    finalized_time: str = ""

    @property
    def active(self) -> bool:
        """Initiated and not reverted since."""
        return bool(self.job_id) and not (self.reverted_time and self.reverted_time >= self.initiated_time)


@dataclass(frozen=True)
class SourceServer:
    source_server_id: str
    arn: str
    hostname: str
    is_archived: bool
    state: str
    last_test: LaunchRecord
    last_cutover: LaunchRecord
    launched_instance_id: str
    launched_job_id: str

    def last_launch(self, kind: LaunchKind) -> LaunchRecord:
        return self.last_test if kind is LaunchKind.TEST else self.last_cutover


@dataclass(frozen=True)
class JobLogItem:
    event: str
    time: str
    source_server_id: str
    raw_error: str


def job_from_api(data: Mapping[str, Any]) -> Job:
    return Job(
        job_id=data["jobID"],
        arn=data.get("arn", ""),
        type=data.get("type", ""),
        initiated_by=data.get("initiatedBy", ""),
        status=JobStatus(data.get("status", "PENDING")),
        creation_time=data.get("creationDateTime", ""),
        end_time=data.get("endDateTime", ""),
        servers=tuple(_participating_server(s) for s in data.get("participatingServers", [])),
        tags=dict(data.get("tags", {})),
    )


def _participating_server(data: Mapping[str, Any]) -> ParticipatingServer:
    statuses = data.get("postLaunchActionsStatus", {}).get("postLaunchActionsLaunchStatusList", [])
    return ParticipatingServer(
        source_server_id=data["sourceServerID"],
        launch_status=LaunchStatus(data.get("launchStatus", "PENDING")),
        instance_id=data.get("launchedEc2InstanceID", ""),
        post_launch_actions=tuple(_post_launch_action(a) for a in statuses),
    )


def _post_launch_action(data: Mapping[str, Any]) -> PostLaunchAction:
    document = data.get("ssmDocument", {})
    return PostLaunchAction(
        action_name=document.get("actionName", ""),
        document_name=document.get("ssmDocumentName", ""),
        status=ActionStatus(data.get("executionStatus", "IN_PROGRESS")),
        must_succeed=bool(document.get("mustSucceedForCutover", False)),
        failure_reason=data.get("failureReason", ""),
    )


def source_server_from_api(data: Mapping[str, Any]) -> SourceServer:
    life_cycle = data.get("lifeCycle", {})
    launched = data.get("launchedInstance", {})
    hints = data.get("sourceProperties", {}).get("identificationHints", {})
    return SourceServer(
        source_server_id=data["sourceServerID"],
        arn=data.get("arn", ""),
        hostname=hints.get("hostname", ""),
        is_archived=bool(data.get("isArchived", False)),
        state=life_cycle.get("state", ""),
        last_test=_launch_record(life_cycle.get("lastTest", {})),
        last_cutover=_launch_record(life_cycle.get("lastCutover", {})),
        launched_instance_id=launched.get("ec2InstanceID", ""),
        launched_job_id=launched.get("jobID", ""),
    )


def _launch_record(data: Mapping[str, Any]) -> LaunchRecord:
    initiated = data.get("initiated", {})
    return LaunchRecord(
        job_id=initiated.get("jobID", ""),
        initiated_time=initiated.get("apiCallDateTime", ""),
        reverted_time=data.get("reverted", {}).get("apiCallDateTime", ""),
        finalized_time=data.get("finalized", {}).get("apiCallDateTime", ""),
    )


def job_log_item_from_api(data: Mapping[str, Any]) -> JobLogItem:
    event_data = data.get("eventData", {})
    return JobLogItem(
        event=data.get("event", ""),
        time=data.get("logDateTime", ""),
        source_server_id=event_data.get("sourceServerID", ""),
        raw_error=event_data.get("rawError", ""),
    )
