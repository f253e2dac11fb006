from __future__ import annotations

import json
from pathlib import Path

import pytest

from rednote_sim.translate.engine import ArgosEngine, ThreadPlan, has_words, thread_plan
from rednote_sim.translate.packages import InstalledPackage


def test_explicit_threads_are_intra_op_threads() -> None:
    assert thread_plan(3) == ThreadPlan(inter=1, intra=3)


def test_automatic_threads_use_every_core(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1, 2, 3}, raising=False)
    assert thread_plan(0) == ThreadPlan(inter=2, intra=2)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0}, raising=False)
    assert thread_plan(0) == ThreadPlan(inter=1, intra=1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("你好", True),
        ("hi", True),
        ("XQ0 XQ1", False),
        ("！！！", False),
        ("123", False),
        ("", False),
    ],
)
def test_has_words(text: str, expected: bool) -> None:
    assert has_words(text) is expected


def test_engine_is_lazy_and_labelled(tmp_path: Path) -> None:
    (tmp_path / "metadata.json").write_text(json.dumps({}))
    package = InstalledPackage("translate-zh_en", "zh", "en", "1.9", tmp_path)
    engine = ArgosEngine(package, beam_size=2, threads=1)
    assert engine.engine_id == "argos:translate-zh_en@1.9"
    assert (engine.source, engine.target) == ("zh", "en")
    assert not engine.loaded
    assert "beam=2" in repr(engine)
    # Sentences without words never need the model, so nothing is loaded for them.
    assert engine.translate_batch(["🐱", "XQ0", ""]) == ["🐱", "XQ0", ""]
    assert not engine.loaded


def test_languages_other_than_en_and_zh_are_refused(tmp_path: Path) -> None:
    package = InstalledPackage("translate-de_en", "de", "en", "1.0", tmp_path)
    with pytest.raises(ValueError, match="only translates between en and zh"):
        ArgosEngine(package)
