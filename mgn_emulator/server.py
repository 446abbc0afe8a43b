"""`EmulatorServer`: the emulator's parts (backends, state file, faults, call log, routes) behind one HTTP server."""

from __future__ import annotations

import os
import random
import threading
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any

from mgn_emulator.admin import PREFIX, AdminRoutes
from mgn_emulator.backend import MgnBackend
from mgn_emulator.backend_dict import BackendDict
from mgn_emulator.bounds import HttpLimits, check_seconds
from mgn_emulator.calls import CallLog, CallRecord
from mgn_emulator.ec2 import Ec2Side, require_moto
from mgn_emulator.ec2_route import Ec2Route
from mgn_emulator.faults import Faults, FaultSettings
from mgn_emulator.hosts import AddressedHere
from mgn_emulator.httpd import HttpServer
from mgn_emulator.lifecycle import JobQuotas
from mgn_emulator.persistence import StateFile
from mgn_emulator.responses import MgnResponses, WireRequest, WireResponse
from mgn_emulator.seed import load_seed, parse_server
from mgn_emulator.store import Store
from mgn_resources.clock import SYSTEM_CLOCK, Clock

DEFAULT_LAUNCH_SECONDS = 2.0


class EmulatorServer:
    """Runs the emulator on ``host:port`` (0 = a free port) in a background thread.

    ``with EmulatorServer(seed=..., launch_seconds=0.4) as emu: boto3.client("mgn", endpoint_url=emu.url)``.

    Raises ``SeedError`` for a bad seed, ``StateFileError`` for a state file that cannot be read or written,
    ``ValueError`` for a timing that is not a finite, non-negative number of seconds or a quota under 1
    (``max_concurrent_jobs``, ``max_active_source_servers``: MGN's 20 and 200 unless the seed's ``quotas`` or these
    say otherwise), and ``MotoMissing`` if
    moto (the emulator's EC2) cannot be imported.
    """

    def __init__(
        self,
        seed: str | os.PathLike[str] | Mapping[str, Any] | None = None,
        *,
        launch_seconds: float | None = None,
        post_launch_seconds: float | None = None,
        state_file: str | os.PathLike[str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Clock = SYSTEM_CLOCK,
        faults: FaultSettings | None = None,
        rng: random.Random | None = None,
        http_limits: HttpLimits | None = None,
        max_concurrent_jobs: int | None = None,
        max_active_source_servers: int | None = None,
    ) -> None:
        loaded = load_seed(seed)
        quotas = loaded.quotas or JobQuotas()
        quotas = JobQuotas(  # a keyword wins over the seed; either over MGN's 20 jobs and 200 servers
            max_concurrent_jobs if max_concurrent_jobs is not None else quotas.concurrent_jobs,
            max_active_source_servers if max_active_source_servers is not None else quotas.active_source_servers,
        )
        launch = launch_seconds if launch_seconds is not None else loaded.launch_seconds
        post = post_launch_seconds if post_launch_seconds is not None else loaded.post_launch_seconds
        self.clock = clock
        self.faults = Faults(faults or loaded.faults, rng=rng)
        require_moto()  # before the state file, whose EC2 part only moto can read
        state = StateFile(state_file) if state_file is not None else None
        stored = None
        if state is not None:
            state.remove_orphaned_temps()
            stored = state.load()
        self.ec2 = Ec2Side(stored.ec2 if stored is not None else None)
        self.backends = BackendDict(
            clock,
            faults=self.faults,
            launch_seconds=check_seconds(DEFAULT_LAUNCH_SECONDS if launch is None else launch, "launch_seconds"),
            post_launch_seconds=None if post is None else check_seconds(post, "post_launch_seconds"),
            rng=rng,
            account_id=loaded.account_id,
            region=loaded.region,
            ec2=self.ec2,
            quotas=quotas,
        )
        self.ec2.warm(loaded.region)
        self.call_log = CallLog()
        if stored is not None:
            self.backends.load(stored.backends)
        present = {s.server_id for s in self.backend.servers()}
        for spec in loaded.servers:
            if spec.server_id not in present:  # a state file wins over the seed for servers it holds
                self.backend.add_server(spec)
        for group in loaded.applications:  # and for applications and waves (by ID or name) it holds
            self.backend.add_application(
                group.group_id, group.name, description=group.description, servers=group.members, tags=group.tags,
                archived=group.archived,
            )
        for group in loaded.waves:
            self.backend.add_wave(
                group.group_id, group.name, description=group.description, applications=group.members,
                tags=group.tags, archived=group.archived,
            )
        self.store = Store(self.backends, state)
        self.responses = MgnResponses(self.store, self.faults, self.call_log, clock, AddressedHere(host))
        self.admin = AdminRoutes(self.store, self.faults, self.call_log)
        self.ec2_route = Ec2Route(self.store, self.call_log, clock, AddressedHere(host))
        self._address = (host, port)
        self._http_limits = http_limits or HttpLimits()  # request deadline, idle time, connection bound
        self._http: HttpServer | None = None
        self._thread: threading.Thread | None = None
        self.save()

    @property
    def backend(self) -> MgnBackend:
        """The backend of the seed's account and region (the one a client signing for that region sees)."""
        return self.backends.default

    def dispatch(self, request: WireRequest) -> WireResponse:
        if request.path.startswith(PREFIX):
            return self.admin.handle(request)
        if Ec2Route.wants(request):
            return self.ec2_route.handle(request)
        return self.responses.handle(request)

    # ---- lifecycle -----------------------------------------------------------------------------
    def start(self) -> EmulatorServer:
        self._http = HttpServer(self._address, self.dispatch, self._http_limits)
        self._thread = threading.Thread(target=self._http.serve_forever, args=(0.05,), name="mgn-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http.close_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.save()

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._http is None:
            raise RuntimeError("the emulator is not running")
        return int(self._http.server_address[1])

    @property
    def url(self) -> str:
        host = self._address[0]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"

    @property
    def connection_count(self) -> int:
        """TCP connections accepted so far (keep-alive reuses one per client thread)."""
        return self._http.connections if self._http else 0

    # ---- test controls -------------------------------------------------------------------------
    def calls(self) -> list[CallRecord]:
        return self.call_log.records()

    def call_count(self, operation: str | None = None) -> int:
        return self.call_log.count(operation)

    def clear_calls(self) -> None:
        self.call_log.clear()

    def set_faults(self, **settings: Any) -> FaultSettings:
        """Replace every fault knob (unnamed knobs go back to off); see :class:`FaultSettings`."""
        if "operations" in settings and settings["operations"] is not None:
            settings["operations"] = list(settings["operations"])
        new = FaultSettings.from_mapping(settings, where="set_faults")
        self.faults.replace(new)
        return new

    def add_server(
        self,
        server_id: str,
        *,
        hostname: str | None = None,
        state: str = "READY_FOR_CUTOVER",
        launch: str = "ok",
        post_launch_actions: Sequence[Mapping[str, Any]] = (),
        region: str | None = None,
        account_id: str | None = None,
        **extra: Any,
    ) -> None:
        """Add or replace a server (in the seed's account and region unless told otherwise), persisted at once."""
        entry: dict[str, Any] = {"id": server_id, "hostname": hostname or server_id, "state": state, "launch": launch}
        entry["post_launch_actions"] = [dict(a) for a in post_launch_actions]
        entry.update(extra)
        spec = parse_server(entry, where="add_server")
        with self.store.transaction():
            backend = self.backends.ensure(account_id or self.backends.account_id, region or self.backends.region)
            backend.add_server(spec)

    def save(self) -> None:
        """Write the state file (if any) when anything changed since the last write."""
        self.store.save()
