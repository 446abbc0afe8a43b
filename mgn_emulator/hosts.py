"""Which requests are addressed to this emulator: loopback clients and ``Host`` headers (against DNS rebinding).

After DNS rebinding, a web page's own host name resolves to 127.0.0.1: its requests reach the emulator as
same-origin requests, which may carry any header, ``Authorization`` included. Only the ``Host`` header still
shows the page's name, so the emulator answers only a ``Host`` that names where it listens.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit


def is_loopback(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return bool(ip.is_loopback or (mapped is not None and mapped.is_loopback))


def host_name(host: str) -> str:
    """The name a ``Host`` header addresses, without port, brackets or a final dot; "" if it is not a plain host."""
    if any(c in host for c in "@/?#\\ "):
        return ""
    try:
        name = urlsplit(f"//{host}").hostname or ""
    except ValueError:
        return ""
    return name.rstrip(".").lower()


def is_loopback_host(host: str) -> bool:
    """Whether a ``Host`` header names this machine: ``localhost`` or a loopback address, with or without a port."""
    name = host_name(host)
    return name == "localhost" or is_loopback(name)


@dataclass(frozen=True)
class AddressedHere:
    """The ``Host`` headers MGN routes answer for an emulator listening on ``bound``.

    Always ``localhost`` and loopback addresses. Bound to another address, also that address. Bound to every
    address (``0.0.0.0``, ``::``), any name: the emulator is then reachable by names it cannot know, and is
    exposed to the network anyway.
    """

    bound: str

    def __call__(self, host: str) -> bool:
        if is_loopback_host(host) or self._every_address:
            return True
        name = host_name(host)
        return bool(name) and name == self.bound.strip("[]").rstrip(".").lower() and not self._loopback

    @property
    def accepted(self) -> str:
        if self._loopback:
            return "localhost or a loopback address"
        return f"localhost, a loopback address or {self.bound}"

    @property
    def _loopback(self) -> bool:
        return self.bound.lower() == "localhost" or is_loopback(self.bound.strip("[]"))

    @property
    def _every_address(self) -> bool:
        try:
            return ipaddress.ip_address(self.bound.strip("[]")).is_unspecified
        except ValueError:
            return self.bound == ""
