"""Processes that `pulumi up` waits for exit without the garbage collector's walk over their heap.

When an update ends, the engine waits for the program to exit, then interrupts each plugin and waits for it to exit
too. Python's finalization runs full collections over every object still alive (botocore's service models in a
provider, the SDK's resource objects in a program). Measured: a dynamic host after one create exited in ~0.47 s, in
~0.02 s with its heap frozen at exit; a program of one wave in ~0.17 s, in ~0.02 s. The process is ending: there is
nothing left worth collecting. Both provider faces register this at start, and each resource of the program does.
"""

from __future__ import annotations

import atexit
import gc
import threading

_lock = threading.Lock()
_registered = False


def exit_without_collecting() -> bool:
    """Freeze the heap at exit (after the threads are joined, before finalization collects), once per process; True
    if it was registered now."""
    global _registered
    with _lock:
        if _registered:
            return False
        _registered = True
    atexit.register(gc.freeze)
    return True
