"""The target of a launch: MGN's launch configuration, the server's EC2 launch template, the instances' health.

MGN calls (GetLaunchConfiguration, UpdateLaunchConfiguration) and the few EC2 calls (launch template versions,
DescribeInstanceStatus), typed and with errors translated like the rest of the adapter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import UnexpectedResponseError
from .errors import Endpoint, translate

if TYPE_CHECKING:
    from mypy_boto3_mgn import MgnClient

T = TypeVar("T")
DEFAULT = "$Default"


@dataclass(frozen=True)
class LaunchConfiguration:
    source_server_id: str
    launch_template_id: str  # ec2LaunchTemplateID ("" if MGN names none)
    launch_disposition: str  # STARTED or STOPPED


@dataclass(frozen=True)
class TemplateVersion:
    number: int
    data: Mapping[str, Any]  # LaunchTemplateData as EC2 answers it


@dataclass(frozen=True)
class InstanceHealth:
    instance_id: str
    state: str  # pending, running, stopped, terminated... ("" when EC2 does not list the instance)
    system_status: str  # ok, impaired, initializing, insufficient-data, not-applicable
    instance_status: str


class TargetApi:
    """One account's launch settings and target instances; holds no credentials itself."""

    def __init__(self, mgn: MgnClient, ec2: Any, account_id: str = "") -> None:
        self._mgn = mgn
        self._ec2 = ec2
        self.account_id = account_id

    def _account(self) -> dict[str, Any]:
        return {"accountID": self.account_id} if self.account_id else {}

    def _call(self, operation: str, client: Any, call: Callable[[], T]) -> T:
        try:
            return call()
        except UnexpectedResponseError as exc:
            raise exc.during(operation) from None
        except Exception as exc:  # noqa: BLE001 - every failure is translated to one of ours
            meta = client.meta
            service = "EC2" if client is self._ec2 else "MGN"
            where = Endpoint(url=str(meta.endpoint_url or ""), region=str(meta.region_name or ""), service=service)
            raise translate(exc, operation, self.account_id, where) from exc

    # ---- MGN -----------------------------------------------------------------------------------
    def get_launch_configuration(self, source_server_id: str) -> LaunchConfiguration:
        def fetch() -> LaunchConfiguration:
            data = self._mgn.get_launch_configuration(sourceServerID=source_server_id, **self._account())
            return LaunchConfiguration(
                source_server_id, str(data.get("ec2LaunchTemplateID", "")), str(data.get("launchDisposition", ""))
            )

        return self._call("GetLaunchConfiguration", self._mgn, fetch)

    def update_launch_configuration(self, source_server_id: str, changes: Mapping[str, Any]) -> None:
        self._call(
            "UpdateLaunchConfiguration",
            self._mgn,
            lambda: self._mgn.update_launch_configuration(
                sourceServerID=source_server_id, **self._account(), **changes
            ),
        )

    # ---- EC2 -----------------------------------------------------------------------------------
    def template_version(self, template_id: str, version: str = DEFAULT) -> TemplateVersion:
        def fetch() -> TemplateVersion:
            answer = self._ec2.describe_launch_template_versions(LaunchTemplateId=template_id, Versions=[version])
            found = answer["LaunchTemplateVersions"][0]
            return TemplateVersion(int(found["VersionNumber"]), dict(found.get("LaunchTemplateData") or {}))

        return self._call("DescribeLaunchTemplateVersions", self._ec2, fetch)

    def create_template_version(self, template_id: str, source: int, data: Mapping[str, Any], note: str) -> int:
        """A new version: ``data`` over version ``source``."""
        return self._call(
            "CreateLaunchTemplateVersion",
            self._ec2,
            lambda: int(
                self._ec2.create_launch_template_version(
                    LaunchTemplateId=template_id,
                    SourceVersion=str(source),
                    VersionDescription=note,
                    LaunchTemplateData=dict(data),
                )["LaunchTemplateVersion"]["VersionNumber"]
            ),
        )

    def set_default_version(self, template_id: str, version: int) -> None:
        self._call(
            "ModifyLaunchTemplate",
            self._ec2,
            lambda: self._ec2.modify_launch_template(LaunchTemplateId=template_id, DefaultVersion=str(version)),
        )

    def instance_health(self, instance_ids: Sequence[str]) -> dict[str, InstanceHealth]:
        def fetch() -> dict[str, InstanceHealth]:
            paginator = self._ec2.get_paginator("describe_instance_status")
            found: dict[str, InstanceHealth] = {}
            for page in paginator.paginate(InstanceIds=list(instance_ids), IncludeAllInstances=True):
                for item in page.get("InstanceStatuses", []):
                    found[item["InstanceId"]] = InstanceHealth(
                        item["InstanceId"],
                        str((item.get("InstanceState") or {}).get("Name", "")),
                        str((item.get("SystemStatus") or {}).get("Status", "")),
                        str((item.get("InstanceStatus") or {}).get("Status", "")),
                    )
            return found

        return self._call("DescribeInstanceStatus", self._ec2, fetch)
