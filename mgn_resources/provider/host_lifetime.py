"""End the SDK's dynamic-provider host when the pulumi engine that started it is gone (``lifecycle/engine_watch.py``).

The SDK's host never checks its engine; on the first configure() inside the host we start one daemon thread that
watches the engine's address (the host's first argument).
"""

from __future__ import annotations

import sys
import threading

from ..lifecycle.engine_watch import Address, parse_address, watch_engine
from .host_pool import inside_dynamic_host

_lock = threading.Lock()
_started = False


def engine_address(argv: list[str]) -> Address | None:
    """The engine's host and port from the host's command line (``python -m pulumi.dynamic 127.0.0.1:PORT``)."""
    return parse_address(argv[1]) if len(argv) >= 2 else None


def exit_with_engine() -> bool:
    """Inside the dynamic-provider host, start the engine watch once; True if it was started now."""
    global _started
    with _lock:
        if _started or not inside_dynamic_host():
            return False
        address = engine_address(sys.argv)
        if address is None:
            return False
        _started = True
    watch = threading.Thread(
        target=watch_engine, args=(address, "provider host"), name="mgn-cutover-engine-watch", daemon=True
    )
    watch.start()
    return True
