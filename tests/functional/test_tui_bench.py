"""The room benchmark runs end to end on small sessions (no timing is asserted)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from rednote_sim.bench.tui_bench import OPERATIONS


def test_bench_tui_smoke() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "rednote_sim.bench",
            "tui",
            "--sizes",
            "30,150",
            "--repeat",
            "1",
            "--rounds",
            "1",
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=280,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["30", "msgs", "150", "msgs", "150/30"]
    for name in OPERATIONS:
        (row,) = [line for line in lines if re.match(rf"{re.escape(name)}( \(flat\))?  ", line)]
        assert row.rstrip().endswith("x"), row  # a figure per size and the ratio
    (mounted,) = [line for line in lines if line.startswith("cards mounted")]
    assert mounted.split()[-2:] == ["30", "120"]  # all 30; the window (120) of 150
