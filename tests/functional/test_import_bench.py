"""The import benchmark runs end to end (a small N; no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys


def test_bench_import_smoke() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rednote_sim.bench", "import", "--records", "300"],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("     300 records: validate ")
    assert lines[1].startswith("     600 records: validate ")
    assert lines[2].startswith("2x the records took ") and "quadratic: about 4" in lines[2]
