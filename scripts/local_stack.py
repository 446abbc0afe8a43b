"""Helpers for scripts/local-up.sh and .ci/run: where the local stack's emulator listens, whether one answers there,
how many launches it made, whether the outputs' instances run. (After a killed run, local-up.sh clears its lock and
pending creates with examples/gitops/steps/recover.sh, the pipelines' own step.)

    python scripts/local_stack.py endpoint STACK_CONFIG         # prints "HOST PORT"
    python scripts/local_stack.py answers HOST PORT             # exit 0 if an MGN emulator answers there
    python scripts/local_stack.py launches HOST PORT            # prints how many launches the emulator started
    pulumi stack output --json | python scripts/local_stack.py running-instances STACK_CONFIG
                                                # exit 0 if every instance in the outputs runs in the emulator's EC2
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ENDPOINT_KEY = "mgn-cutover:endpointUrl"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


class LocalStackError(Exception):
    """A problem with the local stack's setup, told in one line."""


def stack_endpoint(config_path: Path) -> tuple[str, int]:
    """The loopback host and port of the emulator named by the stack config's endpointUrl."""
    try:
        config = (yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}).get("config") or {}
    except (OSError, yaml.YAMLError) as exc:
        raise LocalStackError(f"cannot read {config_path}: {exc}") from None
    url = config.get(ENDPOINT_KEY)
    if not isinstance(url, str):
        raise LocalStackError(f"{config_path} sets no {ENDPOINT_KEY}: the local stack must name its emulator")
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK_HOSTS or parts.port is None:
        raise LocalStackError(
            f"{ENDPOINT_KEY} {url!r} in {config_path} must be http://127.0.0.1:PORT (the emulator is loopback-only)"
        )
    return parts.hostname, parts.port


def emulator_answers(host: str, port: int, timeout: float = 2.0) -> bool:
    """True if an MGN emulator answers its admin route at host:port."""
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/_emulator/faults"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            json.load(reply)
            return True
    except (urllib.error.URLError, OSError, ValueError):
        return False


def launches(host: str, port: int) -> int:
    """How many StartTest/StartCutover calls the emulator at host:port answered with success since it started."""
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/_emulator/calls"
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            body = json.load(reply)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise LocalStackError(f"the emulator at {host}:{port} did not list its calls: {exc}") from None
    calls = body["calls"] if isinstance(body, dict) else body
    return sum(1 for c in calls if c.get("operation") in ("StartTest", "StartCutover") and c.get("status", 500) < 300)


def running_instances(config_path: Path, outputs: str) -> list[str]:
    """Every instance ID in the stack's ``instance_ids`` output, checked running in the emulator's EC2.

    Returns one line per instance; raises :class:`LocalStackError` naming those that are not running.
    """
    import boto3  # only this command needs boto3 (the venv has it: requirements.txt)

    host, port = stack_endpoint(config_path)
    config = (yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}).get("config") or {}
    wanted = {
        instance: f"{wave}/{server}"
        for wave, servers in (json.loads(outputs or "{}").get("instance_ids") or {}).items()
        for server, instance in (servers or {}).items()
    }
    if not wanted:
        raise LocalStackError("the stack's outputs name no launched instance (instance_ids is empty)")
    ec2 = boto3.client(
        "ec2", endpoint_url=f"http://{host}:{port}", region_name=str(config.get("aws:region", "us-east-1")),
        aws_access_key_id="mgn-emulator", aws_secret_access_key="mgn-emulator",
    )
    states: dict[str, str] = {}
    for page in ec2.get_paginator("describe_instances").paginate():  # all: an unknown ID would fail the call
        for reservation in page["Reservations"]:
            for instance in reservation["Instances"]:
                states[instance["InstanceId"]] = instance["State"]["Name"]
    wrong = [f"{wanted[i]} {i}: {states.get(i, 'unknown to EC2')}" for i in sorted(wanted)
             if states.get(i) != "running"]
    if wrong:
        raise LocalStackError("instances in the outputs that do not run in the emulator's EC2: " + "; ".join(wrong))
    return [f"{wanted[i]} {i}: running" for i in sorted(wanted)]


def main(argv: list[str]) -> int:
    try:
        match argv:
            case ["endpoint", config]:
                host, port = stack_endpoint(Path(config))
                print(host, port)
            case ["answers", host, port]:
                return 0 if emulator_answers(host, int(port)) else 1
            case ["launches", host, port]:
                print(launches(host, int(port)))
            case ["running-instances", config]:
                for line in running_instances(Path(config), sys.stdin.read()):
                    print(line)
            case _:
                print("usage:\n" + "\n".join(__doc__.splitlines()[4:9]), file=sys.stderr)
                return 2
    except LocalStackError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
