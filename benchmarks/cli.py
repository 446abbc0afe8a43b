"""Real-engine figures through the pinned CLI (make cli): `pulumi up` and `pulumi preview` of the program (the
dynamic resources), and `pulumi up` of a YAML program of Cutovers through the provider plugin (make yaml-host)."""

from __future__ import annotations

import compileall
import math
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mgn_emulator import EmulatorServer
from mgn_resources.clock import parse_iso8601
from tests.harness.cli import CLI_DIR, CliProject
from tests.harness.emulator import make_seed, mgn_client, server_id
from tests.harness.host import REPO_ROOT
from tests.harness.plugin import CUTOVER
from tests.harness.yaml_project import YAML_HOST, YamlProject

JOB_SECONDS = 5.0
QUOTA_JOB_SECONDS = 8.0


def cli_available() -> bool:
    return (CLI_DIR / "pulumi").is_file()


def byte_compile_project() -> None:
    """Byte-compile the project's own modules (the library, the program), as pip does for an installed package and
    as Python does on a first import. Where PYTHONDONTWRITEBYTECODE is set (this workplace sets it), nothing writes
    them, and every process of an up (program and provider host, for the preview and the update) would compile the
    project from source again: about 0.1 s each, which no user's second run pays."""
    for path in (REPO_ROOT / "mgn_resources", REPO_ROOT / "waves.py", REPO_ROOT / "__main__.py"):
        compiled = compileall.compile_dir(path, quiet=1) if path.is_dir() else compileall.compile_file(path, quiet=1)
        if not compiled:
            raise RuntimeError(f"could not byte-compile {path}")


def yaml_host_available() -> bool:
    return cli_available() and YAML_HOST.is_file()


def _emulator(servers: int) -> EmulatorServer:
    return EmulatorServer(
        seed=make_seed(list(range(1, servers + 1))), launch_seconds=JOB_SECONDS, post_launch_seconds=0.0
    )


def _jobs(emulator: EmulatorServer) -> list[dict[str, Any]]:
    """Every job the emulator's account holds, as DescribeJobs answers it (all pages)."""
    pages = mgn_client(emulator.url).get_paginator("describe_jobs").paginate(filters={})
    return [job for page in pages for job in page["items"]]


def _longest_job(jobs: list[dict[str, Any]]) -> float:
    """The longest launch job's own duration, creation to end, as MGN reports it."""
    return max(
        (parse_iso8601(job["endDateTime"]) - parse_iso8601(job["creationDateTime"])).total_seconds() for job in jobs
    )


def _waves(count: int, parallel: bool) -> list[dict[str, Any]]:
    return [{"name": f"w{n}", "sourceServerIds": [server_id(n)], "parallel": parallel and n > 1}
            for n in range(1, count + 1)]


def _project(base: Path, emulator: EmulatorServer, waves: int, parallel: bool = True) -> CliProject:
    project = CliProject.create(base, emulator.url, waves=_waves(waves, parallel))
    project.select()
    return project


def up_seconds(waves: int) -> tuple[float, float]:
    """Wall time of `pulumi up` of ``waves`` parallel waves, and the longest job's own duration."""
    with tempfile.TemporaryDirectory() as base, _emulator(waves) as emulator:
        project = _project(Path(base), emulator, waves)
        started = time.monotonic()
        project.up()
        elapsed = time.monotonic() - started
        return elapsed, _longest_job(_jobs(emulator))


@dataclass(frozen=True)
class QuotaRun:
    seconds: float  # wall time until every stack's `pulumi up` returned
    rounds: float  # ceil(waves / quota) rounds of the job's own duration, as MGN reports it: the jobs' floor
    span: float  # from the first job's creation to the last job's end, as MGN reports them
    before_first_job: float  # from the start of the ups to the first job's creation
    refused: int  # StartCutover calls MGN refused (409) during the run
    waves: int

    @property
    def outside_jobs(self) -> float:
        """What `pulumi up` spent outside the jobs' span (start-up, refresh, preview and registration before the first
        job; the health check and the update's end after the last): no admission can shorten it."""
        return self.seconds - self.span

    @property
    def after_last_job(self) -> float:
        return self.outside_jobs - self.before_first_job


def quota_up(waves: int, quota: int, stacks: int = 1, job_seconds: float = QUOTA_JOB_SECONDS) -> QuotaRun:
    """`pulumi up` of ``stacks`` stacks at once (each its own project, backend and provider host: separate processes),
    ``waves`` one-server parallel waves in all, against one emulator account whose concurrent-job quota is ``quota``."""
    per_stack = waves // stacks
    with tempfile.TemporaryDirectory() as base, EmulatorServer(
        seed=make_seed(list(range(1, waves + 1))), launch_seconds=job_seconds, post_launch_seconds=0.0,
        max_concurrent_jobs=quota,
    ) as emulator:
        projects = []
        for n in range(stacks):
            numbers = range(n * per_stack + 1, (n + 1) * per_stack + 1)
            waves_of = [{"name": f"w{i}", "sourceServerIds": [server_id(i)], "parallel": i > numbers[0]}
                        for i in numbers]
            project = CliProject.create(Path(base) / f"stack{n}", emulator.url, waves=waves_of)
            project.select()
            projects.append(project)
        emulator.clear_calls()
        started, started_at = time.monotonic(), datetime.now(UTC)
        with ThreadPoolExecutor(max_workers=stacks) as pool:
            list(pool.map(lambda p: p.up(timeout=900), projects))
        elapsed = time.monotonic() - started
        refused = sum(1 for c in emulator.calls() if c.operation == "StartCutover" and c.status == 409)
        jobs = _jobs(emulator)
        first, last = _first_start_and_last_end(jobs)
        rounds = math.ceil(waves / quota) * _longest_job(jobs)
        span, before = (last - first).total_seconds(), (first - started_at).total_seconds()
        return QuotaRun(elapsed, rounds, span, before, refused, waves)


def _first_start_and_last_end(jobs: list[dict[str, Any]]) -> tuple[datetime, datetime]:
    first = min(parse_iso8601(job["creationDateTime"]) for job in jobs)
    return first, max(parse_iso8601(job["endDateTime"]) for job in jobs)


def cutovers_program(count: int) -> dict[str, Any]:
    """A YAML program of ``count`` independent Cutovers (s-1 ... s-count, one server each) on the default provider."""
    return {
        "resources": {
            f"c{n}": {"type": CUTOVER, "properties": {"sourceServerIds": [server_id(n)]}} for n in range(1, count + 1)
        }
    }


def plugin_up_seconds(cutovers: int) -> tuple[float, float]:
    """Wall time of `pulumi up` of a YAML program of ``cutovers`` Cutovers through the plugin, and the longest job's
    own duration."""
    with tempfile.TemporaryDirectory() as base, _emulator(cutovers) as emulator:
        config = {"mgn:endpointUrl": emulator.url, "mgn:region": "us-east-1"}
        project = YamlProject.create(Path(base), cutovers_program(cutovers), config=config)
        started = time.monotonic()
        project.up()
        elapsed = time.monotonic() - started
        return elapsed, _longest_job(_jobs(emulator))


def preview_seconds(waves: int) -> tuple[float, int]:
    """Wall time of `pulumi preview` of ``waves`` waves, and the MGN calls it made."""
    with tempfile.TemporaryDirectory() as base, EmulatorServer(
        seed=make_seed(list(range(1, waves + 1))), launch_seconds=JOB_SECONDS
    ) as emulator:
        project = _project(Path(base), emulator, waves, parallel=False)
        started = time.monotonic()
        project.preview()
        return time.monotonic() - started, len(emulator.calls())
