"""The typed public surface: `Cutover`, `TestLaunch` and their Args classes."""

from .cutover import Cutover, CutoverArgs
from .test_launch import TestLaunch, TestLaunchArgs

__all__ = ["Cutover", "CutoverArgs", "TestLaunch", "TestLaunchArgs"]
