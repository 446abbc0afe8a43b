"""Drive the Pulumi SDK's real dynamic-provider host (``python -u -m pulumi.dynamic``) over gRPC, as the engine does.

    with ProviderHost(CutoverProvider()) as host:
        host.configure({"aws:region": "us-east-1"})
        checked = host.check({}, {"source_server_ids": [...]})
        created = host.create(checked.inputs)

``__provider`` is added to every property bag sent and removed from every bag returned, so tests pass
plain props around. Every method may be called from several threads at once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

import grpc
from google.protobuf import struct_pb2
from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from .results import CheckResult, CreateResult, DiffResult, Failure, HostError, ReadResult

REPO_ROOT = Path(__file__).resolve().parents[2]
PROVIDER_KEY = "__provider"
UNKNOWN = rpc.UNKNOWN  # put this string in a property to send an unknown value (a preview)

TEST_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}
_DROPPED_ENV_PREFIXES = ("AWS_", "PULUMI_")
_DIFF_CHANGES = {
    provider_pb2.DiffResponse.DIFF_NONE: "none",
    provider_pb2.DiffResponse.DIFF_SOME: "some",
    provider_pb2.DiffResponse.DIFF_UNKNOWN: "unknown",
}


def host_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The host's environment: this one without AWS_*/PULUMI_* settings, plus test credentials and ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_DROPPED_ENV_PREFIXES)}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]))
    env.update(TEST_AWS_ENV)
    env.update(extra or {})
    return env


def _serialize(props: dict[str, Any]) -> struct_pb2.Struct:
    """serialize_properties is a coroutine: run it on a private loop, leaving the caller's event loop alone.

    From a thread already running a loop (a Pulumi program under mocks), it runs on a helper thread.
    """

    def run() -> struct_pb2.Struct:
        loop = asyncio.new_event_loop()
        try:
            return loop.run_until_complete(rpc.serialize_properties(props, {}))
        finally:
            loop.close()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return run()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def _deserialize(struct: struct_pb2.Struct) -> dict[str, Any]:
    props = rpc.deserialize_properties(struct, keep_unknowns=True)
    return {k: v for k, v in props.items() if k != PROVIDER_KEY}


def call_rpc(stub: Any, method: str, request: Any, timeout: float) -> Any:
    """``stub.method(request)``; a gRPC error as HostError (method, status code, details)."""
    try:
        return getattr(stub, method)(request, timeout=timeout)
    except grpc.RpcError as exc:
        raise HostError(method, exc.code().name, exc.details() or "") from None


def first_line(stream: Any, timeout: float) -> str:
    """The first line a process prints on ``stream`` (a provider prints its port so), stripped; "" if none comes
    within ``timeout``."""
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return line[0].strip() if line else ""


class ProviderHost:
    """One ``python -u -m pulumi.dynamic`` process and a gRPC channel to it."""

    def __init__(
        self,
        provider: ResourceProvider | None = None,
        *,
        env: dict[str, str] | None = None,
        cwd: Path = REPO_ROOT,
        start_timeout: float = 30.0,
        call_timeout: float = 300.0,
        engine_address: str | None = None,
    ) -> None:
        self.provider_blob = serialize_provider(provider) if provider is not None else None
        self.call_timeout = call_timeout
        self._stderr: list[str] = []
        self._stdout: list[str] = []
        self._lock = threading.Lock()
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.dynamic", *([engine_address] if engine_address else [])],
            cwd=cwd,
            env=host_env(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._pump(self.process.stderr, self._stderr, "stderr")
        self.port = self._read_port(start_timeout)
        self._pump(self.process.stdout, self._stdout, "stdout")
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
        grpc.channel_ready_future(self.channel).result(timeout=start_timeout)
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)

    # -- process ---------------------------------------------------------------------------------------

    def _read_port(self, timeout: float) -> int:
        text = first_line(self.process.stdout, timeout)
        if not text.isdigit():
            self.kill()
            raise RuntimeError(f"provider host printed no port (got {text!r}); stderr:\n{self.stderr}")
        return int(text)

    def _pump(self, stream: Any, sink: list[str], name: str) -> None:
        def run() -> None:
            for chunk in iter(stream.readline, ""):
                with self._lock:
                    sink.append(chunk)

        threading.Thread(target=run, name=f"provider-host-{name}", daemon=True).start()

    @property
    def stderr(self) -> str:
        """Everything the host wrote to stderr so far (``pulumi.log`` output lands here)."""
        with self._lock:
            return "".join(self._stderr)

    @property
    def stdout(self) -> str:
        """What the host wrote to stdout after its port line (``print`` in a provider)."""
        with self._lock:
            return "".join(self._stdout)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the host, as a crash or an engine killed mid-operation would."""
        if self.alive:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self._close_channel()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the host the polite way (SIGINT: the host stops its gRPC server), killing it if it lingers."""
        self._close_channel()
        if self.alive:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()

    def _close_channel(self) -> None:
        channel = getattr(self, "channel", None)
        if channel is not None:
            channel.close()

    def __enter__(self) -> ProviderHost:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- the ResourceProvider service ----------------------------------------------------------------

    def _call(self, method: str, request: Any) -> Any:
        return call_rpc(self.stub, method, request, self.call_timeout)

    def _with_provider(self, props: dict[str, Any], provider: ResourceProvider | str | None) -> dict[str, Any]:
        if isinstance(provider, ResourceProvider):
            blob: str | None = serialize_provider(provider)
        else:
            blob = provider if provider is not None else self.provider_blob
        if blob is None:
            raise ValueError("no provider: pass one to ProviderHost() or to the call")
        return {**props, PROVIDER_KEY: blob}

    def configure(self, config: dict[str, Any]) -> None:
        """Send the stack configuration (namespaced keys such as ``aws:region``), as the engine does first."""
        variables = {k: v if isinstance(v, str) else str(v) for k, v in config.items()}
        request = provider_pb2.ConfigureRequest(
            variables=variables, args=_serialize(config), acceptSecrets=True, acceptResources=True
        )
        self._call("Configure", request)

    def check(
        self, olds: dict[str, Any], news: dict[str, Any], *, provider: ResourceProvider | str | None = None
    ) -> CheckResult:
        olds_p = self._with_provider(olds, provider) if olds else {}
        request = provider_pb2.CheckRequest(
            urn=self.urn(), olds=_serialize(olds_p), news=_serialize(self._with_provider(news, provider))
        )
        response = self._call("Check", request)
        failures = [Failure(f.property, f.reason) for f in response.failures]
        return CheckResult(_deserialize(response.inputs), failures)

    def diff(
        self, id_: str, olds: dict[str, Any], news: dict[str, Any], *, provider: ResourceProvider | str | None = None
    ) -> DiffResult:
        request = provider_pb2.DiffRequest(
            id=id_,
            urn=self.urn(),
            olds=_serialize(self._with_provider(olds, provider)),
            news=_serialize(self._with_provider(news, provider)),
        )
        response = self._call("Diff", request)
        return DiffResult(
            changes=_DIFF_CHANGES.get(response.changes, "unknown"),
            replaces=list(response.replaces),
            stables=list(response.stables),
            delete_before_replace=response.deleteBeforeReplace,
        )

    def create(self, props: dict[str, Any], *, provider: ResourceProvider | str | None = None) -> CreateResult:
        properties = _serialize(self._with_provider(props, provider))
        request = provider_pb2.CreateRequest(urn=self.urn(), properties=properties)
        response = self._call("Create", request)
        return CreateResult(response.id, _deserialize(response.properties))

    def read(self, id_: str, props: dict[str, Any], *, provider: ResourceProvider | str | None = None) -> ReadResult:
        request = provider_pb2.ReadRequest(
            id=id_, urn=self.urn(), properties=_serialize(self._with_provider(props, provider))
        )
        response = self._call("Read", request)
        inputs = _deserialize(response.inputs) if response.HasField("inputs") else None
        return ReadResult(response.id, _deserialize(response.properties), inputs)

    def update(
        self, id_: str, olds: dict[str, Any], news: dict[str, Any], *, provider: ResourceProvider | str | None = None
    ) -> dict[str, Any]:
        request = provider_pb2.UpdateRequest(
            id=id_,
            urn=self.urn(),
            olds=_serialize(self._with_provider(olds, provider)),
            news=_serialize(self._with_provider(news, provider)),
        )
        return _deserialize(self._call("Update", request).properties)

    def delete(self, id_: str, props: dict[str, Any], *, provider: ResourceProvider | str | None = None) -> None:
        request = provider_pb2.DeleteRequest(
            id=id_, urn=self.urn(), properties=_serialize(self._with_provider(props, provider))
        )
        self._call("Delete", request)

    @staticmethod
    def urn(type_: str = "pulumi-python:dynamic:Resource", name: str = "test") -> str:
        return f"urn:pulumi:test::mgn-cutover::{type_}::{name}"
