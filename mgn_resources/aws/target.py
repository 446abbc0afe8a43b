"""The target of a launch: MGN's launch configuration, the server's EC2 launch template, the instances' health.

MGN calls (GetLaunchConfiguration, UpdateLaunchConfiguration) and the few EC2 calls (launch template versions,
DescribeInstanceStatus), typed and with errors translated like the rest of the adapter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from botocore.exceptions import ClientError

from ..errors import (
    InstanceNotFoundError,
    LaunchTargetError,
    TemplateNotFoundError,
    shown,
)
from .calls import account_args, call_aws

if TYPE_CHECKING:
    from mypy_boto3_mgn import MgnClient

T = TypeVar("T")
DEFAULT = "$Default"
#: EC2's error codes for a launch template (or a version of it) that it does not know, in this account and region.
TEMPLATE_NOT_FOUND = frozenset({
    "InvalidLaunchTemplateId.NotFound",
    "InvalidLaunchTemplateName.NotFoundException",
    "InvalidLaunchTemplateId.Malformed",
    "InvalidLaunchTemplateId.VersionNotFound",
})
#: EC2's error codes for instance IDs it does not know (right after a launch, possibly not listed yet).
INSTANCE_NOT_FOUND = frozenset({"InvalidInstanceID.NotFound", "InvalidInstanceID.Malformed"})
_INSTANCE_ID = re.compile(r"i-[0-9a-zA-Z]+")
_AWS_ID = re.compile(r"[a-z]{1,4}-[0-9a-zA-Z]{1,32}")


@dataclass(frozen=True)
class About:
    """What a call is about, for its error messages: a source server, its launch template, instances."""

    server: str = ""
    template: str = ""
    instances: tuple[str, ...] = ()

    def __str__(self) -> str:
        parts = []
        if self.instances:
            parts.append(f"instance{'s' if len(self.instances) > 1 else ''} {_ids(self.instances)}")
        if self.template:
            parts.append(f"launch template {_ids([self.template])}")
        if self.server:
            parts.append(f"source server {self.server}")
        return " of ".join(parts)


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

    def prepare(self) -> None:
        """Have the EC2 client ready (one built at its first use takes ~0.3 s), before the health checks ask EC2."""
        _ = self._ec2.meta

    def _account(self) -> dict[str, Any]:
        return account_args(self.account_id)

    def _call(self, operation: str, client: Any, call: Callable[[], T], about: About = About()) -> T:
        """``call`` through the adapter's one wrapper, naming ``about``; EC2's not-found codes become
        :class:`TemplateNotFoundError` or :class:`InstanceNotFoundError`."""
        return call_aws(
            operation,
            call,
            client=client,
            account_id=self.account_id,
            service="EC2" if client is self._ec2 else "MGN",
            subject=str(about),
            not_found=lambda exc: _not_found(exc, operation, about),
        )

    # ---- MGN -----------------------------------------------------------------------------------
    def get_launch_configuration(self, source_server_id: str) -> LaunchConfiguration:
        def fetch() -> LaunchConfiguration:
            data = self._mgn.get_launch_configuration(sourceServerID=source_server_id, **self._account())
            return LaunchConfiguration(
                source_server_id,
                str(data.get("ec2LaunchTemplateID") or ""),
                str(data.get("launchDisposition") or ""),
            )

        return self._call("GetLaunchConfiguration", self._mgn, fetch, About(server=source_server_id))

    def launch_template_of(self, source_server_id: str) -> str:
        """The EC2 launch template MGN's launch configuration names for the server; raises if it names none."""
        template = self.get_launch_configuration(source_server_id).launch_template_id
        if not template:
            raise LaunchTargetError(
                f"MGN's launch configuration of source server {source_server_id} names no EC2 launch template "
                "(GetLaunchConfiguration answered no ec2LaunchTemplateID), so its launch settings cannot be "
                "applied; open the server's launch settings in the MGN console (or check that the server still "
                "replicates), then run `pulumi up` again.",
                source_server_id=source_server_id,
            )
        return template

    def update_launch_configuration(self, source_server_id: str, changes: Mapping[str, Any]) -> None:
        self._call(
            "UpdateLaunchConfiguration",
            self._mgn,
            lambda: self._mgn.update_launch_configuration(
                sourceServerID=source_server_id, **self._account(), **changes
            ),
        )

    # ---- EC2 -----------------------------------------------------------------------------------
    def template_version(self, template_id: str, version: str = DEFAULT, *, server: str = "") -> TemplateVersion:
        """Version ``version`` of the template (``server``: whose template it is, for messages)."""
        about = About(server=server, template=template_id)

        def fetch() -> TemplateVersion:
            answer = self._ec2.describe_launch_template_versions(LaunchTemplateId=template_id, Versions=[version])
            listed = answer.get("LaunchTemplateVersions") or []
            number = listed[0].get("VersionNumber") if listed else None
            if not isinstance(number, int):
                raise TemplateNotFoundError(
                    f"EC2 DescribeLaunchTemplateVersions listed no version {version} of {about} (an empty "
                    "answer); check in the EC2 console that the template has a default version, and that MGN's "
                    "launch settings of the server name this template, then run `pulumi up` again.",
                    source_server_id=server,
                    template_id=template_id,
                )
            return TemplateVersion(number, dict(listed[0].get("LaunchTemplateData") or {}))

        return self._call("DescribeLaunchTemplateVersions", self._ec2, fetch, about)

    def create_template_version(
        self, template_id: str, source: int, data: Mapping[str, Any], note: str, *, server: str = ""
    ) -> int:
        """A new version: ``data`` over version ``source``."""
        about = About(server=server, template=template_id)

        def create() -> int:
            answer = self._ec2.create_launch_template_version(
                LaunchTemplateId=template_id, SourceVersion=str(source), VersionDescription=note,
                LaunchTemplateData=dict(data),
            )
            number = (answer.get("LaunchTemplateVersion") or {}).get("VersionNumber")
            if not isinstance(number, int):
                raise LaunchTargetError(
                    f"EC2 CreateLaunchTemplateVersion answered no version number for {about}; check the "
                    "template's versions in the EC2 console, then run `pulumi up` again.",
                    source_server_id=server,
                    template_id=template_id,
                )
            return number

        return self._call("CreateLaunchTemplateVersion", self._ec2, create, about)

    def set_default_version(self, template_id: str, version: int, *, server: str = "") -> None:
        self._call(
            "ModifyLaunchTemplate",
            self._ec2,
            lambda: self._ec2.modify_launch_template(LaunchTemplateId=template_id, DefaultVersion=str(version)),
            About(server=server, template=template_id),
        )

    def instance_health(self, instance_ids: Sequence[str]) -> dict[str, InstanceHealth]:
        """The instances EC2 lists; raises :class:`InstanceNotFoundError` (``instance_ids``: the ones EC2 named as
        unknown) when EC2 answers InvalidInstanceID.NotFound for any of them."""

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

        return self._call("DescribeInstanceStatus", self._ec2, fetch, About(instances=tuple(instance_ids)))


def _not_found(exc: ClientError, operation: str, about: About) -> LaunchTargetError | None:
    """EC2's answer that it does not know the template or the instances ``about`` names, as one sentence."""
    code = str(exc.response.get("Error", {}).get("Code", ""))
    if code in TEMPLATE_NOT_FOUND and about.template:
        named = f"launch template {_ids([about.template])}"
        whose = f", which MGN's launch settings of source server {about.server} name" if about.server else ""
        return TemplateNotFoundError(
            f"EC2 does not know {named}{whose} ({operation}: {code}) in this account and region; it was deleted or "
            "MGN's launch configuration names a stale one: check the server's launch template in the MGN console "
            "and in EC2, then run `pulumi up` again.",
            source_server_id=about.server,
            template_id=about.template,
            code=code,
        )
    if code in INSTANCE_NOT_FOUND and about.instances:
        message = str(exc.response.get("Error", {}).get("Message", ""))
        listed = set(_INSTANCE_ID.findall(message))
        missing = tuple(i for i in about.instances if i in listed) or about.instances
        plural = "s" if len(missing) > 1 else ""
        return InstanceNotFoundError(
            f"EC2 does not know instance{plural} {_ids(missing)} ({operation}: {code}) in this account and "
            f"region; check in the EC2 console that {'they exist' if plural else 'it exists'}, and that region and "
            f"endpoint_url are the ones {'they were' if plural else 'it was'} launched with, then run `pulumi up` "
            "again.",
            instance_ids=missing,
            code=code,
        )
    return None


def _ids(ids: Sequence[str], most: int = 5) -> str:
    """AWS IDs as messages name them: bare when they look like IDs, else quoted short (``errors.shown``)."""
    plain = [i if isinstance(i, str) and _AWS_ID.fullmatch(i) else shown(i) for i in ids]
    text = ", ".join(plain[:most])
    return f"{text} and {len(plain) - most} more" if len(plain) > most else text
