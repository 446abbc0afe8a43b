"""A local AWS Application Migration Service (MGN) that real boto3 clients talk to.

See ``docs/emulator.md``. The contract other code relies on is in ``docs/architecture.md``.
"""

from __future__ import annotations

from mgn_emulator.backend import MgnBackend
from mgn_emulator.calls import CallRecord
from mgn_emulator.faults import FaultSettings
from mgn_emulator.seed import Seed, SeedError, ServerSpec, load_seed
from mgn_emulator.server import EmulatorServer

__all__ = [
    "CallRecord",
    "EmulatorServer",
    "FaultSettings",
    "MgnBackend",
    "Seed",
    "SeedError",
    "ServerSpec",
    "load_seed",
]
