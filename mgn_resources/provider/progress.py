"""The dynamic providers' progress: to the engine's log (stderr inside the dynamic-provider host)."""

from __future__ import annotations

import pulumi


class PulumiProgress:
    def info(self, message: str) -> None:
        pulumi.log.info(message)

    def warn(self, message: str) -> None:
        pulumi.log.warn(message)
