"""Helpers for tests on real files: editing fixtures, hostile paths, unprivileged runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

# Root ignores file permissions; without CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH in
# the bounding set, a root process is refused like any user would be.
_DROP_ROOT_OVERRIDES = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def edit_text(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a UTF-8 file (failing if it is not there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def permissions_apply() -> bool:
    """Whether file permissions can be tested here (as a user, or root via setpriv)."""
    return os.geteuid() != 0 or shutil.which("setpriv") is not None


def cli_command(*args: str) -> list[str]:
    """``python -m rednote_sim ARGS``, run so that file permissions apply even as root."""
    command = [sys.executable, "-m", "rednote_sim", *args]
    if os.geteuid() == 0 and shutil.which("setpriv"):
        return [*_DROP_ROOT_OVERRIDES, *command]
    return command


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess (permissions enforced) and capture its output."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        cli_command(*args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
        cwd=cwd,
    )


def one_error_line(proc: subprocess.CompletedProcess[str]) -> str:
    """The single ``error:`` line of a run that exited 2 without a traceback."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: "), proc.stderr
    return lines[0]


_HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("UPDATE sessions SET note = note")
print("held", flush=True)
sys.stdin.read()  # until the test closes our stdin
db.execute("ROLLBACK")
"""


class WriteLockHolder:
    """Another process in the middle of a write transaction on ``db`` (``BEGIN IMMEDIATE``).

    Use as a context manager; the lock is released when the block ends or on
    :meth:`release`.
    """

    def __init__(self, db: Path) -> None:
        self.db = db
        self.proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> WriteLockHolder:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _HOLDER, str(self.db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "held"
        return self

    def release(self) -> None:
        """End the other process's transaction (it rolls back and exits)."""
        if self.proc is not None and self.proc.stdin is not None and not self.proc.stdin.closed:
            self.proc.stdin.close()
            assert self.proc.wait(timeout=60) == 0

    def __exit__(self, *exc: object) -> None:
        self.release()
