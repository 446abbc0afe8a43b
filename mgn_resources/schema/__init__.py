"""The input schema: one table (`launch.INPUTS`) describes every input of every resource.

From it come the Args classes and their TypedDicts (generated: ``python -m mgn_resources.schema.generate``), the
README's input table (generated too), and at run time check's rules and defaults, diff's replace and update sets,
and the engine's LaunchSpec. No Pulumi import.
"""

from .launch import (
    BY_KIND,
    CUTOVER,
    INPUTS,
    LAUNCH_SETTINGS,
    RESOURCES,
    RESTORE,
    SHARED_BASES,
    TEST_LAUNCH,
    launch_spec,
)
from .model import REQUIRED, Change, Input, ResourceSchema, Variant

__all__ = [
    "BY_KIND",
    "CUTOVER",
    "INPUTS",
    "LAUNCH_SETTINGS",
    "RESTORE",
    "REQUIRED",
    "RESOURCES",
    "SHARED_BASES",
    "TEST_LAUNCH",
    "Change",
    "Input",
    "ResourceSchema",
    "Variant",
    "launch_spec",
    "schema_of",
]


def schema_of(name: str) -> ResourceSchema:
    """The schema of resource ``name`` ("Cutover", "TestLaunch", "LaunchSettings")."""
    return next(r for r in RESOURCES if r.name == name)
