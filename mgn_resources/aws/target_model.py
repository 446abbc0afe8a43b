"""What botocore's MGN and EC2 models say about a launch target's settings: enums and tag limits."""

from __future__ import annotations

from .botodata import service_model


def model_enum(service: str, shape: str) -> tuple[str, ...]:
    """The values of enum ``shape`` in ``service``'s model (``("ec2", "InstanceType")``)."""
    return tuple(service_model(service).shape_for(shape).enum)  # type: ignore[attr-defined]
