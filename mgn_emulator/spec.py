"""The MGN service model, loaded once through botocore's loader, and the routes it defines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

import botocore.session
from botocore.model import OperationModel, ServiceModel

#: The operations this emulator implements; every other operation of the model answers "not emulated".
EMULATED_OPERATIONS: tuple[str, ...] = (
    "StartCutover",
    "StartTest",
    "DescribeJobs",
    "DescribeJobLogItems",
    "DescribeSourceServers",
    "FinalizeCutover",
    "ChangeServerLifeCycleState",
    "TerminateTargetInstances",
    "MarkAsArchived",
    "TagResource",
    "UntagResource",
    "ListTagsForResource",
    "GetLaunchConfiguration",
    "UpdateLaunchConfiguration",
    "CreateApplication",
    "UpdateApplication",
    "DeleteApplication",
    "ArchiveApplication",
    "UnarchiveApplication",
    "AssociateSourceServers",
    "DisassociateSourceServers",
    "ListApplications",
    "CreateWave",
    "UpdateWave",
    "DeleteWave",
    "ArchiveWave",
    "UnarchiveWave",
    "AssociateApplications",
    "DisassociateApplications",
    "ListWaves",
)


@lru_cache(maxsize=1)
def service_model() -> ServiceModel:
    """botocore's MGN model (``botocore/data/mgn/<version>/service-2.json``)."""
    return botocore.session.get_session().get_service_model("mgn")


@dataclass(frozen=True)
class Route:
    operation: str
    method: str
    regex: re.Pattern[str]
    uri_members: tuple[str, ...]


def _compile(method: str, request_uri: str, operation: str) -> Route:
    path = request_uri.split("?", 1)[0]
    members: list[str] = []
    pattern = ""
    for part in re.split(r"(\{[^}]+\})", path):
        if part.startswith("{") and part.endswith("}"):
            name = part[1:-1].rstrip("+")
            members.append(name)
            pattern += f"(?P<{name}>[^/]+)" if not part.endswith("+}") else f"(?P<{name}>.+)"
        else:
            pattern += re.escape(part)
    return Route(operation, method, re.compile(pattern), tuple(members))


@lru_cache(maxsize=1)
def routes() -> tuple[Route, ...]:
    model = service_model()
    found = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        found.append(_compile(http["method"], http["requestUri"], name))
    return tuple(found)


def match_route(method: str, raw_path: str) -> tuple[Route, dict[str, str]] | None:
    """The operation the model routes ``method raw_path`` to, with the raw (still encoded) URI labels."""
    for route in routes():
        found = route.regex.fullmatch(raw_path)
        if route.method == method and found:
            return route, found.groupdict()
    return None


def operation(name: str) -> OperationModel:
    return service_model().operation_model(name)


def success_status(name: str) -> int:
    return int(operation(name).http.get("responseCode", 200))


def error_codes(name: str) -> frozenset[str]:
    """The error shapes the model lists for operation ``name``."""
    return frozenset(shape.name for shape in operation(name).error_shapes)


def error_status(code: str) -> int:
    """The HTTP status the model gives the error shape ``code`` (``httpStatusCode``)."""
    shape = service_model().shape_for(code)
    return int(shape.metadata["error"]["httpStatusCode"])


def enum_values(shape_name: str) -> tuple[str, ...]:
    shape: Any = service_model().shape_for(shape_name)
    return tuple(shape.enum)


def model_enum(shape_name: str) -> Any:
    """A ``str`` enum of the values the model lists for ``shape_name``, each member named as its value."""
    return StrEnum(shape_name, [(value, value) for value in enum_values(shape_name)])


def id_pattern(shape_name: str) -> re.Pattern[str]:
    """The model's pattern of an ID shape (``SourceServerID``: ``s-[0-9a-zA-Z]{17}``), matched in full."""
    return re.compile(service_model().shape_for(shape_name).metadata["pattern"])
