"""The room code a served room asks for when it is open beyond this machine."""

from __future__ import annotations

import ipaddress
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Capitals and digits without the look-alikes (0/O, 1/I/L), so a code read off a projector
is typed right the first time."""

CODE_LENGTH = 6
"""31**6 is about 887 million codes: far more than a classroom can guess while the room runs."""


def new_code() -> str:
    """A fresh room code from the operating system's random source."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def matches(given: str | None, code: str) -> bool:
    """Whether ``given`` is ``code`` (case and surrounding blanks ignored), in constant time."""
    if given is None:
        return False
    return secrets.compare_digest(given.strip().upper().encode(), code.encode())


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the server on this machine (no room code needed).

    ``localhost`` and the loopback addresses count; every other name or address (``0.0.0.0``,
    a LAN address, a host name) reaches other machines.
    """
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
