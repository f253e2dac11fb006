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


MAX_WRONG = 10
"""Wrong codes one address may try per :data:`WRONG_WINDOW` before it is refused (429)."""

WRONG_WINDOW = 60.0
"""Seconds over which wrong codes are counted: 10 a minute makes guessing hopeless."""

_MAX_TRACKED = 4096
"""Addresses remembered at most; the oldest are forgotten first (memory stays bounded)."""


class Guesses:
    """Wrong room codes per client address, so nobody can guess the code by trying.

    Args:
        limit: Wrong codes allowed per window.
        window: The window, in seconds.
    """

    def __init__(self, limit: int = MAX_WRONG, window: float = WRONG_WINDOW) -> None:
        self._limit = limit
        self._window = window
        self._wrong: dict[str, list[float]] = {}

    def blocked(self, who: str, now: float) -> bool:
        """Whether ``who`` tried too many wrong codes within the window before ``now``."""
        recent = [at for at in self._wrong.get(who, ()) if now - at < self._window]
        if recent:
            self._wrong[who] = recent
        else:
            self._wrong.pop(who, None)
        return len(recent) >= self._limit

    def wrong(self, who: str, now: float) -> None:
        """Count one wrong code from ``who`` at ``now``."""
        self._wrong.setdefault(who, []).append(now)
        while len(self._wrong) > _MAX_TRACKED:
            del self._wrong[next(iter(self._wrong))]
