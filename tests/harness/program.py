"""Run the repository's Pulumi program (``__main__.py``) under ``pulumi.runtime.set_mocks``.

    run = run_program({"mgn-cutover:waves": [...]}, FakeLaunchMocks())
    run.exports["job_ids"]              # resolved stack outputs
    run.by_name("wave-1-cutover")       # what the program registered: type, inputs, dependencies

Config values that are not strings are JSON-encoded, as Pulumi hands structured config to a program.
"""

from __future__ import annotations

import contextvars
import json
import runpy
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pulumi
import yaml
from pulumi.runtime import mocks, rpc, settings
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from .host import PROVIDER_KEY, REPO_ROOT, ProviderHost
from .results import CreateResult

PROGRAM = REPO_ROOT / "__main__.py"
LOCAL_STACK = REPO_ROOT / "stacks" / "Pulumi.local.yaml"
LOCAL_SEED = REPO_ROOT / "stacks" / "local-seed.yaml"
PROJECT = "mgn-cutover"
CUTOVER_TYPE = "pulumi-python:dynamic/mgn:Cutover"
TEST_LAUNCH_TYPE = "pulumi-python:dynamic/mgn:TestLaunch"
LAUNCH_TYPES = (CUTOVER_TYPE, TEST_LAUNCH_TYPE)


@dataclass(frozen=True)
class Registration:
    type: str
    name: str
    urn: str
    inputs: dict[str, Any]
    dependencies: list[str]
    protect: bool = False


@dataclass
class ProgramRun:
    exports: dict[str, Any]
    registrations: list[Registration] = field(default_factory=list)

    def by_name(self, name: str) -> Registration:
        matches = [r for r in self.registrations if r.name == name]
        assert matches, f"no resource named {name!r}; registered: {[r.name for r in self.registrations]}"
        return matches[0]

    def of_type(self, type_: str) -> list[Registration]:
        return [r for r in self.registrations if r.type == type_]

    def depends_on(self, name: str) -> list[str]:
        """The names of the resources ``name`` depends on."""
        names = {r.urn: r.name for r in self.registrations}
        return sorted(names.get(urn, urn) for urn in self.by_name(name).dependencies)


class RecordingMonitor(mocks.MockMonitor):
    """The SDK's mock monitor, also keeping each registration's dependencies (MockResourceArgs has none)."""

    def __init__(self, program_mocks: pulumi.runtime.Mocks, registrations: list[Registration]) -> None:
        super().__init__(program_mocks)
        self.registrations = registrations

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            inputs = rpc.deserialize_properties(request.object)
            self.registrations.append(
                Registration(
                    request.type, request.name, response.urn, inputs, list(request.dependencies), request.protect
                )
            )
        return response


class FakeLaunchMocks(pulumi.runtime.Mocks):
    """Answers Cutover/TestLaunch with plausible outputs (job ID, an instance per server); others echo inputs."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if args.typ not in LAUNCH_TYPES:
            return f"{args.name}-id", dict(args.inputs)
        job_id = f"mgnjob-{zlib.crc32(args.name.encode()):017d}"
        servers = list(args.inputs.get("source_server_ids") or [])  # none for application_ids or wave_id
        launched = {s: f"i-{zlib.crc32(s.encode()):017x}" for s in servers}
        outs = {
            **{k: v for k, v in args.inputs.items() if k != "__provider"},
            "job_id": job_id,
            "job_status": "COMPLETED",
            "launched_instance_ids": launched,
            "instance_ids": [launched[s] for s in servers],
            "server_job_ids": dict.fromkeys(servers, job_id),
        }
        return job_id, outs

    def call(self, args: pulumi.runtime.MockCallArgs) -> Any:
        return {}


class HostMocks(FakeLaunchMocks):
    """Cutover and TestLaunch registrations go to the real provider host (check, then create), as the engine would
    send them; ``created`` keeps each create's result by resource name."""

    def __init__(self, host: ProviderHost, poll_interval_seconds: float = 0.05) -> None:
        self.host = host
        self.poll_interval_seconds = poll_interval_seconds  # the program keeps the provider's 15 s default
        self.created: dict[str, CreateResult] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if args.typ not in LAUNCH_TYPES:
            return super().new_resource(args)
        provider = rpc.unwrap_rpc_secret(args.inputs[PROVIDER_KEY])  # the engine strips secrets for the host
        news = {k: v for k, v in args.inputs.items() if k != PROVIDER_KEY}
        news.setdefault("poll_interval_seconds", self.poll_interval_seconds)
        checked = self.host.check({}, news, provider=provider)
        assert checked.failures == [], checked.failures
        created = self.host.create(checked.inputs, provider=provider)
        self.created[args.name] = created
        return created.id, created.outs


def local_stack_config() -> dict[str, Any]:
    """The ``config`` of ``stacks/Pulumi.local.yaml``, keys as Pulumi names them (``mgn-cutover:waves``)."""
    with open(LOCAL_STACK, encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle)["config"])


def config_values(config: dict[str, Any]) -> dict[str, str]:
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in config.items()}


def run_program(
    config: dict[str, Any],
    program_mocks: pulumi.runtime.Mocks | None = None,
    *,
    preview: bool = False,
    program: Callable[[], None] | None = None,
    registrations: list[Registration] | None = None,
) -> ProgramRun:
    """Run the program with ``config`` (full keys, e.g. ``mgn-cutover:waves``); raise what the program raises.

    ``registrations`` (optional) receives each registration as it happens, so it is there when the program fails.
    The run happens in a copy of the current context: Pulumi's settings (context variables) are left as they
    were, so later tests that use ``pulumi.log`` or the runtime in-process do not see the mocks.
    """
    return contextvars.copy_context().run(
        _run_program, config, program_mocks, preview, program, registrations if registrations is not None else []
    )


def _run_program(
    config: dict[str, Any],
    program_mocks: pulumi.runtime.Mocks | None,
    preview: bool,
    program: Callable[[], None] | None,
    registrations: list[Registration],
) -> ProgramRun:
    monitor = RecordingMonitor(program_mocks or FakeLaunchMocks(), registrations)
    settings.ROOT.set(None)
    pulumi.runtime.set_all_config(config_values(config))
    pulumi.runtime.set_mocks(monitor.mocks, project=PROJECT, stack="test", preview=preview, monitor=monitor)
    settings.SETTINGS.rpc_manager.clear()
    root = settings.get_root_resource()
    assert root is not None
    exports: dict[str, Any] = {}

    def body() -> None:
        (program or (lambda: runpy.run_path(str(PROGRAM), run_name="__main__")))()
        outputs = dict(root.outputs)  # type: ignore[attr-defined]
        resolved: dict[str, Any] | None = _sync_await(pulumi.Output.from_input(outputs).future())
        exports.update(resolved or {})

    _sync_await(run_pulumi_func(body))
    return ProgramRun(exports, monitor.registrations)
