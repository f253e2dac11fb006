"""The benchmark runs end to end (tiny settings; no timing is asserted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.model


def bench_on_the_model(models_dir: Path, bench: str) -> subprocess.CompletedProcess[str]:
    """``python -m rednote_sim.bench BENCH`` on the installed zh->en package, in a subprocess."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "rednote_sim.bench",
            bench,
            "--model",
            str(models_dir / "translate-zh_en-1_9"),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_bench_translate_smoke(zh_en_models_dir: Path) -> None:
    package_dir = zh_en_models_dir / "translate-zh_en-1_9"
    # A subprocess: the benchmark imports argostranslate.translate (torch), the suite does not.
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "rednote_sim.bench",
            "translate",
            "--model",
            str(package_dir),
            "--limit",
            "4",
            "--repeat",
            "1",
            "--skip-argos-defaults",
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "argos:translate-zh_en@1.9" in out
    for label in (
        "(a) Argos per-message",
        "(b) ours, batched",
        "(c) speed-up:",
        "(d) outputs:",
        "(f) our engine by beam",
        "(g) TranslationService",
        "(h) TranslationService",
    ):
        assert label in out
    assert "(e) TranslationService" in out


def test_bench_reports_a_bad_model_path(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rednote_sim.bench", "translate", "--model", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error:")


def test_bench_quality_runs_on_the_real_scenarios(zh_en_models_dir: Path) -> None:
    done = bench_on_the_model(zh_en_models_dir, "quality")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "argos:translate-zh_en@1.9" in out
    for label in ("scenario beats: ", "held-out chat lines: "):
        assert label in out, out
    for label in ("placeholder residue:  0", "missing spans:        0"):
        assert out.count(label) == 2, out  # in both corpora
    for label in ("chrF vs references:", "fragmented (>= 2 extra", "lost placeholders:", "doubled"):
        assert out.count(label) >= 2, out


def test_glossary_marks_agree_with_the_model(zh_en_models_dir: Path) -> None:
    # A term marked model_translates_zh loses its placeholder: the mark must be true of
    # the model (and a term the model gets right should be marked).
    done = bench_on_the_model(zh_en_models_dir, "glossary")
    assert done.returncode == 0, done.stderr
    assert "; 0 marked otherwise in the glossary" in done.stdout, done.stdout
    assert "needed 小红书 -> RedNote" in done.stdout
    assert "known  成都 -> Chengdu" in done.stdout


def test_bench_slang_prints_each_entry_and_the_totals(zh_en_models_dir: Path) -> None:
    done = bench_on_the_model(zh_en_models_dir, "slang")
    assert done.returncode == 0, done.stderr
    assert "笑死 -> render 'LOL'" in done.stdout
    assert "examples: chrF " in done.stdout and " with the lexicon, " in done.stdout
