"""The MGN calls this project makes, typed, paginated and with errors translated."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from botocore import xform_name

from ..errors import UnexpectedResponseError
from .calls import account_args, call_aws
from .limits import model_limits
from .shapes import (
    Application,
    Job,
    JobLogItem,
    JobStatus,
    LaunchKind,
    SourceServer,
    Wave,
    application_from_api,
    job_from_api,
    job_log_item_from_api,
    source_server_from_api,
    wave_from_api,
)

if TYPE_CHECKING:
    from mypy_boto3_mgn import MgnClient

T = TypeVar("T")


def _chunks(items: Sequence[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _job_or_error(item: Any) -> tuple[str, Job | UnexpectedResponseError]:
    try:
        job = job_from_api(item)
    except UnexpectedResponseError as exc:
        job_id = item.get("jobID") if isinstance(item, Mapping) else None
        if not job_id:  # a job without its ID cannot be told apart: the whole answer is unreadable
            raise
        return str(job_id), exc.during("DescribeJobs")
    return job.job_id, job


class MgnApi:
    """One account's MGN, through a shared boto3 client. Holds no credentials itself."""

    def __init__(self, client: MgnClient, account_id: str = "") -> None:
        self._client = client
        self.account_id = account_id

    def _account(self) -> dict[str, Any]:
        return account_args(self.account_id)

    def _call(self, operation: str, call: Callable[[], T]) -> T:
        return call_aws(operation, call, client=self._client, account_id=self.account_id)

    def _filtered(
        self,
        operation: str,
        filter_key: str,
        ids: Sequence[str],
        chunk: int,
        convert: Callable[[Any], T],
        **filters: Any,
    ) -> list[T]:
        """Every item of a paginated Describe* or List* call filtered by ``ids``, ``chunk`` IDs (the model's limit) a
        call, and by ``filters`` in each."""

        def fetch() -> list[T]:
            paginator = self._client.get_paginator(xform_name(operation))  # type: ignore[call-overload]
            return [
                convert(item)
                for part in _chunks(ids, chunk)
                for page in paginator.paginate(filters={filter_key: part, **filters}, **self._account())
                for item in page.get("items", [])
            ]

        return self._call(operation, fetch)

    def describe_source_servers(self, source_server_ids: Sequence[str]) -> dict[str, SourceServer]:
        limit = model_limits().server_filter_max
        servers = self._filtered(
            "DescribeSourceServers", "sourceServerIDs", source_server_ids, limit, source_server_from_api
        )
        return {s.source_server_id: s for s in servers}

    def describe_application_servers(self, application_ids: Sequence[str]) -> list[SourceServer]:
        """The servers of these applications that are not archived, as DescribeSourceServers lists them."""
        limit = model_limits().server_application_filter_max
        return self._filtered(
            "DescribeSourceServers", "applicationIDs", application_ids, limit, source_server_from_api, isArchived=False
        )

    def list_applications(self, application_ids: Sequence[str]) -> list[Application]:
        """The applications MGN lists among ``application_ids`` (ListApplications filtered by applicationIDs)."""
        limit = model_limits().application_filter_max
        return self._filtered("ListApplications", "applicationIDs", application_ids, limit, application_from_api)

    def list_wave_applications(self, wave_id: str) -> list[Application]:
        """The applications of wave ``wave_id`` (ListApplications filtered by waveIDs)."""
        return self._filtered("ListApplications", "waveIDs", [wave_id], 1, application_from_api)

    def list_waves(self, wave_ids: Sequence[str]) -> list[Wave]:
        """The waves MGN lists among ``wave_ids`` (ListWaves filtered by waveIDs)."""
        return self._filtered("ListWaves", "waveIDs", wave_ids, model_limits().wave_filter_max, wave_from_api)

    def describe_jobs(self, job_ids: Sequence[str]) -> dict[str, Job]:
        """The jobs MGN lists; raises UnexpectedResponseError for the first one this release cannot read."""
        jobs: dict[str, Job] = {}
        for job_id, answer in self.describe_each_job(job_ids).items():
            if isinstance(answer, UnexpectedResponseError):
                raise answer
            jobs[job_id] = answer
        return jobs

    def describe_each_job(self, job_ids: Sequence[str]) -> dict[str, Job | UnexpectedResponseError]:
        """Each listed job, or the error for a job answered with a value this release cannot read (a new status).

        Per job, so that one job's unknown status stops only the wait for that job, not every wait sharing the call.
        """
        limit = model_limits().job_filter_max
        return dict(self._filtered("DescribeJobs", "jobIDs", sorted(set(job_ids)), limit, _job_or_error))

    def describe_active_jobs(self, from_date: str) -> list[Job]:
        """The account's jobs created since ``from_date`` (ISO 8601) that are not COMPLETED: DescribeJobs has no status
        filter, so every job of the window is read and the completed ones dropped (a job this release cannot read is
        left out too)."""

        def fetch() -> list[Job]:
            paginator = self._client.get_paginator("describe_jobs")
            pages = paginator.paginate(filters={"fromDate": from_date}, **self._account())
            answers = (_job_or_error(item)[1] for page in pages for item in page.get("items", []))
            return [job for job in answers if isinstance(job, Job) and job.status is not JobStatus.COMPLETED]

        return self._call("DescribeJobs", fetch)

    def describe_job_log_items(self, job_id: str) -> list[JobLogItem]:
        def fetch() -> list[JobLogItem]:
            paginator = self._client.get_paginator("describe_job_log_items")
            pages = paginator.paginate(jobID=job_id, **self._account())
            return [job_log_item_from_api(item) for page in pages for item in page.get("items", [])]

        return self._call("DescribeJobLogItems", fetch)

    def start_launch(self, kind: LaunchKind, source_server_ids: Sequence[str], tags: Mapping[str, str]) -> Job:
        args: dict[str, Any] = {"sourceServerIDs": list(source_server_ids), **self._account()}
        if tags:
            args["tags"] = dict(tags)
        if kind is LaunchKind.TEST:
            return self._call("StartTest", lambda: job_from_api(self._client.start_test(**args)["job"]))
        return self._call("StartCutover", lambda: job_from_api(self._client.start_cutover(**args)["job"]))

    def finalize_cutover(self, source_server_id: str) -> SourceServer:
        return self._call(
            "FinalizeCutover",
            lambda: source_server_from_api(
                self._client.finalize_cutover(sourceServerID=source_server_id, **self._account())
            ),
        )

    def change_life_cycle_state(self, source_server_id: str, state: str) -> SourceServer:
        return self._call(
            "ChangeServerLifeCycleState",
            lambda: source_server_from_api(
                self._client.change_server_life_cycle_state(
                    sourceServerID=source_server_id,
                    lifeCycle={"state": state},  # type: ignore[typeddict-item]
                    **self._account(),
                )
            ),
        )

    def terminate_target_instances(self, source_server_ids: Sequence[str], tags: Mapping[str, str]) -> Job:
        args: dict[str, Any] = {"sourceServerIDs": list(source_server_ids), **self._account()}
        if tags:
            args["tags"] = dict(tags)
        return self._call(
            "TerminateTargetInstances", lambda: job_from_api(self._client.terminate_target_instances(**args)["job"])
        )

    def tag_resource(self, arn: str, tags: Mapping[str, str]) -> None:
        self._call("TagResource", lambda: self._client.tag_resource(resourceArn=arn, tags=dict(tags)))

    def untag_resource(self, arn: str, keys: Sequence[str]) -> None:
        self._call("UntagResource", lambda: self._client.untag_resource(resourceArn=arn, tagKeys=list(keys)))
