"""Walk every input shape of the emulated operations in botocore's model and break each constraint.

Each case sends a request that is valid except for one member, through a real boto3 client with its own
parameter validation switched off (so the emulator sees what the client would otherwise refuse), and
expects a ValidationException whose fieldList names that member. A constraint the emulator forgets fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from botocore import xform_name
from botocore.model import ListShape, MapShape, Shape, StructureShape

from mgn_emulator import EmulatorServer, spec
from tests.harness.emulator import mgn_client

#: Valid values for the model's patterned strings; a new pattern in the model fails ``test_samples_cover``.
SAMPLES = {
    "SourceServerID": "s-00000000000000001",
    "JobID": "mgnjob-00000000000000001",
    "AccountID": "111122223333",
    "ISO8601DatetimeString": "2026-01-01T00:00:00Z",
    "ApplicationID": "app-00000000000000001",
    "WaveID": "wave-00000000000000001",
    "ApplicationName": "web tier",
    "WaveName": "wave 1",
    "ApplicationDescription": "the web tier",
    "WaveDescription": "the first wave",
    "ARN": "arn:aws:mgn:us-east-1:111122223333:job/mgnjob-00000000000000001",
    # UpdateLaunchConfiguration's post-launch actions
    "SsmParameterStoreParameterName": "param.name",
    "SsmDocumentParameterName": "param",
    "JmesPathString": "a.b",
    "SsmDocumentName": "AWS-RunShellScript",
    "CloudWatchLogGroupName": "/mgn/log",
}


#: A value that breaks the pattern of a shape whose pattern "!" matches (names: no leading blank; descriptions:
#: no NUL); every other pattern refuses "!".
PATTERN_BREAKS = {
    "ApplicationName": " web",
    "WaveName": " wave",
    "ApplicationDescription": "a\x00b",
    "WaveDescription": "a\x00b",
}


@dataclass(frozen=True)
class Case:
    operation: str
    path: tuple[str, ...]
    field: str
    label: str
    value: Any  # the bad value; _OMIT drops the member


_OMIT = object()


def sample(shape: Shape) -> Any:
    if shape.name in SAMPLES:
        return SAMPLES[shape.name]
    kind = shape.type_name
    if kind == "string":
        enum = getattr(shape, "enum", None)
        return enum[0] if enum else "x" * max(1, shape.metadata.get("min", 1))
    if kind in ("integer", "long"):
        return max(1, shape.metadata.get("min", 1))
    if kind == "boolean":
        return True
    if kind == "list":
        assert isinstance(shape, ListShape)
        return [sample(shape.member)] * max(1, shape.metadata.get("min", 1))
    if kind == "map":
        assert isinstance(shape, MapShape)
        return {"k": sample(shape.value)}
    assert isinstance(shape, StructureShape)
    return {name: sample(shape.members[name]) for name in shape.required_members}


def minimal(operation: str) -> dict[str, Any]:
    shape = spec.operation(operation).input_shape
    return sample(shape) if shape is not None else {}


def _string_breaks(shape: Shape) -> Iterator[tuple[str, Any]]:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low:
        yield f"shorter than {low}", "x" * (low - 1)
    if high is not None:
        yield f"longer than {high}", "x" * (high + 1)
    if shape.metadata.get("pattern"):
        yield "pattern", PATTERN_BREAKS.get(shape.name, "!" * max(1, low or 1))
    if getattr(shape, "enum", None):
        yield "enum", "NOT_A_VALUE"


def cases_for(operation: str) -> Iterator[Case]:
    def walk(shape: StructureShape, path: tuple[str, ...]) -> Iterator[Case]:
        for name, member in shape.members.items():
            where = (*path, name)
            field = ".".join(where)
            location = member.serialization.get("location")
            if name in shape.required_members and location != "uri":  # botocore cannot even build a URI without it
                yield Case(operation, where, field, "required", _OMIT)
            kind = member.type_name
            if kind == "string":
                for label, value in _string_breaks(member):
                    if location == "uri" and not value:
                        continue
                    yield Case(operation, where, field, label, value)
            elif kind in ("integer", "long"):
                if "min" in member.metadata:
                    yield Case(operation, where, field, "below min", member.metadata["min"] - 1)
                if "max" in member.metadata:
                    yield Case(operation, where, field, "above max", member.metadata["max"] + 1)
            elif kind == "list":
                assert isinstance(member, ListShape)
                if member.metadata.get("min"):
                    yield Case(operation, where, field, "too few", [])
                if "max" in member.metadata:
                    many = [sample(member.member)] * (member.metadata["max"] + 1)
                    yield Case(operation, where, field, "too many", many)
                for label, value in _string_breaks(member.member) if member.member.type_name == "string" else ():
                    yield Case(operation, where, field, f"item {label}", [value])
            elif kind == "map":
                assert isinstance(member, MapShape)
                if "max" in member.metadata:
                    many = {f"k{i}": sample(member.value) for i in range(member.metadata["max"] + 1)}
                    yield Case(operation, where, field, "too many entries", many)
                for label, value in _string_breaks(member.key):
                    if value:
                        yield Case(operation, where, field, f"key {label}", {value: sample(member.value)})
                for label, value in _string_breaks(member.value):
                    yield Case(operation, where, f"{field}.k", f"value {label}", {"k": value})
            elif kind == "structure":
                assert isinstance(member, StructureShape)
                yield from walk(member, where)

    shape = spec.operation(operation).input_shape
    if shape is not None:
        yield from walk(shape, ())


ALL_CASES = [case for op in spec.EMULATED_OPERATIONS for case in cases_for(op)]


def test_walk_covers_every_constrained_member() -> None:
    fields = {(c.operation, c.field) for c in ALL_CASES}
    for expected in [
        ("StartCutover", "sourceServerIDs"),
        ("StartCutover", "tags"),
        ("StartCutover", "accountID"),
        ("DescribeJobs", "filters.fromDate"),
        ("DescribeJobs", "filters.jobIDs"),
        ("DescribeSourceServers", "filters.lifeCycleStates"),
        ("ChangeServerLifeCycleState", "lifeCycle.state"),
        ("UntagResource", "tagKeys"),
        ("TagResource", "resourceArn"),
        ("AssociateSourceServers", "sourceServerIDs"),
        ("AssociateApplications", "applicationIDs"),
        ("ListApplications", "filters.waveIDs"),
        ("CreateWave", "name"),
    ]:
        assert expected in fields
    assert len(ALL_CASES) > 100


def test_samples_cover_every_pattern() -> None:
    def patterned(shape: Shape, seen: set[str]) -> Iterator[str]:
        if shape.name in seen:
            return
        seen.add(shape.name)
        if shape.metadata.get("pattern"):
            yield shape.name
        for child in getattr(shape, "members", {}).values():
            yield from patterned(child, seen)
        for attr in ("member", "key", "value"):
            if hasattr(shape, attr):
                yield from patterned(getattr(shape, attr), seen)

    for operation in spec.EMULATED_OPERATIONS:
        shape = spec.operation(operation).input_shape
        assert shape is not None
        assert set(patterned(shape, set())) <= set(SAMPLES), operation


@pytest.fixture(scope="module")
def walk_emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(seed={"servers": [{"id": SAMPLES["SourceServerID"], "state": "READY_FOR_TEST"}]}) as emu:
        yield emu


@pytest.mark.parametrize("operation", spec.EMULATED_OPERATIONS)
def test_every_violation_is_refused(walk_emulator: EmulatorServer, operation: str) -> None:
    client = mgn_client(walk_emulator.url, parameter_validation=False)
    method = getattr(client, xform_name(operation))
    cases = [c for c in ALL_CASES if c.operation == operation]
    missed = []
    for case in cases:
        params = minimal(operation)
        target = params
        for key in case.path[:-1]:
            target = target.setdefault(key, {})
        if case.value is _OMIT:
            target.pop(case.path[-1], None)
        else:
            target[case.path[-1]] = case.value
        try:
            method(**params)
        except client.exceptions.ValidationException as error:
            names = [f["name"] for f in error.response.get("fieldList", [])]
            if case.field not in names:
                missed.append(f"{case.label} of {case.field}: fieldList {names}")
            continue
        missed.append(f"{case.label} of {case.field}: accepted")
    assert not missed, f"{operation}: " + "; ".join(missed)
