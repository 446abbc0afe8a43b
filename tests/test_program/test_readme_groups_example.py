"""The README's example by application and by MGN wave runs as written: one cutover of an application, one test launch
of a wave, and one cutover per application of a wave that ``get_wave_applications`` lists from MGN."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from mgn_emulator import EmulatorServer
from tests.harness.emulator import make_seed, server_entry, server_id
from tests.harness.host import REPO_ROOT
from tests.harness.program import CUTOVER_TYPE, TEST_LAUNCH_TYPE, run_program

APPS = ["app-0a1b2c3d4e5f6a7c1", "app-0a1b2c3d4e5f6a7c2"]


def readme_groups_example() -> str:
    text = (REPO_ROOT / "README.md").read_text()
    section = text.split("## Using `mgn_resources` in your own stack", 1)[1].split("\n## ", 1)[0]
    blocks = [b for b in re.findall(r"```python\n(.*?)```", section, re.S) if "get_wave_applications" in b]
    assert len(blocks) == 1, "the README lost its example by application and by MGN wave"
    return blocks[0]


@pytest.fixture
def emu() -> Iterator[EmulatorServer]:
    seed = make_seed(
        [server_entry(n) for n in range(1, 4)],
        applications=[
            {"id": APPS[0], "name": "web", "servers": [server_id(1), server_id(2)]},
            {"id": APPS[1], "name": "db", "servers": [server_id(3)]},
        ],
        waves=[{"id": "wave-0a1b2c3d4e5f6a7b9", "name": "wave-4", "applications": APPS}],
    )
    with EmulatorServer(seed=seed) as server:
        yield server


def test_the_readme_example_by_application_and_by_wave_runs(
    emu: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_MGN", emu.url)  # where get_wave_applications (and each resource) goes
    source = readme_groups_example()

    run = run_program({"aws:region": "us-east-1"}, program=lambda: exec(compile(source, "README.md", "exec"), {}))

    assert run.by_name("payments-web").inputs["application_ids"] == ["app-0a1b2c3d4e5f6a7b8"]
    assert run.by_name("wave-3-test").type == TEST_LAUNCH_TYPE
    assert run.by_name("wave-3-test").inputs["wave_id"] == "wave-0a1b2c3d4e5f6a7b8"
    per_application = sorted(r.name for r in run.of_type(CUTOVER_TYPE) if r.name.startswith("wave-4-"))
    assert per_application == [f"wave-4-{app}" for app in APPS]
    assert run.by_name(f"wave-4-{APPS[0]}").inputs["application_ids"] == [APPS[0]]
    assert {"wave_3_servers", "wave_3_unlaunched"} <= set(run.exports)
    assert {c.operation for c in emu.calls()} <= {"ListApplications", "ListWaves", "DescribeSourceServers"}
