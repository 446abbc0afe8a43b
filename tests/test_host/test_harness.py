"""The harness itself, proven against the SDK's real dynamic-provider host with a toy provider."""

from __future__ import annotations

import base64
import pickletools
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import dill
import pytest
from pulumi.dynamic.dynamic import serialize_provider

from tests.harness import UNKNOWN, HostError, ProviderHost, is_unknown
from tests.harness.toy_provider import ToyProvider


@pytest.fixture
def toy_host() -> Iterator[ProviderHost]:
    with ProviderHost(ToyProvider()) as host:
        host.configure({"aws:region": "eu-west-1", "mgn-cutover:tagInstances": "false"})
        yield host


def test_provider_is_stored_by_reference() -> None:
    # An importable class pickles as a reference to its module and name, not as its code: those two strings are
    # all the pickle names, and loading it gives an instance of the same class.
    blob = base64.b64decode(serialize_provider(ToyProvider()))
    strings = [arg for _, arg, _ in pickletools.genops(blob) if isinstance(arg, str)]
    assert strings == ["tests.harness.toy_provider", "ToyProvider"]
    assert type(dill.loads(blob)) is ToyProvider


def test_check_applies_defaults_and_reports_failures(toy_host: ProviderHost) -> None:
    checked = toy_host.check({}, {"name": "a"})
    assert checked.inputs == {"name": "a", "size": 1}
    assert checked.failures == []

    refused = toy_host.check({}, {})
    assert refused.failed_properties == ["name"]


def test_unknowns_round_trip_in_preview(toy_host: ProviderHost) -> None:
    checked = toy_host.check({}, {"name": UNKNOWN, "tags": {"k": UNKNOWN}, "ids": ["a", UNKNOWN]})
    assert is_unknown(checked.inputs["name"])
    assert is_unknown(checked.inputs["tags"]["k"])
    assert checked.inputs["ids"][0] == "a" and is_unknown(checked.inputs["ids"][1])


def test_full_lifecycle_round_trips(toy_host: ProviderHost) -> None:
    created = toy_host.create(toy_host.check({}, {"name": "a"}).inputs)
    assert created.id == "toy-a"
    assert created.outs["region"] == "eu-west-1"  # configure() reached the provider
    assert created.outs["size"] == 1.0  # integers come back as floats

    assert toy_host.diff(created.id, created.outs, {"name": "a", "size": 1}).changes == "none"
    resized = toy_host.diff(created.id, created.outs, {"name": "a", "size": 2})
    assert resized.changed and not resized.replace
    renamed = toy_host.diff(created.id, created.outs, {"name": "b", "size": 1})
    assert renamed.replaces == ["name"]

    updated = toy_host.update(created.id, created.outs, {"name": "a", "size": 2})
    assert updated["size"] == 2 and updated["updated_from"] == 1

    read = toy_host.read(created.id, created.outs)
    assert read.id == created.id and read.outs["read"] is True
    assert toy_host.read(created.id, {**created.outs, "gone": True}).id == ""

    toy_host.delete(created.id, created.outs)


def test_provider_errors_carry_the_traceback_text(toy_host: ProviderHost) -> None:
    with pytest.raises(HostError) as caught:
        toy_host.delete("toy-x", {"name": "x", "fail_delete": True})
    assert caught.value.code == "UNKNOWN"
    assert "RuntimeError: cannot delete toy-x" in caught.value.details


def test_stderr_holds_log_lines(toy_host: ProviderHost) -> None:
    toy_host.create({"name": "logged", "size": 1})
    deadline = time.monotonic() + 5
    while "toy create logged" not in toy_host.stderr and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "info: toy create logged" in toy_host.stderr


@pytest.mark.slow
def test_twelve_concurrent_creates(toy_host: ProviderHost) -> None:
    def create(i: int) -> str:
        return toy_host.create({"name": f"c{i}", "size": 1, "sleep": 0.3}).id

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=12) as pool:
        ids = list(pool.map(create, range(12)))
    elapsed = time.monotonic() - started
    assert ids == [f"toy-c{i}" for i in range(12)]
    # The host serves requests from 4 workers: 12 creates of 0.3 s take at least 3 rounds.
    assert elapsed >= 0.85


@pytest.mark.slow
def test_kill_and_stop() -> None:
    host = ProviderHost(ToyProvider())
    host.configure({})
    host.kill()
    assert not host.alive
    assert host.process.returncode == -9

    with ProviderHost(ToyProvider()) as polite:
        assert polite.alive
    assert not polite.alive
