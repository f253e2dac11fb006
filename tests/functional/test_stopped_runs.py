"""Headless runs that are stopped (Ctrl-C, SIGTERM) or killed, in real processes.

A stopped run still says which session it saved; a run killed before its first
message leaves a session that `sessions` marks as empty and `replay` explains.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.files import one_error_line, run_cli


def _demo(db: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "rednote_sim", "demo", "--headless", "--seed", "5", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "RNSIM_DB": str(db)},
        # A non-interactive shell's background job ignores SIGINT; a terminal would not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


@pytest.mark.parametrize(
    ("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"]
)
def test_a_stopped_headless_run_prints_its_session_id(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    db = tmp_path / "run.db"
    demo = _demo(db, "--jsonl", "--speed", "1")
    assert demo.stdout is not None
    first = json.loads(demo.stdout.readline())  # one message shown (and on disk)
    demo.send_signal(sig)
    _, stderr = demo.communicate(timeout=120)
    assert demo.returncode == code, stderr
    assert "Traceback" not in stderr
    sid = first["session"]
    (summary,) = stderr.splitlines()
    assert summary.startswith(f"session {sid} saved to {db} (")
    assert "stopped before the end" in summary
    assert summary.endswith(f"replay it with: rednote-sim replay {sid}")
    replay = run_cli("replay", sid, "--headless", "--speed", "max", "--db", str(db))
    assert replay.returncode == 0, replay.stderr
    assert first["text"] in replay.stdout


def test_a_run_killed_before_its_first_message_is_marked_empty(tmp_path: Path) -> None:
    db = tmp_path / "run.db"
    demo = _demo(db, "--speed", "0.01")  # the first message is minutes away
    try:
        sid = _wait_for_session(db)
    finally:
        demo.kill()
        demo.communicate(timeout=60)
    listing = run_cli("sessions", "--db", str(db))
    assert listing.returncode == 0, listing.stderr
    row = next(line for line in listing.stdout.splitlines() if line.startswith(sid))
    assert "0 (empty)" in row
    error = one_error_line(run_cli("replay", sid, "--headless", "--db", str(db)))
    assert f"session {sid} has no messages" in error


def _wait_for_session(db: Path) -> str:
    """The id of the session the demo created, once it is committed."""
    for _ in range(6000):
        if db.exists():
            with (
                contextlib.closing(sqlite3.connect(db, timeout=30)) as raw,
                contextlib.suppress(sqlite3.OperationalError),  # tables not there yet
            ):
                row = raw.execute("SELECT id FROM sessions").fetchone()
                if row:
                    return str(row[0])
        time.sleep(0.05)
    raise AssertionError("the demo never created its session")
