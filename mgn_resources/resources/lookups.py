"""`get_wave_applications`: what a program reads from MGN while it runs, to declare one launch per application.

Like pulumi_aws's ``get_*`` functions it asks AWS when the program runs (at preview too), read-only: ListWaves,
ListApplications and DescribeSourceServers, with the same settings a resource would use (its connection inputs, else
``aws:region`` and ``aws:profile``, else the environment).
"""

from __future__ import annotations

import pulumi

from ..engine.members import WaveApplication
from ..engine.types import Progress
from ..errors import MgnCutoverError
from ..lifecycle.effective import StackSettings
from ..lifecycle.groups import WaveLookup, lookup_wave

__all__ = ["WaveApplication", "get_wave_applications"]


class _ProgramLog:
    def info(self, message: str) -> None:
        pulumi.log.info(message)

    def warn(self, message: str) -> None:
        pulumi.log.warn(message)


def get_wave_applications(
    wave_id: str,
    *,
    region: str | None = None,
    endpoint_url: str | None = None,
    role_arn: str | None = None,
    account_id: str | None = None,
) -> list[WaveApplication]:
    """The applications of MGN wave ``wave_id``, each with its source servers that are not archived (in a stable
    order: by application ID, then by server ID), as MGN lists them now.

    An unknown wave, a wave without applications, an application without servers, and an application of more
    servers than one MGN job launches (200, from botocore's model) stop the program with one sentence naming them
    (``pulumi.RunError``). The settings are a resource's connection inputs of the same names; unset, ``aws:region``
    and ``aws:profile`` of the stack, then the environment.
    """
    aws = pulumi.Config("aws")
    stack = StackSettings(region=aws.get("region") or "", profile=aws.get("profile") or "")
    where = WaveLookup(
        region=region or "", endpoint_url=endpoint_url or "", role_arn=role_arn or "", account_id=account_id or ""
    )
    progress: Progress = _ProgramLog()
    try:
        return lookup_wave(wave_id, where, stack, progress)
    except MgnCutoverError as exc:
        raise pulumi.RunError(str(exc)) from None
