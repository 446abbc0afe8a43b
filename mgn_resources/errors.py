"""The package's errors: one root, and a subclass for each thing a user must act on.

Every message is one sentence naming the thing at fault (server, job, state, input, permission) and
what to do next.
"""

from __future__ import annotations


class MgnCutoverError(Exception):
    """Root of every error this package raises."""


class ConnectionSettingsError(MgnCutoverError):
    """Region, credentials, role or endpoint cannot be used: a setting to fix, not an outage to wait out.

    ``setting`` names what to fix (``endpoint_url``, ``region``, ``role_arn``...); ``endpoint`` the URL at fault.
    """

    def __init__(self, message: str, *, setting: str = "", endpoint: str = "") -> None:
        super().__init__(message)
        self.setting = setting
        self.endpoint = endpoint


class MgnApiError(MgnCutoverError):
    """An MGN call failed in a way the caller cannot retry (permission, uninitialized account, ...)."""


class MgnConflictError(MgnApiError):
    """MGN's ConflictException (a server busy in another job, for example): the launch may have gone through."""


class TransientApiError(MgnCutoverError):
    """Throttling, a 5xx or a connection problem that outlasted botocore's retries: try again later."""


class ServersNotLaunchableError(MgnCutoverError):
    """Preflight found servers that are unknown, archived or in a state that cannot launch."""


class LaunchConflictError(MgnCutoverError):
    """A server was already launched by another job that this resource did not start."""


class QuotaExceededError(MgnCutoverError):
    """MGN refused the launch because the account is at a concurrency quota."""


class JobFailedError(MgnCutoverError):
    """The job completed with failed servers or failed must-succeed post-launch actions."""


class UnhealthyInstanceError(MgnCutoverError):
    """A launched instance is not running, or failed an EC2 status check (the message names both)."""


class JobTimeoutError(MgnCutoverError):
    """The job did not finish within ``timeout_seconds``; it goes on in AWS."""


class JobNotFoundError(MgnCutoverError):
    """A job ID that MGN does not know (or no longer shows)."""


class TeardownError(MgnCutoverError):
    """Revert or terminate on delete cannot be done (for example a finalized server)."""


class UnexpectedResponseError(MgnCutoverError):
    """MGN answered with a value this provider cannot read (a new job or launch status, a malformed time).

    Waiting cannot judge such a job, so a wait stops at once instead of retrying the poll.
    """

    def __init__(self, field: str, value: object, subject: str, operation: str = "") -> None:
        self.field = field
        self.value = value
        self.subject = subject
        self.operation = operation
        answered = f"MGN {operation} answered" if operation else "MGN answered"
        super().__init__(
            f"{answered} {field}={value!r} for {subject}, a value this version of mgn-cutover does not know; "
            "check the job in the MGN console and upgrade mgn-cutover (and botocore) before running `pulumi up` again."
        )

    def during(self, operation: str) -> UnexpectedResponseError:
        """The same error, naming the MGN operation whose response it came from."""
        return UnexpectedResponseError(self.field, self.value, self.subject, operation)
