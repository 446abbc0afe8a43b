"""The package's errors: one root, and a subclass for each thing a user must act on.

Every message is one sentence naming the thing at fault (server, job, state, input, permission) and
what to do next.
"""

from __future__ import annotations


class MgnCutoverError(Exception):
    """Root of every error this package raises."""


class ConnectionSettingsError(MgnCutoverError):
    """Region, credentials, role or endpoint cannot be used."""


class MgnApiError(MgnCutoverError):
    """An MGN call failed in a way the caller cannot retry (permission, uninitialized account, ...)."""

    def __init__(self, message: str, *, code: str = "", operation: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.operation = operation


class ServersNotLaunchableError(MgnCutoverError):
    """Preflight found servers that are unknown, archived or in a state that cannot launch."""


class LaunchConflictError(MgnCutoverError):
    """A server was already launched by another job that this resource did not start."""


class QuotaExceededError(MgnCutoverError):
    """MGN refused the launch because the account is at a concurrency quota."""


class JobFailedError(MgnCutoverError):
    """The job completed with failed servers or failed must-succeed post-launch actions."""


class JobTimeoutError(MgnCutoverError):
    """The job did not finish within ``timeout_seconds``; it goes on in AWS."""


class JobNotFoundError(MgnCutoverError):
    """A job ID that MGN does not know (or no longer shows)."""


class TeardownError(MgnCutoverError):
    """Revert or terminate on delete cannot be done (for example a finalized server)."""
