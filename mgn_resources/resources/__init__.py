"""The typed public surface: `Cutover`, `TestLaunch`, `LaunchSettings` and their Args classes."""

from .cutover import Cutover, CutoverArgs
from .settings import LaunchSettings, LaunchSettingsArgs
from .test_launch import TestLaunch, TestLaunchArgs

__all__ = ["Cutover", "CutoverArgs", "LaunchSettings", "LaunchSettingsArgs", "TestLaunch", "TestLaunchArgs"]
