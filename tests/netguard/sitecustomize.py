"""Network guard for subprocesses started by the test suite.

The suite puts this directory on PYTHONPATH, so every Python subprocess (the
CLI run as a real process, the concurrent-writer test, ...) imports it at start
and cannot open an inet connection or resolve a host name. Unix sockets (used
by asyncio's event loop) stay allowed.
"""

from __future__ import annotations

import socket
from typing import Any

_INET = (socket.AF_INET, socket.AF_INET6)
_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _refuse(*_: Any, **__: Any) -> Any:
    raise OSError("network access is blocked in rednote-sim's test suite")


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if self.family in _INET:
        _refuse()
    _connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if self.family in _INET:
        _refuse()
    return _connect_ex(self, address)


socket.socket.connect = _guarded_connect  # type: ignore[method-assign,assignment]
socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign,assignment]
socket.getaddrinfo = _refuse
socket.create_connection = _refuse
