"""``rednote-sim lookup`` through real subprocesses, on the real dictionary."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def lookup(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rednote_sim", "lookup", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


def test_chinese_and_english_in_text() -> None:
    proc = lookup("卷子", "猫", "test paper")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.index("卷子  juànzi") < out.index("卷子  juǎnzi")
    assert "  1. test paper; examination paper" in out
    assert "猫 (貓)  māo  [HSK 1]" in out
    assert "  measure word: 只 (隻) zhī" in out
    assert "test paper:\n  试卷 (試卷)  shìjuàn" in out


def test_json_is_one_array_one_object_per_query_in_order() -> None:
    proc = lookup("--json", "小红书", "cat", "xyzzyplugh")
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    assert [r["query"] for r in results] == ["小红书", "cat", "xyzzyplugh"]
    keys = {"query", "kind", "found", "simplified", "traditional", "pinyin", "pinyin_numbered"}
    keys |= {"definitions", "measure_words", "hsk", "source", "note", "also"}
    assert all(set(r) == keys for r in results)
    rednote, cat, missing = results
    assert (rednote["source"], rednote["definitions"]) == ("glossary", ["RedNote"])
    assert cat["simplified"] == "猫" and cat["hsk"]["2025"] == 1
    assert cat["measure_words"] == [{"simplified": "只", "traditional": "隻", "pinyin": "zhī"}]
    assert len(cat["also"]) == 4  # --max 5 in all
    assert missing["found"] is False and missing["definitions"] == []


def test_partial_results_exit_0_and_say_not_found() -> None:
    proc = lookup("猫", "xyzzyplugh")
    assert proc.returncode == 0
    assert "xyzzyplugh: not found" in proc.stdout


def test_nothing_found_exits_2_with_one_clear_line() -> None:
    proc = lookup("xyzzyplugh", "qqqzzz")
    assert proc.returncode == 2
    assert proc.stdout.splitlines() == ["xyzzyplugh: not found", "", "qqqzzz: not found"]
    assert proc.stderr.startswith("error: could not find any of the words")
    assert "Traceback" not in proc.stderr
    empty = lookup()
    assert empty.returncode == 2 and "nothing to look up" in empty.stderr


def test_stdin_lines() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "rednote_sim", "lookup", "--json"],
        input="猫\n\n卷子\n",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert [r["pinyin"] for r in json.loads(proc.stdout)] == ["māo", "juànzi"]


def test_text_from_the_glossary_is_printed_as_text(personas_dir: Path, tmp_path: Path) -> None:
    content = tmp_path / "personas"
    shutil.copytree(personas_dir, content)
    (content / "glossary.toml").write_text(
        '[[terms]]\nen = "evil\\u001b[31m"\nzh = "坏猫"\nnote = "bidi \\u202e here"\n',
        encoding="utf-8",
    )
    env = {"RNSIM_PERSONAS_DIR": str(content)}
    proc = lookup("坏猫", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "\u202e" not in proc.stdout
    assert "evil\\x1b[31m" in proc.stdout and "bidi \\u202e here" in proc.stdout
    as_json = lookup("--json", "坏猫", env=env)
    assert "\u202e" not in as_json.stdout
    assert json.loads(as_json.stdout)[0]["note"] == "bidi \u202e here"


def test_a_broken_glossary_is_one_line_exit_2(personas_dir: Path, tmp_path: Path) -> None:
    content = tmp_path / "personas"
    shutil.copytree(personas_dir, content)
    (content / "glossary.toml").write_text("[[terms]\n", encoding="utf-8")
    proc = lookup("猫", env={"RNSIM_PERSONAS_DIR": str(content)})
    assert proc.returncode == 2
    assert "glossary.toml" in proc.stderr and "Traceback" not in proc.stderr


def test_slang_is_looked_up_with_its_note() -> None:
    proc = lookup("--json", "笑死", "no cap")
    assert proc.returncode == 0, proc.stderr
    laugh, cap = json.loads(proc.stdout)
    assert (laugh["source"], cap["source"]) == ("slang", "slang")
    assert laugh["note"] and "LOL" in laugh["definitions"][0]
    assert cap["simplified"] == "no cap" and cap["pinyin"] == ""


def test_a_broken_slang_file_is_one_line_exit_2(personas_dir: Path, tmp_path: Path) -> None:
    content = tmp_path / "personas"
    shutil.copytree(personas_dir, content)
    (content / "slang.toml").write_text('[[slang]]\nterm = "宝"\nlang = "zh"\n', encoding="utf-8")
    proc = lookup("猫", env={"RNSIM_PERSONAS_DIR": str(content)})
    assert proc.returncode == 2
    assert "slang.toml" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("args", [["--help"]])
def test_help_credits_the_dictionary(args: list[str]) -> None:
    proc = lookup(*args)
    assert proc.returncode == 0
    assert "CC-CEDICT" in proc.stdout and "CC BY-SA 4.0" in proc.stdout


def test_lookup_never_imports_textual_or_the_translator() -> None:
    script = (
        "import sys\n"
        "from rednote_sim.cli import cli\n"
        "try:\n"
        "    cli.main(['lookup', '猫'], standalone_mode=False)\n"
        "finally:\n"
        "    bad = [m for m in ('textual', 'ctranslate2', 'argostranslate') if m in sys.modules]\n"
        "    print('LOADED', bad, file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert "LOADED []" in proc.stderr
