"""The typed public surface: `Cutover`, `TestLaunch`, `LaunchSettings` and their Args classes, and
`get_wave_applications` (an MGN wave's applications and their servers, read while the program runs)."""

from .cutover import Cutover, CutoverArgs
from .lookups import WaveApplication, get_wave_applications
from .settings import LaunchSettings, LaunchSettingsArgs
from .test_launch import TestLaunch, TestLaunchArgs

__all__ = [
    "Cutover",
    "CutoverArgs",
    "LaunchSettings",
    "LaunchSettingsArgs",
    "TestLaunch",
    "TestLaunchArgs",
    "WaveApplication",
    "get_wave_applications",
]
