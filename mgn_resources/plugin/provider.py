"""The provider plugin face: package ``mgn``, resources ``mgn:index:Cutover``, ``mgn:index:TestLaunch`` and
``mgn:index:LaunchSettings``, each method the lifecycle's (``lifecycle/``) in the plugin's types.

A method turns the engine's property values into plain snake_case dicts (``properties.py``), calls the lifecycle in a
worker thread (a create waits for MGN's job; many wait at once) and turns the result back. What is the plugin's own:
the provider configuration (``region`` and ``profile`` are the stack settings; ``endpointUrl``, ``roleArn`` and
``accountId`` are defaults for each resource that does not set them), a preview's read-only preflight, the
``customTimeouts`` bound on a wait, progress to the engine's log under the resource's URN (``progress.py``), and
``cancel``: the engine's Cancel RPC (the CLI's first Ctrl-C) ends every wait within a second, each create or update
failing with one sentence naming its job (which goes on in MGN for the next ``pulumi up`` to adopt), and nothing
launches after it.
"""

from __future__ import annotations

import asyncio
import os
import weakref
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from pulumi.output import Unknown
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import (
    CheckFailure,
    CheckRequest,
    CheckResponse,
    ConfigureRequest,
    ConfigureResponse,
    CreateRequest,
    CreateResponse,
    DeleteRequest,
    DiffRequest,
    DiffResponse,
    GetSchemaRequest,
    GetSchemaResponse,
    Provider,
    ReadRequest,
    ReadResponse,
    UpdateRequest,
    UpdateResponse,
)

from ..aws import LaunchKind
from ..clock import Cancellation
from ..errors import MgnCutoverError
from ..lifecycle import launches, settings
from ..lifecycle.check import check_inputs
from ..lifecycle.common import is_unknown, user_errors
from ..lifecycle.diffing import diff_inputs
from ..lifecycle.effective import StackSettings
from ..lifecycle.groups import declared, unresolved
from ..schema import ResourceSchema, schema_of
from ..schema.outputs import output_names
from ..schema.package import PACKAGE_NAME, TOKENS, camel, snake
from .details import config_failures, detailed_diff
from .progress import EngineProgress, engine_log
from .properties import Props, config_to_plain, schema_text, to_plain, to_values, wire_name
from .text import plugin_text

T = TypeVar("T")

#: The provider configuration that defaults each resource's input of the same name.
DEFAULTED = ("endpoint_url", "role_arn", "account_id")
#: The outputs an update leaves as they were: where the job lives and which job it is (a preview keeps them known).
KEPT_BY_UPDATE = (
    "job_id",
    "job_arn",
    "job_status",
    "creation_time",
    "end_time",
    "effective_region",
    "effective_endpoint_url",
    "effective_account_id",
)
#: Worker threads for the lifecycle calls (each waiting create holds one), as the dynamic host's ceiling;
#: ``MGN_CUTOVER_HOST_WORKERS`` sets it (0 keeps asyncio's default, min(32, CPUs + 4)).
WORKERS = 64


@dataclass(frozen=True)
class Resource:
    """One resource type of the package: its token, its input schema, and its launch kind (None: LaunchSettings)."""

    token: str
    schema: ResourceSchema
    launch: LaunchKind | None


RESOURCES: dict[str, Resource] = {
    TOKENS[name]: Resource(TOKENS[name], schema_of(name), launch)
    for name, launch in (("Cutover", LaunchKind.CUTOVER), ("TestLaunch", LaunchKind.TEST), ("LaunchSettings", None))
}


class ImportNotSupportedError(MgnCutoverError):
    """``pulumi import`` of a LaunchSettings: its settings are declared, not read back."""


class MgnProvider(Provider):
    """Holds the provider configuration and the process's cancellation only; clients are built per call (cached per
    process by the adapter)."""

    def __init__(self, engine_address: str = "") -> None:
        self.engine_address = engine_address
        self.stack = StackSettings()
        self.defaults: dict[str, Any] = {}
        self.secret_defaults: frozenset[str] = frozenset()
        self.cancellation = Cancellation()  # one update per plugin process: once cancelled, for good

    async def cancel(self) -> None:
        """The engine's Cancel (the CLI's first Ctrl-C or SIGTERM): every wait of this process stops."""
        self.cancellation.cancel()

    # ---- the package and its configuration ----

    async def get_schema(self, request: GetSchemaRequest) -> GetSchemaResponse:
        return GetSchemaResponse(schema=schema_text())

    async def check_config(self, request: CheckRequest) -> CheckResponse:
        config = config_to_plain(request.new_inputs).values
        return CheckResponse(inputs=request.new_inputs, failures=config_failures(config))

    async def configure(self, request: ConfigureRequest) -> ConfigureResponse:
        config = config_to_plain(request.args) if request.args else _from_variables(request.variables)
        values = config.values
        self.stack = StackSettings(region=_text(values.get("region")), profile=_text(values.get("profile")))
        self.defaults = {key: values[key] for key in DEFAULTED if values.get(key) not in (None, "")}
        self.secret_defaults = config.secret & frozenset(self.defaults)
        return ConfigureResponse(accept_secrets=True, supports_preview=True)

    # ---- the resources ----

    async def check(self, request: CheckRequest) -> CheckResponse:
        resource = _resource(request.urn)
        news = self._inputs(resource, request.new_inputs)
        checked = await _run(lambda: user_errors(lambda: check_inputs(resource.schema, news.values, self.stack)))
        token = resource.token
        failures = [CheckFailure(wire_name(token, f.property), plugin_text(f.reason)) for f in checked.failures]
        return CheckResponse(inputs=to_values(resource.token, checked.inputs, news.secret), failures=failures)

    async def diff(self, request: DiffRequest) -> DiffResponse:
        resource = _resource(request.urn)
        olds = to_plain(resource.token, request.old_state).values
        news = self._inputs(resource, request.new_inputs).values
        progress = self._progress(request.urn)
        if resource.launch is None:
            found = await _run(lambda: settings.diff(olds, news, self.stack))
        else:
            schema = resource.schema
            found = await _run(lambda: user_errors(lambda: diff_inputs(olds, news, schema, self.stack, progress)))
        detailed = detailed_diff(resource.schema, olds, news, found) if found.changes else {}
        return DiffResponse(
            changes=found.changes,
            replaces=[camel(key) for key in found.replaces],
            delete_before_replace=found.delete_before_replace,
            diffs=list(detailed),
            detailed_diff=detailed,
        )

    async def create(self, request: CreateRequest) -> CreateResponse:
        resource = _resource(request.urn)
        inputs = self._inputs(resource, request.properties)
        progress = self._progress(request.urn)
        if request.preview:
            await self._preflight(resource, inputs.values, progress)
            outs = {**unresolved(inputs.values), **dict.fromkeys(output_names(resource.schema.name), Unknown())}
            return CreateResponse(resource_id="", properties=to_values(resource.token, outs, inputs.secret))
        launch = resource.launch
        if launch is None:
            id_, outs = await _run(lambda: settings.create(inputs.values, self.stack, progress))
        else:
            bounded = _bounded(resource, inputs.values, request.timeout)
            id_, outs = await _run(lambda: launches.create(launch, bounded, self.stack, progress, self.cancellation))
            outs = _unbounded(outs, inputs.values)
        return CreateResponse(resource_id=id_, properties=to_values(resource.token, outs, inputs.secret))

    async def read(self, request: ReadRequest) -> ReadResponse:
        resource = _resource(request.urn)
        if not request.properties:
            return await self._import(resource, request)
        state = to_plain(resource.token, request.properties)
        progress = self._progress(request.urn)
        launch = resource.launch
        if launch is None:
            outs: dict[str, Any] | None = await _run(
                lambda: settings.read(request.resource_id, state.values, self.stack, progress)
            )
        else:
            outs = await _run(lambda: launches.read(launch, state.values, self.stack, progress))
        if outs is None:  # none of its servers is launched any more: the resource is gone
            return ReadResponse(resource_id="")
        return ReadResponse(
            resource_id=request.resource_id,
            properties=to_values(resource.token, outs, state.secret),
            inputs=request.inputs,
        )

    async def update(self, request: UpdateRequest) -> UpdateResponse:
        resource = _resource(request.urn)
        olds = to_plain(resource.token, request.olds)
        news = self._inputs(resource, request.news)
        secret = news.secret | (olds.secret - frozenset(resource.schema.names))
        progress = self._progress(request.urn)
        if request.preview:
            await self._preflight(resource, news.values, progress, olds.values)
            kept = {key: olds.values[key] for key in KEPT_BY_UPDATE if key in olds.values}
            outs = {
                **dict.fromkeys(output_names(resource.schema.name), Unknown()),
                **kept,
                **declared(olds.values, news.values),
            }
            return UpdateResponse(properties=to_values(resource.token, outs, secret))
        launch = resource.launch
        if launch is None:
            outs = await _run(
                lambda: settings.update(request.resource_id, olds.values, news.values, self.stack, progress)
            )
        else:
            bounded = _bounded(resource, news.values, request.timeout)
            outs = await _run(
                lambda: launches.update(launch, olds.values, bounded, self.stack, progress, self.cancellation)
            )
            outs = _unbounded(outs, news.values)
        return UpdateResponse(properties=to_values(resource.token, outs, secret))

    async def delete(self, request: DeleteRequest) -> None:
        resource = _resource(request.urn)
        state = to_plain(resource.token, request.properties).values
        progress = self._progress(request.urn)
        launch = resource.launch
        if launch is None:
            await _run(lambda: settings.delete(request.resource_id, state, self.stack, progress))
        else:
            bounded = _bounded(resource, state, request.timeout)
            await _run(lambda: launches.delete(launch, bounded, self.stack, progress, self.cancellation))

    async def _import(self, resource: Resource, request: ReadRequest) -> ReadResponse:
        """``pulumi import <token> <name> <job ID>``: the job's servers and tags as inputs, each server's launch
        read as refresh reads it; nothing launches."""
        launch = resource.launch
        if launch is None:
            raise ImportNotSupportedError(_import_refusal(resource, request.resource_id))
        given = self._inputs(resource, request.inputs or {})
        progress = self._progress(request.urn)
        inputs, outs = await _run(
            lambda: launches.import_job(launch, request.resource_id, given.values, self.stack, progress)
        )
        return ReadResponse(
            resource_id=request.resource_id,
            properties=to_values(resource.token, outs, given.secret),
            inputs=to_values(resource.token, inputs, given.secret),
        )

    # ---- what every method needs ----

    def _inputs(self, resource: Resource, props: Mapping[str, PropertyValue]) -> Props:
        """The inputs, plain, with the provider's defaults where the resource sets none."""
        given = to_plain(resource.token, props)
        added = {
            key: value
            for key, value in self.defaults.items()
            if key in resource.schema.names and given.values.get(key) in (None, "")
        }
        return Props({**given.values, **added}, given.secret | (self.secret_defaults & frozenset(added)))

    def _progress(self, urn: str) -> EngineProgress:
        return EngineProgress(urn, engine_log(self.engine_address) if self.engine_address else None)

    async def _preflight(
        self,
        resource: Resource,
        inputs: Mapping[str, Any],
        progress: EngineProgress,
        state: Mapping[str, Any] | None = None,
    ) -> None:
        """At preview, what the launch would refuse first, read-only; nothing to ask while an input is unknown. An
        update's ``state`` says which servers it acts on (those its create resolved, for applications or a wave)."""
        launch = resource.launch
        if launch is not None and not is_unknown(dict(inputs)):
            await _run(lambda: launches.preflight(launch, inputs, self.stack, progress, state))


def _resource(urn: str) -> Resource:
    """The resource type of ``urn`` (a child's type is the last of ``parent$child``)."""
    parts = urn.split("::")
    token = parts[-2].split("$")[-1] if len(parts) > 2 else ""
    found = RESOURCES.get(token)
    if found is None:
        raise MgnCutoverError(
            f"The {PACKAGE_NAME} provider has no resource type {token!r}; it serves {', '.join(RESOURCES)}."
        )
    return found


def _bounded(resource: Resource, props: Mapping[str, Any], timeout: float) -> dict[str, Any]:
    """``props`` for one call: ``customTimeouts`` (seconds; 0: none) bounds the wait, if shorter."""
    own = resource.schema.with_defaults(props).get("timeout_seconds")
    if not timeout or timeout <= 0 or own is None or is_unknown(own):
        return dict(props)
    return {**props, "timeout_seconds": min(float(own), float(timeout))}


def _unbounded(outs: Mapping[str, Any], inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The outputs with the input ``timeout_seconds`` as given, not as one call's ``customTimeouts`` bounded it."""
    restored = {k: v for k, v in outs.items() if k != "timeout_seconds"}
    if "timeout_seconds" in inputs:
        restored["timeout_seconds"] = inputs["timeout_seconds"]
    return restored


def _import_refusal(resource: Resource, id_: str) -> str:
    name = resource.schema.name
    return (
        f"Importing the {name} of source server {id_} is not supported by the {PACKAGE_NAME} provider; "
        f"declare the {name} in the program and run `pulumi up`, which applies its settings to the server."
    )


def _from_variables(variables: Mapping[str, str]) -> Props:
    """The configuration from the deprecated ``variables`` (``mgn:config:region`` or ``mgn:region``)."""
    values = {}
    for key, value in variables.items():
        package, _, name = key.partition(":")
        if package == PACKAGE_NAME:
            values[snake(name.removeprefix("config:"))] = value
    return Props(values)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


_widened: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()


async def _run(call: Callable[[], T]) -> T:
    """``call`` in a worker thread; the loop's pool is widened first, so that many waits are served at once."""
    loop = asyncio.get_running_loop()
    if loop not in _widened:
        _widened.add(loop)
        workers = _workers()
        if workers > 0:
            loop.set_default_executor(ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mgn-plugin"))
    return await asyncio.to_thread(call)


def _workers() -> int:
    setting = os.environ.get("MGN_CUTOVER_HOST_WORKERS", "").strip()
    return int(setting) if setting.isdigit() else WORKERS
