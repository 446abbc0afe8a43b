"""Pulumi's check/diff/create/read/update/delete for MGN launches, translating to and from the engine."""

from .cutover import CutoverProvider
from .test_launch import TestLaunchProvider

__all__ = ["CutoverProvider", "TestLaunchProvider"]
