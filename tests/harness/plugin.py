"""Drive the provider plugin (``python -m mgn_resources.plugin``) over gRPC, as the engine does.

    with FakeEngine() as engine, Plugin(engine.address) as plugin:
        plugin.configure({"region": "us-east-1"})
        checked = plugin.check(CUTOVER, {}, {"sourceServerIds": [...]})
        created = plugin.create(CUTOVER, checked.inputs)

Properties are plain Python named as on the wire (camelCase): ``UNKNOWN`` sends an unknown value (a preview),
``Secret(value)`` a secret one, and secret values come back as ``Secret``. ``FakeEngine`` stands in for the engine's
``Engine`` service and keeps every ``Log`` line the plugin sends, with its URN.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from concurrent import futures
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.runtime import rpc
from pulumi.runtime.proto import engine_pb2_grpc, provider_pb2, provider_pb2_grpc

from .host import REPO_ROOT, call_rpc, first_line, host_env
from .results import CheckResult, CreateResult, Failure, ReadResult

CUTOVER = "mgn:index:Cutover"
TEST_LAUNCH = "mgn:index:TestLaunch"
LAUNCH_SETTINGS = "mgn:index:LaunchSettings"


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()  # a property value the engine does not know yet


@dataclass(frozen=True)
class Secret:
    value: Any


def urn(token: str, name: str = "test") -> str:
    return f"urn:pulumi:test::mgn-cutover::{token}::{name}"


# ---- property values ----


def _to_value(value: Any) -> PropertyValue:
    if value is UNKNOWN:
        return PropertyValue(rpc.UNKNOWN)  # the engine's sentinel: the SDK cannot marshal its own Computed
    if isinstance(value, Secret):
        return _to_value(value.value).with_secret(True)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return PropertyValue(float(value))
    if isinstance(value, dict):
        return PropertyValue({k: _to_value(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return PropertyValue([_to_value(v) for v in value])
    return PropertyValue(value)


def _from_value(prop: PropertyValue) -> Any:
    value = prop.value
    if isinstance(value, Computed) or value == rpc.UNKNOWN:
        plain: Any = UNKNOWN
    elif isinstance(value, dict) or hasattr(value, "items"):
        plain = {k: _from_value(v) for k, v in value.items()}  # type: ignore[union-attr]
    elif isinstance(value, tuple):
        plain = [_from_value(v) for v in value]
    elif isinstance(value, float) and value.is_integer():
        plain = int(value)
    else:
        plain = value
    return Secret(plain) if prop.is_secret else plain


def to_struct(props: dict[str, Any]) -> struct_pb2.Struct:
    return PropertyValue.marshal_map({k: _to_value(v) for k, v in props.items()})


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    return {k: _from_value(v) for k, v in PropertyValue.unmarshal_map(struct).items()}


def revealed(value: Any) -> Any:
    """``value`` with every ``Secret`` replaced by what it holds."""
    if isinstance(value, Secret):
        return revealed(value.value)
    if isinstance(value, dict):
        return {k: revealed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [revealed(v) for v in value]
    return value


# ---- the engine's side ----


@dataclass(frozen=True)
class LogLine:
    severity: int
    message: str
    urn: str


class _Engine(engine_pb2_grpc.EngineServicer):
    def __init__(self, lines: list[LogLine], lock: threading.Lock) -> None:
        self.lines, self.lock = lines, lock

    def Log(self, request: Any, context: Any) -> empty_pb2.Empty:  # noqa: N802 - the RPC's name
        with self.lock:
            self.lines.append(LogLine(request.severity, request.message, request.urn))
        return empty_pb2.Empty()


class FakeEngine:
    """The engine's ``Engine`` service on a free loopback port: it keeps the log lines it is sent."""

    def __init__(self) -> None:
        self._lines: list[LogLine] = []
        self._lock = threading.Lock()
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        engine_pb2_grpc.add_EngineServicer_to_server(_Engine(self._lines, self._lock), self.server)
        self.port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def lines(self) -> list[LogLine]:
        with self._lock:
            return list(self._lines)

    def messages(self, urn_: str | None = None) -> list[str]:
        return [line.message for line in self.lines if urn_ is None or line.urn == urn_]

    def stop(self) -> None:
        self.server.stop(grace=None)

    def __enter__(self) -> FakeEngine:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


# ---- the plugin ----


@dataclass(frozen=True)
class PluginDiff:
    changes: str  # "none", "some" or "unknown"
    replaces: list[str]
    delete_before_replace: bool
    detailed: dict[str, str] = field(default_factory=dict)  # property -> ADD, UPDATE_REPLACE...

    @property
    def changed(self) -> bool:
        return self.changes == "some"


_CHANGES = {
    provider_pb2.DiffResponse.DIFF_NONE: "none",
    provider_pb2.DiffResponse.DIFF_SOME: "some",
    provider_pb2.DiffResponse.DIFF_UNKNOWN: "unknown",
}


class Plugin:
    """One ``python -u -m mgn_resources.plugin ENGINE`` process and a gRPC channel to it."""

    def __init__(
        self,
        engine_address: str = "127.0.0.1:1",
        *,
        env: dict[str, str] | None = None,
        start_timeout: float = 30.0,
        call_timeout: float = 300.0,
    ) -> None:
        self.call_timeout = call_timeout
        self._stderr: list[str] = []
        self._lock = threading.Lock()
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-m", "mgn_resources.plugin", engine_address],
            cwd=REPO_ROOT,
            env=host_env(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        threading.Thread(target=self._pump_stderr, name="plugin-stderr", daemon=True).start()
        self.port = self._read_port(start_timeout)
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
        grpc.channel_ready_future(self.channel).result(timeout=start_timeout)
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)

    def _read_port(self, timeout: float) -> int:
        text = first_line(self.process.stdout, timeout)
        if not text.isdigit():
            self.stop()
            raise RuntimeError(f"the plugin printed no port (got {text!r}); stderr:\n{self.stderr}")
        return int(text)

    def _pump_stderr(self) -> None:
        assert self.process.stderr is not None
        for chunk in iter(self.process.stderr.readline, ""):
            with self._lock:
                self._stderr.append(chunk)

    @property
    def stderr(self) -> str:
        with self._lock:
            return "".join(self._stderr)

    def stop(self, timeout: float = 10.0) -> None:
        channel = getattr(self, "channel", None)
        if channel is not None:
            channel.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout)

    def __enter__(self) -> Plugin:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # ---- the ResourceProvider service ----

    def _call(self, method: str, request: Any) -> Any:
        return call_rpc(self.stub, method, request, self.call_timeout)

    def get_schema(self) -> str:
        return str(self._call("GetSchema", provider_pb2.GetSchemaRequest(version=0)).schema)

    def check_config(self, config: dict[str, Any]) -> CheckResult:
        request = provider_pb2.CheckRequest(urn=urn("pulumi:providers:mgn", "default"), news=to_struct(config))
        response = self._call("CheckConfig", request)
        return CheckResult(from_struct(response.inputs), [Failure(f.property, f.reason) for f in response.failures])

    def configure(self, config: dict[str, Any]) -> provider_pb2.ConfigureResponse:
        """The provider's configuration as the engine sends it: ``args`` camelCase, ``variables`` as mgn:config:*."""
        variables = {f"mgn:config:{k}": str(revealed(v)) for k, v in config.items()}
        request = provider_pb2.ConfigureRequest(
            variables=variables, args=to_struct(config), acceptSecrets=True, acceptResources=True
        )
        return self._call("Configure", request)

    def check(self, token: str, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        request = provider_pb2.CheckRequest(urn=urn(token), olds=to_struct(olds), news=to_struct(news))
        response = self._call("Check", request)
        return CheckResult(from_struct(response.inputs), [Failure(f.property, f.reason) for f in response.failures])

    def diff(self, token: str, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> PluginDiff:
        request = provider_pb2.DiffRequest(id=id_, urn=urn(token), olds=to_struct(olds), news=to_struct(news))
        response = self._call("Diff", request)
        return PluginDiff(
            changes=_CHANGES.get(response.changes, "unknown"),
            replaces=list(response.replaces),
            delete_before_replace=response.deleteBeforeReplace,
            detailed={k: provider_pb2.PropertyDiff.Kind.Name(v.kind) for k, v in response.detailedDiff.items()},
        )

    def create(
        self, token: str, props: dict[str, Any], *, preview: bool = False, timeout: float = 0, name: str = "test"
    ) -> CreateResult:
        request = provider_pb2.CreateRequest(
            urn=urn(token, name), properties=to_struct(props), preview=preview, timeout=timeout
        )
        response = self._call("Create", request)
        return CreateResult(response.id, from_struct(response.properties))

    def read(self, token: str, id_: str, props: dict[str, Any], inputs: dict[str, Any] | None = None) -> ReadResult:
        request = provider_pb2.ReadRequest(
            id=id_, urn=urn(token), properties=to_struct(props), inputs=to_struct(inputs or {})
        )
        response = self._call("Read", request)
        return ReadResult(response.id, from_struct(response.properties), from_struct(response.inputs))

    def update(
        self,
        token: str,
        id_: str,
        olds: dict[str, Any],
        news: dict[str, Any],
        *,
        preview: bool = False,
        timeout: float = 0,
    ) -> dict[str, Any]:
        request = provider_pb2.UpdateRequest(
            id=id_, urn=urn(token), olds=to_struct(olds), news=to_struct(news), preview=preview, timeout=timeout
        )
        return from_struct(self._call("Update", request).properties)

    def delete(self, token: str, id_: str, props: dict[str, Any], *, timeout: float = 0) -> None:
        request = provider_pb2.DeleteRequest(id=id_, urn=urn(token), properties=to_struct(props), timeout=timeout)
        self._call("Delete", request)

    def cancel(self) -> None:
        """The engine's Cancel, as the CLI sends it on the first Ctrl-C."""
        self._call("Cancel", empty_pb2.Empty())
