"""The package's errors: one root, and a subclass for each thing a user must act on.

Every message is one sentence naming the thing at fault (server, job, state, input, permission) and
what to do next.
"""

from __future__ import annotations

import math
import reprlib
from collections.abc import Iterable, Sized

#: How much of a long value a message quotes: its first characters, then how long it was.
SHOWN_CHARACTERS = 40
_SHOWN_ITEMS = 4
_SHOWN_LEVELS = 2


def shown(value: object) -> str:
    """``value`` as a message quotes it: a short repr (at most about SHOWN_CHARACTERS of a long string, then its
    length; nested values to two levels and four items; huge integers by their number of digits). Never raises,
    whatever the value (a million characters, 10**5000, a list nested 100,000 deep, an object whose repr fails).
    """
    try:
        if isinstance(value, str):
            if len(value) <= SHOWN_CHARACTERS:
                return repr(value)
            return f"{value[:SHOWN_CHARACTERS]!r}... ({len(value):,} characters)"
        if isinstance(value, int) and not isinstance(value, bool):
            return _integer(value)
        text = _SHORT.repr(value)
        if isinstance(value, Sized) and not isinstance(value, (bytes, bytearray)) and len(value) > _SHOWN_ITEMS:
            text += f" ({len(value):,} items)"
        return text
    except Exception:  # noqa: BLE001 - a message must not fail on the value it quotes
        return f"a value of type {type(value).__name__}"


def shown_list(values: Iterable[object], most: int = 3) -> str:
    """Up to ``most`` values, each :func:`shown`, and how many more there are."""
    items = list(values)
    text = ", ".join(shown(v) for v in items[:most])
    return f"{text} and {len(items) - most} more" if len(items) > most else text


def _integer(value: int) -> str:
    if value.bit_length() <= 128:  # up to 39 digits: quoted as is
        return repr(value)
    digits = math.floor(value.bit_length() * math.log10(2)) + 1
    return f"{'a negative' if value < 0 else 'an'} integer of about {digits:,} digits"


class _ShortRepr(reprlib.Repr):
    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = _SHOWN_LEVELS
        self.maxstring = self.maxother = SHOWN_CHARACTERS
        self.maxlist = self.maxtuple = self.maxdict = self.maxset = self.maxfrozenset = self.maxdeque = _SHOWN_ITEMS
        self.maxarray = _SHOWN_ITEMS

    def repr_int(self, x: int, level: int) -> str:
        return _integer(x)


_SHORT = _ShortRepr()


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


class GroupNotLaunchableError(ServersNotLaunchableError):
    """The MGN applications or wave a resource declares cannot be launched as one job: unknown, empty, or with more
    servers than MGN takes in one StartCutover or StartTest."""


class ReplaceRefusedError(MgnCutoverError):
    """A change would replace a launch resource and revert or terminate its live servers, without the opt-in."""


class QuotaExceededError(MgnCutoverError):
    """MGN refused the launch because the account is at a concurrency quota; ``quota_code`` names which
    (``CONCURRENT_JOBS_QUOTA``, ``ACTIVE_SOURCE_SERVERS_QUOTA``, or MGN's error code when it names none)."""

    def __init__(self, message: str, *, quota_code: str = "") -> None:
        super().__init__(message)
        self.quota_code = quota_code


class JobFailedError(MgnCutoverError):
    """The job completed with failed servers or failed must-succeed post-launch actions."""


class UnhealthyInstanceError(MgnCutoverError):
    """A launched instance is not running, or failed an EC2 status check (the message names both)."""


class JobTimeoutError(MgnCutoverError):
    """The job did not finish within ``timeout_seconds``; it goes on in AWS."""


class UpdateCancelledError(MgnCutoverError):
    """The update was cancelled (Ctrl-C in the pulumi CLI: the plugin's Cancel) while a launch or teardown waited, or
    before it started anything; a job already started goes on in MGN, and the next ``pulumi up`` adopts it."""


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
            f"{answered} {field}={shown(value)} for {subject}, a value this version of mgn-cutover does not know; "
            "check the job in the MGN console and upgrade mgn-cutover (and botocore) before running `pulumi up` again."
        )

    def during(self, operation: str) -> UnexpectedResponseError:
        """The same error, naming the MGN operation whose response it came from."""
        return UnexpectedResponseError(self.field, self.value, self.subject, operation)


class LaunchTargetError(MgnApiError):
    """A server's launch target is not as a launch needs it: a launch template or an instance that EC2 does not
    know, a template version EC2 does not list, an MGN launch configuration that names no template.

    Not temporary: never retried. ``source_server_id``, ``template_id`` and ``instance_ids`` name what is at fault
    ("" or () when not known); ``code`` is EC2's error code, if EC2 gave one.
    """

    def __init__(
        self,
        message: str,
        *,
        source_server_id: str = "",
        template_id: str = "",
        instance_ids: tuple[str, ...] = (),
        code: str = "",
    ) -> None:
        super().__init__(message)
        self.source_server_id = source_server_id
        self.template_id = template_id
        self.instance_ids = instance_ids
        self.code = code


class TemplateNotFoundError(LaunchTargetError):
    """EC2 does not know the launch template (or the version of it) that MGN or the state names."""


class InstanceNotFoundError(LaunchTargetError):
    """EC2 does not know these instances (``instance_ids``): gone, or, right after a launch, not listed yet."""
