"""Let cutovers wait side by side in the SDK's dynamic-provider host.

The host (``python -m pulumi.dynamic``) serves every dynamic resource of a stack from one gRPC
``ThreadPoolExecutor(max_workers=4)``. A create that waits for an MGN job holds a worker, so a fifth
cutover, and every other dynamic resource's check and diff, would queue behind four waiting ones.
The pool is created by the SDK and not configurable, so on the first configure() inside the host we
raise that executor's worker ceiling; ``ThreadPoolExecutor`` reads ``_max_workers`` each time it decides
whether to start a thread. If the SDK changes so that this no longer applies, we log one warning and
run with the SDK's default. ``MGN_CUTOVER_HOST_WORKERS`` sets the ceiling (0 keeps the SDK's 4).
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pulumi

HOST_MODULE = "pulumi.dynamic.__main__"
SDK_DEFAULT_WORKERS = 4
WIDENED_WORKERS = 64

_lock = threading.Lock()
_attempted = False


def inside_dynamic_host() -> bool:
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    return getattr(spec, "name", "") == HOST_MODULE


def widen_host_pool() -> bool:
    """Raise the host's gRPC worker ceiling once per process; True if it was raised."""
    global _attempted
    with _lock:
        if _attempted or not inside_dynamic_host():
            return False
        _attempted = True
        workers = int(os.environ.get("MGN_CUTOVER_HOST_WORKERS", WIDENED_WORKERS))
        if workers <= SDK_DEFAULT_WORKERS:
            return False
        pools = _host_pools()
        if len(pools) != 1 or not isinstance(getattr(pools[0], "_max_workers", None), int):
            pulumi.log.warn(
                "mgn-cutover: could not find the dynamic provider host's 4-worker gRPC pool (the Pulumi SDK may "
                "have changed); cutovers will wait at most 4 at a time."
            )
            return False
        pools[0]._max_workers = max(workers, pools[0]._max_workers)
        return True


def _host_pools() -> list[ThreadPoolExecutor]:
    """The executors of live gRPC servers in this process (the host runs exactly one)."""
    pools: list[ThreadPoolExecutor] = []
    for obj in gc.get_objects():
        if type(obj).__name__ == "_Server" and type(obj).__module__ == "grpc._server":
            pool = getattr(getattr(obj, "_state", None), "thread_pool", None)
            if isinstance(pool, ThreadPoolExecutor) and pool._max_workers == SDK_DEFAULT_WORKERS:
                pools.append(pool)
    return pools
