"""EC2 on the emulator's endpoint: requests signed for ``ec2`` go to moto's EC2, in this process.

moto is required (``pip install 'mgn-cutover[emulator]'``; ``make up`` installs it): without it the emulator
refuses to start (:class:`MotoMissing`), it never serves MGN without EC2. moto keeps its state per process, per
account and region: each emulator uses an account of its own there (:attr:`Ec2Side.account_id`), so emulators in
one process do not see each other's instances. With a state file, that account and its EC2 backends are saved
beside MGN's state (:mod:`ec2_state`) and put back on restart, with every ID. :attr:`Ec2Side.revision` grows with
every EC2 change, so the store knows when EC2 must be saved (and re-encodes it only then).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any
from urllib.parse import parse_qs, urlencode

from mgn_emulator import ec2_state
from mgn_emulator.ec2_state import Ec2State

#: EC2 actions that only read (DescribeInstances, GetLaunchTemplateData, ...): run without a save.
READ_ACTION = re.compile(r"(Describe|Get|List)[A-Z]")
#: The image an emulated launch uses when the template names none (moto does not check AMIs by default).
DEFAULT_IMAGE = "ami-12c6146b"
SOURCE_SERVER_TAG = "AWSApplicationMigrationServiceSourceServerID"


class MotoMissing(RuntimeError):
    """moto cannot be imported: the emulator cannot serve EC2, so it does not start."""


def is_read(action: str) -> bool:
    return READ_ACTION.match(action) is not None


def action_of(query: Mapping[str, Sequence[str]], body: bytes) -> str:
    """The ``Action`` of an EC2 (query protocol) request, from its form body or its query string; "" if none."""
    form = parse_qs(body.decode("utf-8", "replace"))
    return (form.get("Action") or list(query.get("Action") or []) or [""])[0]


def require_moto() -> None:
    """Import moto now; :class:`MotoMissing` (one line: what to install) if it cannot be imported."""
    _moto_app()


@cache
def _moto_app() -> Any:
    try:
        from moto.server import create_backend_app
    except ImportError as exc:
        reason = " ".join(str(exc).split())[:200]
        raise MotoMissing(
            f"the emulator's EC2 needs moto, which cannot be imported ({reason}); "
            "install it with pip install 'mgn-cutover[emulator]' (`make up` installs it)"
        ) from None
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
        self.message = message


class Ec2Side:
    """moto's EC2 for one emulator: the wire (``handle``) and the calls MGN makes itself (templates, launches).

    ``restored`` is EC2's part of a state file: its account and backends are put back into moto as they were.
    Raises :class:`MotoMissing` if moto cannot be imported.
    """

    def __init__(self, restored: Ec2State | None = None) -> None:
        require_moto()
        self.revision = 0  # grows with every change to this emulator's EC2
        self._encoded: tuple[int, str] | None = None  # (revision, ec2_state.encode() at that revision)
        if restored is None:
            self.account_id = ec2_state.fresh_account()
        else:
            self.account_id = restored.account_id
            ec2_state.install(self.account_id, restored.backends)
            self._encoded = (self.revision, restored.blob)

    # ---- the wire ------------------------------------------------------------------------------
    def handle(self, method: str, path: str, query: str, headers: Mapping[str, str], body: bytes) -> tuple[
        int, bytes, dict[str, str]
    ]:
        """moto's answer; a request that may have changed EC2 (a write moto carried out, or one that set up a
        region, or one moto failed on) counts as a change. The caller holds the emulator's lock."""
        from werkzeug.test import Client

        sent = {k: v for k, v in headers.items() if k not in ("content-length", "x-moto-account-id")}
        sent["x-moto-account-id"] = self.account_id
        writes = not is_read(action_of(parse_qs(query), body))
        regions = len(ec2_state.regions(self.account_id))
        try:
            answer = Client(_moto_app()).open(path, method=method, query_string=query, headers=sent, data=body)
        except BaseException:
            self.revision += 1  # moto may have changed something before it failed
            raise
        if (writes and answer.status_code < 400) or len(ec2_state.regions(self.account_id)) != regions:
            self.revision += 1
        keep = {k: v for k, v in answer.headers.items() if k.lower() in ("content-type",)}
        return answer.status_code, answer.get_data(), keep

    def knows_region(self, region: str) -> bool:
        """moto has set up this account's EC2 in ``region`` (a first request there creates its default VPC)."""
        return region in ec2_state.regions(self.account_id)

    # ---- the state file ------------------------------------------------------------------------
    def encoded(self) -> str:
        """This EC2 as the state file stores it; encoded again only when it changed since the last time."""
        if self._encoded is None or self._encoded[0] != self.revision:
            self._encoded = (self.revision, ec2_state.encode(self.account_id))
        return self._encoded[1]

    def stored(self) -> dict[str, Any]:
        """The state file's ``ec2`` part."""
        return ec2_state.part(self.account_id, self.encoded())

    def rollback(self, blob: str) -> None:
        """Put EC2 back as ``blob`` (an earlier :meth:`encoded`) holds it: a change that was not saved is undone."""
        ec2_state.install(self.account_id, ec2_state.decode(blob, self.account_id))
        self.revision += 1
        self._encoded = (self.revision, blob)

    # ---- the calls MGN makes itself ------------------------------------------------------------
    def call(self, region: str, operation: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """One EC2 operation, as a client would send it; :class:`Ec2Error` with EC2's code if it fails."""
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
        try:
            status, data, out = self.handle("POST", "/", "", {k.lower(): v for k, v in headers.items()},
                                            urlencode(request["body"]).encode())
        except Exception as exc:  # noqa: BLE001 - moto failed on a request it should serve: an EC2 error all the same
            raise Ec2Error("InternalError", f"{operation} failed in moto: {exc!r}") from exc
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
        self.call(region, "DescribeVpcs", {})

    def ensure_template(self, region: str, server_id: str, template_id: str) -> str:
        """The server's launch template (MGN makes one per source server when first needed): ``template_id``,
        or a new one if the server has none yet. A template deleted in EC2 stays named (its launches fail)."""
        if template_id:
            return template_id
        for attempt in range(100):
            name = f"mgn-{server_id}" + (f"-{attempt}" if attempt else "")
            try:
                answer = self.call(region, "CreateLaunchTemplate", {
                    "LaunchTemplateName": name,
                    "LaunchTemplateData": {"ImageId": DEFAULT_IMAGE, "InstanceType": "t3.micro"},
                    "TagSpecifications": [{"ResourceType": "launch-template",
                                           "Tags": [{"Key": SOURCE_SERVER_TAG, "Value": server_id}]}],
                })
            except Ec2Error as exc:
                if exc.code.startswith("InvalidLaunchTemplateName.AlreadyExists"):
                    continue  # an earlier template of a server that was replaced (add_server) keeps its name
                raise
            return str(answer["LaunchTemplate"]["LaunchTemplateId"])
        raise Ec2Error("InvalidLaunchTemplateName.AlreadyExistsException", f"no free name for {server_id}")

    def launch(self, region: str, template_id: str, server_id: str, stopped: bool) -> str:
        """Run one instance as the template's default version says: type, subnet, security groups and tags.

        Raises :class:`Ec2Error` naming the server and the template if EC2 does not know the template or
        gives it no default version, and naming the server if EC2 refuses to run the instance.
        """
        where = f"source server {server_id}: launch template {template_id}"
        try:
            versions = self.call(region, "DescribeLaunchTemplateVersions",
                                 {"LaunchTemplateId": template_id, "Versions": ["$Default"]})
        except Ec2Error as exc:
            raise Ec2Error(exc.code, f"{where}: {exc.message}") from None
        found = versions.get("LaunchTemplateVersions") or []
        if not found:
            raise Ec2Error("InvalidLaunchTemplateId.VersionNotFound", f"{where}: EC2 lists no default version")
        data = found[0].get("LaunchTemplateData", {})
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
        tags.append({"Key": SOURCE_SERVER_TAG, "Value": server_id})
        params["TagSpecifications"] = [{"ResourceType": "instance", "Tags": tags}]
        try:
            instance_id = str(self.call(region, "RunInstances", params)["Instances"][0]["InstanceId"])
        except Ec2Error as exc:
            where = f"source server {server_id}: RunInstances from {template_id}"
            raise Ec2Error(exc.code, f"{where}: {exc.message}") from None
        if stopped:
            self.call(region, "StopInstances", {"InstanceIds": [instance_id]})
        return instance_id

    def instance_state(self, region: str, instance_id: str) -> str | None:
        """The instance's state name (``running``, ``terminated``, ...), or None if EC2 does not know it."""
        try:
            answer = self.call(region, "DescribeInstances", {"InstanceIds": [instance_id]})
        except Ec2Error as exc:
            if exc.code.startswith("InvalidInstanceID"):
                return None
            raise
        found = [i for r in answer.get("Reservations") or [] for i in r.get("Instances") or []]
        return str(found[0]["State"]["Name"]) if found else None

    def terminate(self, region: str, instance_ids: Sequence[str]) -> None:
        if instance_ids:
            self.call(region, "TerminateInstances", {"InstanceIds": list(instance_ids)})
