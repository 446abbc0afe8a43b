"""EC2 on the emulator's endpoint: requests signed for ``ec2`` go to moto's EC2, in this process.

moto is imported only when EC2 is first used (``pip install mgn-cutover[emulator]``), so the MGN emulator runs
without it. moto keeps its state per process, per account and region: each emulator uses an account of its own
there (:attr:`Ec2Side.account_id`), so emulators in one process do not see each other's instances. EC2 state is
not written to the state file; after a restart, servers get new launch templates and earlier instances are gone.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any
from urllib.parse import urlencode

from mgn_resources.emulator.exceptions import MgnError

SIGNED_FOR = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=[^/,\s]+/[0-9]{8}/(?P<region>[a-z0-9-]+)/(?P<service>[a-z0-9-]+)/"
)
NO_MOTO = "EC2 is not emulated here: moto is not installed; pip install 'mgn-cutover[emulator]'"
#: The image an emulated launch uses when the template names none (moto does not check AMIs by default).
DEFAULT_IMAGE = "ami-12c6146b"
_ACCOUNTS = itertools.count(900000000001)
_ACCOUNTS_LOCK = threading.Lock()


class Ec2Unavailable(MgnError):
    """moto is not installed: the emulator answers EC2 requests with this (501)."""

    @property
    def status(self) -> int:
        return 501

    def body(self) -> dict[str, Any]:
        return {"message": self.message}


def signed_service(authorization: str) -> tuple[str, str]:
    """(service, region) of a SigV4 ``Authorization`` header's credential scope; ("", "") if it has none."""
    found = SIGNED_FOR.match(authorization.strip())
    return (found["service"], found["region"]) if found else ("", "")


@cache
def _moto_app() -> Any:
    try:
        from moto.server import create_backend_app
    except ImportError as exc:
        raise Ec2Unavailable(f"{NO_MOTO} ({exc})") from None
    return create_backend_app("ec2")


@cache
def _model() -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model("ec2")


class Ec2Error(Exception):
    """An EC2 call the emulator made for itself failed (code and message from moto)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


class Ec2Side:
    """moto's EC2 for one emulator: the wire (``handle``) and the calls MGN makes itself (templates, launches)."""

    def __init__(self) -> None:
        with _ACCOUNTS_LOCK:
            self.account_id = str(next(_ACCOUNTS))
        self._templates: set[str] = set()

    @property
    def available(self) -> bool:
        """moto is installed (without it, launches are IDs only and EC2 requests answer 501)."""
        import importlib.util

        return importlib.util.find_spec("moto") is not None

    # ---- the wire ------------------------------------------------------------------------------
    def handle(self, method: str, path: str, query: str, headers: Mapping[str, str], body: bytes) -> tuple[
        int, bytes, dict[str, str]
    ]:
        from werkzeug.test import Client

        sent = {k: v for k, v in headers.items() if k not in ("content-length", "x-moto-account-id")}
        sent["x-moto-account-id"] = self.account_id
        answer = Client(_moto_app()).open(path, method=method, query_string=query, headers=sent, data=body)
        keep = {k: v for k, v in answer.headers.items() if k.lower() in ("content-type",)}
        return answer.status_code, answer.get_data(), keep

    # ---- the calls MGN makes itself ------------------------------------------------------------
    def call(self, region: str, operation: str, params: Mapping[str, Any]) -> dict[str, Any]:
        from botocore.parsers import create_parser
        from botocore.serialize import create_serializer

        model = _model().operation_model(operation)
        request = create_serializer("ec2").serialize_to_request(dict(params), model)
        headers = {
            "Authorization": f"AWS4-HMAC-SHA256 Credential=EMULATOR/20260101/{region}/ec2/aws4_request, "
            "SignedHeaders=host, Signature=0",
            "Host": f"ec2.{region}.amazonaws.com",
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
        }
        status, data, out = self.handle("POST", "/", "", {k.lower(): v for k, v in headers.items()},
                                        urlencode(request["body"]).encode())
        parsed: dict[str, Any] = create_parser("ec2").parse(
            {"status_code": status, "headers": out, "body": data}, model.output_shape
        )
        if status >= 400:
            error = parsed.get("Error", {})
            raise Ec2Error(str(error.get("Code", status)), str(error.get("Message", "")))
        return parsed

    def warm(self, region: str) -> None:
        """Build moto's EC2 for this emulator's account and region now, not inside the first launch (~0.05 s;
        the first in a process also imports moto, ~1.5 s), so launches answer as fast as before."""
        if self.available:
            self.call(region, "DescribeVpcs", {})

    def ensure_template(self, region: str, server_id: str, template_id: str) -> str:
        """The server's launch template (MGN makes one per source server); a new one if this side lacks it."""
        if template_id in self._templates:
            return template_id
        answer = self.call(region, "CreateLaunchTemplate", {
            "LaunchTemplateName": f"mgn-{server_id}-{len(self._templates)}",
            "LaunchTemplateData": {"ImageId": DEFAULT_IMAGE, "InstanceType": "t3.micro"},
            "TagSpecifications": [{"ResourceType": "launch-template",
                                   "Tags": [{"Key": "AWSApplicationMigrationServiceSourceServerID",
                                             "Value": server_id}]}],
        })
        created = str(answer["LaunchTemplate"]["LaunchTemplateId"])
        self._templates.add(created)
        return created

    def launch(self, region: str, template_id: str, server_id: str, stopped: bool) -> str:
        """Run one instance as the template's default version says: type, subnet, security groups and tags."""
        versions = self.call(region, "DescribeLaunchTemplateVersions",
                             {"LaunchTemplateId": template_id, "Versions": ["$Default"]})
        data = versions["LaunchTemplateVersions"][0].get("LaunchTemplateData", {})
        interface = (data.get("NetworkInterfaces") or [{}])[0]
        params: dict[str, Any] = {
            "ImageId": data.get("ImageId") or DEFAULT_IMAGE,
            "InstanceType": data.get("InstanceType") or "t3.micro",
            "MinCount": 1,
            "MaxCount": 1,
        }
        subnet = interface.get("SubnetId") or data.get("SubnetId")
        if subnet:
            params["SubnetId"] = subnet
        groups = list(interface.get("Groups") or data.get("SecurityGroupIds") or [])
        if groups:
            params["SecurityGroupIds"] = groups
        if interface.get("PrivateIpAddress"):
            params["PrivateIpAddress"] = interface["PrivateIpAddress"]
        tags = [t for spec in data.get("TagSpecifications") or [] if spec.get("ResourceType") == "instance"
                for t in spec.get("Tags") or []]
        tags.append({"Key": "AWSApplicationMigrationServiceSourceServerID", "Value": server_id})
        params["TagSpecifications"] = [{"ResourceType": "instance", "Tags": tags}]
        instance_id = str(self.call(region, "RunInstances", params)["Instances"][0]["InstanceId"])
        if stopped:
            self.call(region, "StopInstances", {"InstanceIds": [instance_id]})
        return instance_id

    def terminate(self, region: str, instance_ids: Sequence[str]) -> None:
        if instance_ids:
            self.call(region, "TerminateInstances", {"InstanceIds": list(instance_ids)})
