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
