"""GetLaunchConfiguration and UpdateLaunchConfiguration: each server's launch settings and its EC2 launch template."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from mgn_emulator.ec2 import Ec2Side
from mgn_emulator.models import LaunchConfig, SourceServer
from mgn_emulator.part import BackendPart
from mgn_emulator.render import Context

#: The model's member -> the LaunchConfig field it sets (``licensing.osByol`` is handled apart).
_FIELDS = {
    "launchDisposition": "launch_disposition",
    "targetInstanceTypeRightSizingMethod": "right_sizing",
    "copyPrivateIp": "copy_private_ip",
    "copyTags": "copy_tags",
    "bootMode": "boot_mode",
}


class LaunchConfigMixin(BackendPart):
    """The launch-configuration operations of :class:`MgnBackend` (which provides state, lock and EC2)."""

    region: str
    ec2: Ec2Side | None

    def _existing(self, server_id: str) -> SourceServer:
        raise NotImplementedError

    def _launch_config(self, server_id: str) -> LaunchConfig:
        """The server's configuration, its launch template created in EC2 when it has none there yet."""
        server = self._existing(server_id)
        config = server.launch_config
        if self.ec2 is not None:
            template = self.ec2.ensure_template(self.region, server_id, config.ec2_launch_template_id)
            if template != config.ec2_launch_template_id:
                config = replace(config, ec2_launch_template_id=template)
                self._servers[server_id] = replace(server, launch_config=config)
                self._touch()
        return config

    def get_launch_configuration(self, server_id: str, ctx: Context) -> dict[str, Any]:
        with self.lock:
            self._settle()
            config = self._launch_config(server_id)
            return _render(self._existing(server_id), config)

    def update_launch_configuration(self, server_id: str, params: dict[str, Any], ctx: Context) -> dict[str, Any]:
        with self.lock:
            self._settle()
            config = self._launch_config(server_id)
            changes = {field: params[member] for member, field in _FIELDS.items() if member in params}
            if "osByol" in (params.get("licensing") or {}):
                changes["byol"] = params["licensing"]["osByol"]
            config = replace(config, **changes)
            server = replace(self._existing(server_id), launch_config=config)
            self._servers[server_id] = server
            self._touch()
            return _render(server, config)


def _render(server: SourceServer, config: LaunchConfig) -> dict[str, Any]:
    data: dict[str, Any] = {
        "sourceServerID": server.server_id,
        "name": server.hostname,
        "launchDisposition": config.launch_disposition,
        "targetInstanceTypeRightSizingMethod": config.right_sizing,
        "copyPrivateIp": config.copy_private_ip,
        "copyTags": config.copy_tags,
        "licensing": {"osByol": config.byol},
        "bootMode": config.boot_mode,
    }
    if config.ec2_launch_template_id:
        data["ec2LaunchTemplateID"] = config.ec2_launch_template_id
    return data
