"""``python -m mgn_emulator [--host H] [--port P] [--seed FILE] [--state FILE] [--launch-seconds S]
[--max-concurrent-jobs N] [--max-active-servers N]``."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType
from typing import NoReturn

from mgn_emulator.bounds import check_seconds
from mgn_emulator.ec2 import MotoMissing
from mgn_emulator.persistence import StateFileError
from mgn_emulator.seed import SeedError
from mgn_emulator.server import EmulatorServer

PROG = "mgn-emulator"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """One line naming the problem, exit status 2 (argparse would print the usage first)."""
        self.exit(2, f"{PROG}: error: {message}\n")


def _seconds(text: str) -> float:
    try:
        return check_seconds(float(text), "seconds")
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a finite, non-negative number of seconds (at most a year): {text!r}"
        ) from None


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {text!r}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="A local AWS Application Migration Service (MGN) for boto3 clients.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, loopback)")
    parser.add_argument("--port", type=_port, default=4599, help="port (0 = any free port; default 4599)")
    parser.add_argument("--seed", help="YAML seed file: servers, faults, launch_seconds")
    parser.add_argument("--state", help="JSON state file kept across restarts (written atomically)")
    parser.add_argument("--launch-seconds", type=_seconds, help="how long a launch job runs (default 2)")
    parser.add_argument("--post-launch-seconds", type=_seconds, help="how long post-launch actions run")
    parser.add_argument("--max-concurrent-jobs", type=_count, help="quota of concurrent jobs (default MGN's 20)")
    parser.add_argument(
        "--max-active-servers", type=_count, help="quota of source servers in active jobs (default MGN's 200)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    # Before the listening line: a SIGTERM sent as soon as it appears must still stop the emulator cleanly.
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    try:
        emulator = EmulatorServer(
            seed=args.seed,
            launch_seconds=args.launch_seconds,
            post_launch_seconds=args.post_launch_seconds,
            max_concurrent_jobs=args.max_concurrent_jobs,
            max_active_source_servers=args.max_active_servers,
            state_file=args.state,
            host=args.host,
            port=args.port,
        )
        emulator.start()
    except (SeedError, StateFileError, MotoMissing) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr, flush=True)
        return 2
    except OSError as exc:
        print(f"{PROG}: error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"MGN emulator listening on {emulator.url}", flush=True)
    stop.wait()
    try:
        emulator.stop()
    except StateFileError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr, flush=True)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
