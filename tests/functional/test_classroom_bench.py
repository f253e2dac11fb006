"""The classroom benchmark runs end to end with a tiny class (no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys


def test_bench_classroom_smoke() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rednote_sim.bench", "classroom", "--sizes", "2", "--seconds", "3"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("classroom: a real host process")
    assert lines[1].startswith("  N=0 (baseline): host CPU ")
    assert lines[2].startswith("  N=2: sent ")
    sent = int(lines[2].split("sent ")[1].split(",")[0])
    posted = int(lines[2].split("posted ")[1].split(",")[0])
    assert sent >= 2 and posted == sent  # every guest posted at least once, all taken
    assert "refused 0" in lines[2] and "latency median " in lines[2] and " ms, p95 " in lines[2]
