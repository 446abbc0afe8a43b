"""MGN's response shapes as frozen dataclasses, converted once from boto3's dicts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from ..errors import UnexpectedResponseError
from .botodata import service_model

E = TypeVar("E", bound=StrEnum)


def _model_members(namespace: Any, shape: str) -> None:
    """Fill an enum's class body with one member per value of MGN's ``shape`` in botocore's model (name = value).

    The members the code names are annotated in the class for the type checker; ``_check_declared`` makes sure the
    model still lists them, so a value MGN drops fails at import, not in the middle of a wait.
    """
    for value in service_model("mgn").shape_for(shape).enum:  # type: ignore[attr-defined]
        namespace[value] = value


class JobStatus(StrEnum):
    """MGN's ``JobStatus``, read from botocore's model."""

    PENDING: JobStatus
    STARTED: JobStatus
    COMPLETED: JobStatus
    _model_members(vars(), "JobStatus")


class LaunchStatus(StrEnum):
    """MGN's ``LaunchStatus``, read from botocore's model."""

    PENDING: LaunchStatus
    IN_PROGRESS: LaunchStatus
    LAUNCHED: LaunchStatus
    FAILED: LaunchStatus
    TERMINATED: LaunchStatus
    _model_members(vars(), "LaunchStatus")


class ActionStatus(StrEnum):
    """MGN's ``PostLaunchActionExecutionStatus``, read from botocore's model."""

    IN_PROGRESS: ActionStatus
    FAILED: ActionStatus
    _model_members(vars(), "PostLaunchActionExecutionStatus")


class LifeCycleState(StrEnum):
    """MGN's ``LifeCycleState``, read from botocore's model."""

    STOPPED: LifeCycleState
    NOT_READY: LifeCycleState
    READY_FOR_TEST: LifeCycleState
    TESTING: LifeCycleState
    READY_FOR_CUTOVER: LifeCycleState
    CUTTING_OVER: LifeCycleState
    CUTOVER: LifeCycleState
    DISCONNECTED: LifeCycleState
    DISCOVERED: LifeCycleState
    PENDING_INSTALLATION: LifeCycleState
    _model_members(vars(), "LifeCycleState")


def _check_declared(*enums: type[StrEnum]) -> None:
    for enum in enums:
        missing = [name for name in vars(enum).get("__annotations__", {}) if name not in enum.__members__]
        if missing:
            raise ImportError(f"botocore's MGN model no longer lists {enum.__name__} {', '.join(missing)}")


_check_declared(JobStatus, LaunchStatus, ActionStatus, LifeCycleState)


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
    creation_time: str  # as MGN wrote it (an output); ``created`` is the same moment, parsed
    end_time: str
    servers: tuple[ParticipatingServer, ...]
    tags: Mapping[str, str] = field(default_factory=dict)
    created: datetime | None = None
    ended: datetime | None = None  # ``end_time``, parsed (None until the job ends)

    @property
    def server_ids(self) -> frozenset[str]:
        return frozenset(s.source_server_id for s in self.servers)

    def server(self, source_server_id: str) -> ParticipatingServer | None:
        return next((s for s in self.servers if s.source_server_id == source_server_id), None)


@dataclass(frozen=True)
class LaunchRecord:
    """``lifeCycle.lastTest`` or ``lifeCycle.lastCutover`` of a source server."""

    job_id: str = ""
    initiated: datetime | None = None
    reverted: datetime | None = None
    finalized: datetime | None = None

    @property
    def active(self) -> bool:
        """Initiated and not reverted since (compared as moments: MGN writes both ``Z`` and ``+00:00``)."""
        if not self.job_id:
            return False
        if self.reverted is None:
            return True
        return self.initiated is not None and self.reverted < self.initiated


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
    replication_state: str = ""  # dataReplicationInfo.dataReplicationState ("" when MGN answers none)
    lag_seconds: float | None = None  # dataReplicationInfo.lagDuration, None when MGN answers none
    application_id: str = ""  # the MGN application the server belongs to ("" for none)

    def last_launch(self, kind: LaunchKind) -> LaunchRecord:
        return self.last_test if kind is LaunchKind.TEST else self.last_cutover


@dataclass(frozen=True)
class Application:
    """An MGN application (a group of source servers), as ListApplications answers it."""

    application_id: str
    name: str
    wave_id: str  # the wave it belongs to ("" for none)
    is_archived: bool


@dataclass(frozen=True)
class Wave:
    """An MGN wave (a group of applications), as ListWaves answers it."""

    wave_id: str
    name: str
    is_archived: bool


@dataclass(frozen=True)
class JobLogItem:
    event: str
    time: str
    source_server_id: str
    raw_error: str


def _enum(kind: type[E], value: Any, field_name: str, subject: str) -> E:
    """``value`` as a member of ``kind``; a value MGN added since this release is an error naming it."""
    try:
        return kind(value)
    except ValueError:
        raise UnexpectedResponseError(field_name, value, subject) from None


def _moment(text: Any, field_name: str, subject: str) -> datetime | None:
    """An ISO 8601 time as MGN writes it (``...Z`` in the model, ``...+00:00`` with microseconds in practice)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        raise UnexpectedResponseError(field_name, text, subject) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _hint_moment(text: Any) -> datetime | None:
    """A time that only informs polling (when a job ended): unreadable is unknown, never an error."""
    try:
        return _moment(text, "", "")
    except UnexpectedResponseError:
        return None


def job_from_api(data: Mapping[str, Any]) -> Job:
    job_id = data["jobID"]
    subject = f"job {job_id}"
    creation_time = data.get("creationDateTime", "")
    end_time = data.get("endDateTime", "")
    return Job(
        job_id=job_id,
        arn=data.get("arn", ""),
        type=data.get("type", ""),
        initiated_by=data.get("initiatedBy", ""),
        status=_enum(JobStatus, data.get("status", "PENDING"), "status", subject),
        creation_time=creation_time,
        end_time=end_time,
        servers=tuple(_participating_server(s, job_id) for s in data.get("participatingServers", [])),
        tags=dict(data.get("tags", {})),
        created=_moment(creation_time, "creationDateTime", subject),
        ended=_hint_moment(end_time),
    )


def _participating_server(data: Mapping[str, Any], job_id: str) -> ParticipatingServer:
    statuses = data.get("postLaunchActionsStatus", {}).get("postLaunchActionsLaunchStatusList", [])
    sid = data["sourceServerID"]
    subject = f"{sid} in job {job_id}"
    return ParticipatingServer(
        source_server_id=sid,
        launch_status=_enum(LaunchStatus, data.get("launchStatus", "PENDING"), "launchStatus", subject),
        instance_id=data.get("launchedEc2InstanceID", ""),
        post_launch_actions=tuple(_post_launch_action(a, subject) for a in statuses),
    )


def _post_launch_action(data: Mapping[str, Any], subject: str) -> PostLaunchAction:
    document = data.get("ssmDocument", {})
    return PostLaunchAction(
        action_name=document.get("actionName", ""),
        document_name=document.get("ssmDocumentName", ""),
        status=_enum(ActionStatus, data.get("executionStatus", "IN_PROGRESS"), "executionStatus", subject),
        must_succeed=bool(document.get("mustSucceedForCutover", False)),
        failure_reason=data.get("failureReason", ""),
    )


def source_server_from_api(data: Mapping[str, Any]) -> SourceServer:
    life_cycle = data.get("lifeCycle", {})
    launched = data.get("launchedInstance", {})
    hints = data.get("sourceProperties", {}).get("identificationHints", {})
    replication = data.get("dataReplicationInfo") or {}
    sid = data["sourceServerID"]
    return SourceServer(
        source_server_id=sid,
        arn=data.get("arn", ""),
        hostname=hints.get("hostname", ""),
        is_archived=bool(data.get("isArchived", False)),
        state=life_cycle.get("state", ""),
        last_test=_launch_record(life_cycle.get("lastTest") or {}, f"{sid} lifeCycle.lastTest"),
        last_cutover=_launch_record(life_cycle.get("lastCutover") or {}, f"{sid} lifeCycle.lastCutover"),
        launched_instance_id=launched.get("ec2InstanceID", ""),
        launched_job_id=launched.get("jobID", ""),
        replication_state=str(replication.get("dataReplicationState") or ""),
        lag_seconds=duration_seconds(replication.get("lagDuration"), sid),
        application_id=str(data.get("applicationID") or ""),
    )


def application_from_api(data: Mapping[str, Any]) -> Application:
    return Application(
        application_id=data["applicationID"],
        name=str(data.get("name") or ""),
        wave_id=str(data.get("waveID") or ""),
        is_archived=bool(data.get("isArchived", False)),
    )


def wave_from_api(data: Mapping[str, Any]) -> Wave:
    return Wave(
        wave_id=data["waveID"], name=str(data.get("name") or ""), is_archived=bool(data.get("isArchived", False))
    )


_DURATION = re.compile(
    r"P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?"
)


def duration_seconds(text: Any, subject: str, field_name: str = "dataReplicationInfo.lagDuration") -> float | None:
    """An ISO 8601 duration (``PT1H2M3S``, ``P1DT2H``) in seconds; None when absent."""
    if not text:
        return None
    found = _DURATION.fullmatch(str(text))
    if found is None or str(text) in ("P", "PT") or str(text).endswith("T"):
        raise UnexpectedResponseError(field_name, str(text), subject)
    parts = {k: float(v) for k, v in found.groupdict().items() if v}
    return parts.get("d", 0) * 86400 + parts.get("h", 0) * 3600 + parts.get("m", 0) * 60 + parts.get("s", 0)


def _launch_record(data: Mapping[str, Any], subject: str) -> LaunchRecord:
    initiated = data.get("initiated") or {}
    reverted = (data.get("reverted") or {}).get("apiCallDateTime")
    finalized = (data.get("finalized") or {}).get("apiCallDateTime")
    return LaunchRecord(
        job_id=initiated.get("jobID", ""),
        initiated=_moment(initiated.get("apiCallDateTime"), "initiated.apiCallDateTime", subject),
        reverted=_moment(reverted, "reverted.apiCallDateTime", subject),
        finalized=_moment(finalized, "finalized.apiCallDateTime", subject),
    )


def job_log_item_from_api(data: Mapping[str, Any]) -> JobLogItem:
    event_data = data.get("eventData", {})
    return JobLogItem(
        event=data.get("event", ""),
        time=data.get("logDateTime", ""),
        source_server_id=event_data.get("sourceServerID", ""),
        raw_error=event_data.get("rawError", ""),
    )
