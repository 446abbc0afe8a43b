"""Seed parsing, and the emulator's enums against botocore's model."""

from __future__ import annotations

from pathlib import Path

import pytest

from mgn_emulator import EmulatorServer, FaultSettings, SeedError, load_seed
from mgn_emulator.exceptions import ConflictError, ValidationError
from tests.harness.emulator import server_id

GOOD = """
servers:
  - id: s-0a1b2c3d4e5f6a7b8
    hostname: web-01
    state: READY_FOR_CUTOVER
    launch: fail
    post_launch_actions:
      - name: smoke-test
        must_succeed: true
        result: FAILED
faults:
  throttle_rate: 0.5
launch_seconds: 1.5
post_launch_seconds: 2
"""


def test_good_seed(tmp_path: Path) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(GOOD)
    seed = load_seed(path)
    (server,) = seed.servers
    assert (server.server_id, server.hostname, server.state.value, server.launch.value) == (
        "s-0a1b2c3d4e5f6a7b8",
        "web-01",
        "READY_FOR_CUTOVER",
        "fail",
    )
    assert server.post_launch_actions[0].result.value == "FAILED"
    assert seed.faults is not None and seed.faults.throttle_rate == 0.5
    assert (seed.launch_seconds, seed.post_launch_seconds) == (1.5, 2.0)


@pytest.mark.parametrize(
    ("seed", "needle"),
    [
        ({"servers": [{"id": "s-1"}]}, "servers[0] (s-1): id 's-1'"),
        ({"servers": [{"id": server_id(1), "state": "NOPE"}]}, f"servers[0] ({server_id(1)}): unknown state"),
        ({"servers": [{"id": server_id(1), "extra": 1}]}, "unknown key 'extra'"),
        ({"servers": [{"id": server_id(1), "launch": "maybe"}]}, "unknown launch"),
        ({"servers": [{"id": server_id(1), "post_launch_actions": [{"name": "a", "result": "MEH"}]}]}, "result"),
        ({"servers": [{"id": server_id(1)}, {"id": server_id(1)}]}, "listed twice"),
        ({"servers": [], "faults": {"throttle_rate": 3}}, "throttle_rate"),
        ({"servers": [], "launch_seconds": "soon"}, "launch_seconds"),
        ({"nodes": []}, "unknown key 'nodes'"),
    ],
)
def test_bad_seeds_name_the_entry(seed: dict[str, object], needle: str) -> None:
    with pytest.raises(SeedError) as caught:
        load_seed(seed)
    assert needle in str(caught.value)


@pytest.mark.parametrize(
    ("text", "value"),
    [(".nan", "nan"), (".inf", "inf"), ("-.inf", "-inf"), ("-1", "-1"), ("1.0e+400", "inf"), ("31536001", "31536001")],
)
@pytest.mark.parametrize("key", ["launch_seconds", "post_launch_seconds"])
def test_non_finite_negative_or_huge_timings_are_refused_in_the_seed(
    tmp_path: Path, key: str, text: str, value: str
) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(f"{key}: {text}\n")
    with pytest.raises(SeedError, match=f"{key} must be"):
        load_seed(path)
    with pytest.raises(SeedError, match="latency_seconds"):
        load_seed({"faults": {"latency_seconds": float(value)}})


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -0.5])
def test_non_finite_or_negative_timings_are_refused_from_python(value: float) -> None:
    with pytest.raises(ValueError, match="launch_seconds"):
        EmulatorServer(launch_seconds=value)
    with pytest.raises(ValueError, match="post_launch_seconds"):
        EmulatorServer(post_launch_seconds=value)
    with pytest.raises(ValueError, match="invisible_seconds"):
        FaultSettings(invisible_seconds=value)


def test_bad_yaml(tmp_path: Path) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text("servers: [\n")
    with pytest.raises(SeedError, match="not valid YAML"):
        load_seed(path)


def test_error_statuses_come_from_the_model() -> None:
    assert ValidationError("x").status == 400
    assert ConflictError("x").status == 409
