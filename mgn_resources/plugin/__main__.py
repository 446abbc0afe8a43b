"""``pulumi-resource-mgn``: the provider plugin's gRPC server (``python -m mgn_resources.plugin ENGINE_ADDRESS``).

The engine starts it with its own address as the first argument; the server prints its port on stdout.
"""

from __future__ import annotations

import sys

from .. import __version__
from .provider import MgnProvider
from .servicer import engine_address, serve


def main() -> None:
    args = sys.argv[1:]
    serve(args, __version__, MgnProvider(engine_address(args)))


if __name__ == "__main__":
    main()
