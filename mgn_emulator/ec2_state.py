"""EC2's part of the state file: moto's EC2 backends of the emulator's account, kept beside MGN's state.

moto has no persistence of its own, so the emulator pickles its account's EC2 backends (one per region, ~1 MB
each), compresses them and stores them base64-encoded in the state file, under ``ec2``::

    "ec2": {"account_id": "900000000001", "moto": "5.2.6", "backends": "<base64 of zlib of the pickle>"}

Restoring puts the very objects back into moto (``moto.ec2.models.ec2_backends[account][region]``), so every
ID (launch templates, versions, instances, VPCs, subnets) and every state is what it was. A pickle is only
good for the moto that wrote it: a file written by another moto version is refused. Unpickling admits only
the classes an EC2 backend is made of (moto's own, and a few standard ones), so the ``ec2`` part of a
state file cannot name anything else to run.
"""

from __future__ import annotations

import base64
import binascii
import io
import itertools
import pickle
import threading
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mgn_emulator.codec import ShapeError
from mgn_emulator.models import ACCOUNT_ID, REGION

#: The first account a fresh emulator uses in moto (each emulator in a process takes the next free one).
FIRST_ACCOUNT = 900000000001
_ACCOUNTS = itertools.count(FIRST_ACCOUNT)
_ACCOUNTS_LOCK = threading.Lock()
#: Besides moto's own classes, the only globals an EC2 backend's pickle names.
_ALLOWED = {
    ("builtins", "dict"), ("builtins", "list"), ("builtins", "set"), ("builtins", "frozenset"),
    ("builtins", "tuple"), ("builtins", "bytearray"), ("builtins", "complex"), ("builtins", "getattr"),
    ("collections", "OrderedDict"), ("collections", "defaultdict"), ("collections", "deque"),
    ("datetime", "datetime"), ("datetime", "date"), ("datetime", "timedelta"), ("datetime", "timezone"),
    ("dateutil.tz.tz", "tzutc"), ("dateutil.tz.tz", "tzlocal"), ("decimal", "Decimal"), ("uuid", "UUID"),
    ("ipaddress", "IPv4Address"), ("ipaddress", "IPv4Network"), ("ipaddress", "IPv6Address"),
    ("ipaddress", "IPv6Network"),
}


def moto_version() -> str:
    import moto

    return str(moto.__version__)


def _ec2_backends() -> Any:
    from moto.ec2.models import ec2_backends

    return ec2_backends


def fresh_account() -> str:
    """An account no EC2 backend in this process holds yet (so emulators in one process do not share EC2)."""
    taken = set(dict.keys(_ec2_backends()))
    with _ACCOUNTS_LOCK:
        while (account := str(next(_ACCOUNTS))) in taken:
            pass
    return account


def regions(account_id: str) -> dict[str, Any]:
    """The account's EC2 backends in moto, by region (only the regions set up so far)."""
    backends = _ec2_backends()
    if account_id not in dict.keys(backends):
        return {}
    return dict(dict.items(backends[account_id]))


def install(account_id: str, backends: Mapping[str, Any]) -> None:
    """Make ``backends`` the account's EC2 in moto, and nothing else (regions set up since are dropped)."""
    account = _ec2_backends()[account_id]
    dict.clear(account)
    for region, backend in backends.items():
        dict.__setitem__(account, region, backend)


def encode(account_id: str) -> str:
    """The account's EC2 backends as the state file's ``ec2.backends`` string (~20 ms, ~160 KB per region)."""
    raw = pickle.dumps(regions(account_id), protocol=pickle.HIGHEST_PROTOCOL)
    return base64.b64encode(zlib.compress(raw, 1)).decode("ascii")


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module.startswith("moto.") or (module, name) in _ALLOWED:
            found = super().find_class(module, name)
            return _moto_getattr if found is getattr else found
        raise pickle.UnpicklingError(f"it names {module}.{name}, which moto's EC2 never holds")


def _moto_getattr(owner: Any, name: str) -> Any:
    """``getattr`` as pickle uses it for bound methods: of moto's objects, and public names only."""
    if not type(owner).__module__.startswith("moto.") or name.startswith("_"):
        raise pickle.UnpicklingError(f"it asks for {type(owner).__name__}.{name}, which is not moto's")
    return getattr(owner, name)


def decode(blob: str, account_id: str) -> dict[str, Any]:
    """The backends in ``blob`` by region; ``ValueError`` (the reason alone) if it is not that account's EC2."""
    from moto.ec2.models import EC2Backend

    try:
        raw = zlib.decompress(base64.b64decode(blob.encode("ascii"), validate=True))
    except (binascii.Error, UnicodeEncodeError, zlib.error) as exc:
        raise ValueError(f"not base64 of zlib-compressed data ({exc})") from None
    try:
        found = _Unpickler(io.BytesIO(raw)).load()
    except Exception as exc:  # noqa: BLE001 - whatever a damaged pickle raises, the answer is one line
        reason = " ".join(str(exc).split())[:200]
        raise ValueError(f"not a pickle of moto's EC2 ({type(exc).__name__}: {reason})") from None
    if not isinstance(found, dict):
        raise ValueError(f"not moto's EC2 backends by region (a {type(found).__name__})")
    for region, backend in found.items():
        if not isinstance(region, str) or not REGION.fullmatch(region) or not isinstance(backend, EC2Backend):
            raise ValueError(f"not moto's EC2 backends by region (entry {region!r})")
        if (backend.account_id, backend.region_name) != (account_id, region):
            raise ValueError(
                f"the backend under {region} is account {backend.account_id} in {backend.region_name}, "
                f"not account {account_id} in {region}"
            )
    return found


@dataclass(frozen=True)
class Ec2State:
    """EC2's part of a state file, read back: the account, its backends by region, and the text they came from."""

    account_id: str
    backends: dict[str, Any]
    blob: str


def part(account_id: str, blob: str) -> dict[str, Any]:
    """The state file's ``ec2`` object."""
    return {"account_id": account_id, "moto": moto_version(), "backends": blob}


def read_part(data: Any, where: str = "ec2") -> Ec2State:
    """The ``ec2`` object of a state file, strictly; :class:`ShapeError` (naming the place) if it is unusable."""
    if not isinstance(data, dict):
        raise ShapeError(f"{where}: expected an object")
    keys = {"account_id", "moto", "backends"}
    for key in sorted(keys - set(data)):
        raise ShapeError(f"{where}: missing key {key!r}")
    for key in sorted(set(data) - keys):
        raise ShapeError(f"{where}: unknown key {key!r}")
    account, version, blob = data["account_id"], data["moto"], data["backends"]
    if not isinstance(account, str) or not ACCOUNT_ID.fullmatch(account):
        raise ShapeError(f"{where}.account_id: {account!r} is not a 12-digit account ID")
    if not isinstance(version, str):
        raise ShapeError(f"{where}.moto: expected a string")
    if version != moto_version():
        raise ShapeError(
            f"{where}: EC2 was saved by moto {version[:40]}, and this is moto {moto_version()}, which cannot read it; "
            "run `make reset`, or start with a fresh state file"
        )
    if not isinstance(blob, str):
        raise ShapeError(f"{where}.backends: expected a string")
    try:
        return Ec2State(account, decode(blob, account), blob)
    except ValueError as exc:
        raise ShapeError(f"{where}.backends: {exc}") from None
