"""Pulumi dynamic resources that run AWS Application Migration Service (MGN) test launches and cutovers.

The public names load lazily, so importing the engine (or the adapter) does not import Pulumi.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mgn_resources.provider.cutover import CutoverProvider
    from mgn_resources.provider.launch_settings import LaunchSettingsProvider
    from mgn_resources.provider.test_launch import TestLaunchProvider
    from mgn_resources.resources import (
        Cutover,
        CutoverArgs,
        LaunchSettings,
        LaunchSettingsArgs,
        TestLaunch,
        TestLaunchArgs,
        WaveApplication,
        get_wave_applications,
    )

# The package's version, read by pyproject.toml; semantic versioning (see CHANGELOG.md).
__version__ = "0.1.0"

__all__ = [
    "Cutover",
    "CutoverArgs",
    "CutoverProvider",
    "LaunchSettings",
    "LaunchSettingsArgs",
    "LaunchSettingsProvider",
    "TestLaunch",
    "TestLaunchArgs",
    "TestLaunchProvider",
    "WaveApplication",
    "get_wave_applications",
]

_HOMES = {
    "Cutover": "mgn_resources.resources",
    "CutoverArgs": "mgn_resources.resources",
    "TestLaunch": "mgn_resources.resources",
    "TestLaunchArgs": "mgn_resources.resources",
    "CutoverProvider": "mgn_resources.provider.cutover",
    "LaunchSettings": "mgn_resources.resources",
    "LaunchSettingsArgs": "mgn_resources.resources",
    "LaunchSettingsProvider": "mgn_resources.provider.launch_settings",
    "TestLaunchProvider": "mgn_resources.provider.test_launch",
    "WaveApplication": "mgn_resources.resources",
    "get_wave_applications": "mgn_resources.resources",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'mgn_resources' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
