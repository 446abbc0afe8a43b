"""Processes `pulumi up` waits for (the provider hosts, the program) exit without collecting their heap.

Observed the one way that needs no timing: an object in a reference cycle with a finalizer is left over at exit;
Python's finalization collects it (its finalizer prints) unless the heap was frozen at exit.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.harness.host import REPO_ROOT

LEFT_OVER = textwrap.dedent(
    """
    class LeftOver:
        def __del__(self):
            print("collected at exit", flush=True)

    cycle = LeftOver()
    cycle.self = cycle
    del cycle
    import gc
    gc.disable()  # the cycle stays until the collections of the interpreter's exit
    """
)

MOCKS = textwrap.dedent(
    """
    import pulumi

    class Mocks(pulumi.runtime.Mocks):
        def new_resource(self, args):
            return [args.name + "-id", args.inputs]

        def call(self, args):
            return {}

    pulumi.runtime.set_mocks(Mocks(), preview=False)
    """
)


def exit_output(setup: str) -> str:
    code = setup + LEFT_OVER
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    return done.stdout


def test_without_it_the_exit_collects_the_heap() -> None:
    """The observation itself: a plain interpreter collects the cycle at exit."""
    assert "collected at exit" in exit_output("")


@pytest.mark.parametrize(
    "setup",
    [
        "from mgn_resources.quick_exit import exit_without_collecting\nexit_without_collecting()\n",
        # the dynamic provider host: every provider registers it at configure
        "from pulumi.dynamic import ConfigureRequest\n"
        "from mgn_resources.provider.cutover import CutoverProvider\n"
        "CutoverProvider().configure(ConfigureRequest({'aws:region': 'us-east-1'}))\n",
        # a program: each resource registers it
        MOCKS + "from mgn_resources import Cutover\nCutover('c', source_server_ids=['s-00000000000000001'])\n",
        MOCKS + "from mgn_resources import LaunchSettings\n"
        "LaunchSettings('s', source_server_id='s-00000000000000001', instance_type='t3.micro')\n",
    ],
    ids=["function", "dynamic-provider-configure", "program-cutover", "program-launch-settings"],
)
def test_the_exit_leaves_the_heap_uncollected(setup: str) -> None:
    assert "collected at exit" not in exit_output(setup)
