"""The input schema: one table (`inputs.INPUTS`) describes every input of every resource.

From it come the Args classes and their TypedDicts (generated: ``python -m mgn_resources.schema.generate``), the
README's input tables (generated too), and at run time check's rules and defaults and diff's replace and update
sets. It describes inputs only: the provider turns them into engine calls. No Pulumi import, no engine import.
"""

from .inputs import CUTOVER, INPUTS, LAUNCH_SETTINGS, RESOURCES, TEST_LAUNCH
from .model import REQUIRED, Change, Input, ResourceSchema

__all__ = [
    "CUTOVER",
    "INPUTS",
    "LAUNCH_SETTINGS",
    "REQUIRED",
    "RESOURCES",
    "TEST_LAUNCH",
    "Change",
    "Input",
    "ResourceSchema",
    "schema_of",
]


def schema_of(name: str) -> ResourceSchema:
    """The schema of resource ``name`` ("Cutover", "TestLaunch", "LaunchSettings")."""
    return next(r for r in RESOURCES if r.name == name)
