"""The MGN calls this project makes, typed, paginated and with errors translated."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import UnexpectedResponseError
from .errors import Endpoint, translate
from .shapes import (
    Job,
    JobLogItem,
    LaunchKind,
    SourceServer,
    job_from_api,
    job_log_item_from_api,
    source_server_from_api,
)

if TYPE_CHECKING:
    from mypy_boto3_mgn import MgnClient

T = TypeVar("T")
SERVER_FILTER_LIMIT = 200  # DescribeSourceServersRequestFiltersIDs max
JOB_FILTER_LIMIT = 1000  # DescribeJobsRequestFiltersJobIDs max


def _chunks(items: Sequence[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


class MgnApi:
    """One account's MGN, through a shared boto3 client. Holds no credentials itself."""

    def __init__(self, client: MgnClient, account_id: str = "") -> None:
        self._client = client
        self.account_id = account_id

    def _account(self) -> dict[str, Any]:
        return {"accountID": self.account_id} if self.account_id else {}

    def _call(self, operation: str, call: Callable[[], T]) -> T:
        """``call`` (the request and the conversion of its response) with every failure translated to ours."""
        try:
            return call()
        except UnexpectedResponseError as exc:
            raise exc.during(operation) from None
        except Exception as exc:  # noqa: BLE001 - every failure is translated to one of ours
            raise translate(exc, operation, self.account_id, self._where()) from exc

    def _where(self) -> Endpoint:
        meta = self._client.meta
        return Endpoint(url=str(meta.endpoint_url or ""), region=str(meta.region_name or ""))

    def describe_source_servers(self, source_server_ids: Sequence[str]) -> dict[str, SourceServer]:
        def fetch() -> dict[str, SourceServer]:
            found: dict[str, SourceServer] = {}
            paginator = self._client.get_paginator("describe_source_servers")
            for chunk in _chunks(source_server_ids, SERVER_FILTER_LIMIT):
                for page in paginator.paginate(filters={"sourceServerIDs": chunk}, **self._account()):
                    for item in page.get("items", []):
                        server = source_server_from_api(item)
                        found[server.source_server_id] = server
            return found

        return self._call("DescribeSourceServers", fetch)

    def describe_jobs(self, job_ids: Sequence[str]) -> dict[str, Job]:
        def fetch() -> dict[str, Job]:
            found: dict[str, Job] = {}
            paginator = self._client.get_paginator("describe_jobs")
            for chunk in _chunks(sorted(set(job_ids)), JOB_FILTER_LIMIT):
                for page in paginator.paginate(filters={"jobIDs": chunk}, **self._account()):
                    for item in page.get("items", []):
                        job = job_from_api(item)
                        found[job.job_id] = job
            return found

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
