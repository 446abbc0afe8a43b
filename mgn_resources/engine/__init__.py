"""The job engine: start or adopt, wait, summarize. Plain Python, no Pulumi import."""

from .launch import LaunchEngine
from .polling import SharedJobPoller, poll_interval, shared_poller
from .teardown import OnDelete, Teardown
from .types import LaunchResult, LaunchSpec, Progress, Refreshed, ServerLaunch, ServerState, SilentProgress

__all__ = [
    "LaunchEngine",
    "LaunchResult",
    "LaunchSpec",
    "OnDelete",
    "Progress",
    "Refreshed",
    "ServerLaunch",
    "ServerState",
    "SharedJobPoller",
    "SilentProgress",
    "Teardown",
    "poll_interval",
    "shared_poller",
]
