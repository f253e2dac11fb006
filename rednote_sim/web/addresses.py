"""Where a browser on another machine finds this one, and the address as a QR code."""

from __future__ import annotations

import io
import ipaddress
import socket
import struct
import sys

_SIOCGIFADDR = 0x8915  # Linux: an interface's IPv4 address


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback (Linux; elsewhere none).

    Read from the network interfaces themselves: no name lookup, nothing sent.
    """
    if not sys.platform.startswith("linux"):
        return []
    import fcntl

    found: list[str] = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for _, name in socket.if_nameindex():
            request = struct.pack("256s", name.encode()[:15])
            try:
                reply = fcntl.ioctl(probe.fileno(), _SIOCGIFADDR, request)
            except OSError:  # no IPv4 address on this interface
                continue
            address = socket.inet_ntoa(reply[20:24])
            if not ipaddress.ip_address(address).is_loopback and address not in found:
                found.append(address)
    return found


def public_hosts(bound: str) -> list[str]:
    """The host names to print in the room's address for a server bound to ``bound``.

    A wildcard (``0.0.0.0``, ``::``) is no address a browser can open: it stands for
    every address of this machine, so those are listed (or the machine's name when
    none can be read).
    """
    name = bound.strip("[]")
    if name not in ("0.0.0.0", "::", ""):
        return [f"[{name}]" if ":" in name else name]
    return lan_addresses() or [socket.gethostname()]


def qr_text(url: str) -> str:
    """``url`` as a QR code drawn with block characters, for the terminal."""
    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True)
    return out.getvalue()
