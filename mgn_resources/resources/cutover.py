"""`Cutover`: launches cutover instances for MGN source servers and waits for the job to finish."""

from typing import Any, Unpack, overload

import pulumi

from mgn_resources.provider.cutover import CutoverProvider

from ..schema import CUTOVER
from ._generated import CutoverArgs, CutoverInputOutputs, CutoverInputs
from ._launch import LaunchResource

__all__ = ["CutoverArgs", "Cutover"]


class Cutover(LaunchResource, CutoverInputOutputs, module="mgn", name="Cutover"):
    """
    An MGN cutover: starts a cutover job for the source servers, waits for it (and, by default, for the
    post-launch actions), and reports the job and the launched EC2 instances. The resource ID is the job ID.
    """

    _schema = CUTOVER
    _args_type = CutoverArgs
    _provider_type = CutoverProvider

    finalized: pulumi.Output[bool]
    """Whether the cutover was finalized."""

    @overload
    def __init__(self, resource_name: str, args: CutoverArgs, opts: pulumi.ResourceOptions | None = None) -> None: ...

    @overload
    def __init__(
        self, resource_name: str, args: None = None, opts: pulumi.ResourceOptions | None = None,
        **inputs: Unpack[CutoverInputs],
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(resource_name, *args, **kwargs)
