"""``pulumi-resource-mgn``: the provider plugin's gRPC server (``python -m mgn_resources.plugin ENGINE_ADDRESS``).

The engine starts it with its own address as the first argument; the server prints its port on stdout.
"""

from __future__ import annotations

import argparse
import sys

from .. import __version__
from .provider import MgnProvider
from .servicer import serve


def engine_address(args: list[str]) -> str:
    """The engine's address among the plugin's arguments, read as the SDK's server reads it ("" if none)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("engine", nargs="?", default="")
    parser.add_argument("--logflow", action="store_true")
    parser.add_argument("--logtostderr", action="store_true")
    known, _ = parser.parse_known_args(args)
    return str(known.engine)


def main() -> None:
    args = sys.argv[1:]
    serve(args, __version__, MgnProvider(engine_address(args)))


if __name__ == "__main__":
    main()
