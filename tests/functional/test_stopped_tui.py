"""The room's TUI stopped by a signal, as a real process on a real terminal (a pty).

SIGTERM (``kill``, a service manager) and SIGHUP (the terminal window closed) end the
app as ``q`` does: the terminal leaves the app's screen, the session is saved and
said, and a class host marks itself finished, so its guests see the class end at once
instead of waiting out the heartbeat.
"""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

TIMEOUT = 60.0
"""Generous: a deadline on a shared machine, never an expectation."""

LEAVE_ALT_SCREEN = b"\x1b[?1049l"


class Terminal:
    """A pty of 100x30 whose output is read (and kept) as the app writes it."""

    def __init__(self) -> None:
        self.leader, self.follower = pty.openpty()
        fcntl.ioctl(self.follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.output = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.leader, 65536)
            except OSError:  # the last process on the terminal closed it
                return
            if not data:
                return
            self.output += data

    def close(self) -> None:
        os.close(self.leader)
        self._reader.join(timeout=TIMEOUT)


def _hosts(db: Path) -> list[tuple[str, int]]:
    if not db.exists():
        return []
    with sqlite3.connect(db, timeout=TIMEOUT) as conn:
        try:
            return conn.execute("SELECT session_id, finished FROM hosts").fetchall()
        except sqlite3.OperationalError:  # the schema is still being made
            return []


@pytest.mark.parametrize(
    ("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)], ids=["SIGTERM", "SIGHUP"]
)
def test_a_workshop_stopped_by_a_signal_restores_the_terminal_and_ends_the_class(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    db = tmp_path / "class.db"
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        **{f"XDG_{kind}_HOME": str(tmp_path / kind.lower()) for kind in ("DATA", "CACHE")},
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    terminal = Terminal()
    process = subprocess.Popen(
        [sys.executable, "-m", "rednote_sim", "workshop", "--db", str(db)],
        stdin=terminal.follower,
        stdout=terminal.follower,
        stderr=terminal.follower,
        env=env,
    )
    os.close(terminal.follower)
    try:
        deadline = time.monotonic() + TIMEOUT
        while not (hosts := _hosts(db)):
            assert process.poll() is None, bytes(terminal.output)[-2000:]
            assert time.monotonic() < deadline, "the workshop never started hosting"
            time.sleep(0.1)
        ((session, finished),) = hosts
        assert finished == 0
        process.send_signal(sig)
        assert process.wait(timeout=TIMEOUT) == code
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        terminal.close()
    assert _hosts(db) == [(session, 1)]  # the class ended, not its host vanished
    shown = bytes(terminal.output)
    # The app left its screen (the terminal is usable again), then said where it saved.
    after_app = shown[shown.rindex(LEAVE_ALT_SCREEN) :].decode("utf-8", "replace")
    assert f"session {session} saved to {db}" in after_app
    assert "Traceback" not in shown.decode("utf-8", "replace")
