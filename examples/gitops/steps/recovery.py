"""The parts of recover.sh that read files and processes: a file-backend lock whose pulumi process is gone, and the
creates a killed run left pending. recover.sh (and through it `make up`, scripts/local-up.sh) is their one caller.

    pulumi whoami --verbose --output json | python recovery.py clear-dead-locks STACK
    pulumi stack export --stack STACK | python recovery.py pending-creates   # prints how many creates are pending

Standard library only: a pipeline runs it with any python3.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit


def backend_dir(url: str) -> Path | None:
    """The folder of a file backend (``file:///path``, ``file://~/path``), else None (S3, GCS, Azure Blob, Cloud)."""
    if not url.startswith("file://"):
        return None
    parts = urlsplit(url)
    return Path(os.path.expanduser(unquote(parts.netloc + parts.path))).absolute()


def clear_dead_locks(url: str, stack: str, hostname: str | None = None) -> list[str]:
    """What recover.sh does with the stack's locks under the backend at ``url``, one line each.

    A file backend's lock is removed when the pulumi process that holds it ran on this host and is gone; a live
    holder's lock stays, and so does one taken on another host, whose process this step cannot see. Other backends
    keep their locks where this step cannot tell a dead holder from a live one: it says so and clears nothing.
    """
    folder = backend_dir(url)
    if folder is None:
        return [
            f"Left any lock on stack {stack} as it is: at {url} this step cannot tell whether the run holding it is "
            "alive (RECOVER_LOCKS=cancel runs `pulumi cancel` where one pipeline run per stack is the only writer)."
        ]
    hostname = hostname or socket.gethostname()
    said: list[str] = []
    for lock in sorted((folder / ".pulumi" / "locks").glob(f"**/{stack}/*.json")):
        try:
            holder = json.loads(lock.read_text(encoding="utf-8"))
            pid, host = int(holder["pid"]), str(holder["hostname"])
        except (OSError, ValueError, KeyError, TypeError):
            said.append(f"Left {lock} as it is: not a lock this step can read (`pulumi cancel` removes it).")
            continue
        started = holder.get("timestamp", "?")
        if host != hostname:
            said.append(
                f"Left the lock on stack {stack} held by pulumi (pid {pid} on host {host}, started {started}): "
                "this step cannot see that host's processes (`pulumi cancel` removes it once that run is gone)."
            )
            continue
        if _pulumi_alive(pid):
            continue  # a live run: pulumi's own "the stack is currently locked" error tells the user to wait
        lock.unlink(missing_ok=True)
        lock.with_name(lock.name + ".attrs").unlink(missing_ok=True)  # the file backend's metadata beside it
        said.append(
            f"Removed the lock on stack {stack} left by pulumi (pid {pid}, started {started}), which is no longer "
            "running."
        )
    return said


def _pulumi_alive(pid: int) -> bool:
    """Whether pid is a live pulumi process (a reused pid of another program does not hold the lock)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    proc = Path(f"/proc/{pid}")
    try:
        if proc.joinpath("stat").read_text().rsplit(")", 1)[1].split()[0] in {"Z", "X"}:
            return False  # killed, not yet reaped
        exe = proc.joinpath("exe").resolve().name
    except (OSError, IndexError):
        return True  # cannot tell: treat as alive, never remove a live holder's lock
    return exe.startswith("pulumi")


def pending_creates(exported: str) -> int:
    """How many creates a killed run left pending in a `pulumi stack export` (0 for an empty stack)."""
    try:
        deployment = json.loads(exported).get("deployment") or {}
    except ValueError:
        return 0
    return sum(1 for op in deployment.get("pending_operations") or [] if op.get("type") == "creating")


def main(argv: list[str]) -> int:
    match argv:
        case ["clear-dead-locks", stack]:
            try:
                url = str(json.loads(sys.stdin.read())["url"])
            except (ValueError, KeyError, TypeError) as exc:
                print(f"recovery.py: `pulumi whoami --verbose --output json` named no backend URL ({exc})",
                      file=sys.stderr)
                return 2
            for line in clear_dead_locks(url, stack):
                print(line)
        case ["pending-creates"]:
            print(pending_creates(sys.stdin.read()))
        case _:
            print("usage:\n" + "\n".join(__doc__.splitlines()[3:5]), file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
