"""The look-up benchmark runs end to end on the real data (no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys


def test_bench_lookup_smoke() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rednote_sim.bench", "lookup", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line[:3] for line in lines] == ["(a)", "(b)", "(c)", "(d)", "(e)", "(f)"]
    assert "(10 look-ups)" in lines[3] and "(8 look-ups)" in lines[4]
    assert "one build costs as much as" in lines[5]
