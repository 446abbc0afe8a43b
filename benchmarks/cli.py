"""Real-engine figures: `pulumi up` and `pulumi preview` of the program through the pinned CLI (make cli)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from mgn_emulator import EmulatorServer
from mgn_resources.clock import parse_iso8601
from tests.harness.cli import CLI_DIR, CliProject
from tests.harness.emulator import make_seed, mgn_client, server_id

JOB_SECONDS = 5.0


def cli_available() -> bool:
    return (CLI_DIR / "pulumi").is_file()


def _waves(count: int, parallel: bool) -> list[dict[str, Any]]:
    return [{"name": f"w{n}", "sourceServerIds": [server_id(n)], "parallel": parallel and n > 1}
            for n in range(1, count + 1)]


def _project(base: Path, emulator: EmulatorServer, waves: int, parallel: bool = True) -> CliProject:
    project = CliProject.create(base, emulator.url, waves=_waves(waves, parallel))
    project.select()
    return project


def up_seconds(waves: int) -> tuple[float, float]:
    """Wall time of `pulumi up` of ``waves`` parallel waves, and the longest job's own duration."""
    with tempfile.TemporaryDirectory() as base, EmulatorServer(
        seed=make_seed(list(range(1, waves + 1))), launch_seconds=JOB_SECONDS, post_launch_seconds=0.0
    ) as emulator:
        project = _project(Path(base), emulator, waves)
        started = time.monotonic()
        project.up()
        elapsed = time.monotonic() - started
        jobs = mgn_client(emulator.url).describe_jobs(filters={})["items"]
        durations = [
            (parse_iso8601(job["endDateTime"]) - parse_iso8601(job["creationDateTime"])).total_seconds()
            for job in jobs
        ]
        return elapsed, max(durations)


def preview_seconds(waves: int) -> tuple[float, int]:
    """Wall time of `pulumi preview` of ``waves`` waves, and the MGN calls it made."""
    with tempfile.TemporaryDirectory() as base, EmulatorServer(
        seed=make_seed(list(range(1, waves + 1))), launch_seconds=JOB_SECONDS
    ) as emulator:
        project = _project(Path(base), emulator, waves, parallel=False)
        started = time.monotonic()
        project.preview()
        return time.monotonic() - started, len(emulator.calls())
