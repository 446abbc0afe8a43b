"""Benchmark: each figure beside a baseline measured in the same run, printed as one table.

    .venv/bin/python -m benchmarks.run            # about 3 minutes on 2 cores
    .venv/bin/python -m benchmarks.run --only real-engine   # only some groups of rows (repeatable)

Rows:
- concurrency: 12 concurrent cutover creates through the real dynamic-provider host, as a multiple of one
  create; with this project's wider host pool and with the SDK's default 4 workers.
- detection: seconds from a 20 s job's completion to the create returning, and DescribeJobs calls made;
  the engine's adaptive polling against a fixed 30 s poll loop (the common scripted pattern).
- polling: DescribeJobs calls per second with 8 cutovers waiting; one shared poller per process
  against one poller per cutover.
- memory: the host's peak RSS with 20 cutovers waiting, against the same host idle.
- quota (needs make cli): `pulumi up` of 100 one-server parallel waves (8 s jobs) against an account quota of 20
  concurrent jobs, and two stacks of 50 such waves run at once against one account; each beside its floor,
  ceil(waves / 20) rounds of the job's own duration as MGN reports it; the jobs' span (admission's share) and the
  rest of the `pulumi up` (the engine's share: before the first job, after the last); and the StartCutover calls
  MGN refused. The CLI groups first byte-compile the project (``cli.byte_compile_project``).
- real-engine (needs make cli): `pulumi up` of 12 parallel waves against `pulumi up` of one; `pulumi up` of one
  wave against the job's own duration (the engine's overhead); `pulumi preview` of 20 waves against preview
  of one, and the MGN calls that preview made (none). With make yaml-host also the provider plugin through a YAML
  program of Cutovers: `pulumi up` of 12 parallel Cutovers as a multiple of one, and the overhead of `pulumi up` of
  one beyond its job, each beside the dynamic resources' figure from the same run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
)

from benchmarks import cli  # noqa: E402
from mgn_emulator import EmulatorServer  # noqa: E402
from mgn_resources import CutoverProvider  # noqa: E402
from mgn_resources.aws import Connection, LaunchKind, MgnApi, build_client  # noqa: E402
from mgn_resources.clock import SYSTEM_CLOCK, parse_iso8601  # noqa: E402
from mgn_resources.engine import LaunchEngine, SharedJobPoller, SilentProgress  # noqa: E402
from mgn_resources.lifecycle.translate import launch_spec  # noqa: E402
from tests.harness import ProviderHost  # noqa: E402
from tests.harness.emulator import make_seed, server_id  # noqa: E402
from tests.harness.mgn import start_host, up  # noqa: E402


@dataclass(frozen=True)
class Row:
    metric: str
    project: float
    baseline: float
    unit: str
    target: str

    @property
    def ratio(self) -> float:
        return self.project / self.baseline if self.baseline else float("nan")


def server_ids(count: int) -> list[str]:
    return [server_id(n) for n in range(1, count + 1)]


def seed(count: int) -> dict[str, Any]:
    return make_seed(range(1, count + 1))


def host_create(host: ProviderHost, url: str, servers: list[str], poll: float = 0.5) -> float:
    started = time.monotonic()
    up(host, {"source_server_ids": servers, "endpoint_url": url, "poll_interval_seconds": poll})
    return time.monotonic() - started


def concurrency(workers: str, job_seconds: float = 4.0, count: int = 12) -> float:
    """12 concurrent creates as a multiple of one, in a host with ``MGN_CUTOVER_HOST_WORKERS=workers``."""
    with EmulatorServer(seed=seed(count + 1), launch_seconds=job_seconds) as emu:
        with start_host(CutoverProvider(), env={"MGN_CUTOVER_HOST_WORKERS": workers}) as host:
            ids = server_ids(count + 1)
            single = host_create(host, emu.url, ids[:1])
            with ThreadPoolExecutor(max_workers=count) as pool:
                started = time.monotonic()
                list(pool.map(lambda s: host_create(host, emu.url, [s]), ids[1:]))
                together = time.monotonic() - started
    return together / single


def engine(emu: EmulatorServer, poller: SharedJobPoller | None = None) -> tuple[LaunchEngine, MgnApi]:
    api = MgnApi(build_client(Connection(region="us-east-1", endpoint_url=emu.url)))
    return LaunchEngine(api, poller or SharedJobPoller(SYSTEM_CLOCK), SYSTEM_CLOCK,
                        SilentProgress(), "us-east-1"), api


def detection_with_engine(job_seconds: float) -> tuple[float, int]:
    with EmulatorServer(seed=seed(1), launch_seconds=job_seconds) as emu:
        launcher, _ = engine(emu)
        result = launcher.launch(launch_spec(LaunchKind.CUTOVER, {"source_server_ids": server_ids(1)}))
        returned = time.time()
        end = _parse(result.job.end_time)
        return returned - end, emu.call_count("DescribeJobs")


def detection_with_fixed_loop(job_seconds: float, every: float = 30.0) -> tuple[float, int]:
    with EmulatorServer(seed=seed(1), launch_seconds=job_seconds) as emu:
        _, api = engine(emu)
        job = api.start_launch(LaunchKind.CUTOVER, server_ids(1), {})
        while True:
            time.sleep(every)
            current = api.describe_jobs([job.job_id])[job.job_id]
            if current.status.value == "COMPLETED":
                return time.time() - _parse(current.end_time), emu.call_count("DescribeJobs")


def detections(job_seconds: float = 20.0) -> list[tuple[float, int]]:
    """The engine and the fixed loop, side by side, each on its own emulator."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = [pool.submit(detection_with_engine, job_seconds), pool.submit(detection_with_fixed_loop, job_seconds)]
        return [run.result() for run in runs]


def _parse(text: str) -> float:
    return parse_iso8601(text).timestamp()


def polling_rate(shared: bool, waiting: int = 8, job_seconds: float = 10.0) -> float:
    """DescribeJobs calls per second while ``waiting`` cutovers wait in one process."""
    with EmulatorServer(seed=seed(waiting), launch_seconds=job_seconds) as emu:
        first, api = engine(emu)
        common = SharedJobPoller(SYSTEM_CLOCK)

        def one(server: str) -> None:
            launcher = engine(emu, common)[0] if shared else engine(emu)[0]
            launcher.launch(launch_spec(LaunchKind.CUTOVER, {"source_server_ids": [server]}))

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=waiting) as pool:
            list(pool.map(one, server_ids(waiting)))
        return emu.call_count("DescribeJobs") / (time.monotonic() - started)


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def memory(waiting: int = 20, job_seconds: float = 6.0) -> tuple[float, float]:
    with EmulatorServer(seed=seed(waiting + 1), launch_seconds=job_seconds) as emu:
        with start_host(CutoverProvider()) as idle:
            idle.check({}, {"source_server_ids": server_ids(1), "endpoint_url": emu.url})
            idle_rss = peak_rss_mib(idle.process.pid)
        with start_host(CutoverProvider()) as busy:
            with ThreadPoolExecutor(max_workers=waiting) as pool:
                list(pool.map(lambda s: host_create(busy, emu.url, [s]), server_ids(waiting)))
            busy_rss = peak_rss_mib(busy.process.pid)
    return busy_rss, idle_rss


def timed(label: str, run: Callable[[], Any]) -> Any:
    print(f"  running {label} ...", file=sys.stderr, flush=True)
    return run()


def concurrency_rows() -> list[Row]:
    widened = timed("concurrency (wider pool)", lambda: concurrency("64"))
    default = timed("concurrency (SDK default)", lambda: concurrency("0"))
    return [Row("12 concurrent creates / 1 create", widened, default, "x", "<= 1.5 (SDK default ~3)")]


def detection_rows() -> list[Row]:
    (engine_delay, engine_calls), (loop_delay, loop_calls) = timed("detection (20 s job, both at once)", detections)
    return [
        Row("detection delay after a 20 s job", engine_delay, loop_delay, "s", "<= 2 s"),
        Row("DescribeJobs calls for a 20 s job", engine_calls, loop_calls, "calls", "<= 30"),
    ]


def polling_rows() -> list[Row]:
    shared = timed("shared polling", lambda: polling_rate(True))
    separate = timed("one poller per cutover", lambda: polling_rate(False))
    return [Row("DescribeJobs/s, 8 cutovers waiting", shared, separate, "calls/s", "<= 3")]


def memory_rows() -> list[Row]:
    busy, idle = timed("memory", memory)
    return [Row("host peak RSS, 20 cutovers waiting", busy, idle, "MiB", "baseline: idle host")]


def real_engine_rows() -> list[Row]:
    if not cli.cli_available():
        print("  no pulumi CLI in .local/pulumi/bin (make cli): real-engine rows left out", file=sys.stderr)
        return []
    cli.byte_compile_project()
    one, job = timed("pulumi up, 1 wave", lambda: cli.up_seconds(1))
    twelve, _ = timed("pulumi up, 12 parallel waves", lambda: cli.up_seconds(12))
    rows = [
        Row("pulumi up: 12 parallel waves / 1 wave", twelve, one, "s", "ratio <= 1.5"),
        Row("pulumi up of 1 wave / the job's duration", one, job, "s", "overhead = difference"),
    ]
    many, calls = timed("pulumi preview, 20 waves", lambda: cli.preview_seconds(20))
    single, _ = timed("pulumi preview, 1 wave", lambda: cli.preview_seconds(1))
    rows.append(Row("pulumi preview: 20 waves / 1 wave", many, single, "s", ""))
    rows.append(Row("MGN calls during preview of 20 waves", calls, 0, "calls", "0"))
    if not cli.yaml_host_available():
        print("  no YAML language host in .local/pulumi/bin (make yaml-host): plugin rows left out", file=sys.stderr)
        return rows
    plugin_one, plugin_job = timed("plugin: pulumi up, 1 Cutover", lambda: cli.plugin_up_seconds(1))
    plugin_twelve, _ = timed("plugin: pulumi up, 12 parallel Cutovers", lambda: cli.plugin_up_seconds(12))
    return [*rows, *plugin_rows(plugin_twelve, plugin_one, plugin_job, dynamic=(twelve, one, job))]


def plugin_rows(twelve: float, one: float, job: float, *, dynamic: tuple[float, float, float]) -> list[Row]:
    """The plugin's figures beside the dynamic resources' from the same run: 12 parallel ups as a multiple of one,
    and the overhead of an up of one beyond its job. ``dynamic`` is (12 waves, 1 wave, its job), in seconds."""
    dynamic_twelve, dynamic_one, dynamic_job = dynamic
    return [
        Row("plugin: up 12 Cutovers / 1 (vs dynamic)", twelve / one, dynamic_twelve / dynamic_one, "x", "<= 1.5"),
        Row("plugin: up of 1 minus job (vs dynamic)", one - job, dynamic_one - dynamic_job, "s",
            "baseline: dynamic resources"),
    ]


def quota_rows() -> list[Row]:
    if not cli.cli_available():
        print("  no pulumi CLI in .local/pulumi/bin (make cli): quota rows left out", file=sys.stderr)
        return []
    cli.byte_compile_project()
    one = timed("pulumi up, 100 waves, quota 20", lambda: cli.quota_up(100, 20))
    two = timed("two stacks of 50 waves at once, quota 20", lambda: cli.quota_up(100, 20, stacks=2))
    return [
        Row("quota 20, 100 waves: up / 5 jobs", one.seconds, one.rounds, "s", "<= 1.15"),
        Row("  its jobs' span / 5 rounds of the job", one.span, one.rounds, "s", "admission's own share"),
        Row("  up outside the jobs' span / 5 jobs", one.outside_jobs, one.rounds, "s", "the engine's share"),
        Row("    of it, before the first job / 5 jobs", one.before_first_job, one.rounds, "s", "start-up, preview"),
        Row("    of it, after the last job / 5 jobs", one.after_last_job, one.rounds, "s", "health check, exit"),
        Row("  StartCutover refused / a tenth of waves", one.refused, one.waves / 10, "calls", "<= 1"),
        Row("quota 20, 2 stacks x 50 waves: up / 5 jobs", two.seconds, two.rounds, "s", "<= 1.3"),
        Row("  its jobs' span / 5 rounds of the job", two.span, two.rounds, "s", "admission's own share"),
        Row("  StartCutover refused (2 stacks)", two.refused, two.waves / 10, "calls", "learned from"),
    ]


GROUPS: dict[str, Callable[[], list[Row]]] = {
    "concurrency": concurrency_rows,
    "detection": detection_rows,
    "polling": polling_rows,
    "memory": memory_rows,
    "real-engine": real_engine_rows,
    "quota": quota_rows,
}


def parse_groups(argv: list[str] | None = None) -> list[str]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", action="append", choices=list(GROUPS), metavar="GROUP",
        help=f"run only this group of rows (repeatable): {', '.join(GROUPS)}",
    )
    chosen = parser.parse_args(argv).only
    return [name for name in GROUPS if not chosen or name in chosen]


def table(rows: list[Row]) -> str:
    lines = [f"{'metric':40} {'project':>10} {'baseline':>10} {'ratio':>7}  unit     target"]
    lines += [
        f"{row.metric:40} {row.project:10.2f} {row.baseline:10.2f} {row.ratio:7.2f}  {row.unit:8} {row.target}"
        for row in rows
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    rows = [row for name in parse_groups(argv) for row in GROUPS[name]()]
    print(table(rows))


if __name__ == "__main__":
    main()
