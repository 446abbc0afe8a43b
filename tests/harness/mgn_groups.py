"""MGN applications and waves made through the MGN API (real boto3 calls to the emulator, not its seed), and the
launches the emulator's call log shows: for the tests of ``application_ids``, ``wave_id`` and a program's
``mgnWave``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

ASSOCIATE_AT_ONCE = 50  # AssociateSourceServers takes 1 to 50 servers (botocore's model)


def create_application(mgn: Any, name: str, servers: Sequence[str] = ()) -> str:
    """CreateApplication, then AssociateSourceServers for ``servers``; the application's ID."""
    app_id = str(mgn.create_application(name=name)["applicationID"])
    add_servers(mgn, app_id, servers)
    return app_id


def add_servers(mgn: Any, app_id: str, servers: Sequence[str]) -> None:
    for start in range(0, len(servers), ASSOCIATE_AT_ONCE):
        part = list(servers[start : start + ASSOCIATE_AT_ONCE])
        mgn.associate_source_servers(applicationID=app_id, sourceServerIDs=part)


def remove_servers(mgn: Any, app_id: str, servers: Sequence[str]) -> None:
    mgn.disassociate_source_servers(applicationID=app_id, sourceServerIDs=list(servers))


def create_wave(mgn: Any, name: str, applications: Sequence[str] = ()) -> str:
    """CreateWave, then AssociateApplications for ``applications``; the wave's ID."""
    wave_id = str(mgn.create_wave(name=name)["waveID"])
    if applications:
        mgn.associate_applications(waveID=wave_id, applicationIDs=list(applications))
    return wave_id


def launched(emu: Any, operation: str = "StartCutover") -> list[list[str]]:
    """The servers of each StartCutover (or StartTest) the emulator answered, in order."""
    return [list(c.body["sourceServerIDs"]) for c in emu.calls() if c.operation == operation and c.status < 400]


def in_order(mgn: Any, *app_ids: str) -> list[str]:
    """The servers of ``app_ids`` as a launch resolves them: by application ID, then by server ID (not archived)."""
    found = []
    for app_id in sorted(app_ids):
        items = mgn.describe_source_servers(filters={"applicationIDs": [app_id], "isArchived": False})["items"]
        found += sorted(item["sourceServerID"] for item in items)
    return found
