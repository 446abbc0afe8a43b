"""What the generated Args classes call, and how a resource turns Args or keyword arguments into its props."""

from collections.abc import Mapping
from typing import Any, TypeVar

import pulumi

from ..schema import ResourceSchema, schema_of

ArgsT = TypeVar("ArgsT")


def set_inputs(args: object, resource: str, inputs: Mapping[str, Any]) -> None:
    """Check the keyword arguments of ``resource``'s Args class and `pulumi.set` each one given (not None), so an
    unset input stays unset. The one place unknown and missing keyword arguments are refused."""
    schema = schema_of(resource)
    unknown = sorted(set(inputs) - set(schema.names))
    if unknown:
        raise TypeError(f"Unexpected keyword argument(s) for {type(args).__name__}: {', '.join(unknown)}")
    _require(schema, inputs)
    for name, value in inputs.items():
        if value is not None:
            pulumi.set(args, name, value)


def resolve_args(
    args_type: type[ArgsT], resource_name: str, args: ArgsT | None, kwargs: dict[str, Any]
) -> dict[str, Any]:
    """The inputs as a dict of snake_case names, from either an Args object or keyword arguments (not both)."""
    if not isinstance(resource_name, str) or not resource_name:
        raise TypeError("Expected resource_name to be a non-empty string")
    if args is not None and kwargs:
        raise TypeError(f"Pass either a {args_type.__name__} or keyword arguments, not both")
    if args is None:
        args = args_type(**kwargs)  # checks them
    elif not isinstance(args, args_type):
        raise TypeError(f"Expected args to be a {args_type.__name__}, got {type(args).__name__}")
    return dict(vars(args))


def build_props(inputs: Mapping[str, Any], schema: ResourceSchema, outputs: tuple[str, ...]) -> dict[str, Any]:
    """Every input (None when unset) and every output seeded as None, so each key becomes an Output attribute."""
    _require(schema, inputs)
    props: dict[str, Any] = {name: inputs.get(name) for name in schema.names}
    for name in outputs:
        props[name] = None
    return props


def _require(schema: ResourceSchema, inputs: Mapping[str, Any]) -> None:
    """A TypeError for a required input not given, or for none given of inputs that are alternatives (``check`` refuses
    more than one of them, in the sentence both faces share)."""
    for name in schema.required:
        if inputs.get(name) is None:
            raise TypeError(f"Missing required property '{name}'")
    for names in schema.alternatives:
        if all(inputs.get(name) is None for name in names):
            raise TypeError(f"Missing required property '{names[0]}' (or {' or '.join(repr(n) for n in names[1:])})")


def check_opts(opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions | None:
    if opts is not None and not isinstance(opts, pulumi.ResourceOptions):
        raise TypeError("Expected resource options to be a ResourceOptions instance")
    return opts
