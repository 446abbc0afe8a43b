"""Pulumi's check/diff/create/read/update/delete for MGN launches and launch settings, translating props to and from
the engine (``translate.py``). The three providers' import paths are stored in stacks' state: never move them."""

from .cutover import CutoverProvider
from .launch_settings import LaunchSettingsProvider
from .test_launch import TestLaunchProvider

__all__ = ["CutoverProvider", "LaunchSettingsProvider", "TestLaunchProvider"]
