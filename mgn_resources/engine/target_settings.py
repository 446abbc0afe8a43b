"""One source server's target: MGN's launch configuration and a new default version of its EC2 launch template."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..aws.target import TargetApi


@dataclass(frozen=True, kw_only=True)
class TargetSettings:
    """One source server's target settings, each None when it is not to be set (the provider builds them from a
    LaunchSettings' inputs: ``provider/translate.py``)."""

    # MGN's launch configuration
    launch_disposition: str | None
    copy_private_ip: bool | None
    copy_tags: bool | None
    right_sizing: str | None
    boot_mode: str | None
    byol: bool | None
    # the EC2 launch template
    instance_type: str | None
    iam_instance_profile: str | None
    instance_tags: Mapping[str, str] | None
    subnet_id: str | None  # the primary network interface's
    security_group_ids: tuple[str, ...] | None
    private_ip_address: str | None
    associate_public_ip_address: bool | None


#: setting -> UpdateLaunchConfiguration member (``byol`` goes to ``licensing.osByol``).
MGN_FIELDS = {
    "launch_disposition": "launchDisposition",
    "copy_private_ip": "copyPrivateIp",
    "copy_tags": "copyTags",
    "right_sizing": "targetInstanceTypeRightSizingMethod",
    "boot_mode": "bootMode",
}
#: setting -> member of the launch template's primary network interface.
INTERFACE_FIELDS = {
    "subnet_id": "SubnetId",
    "security_group_ids": "Groups",
    "private_ip_address": "PrivateIpAddress",
    "associate_public_ip_address": "AssociatePublicIpAddress",
}
#: The settings a new launch template version carries (all of them, when one changes).
EC2_FIELDS = ("instance_type", "iam_instance_profile", "instance_tags", *INTERFACE_FIELDS)
#: What a new version keeps of the current primary interface (members that read and write alike).
_KEPT_INTERFACE = ("DeviceIndex", "DeleteOnTermination", "Description", "InterfaceType", *INTERFACE_FIELDS.values())


@dataclass(frozen=True)
class Applied:
    launch_template_id: str
    launch_template_version: int  # the default version once applied (a new one if any EC2 setting is given)
    previous_default_version: int  # the default version before


def mgn_changes(settings: TargetSettings) -> dict[str, Any]:
    given = {name: getattr(settings, name) for name in MGN_FIELDS}
    changes = {member: given[name] for name, member in MGN_FIELDS.items() if given[name] is not None}
    if settings.byol is not None:
        changes["licensing"] = {"osByol": settings.byol}
    return changes


def template_data(current: Mapping[str, Any], settings: TargetSettings) -> dict[str, Any]:
    """The launch template data that puts ``settings`` over ``current`` (the default version's data)."""
    data: dict[str, Any] = {}
    if settings.instance_type is not None:
        data["InstanceType"] = settings.instance_type
    if settings.iam_instance_profile is not None:
        profile = settings.iam_instance_profile
        data["IamInstanceProfile"] = {"Arn": profile} if profile.startswith("arn:") else {"Name": profile}
    interface_settings = {name: getattr(settings, name) for name in INTERFACE_FIELDS}
    if any(value is not None for value in interface_settings.values()):
        first = dict((current.get("NetworkInterfaces") or [{}])[0])
        interface = {k: first[k] for k in _KEPT_INTERFACE if k in first}
        interface.setdefault("DeviceIndex", 0)
        for name, member in INTERFACE_FIELDS.items():
            value = interface_settings[name]
            if value is not None:
                interface[member] = list(value) if isinstance(value, tuple) else value
        data["NetworkInterfaces"] = [interface]
    if settings.instance_tags is not None:
        others = [s for s in current.get("TagSpecifications") or [] if s.get("ResourceType") != "instance"]
        tags = [{"Key": k, "Value": v} for k, v in sorted(settings.instance_tags.items())]
        data["TagSpecifications"] = [*others, {"ResourceType": "instance", "Tags": tags}]
    return data


class LaunchSettingsEngine:
    """Applies, reads and restores one server's launch settings through a :class:`TargetApi`."""

    def __init__(self, target: TargetApi) -> None:
        self._target = target

    def apply(self, source_server_id: str, settings: TargetSettings, previous: int | None = None) -> Applied:
        """UpdateLaunchConfiguration for the MGN settings; a new default template version for the EC2 ones.

        ``previous`` is the default version from before the first apply (kept across updates for ``restore``).
        """
        changes = mgn_changes(settings)
        if changes:
            self._target.update_launch_configuration(source_server_id, changes)
        template = self._target.launch_template_of(source_server_id)
        default = self._target.template_version(template, server=source_server_id)
        data = template_data(default.data, settings)
        version = default.number
        if data:
            note = f"mgn-cutover LaunchSettings for {source_server_id}"
            version = self._target.create_template_version(
                template, default.number, data, note, server=source_server_id
            )
            self._target.set_default_version(template, version, server=source_server_id)
        return Applied(template, version, default.number if previous is None else previous)

    def default_version(self, source_server_id: str, template_id: str) -> int:
        return self._target.template_version(template_id, server=source_server_id).number

    def restore(self, source_server_id: str, template_id: str, version: int) -> None:
        self._target.set_default_version(template_id, version, server=source_server_id)
