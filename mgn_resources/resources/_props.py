"""What `Cutover` and `TestLaunch` share: turning Args or keyword arguments into the props of a dynamic resource."""

from typing import Any, TypeVar

import pulumi

ArgsT = TypeVar("ArgsT")

# Outputs both resources report; each resource adds its own (``finalized``, ``marked_ready_for_cutover``).
COMMON_OUTPUTS: tuple[str, ...] = (
    "job_id",
    "job_arn",
    "job_status",
    "launched_instance_ids",
    "instance_ids",
    "servers",
    "creation_time",
    "end_time",
    "effective_region",
    "effective_endpoint_url",
    "effective_role_arn",
    "effective_account_id",
)


def resolve_args(
    args_type: type[ArgsT], resource_name: str, args: ArgsT | None, kwargs: dict[str, Any]
) -> dict[str, Any]:
    """The inputs as a dict of snake_case names, from either an Args object or keyword arguments (not both)."""
    if not isinstance(resource_name, str) or not resource_name:
        raise TypeError("Expected resource_name to be a non-empty string")
    if args is not None and kwargs:
        raise TypeError(f"Pass either a {args_type.__name__} or keyword arguments, not both")
    if args is not None:
        if not isinstance(args, args_type):
            raise TypeError(f"Expected args to be a {args_type.__name__}, got {type(args).__name__}")
        return dict(vars(args))
    unknown = sorted(set(kwargs) - set(input_names(args_type)))
    if unknown:
        raise TypeError(f"Unexpected keyword argument(s) for {args_type.__name__}: {', '.join(unknown)}")
    return dict(kwargs)


def build_props(
    inputs: dict[str, Any], input_names: tuple[str, ...], required: tuple[str, ...], outputs: tuple[str, ...]
) -> dict[str, Any]:
    """Every input (None when unset) and every output seeded as None, so each key becomes an Output attribute."""
    for name in required:
        if inputs.get(name) is None:
            raise TypeError(f"Missing required property '{name}'")
    props: dict[str, Any] = {name: inputs.get(name) for name in input_names}
    for name in outputs:
        props[name] = None
    return props


def check_opts(opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions | None:
    if opts is not None and not isinstance(opts, pulumi.ResourceOptions):
        raise TypeError("Expected resource options to be a ResourceOptions instance")
    return opts


def input_names(args_type: type) -> tuple[str, ...]:
    """The input names of an Args class: its properties and its bases', base first (the order Pulumi reads them)."""
    names: dict[str, None] = {}
    for klass in reversed(args_type.__mro__):
        names.update((name, None) for name, value in vars(klass).items() if isinstance(value, property))
    return tuple(names)
