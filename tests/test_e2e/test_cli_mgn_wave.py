"""A program wave naming an MGN wave (issue 21), through the real pulumi CLI against the emulator: one cutover per
application of the wave, made through the MGN API; a server added to an application after the launch is reported by
the next `pulumi up` (refresh: always) in unlaunched_server_ids, and never launched."""

from __future__ import annotations

from typing import Any

import pytest

from mgn_emulator import EmulatorServer
from tests.harness.cli import CliProject
from tests.harness.emulator import make_seed, server_id
from tests.harness.mgn_groups import add_servers, create_application, create_wave, launched

pytestmark = pytest.mark.e2e

CUTOVER = "pulumi-python:dynamic/mgn:Cutover"
S1, S2, S3, S4 = (server_id(n) for n in (1, 2, 3, 4))


@pytest.fixture
def emulator_seed() -> dict[str, Any]:
    return make_seed([1, 2, 3, 4])


def test_an_mgn_wave_cuts_over_per_application_and_drift_is_reported_not_launched(
    tmp_path: Any, emulator: EmulatorServer, mgn_client: Any
) -> None:
    web, db = create_application(mgn_client, "web", [S1, S2]), create_application(mgn_client, "db", [S3])
    wave = create_wave(mgn_client, "payments", [web, db])
    project = CliProject.create(tmp_path, emulator.url, waves=[{"name": "payments", "mgnWave": wave}])
    project.select()

    project.up()

    assert sorted(map(sorted, launched(emulator))) == [[S1, S2], [S3]]  # one job per application, side by side
    outputs = project.outputs()
    jobs = outputs["job_ids"]["payments"]
    assert set(jobs) == {web, db} and all(job.startswith("mgnjob-") for job in jobs.values())
    assert set(outputs["instance_ids"]["payments"]) == {S1, S2, S3}
    cutovers = {r["urn"].rsplit("::", 1)[1]: r for r in project.resources() if r["type"] == CUTOVER}
    assert set(cutovers) == {f"payments-{web}-cutover", f"payments-{db}-cutover"}
    assert cutovers[f"payments-{db}-cutover"]["outputs"]["source_server_ids"] == [S3]

    add_servers(mgn_client, db, [S4])
    again = project.up()  # refresh: always reads the wave again

    assert sorted(map(sorted, launched(emulator))) == [[S1, S2], [S3]]  # S4 is never launched
    assert f"Application {db} now lists {S4}" in again.stdout + again.stderr
    cutovers = {r["urn"].rsplit("::", 1)[1]: r for r in project.resources() if r["type"] == CUTOVER}
    db_outputs = cutovers[f"payments-{db}-cutover"]["outputs"]
    assert db_outputs["unlaunched_server_ids"] == [S4] and db_outputs["source_server_ids"] == [S3]
    assert set(project.outputs()["instance_ids"]["payments"]) == {S1, S2, S3}

    project.destroy()
