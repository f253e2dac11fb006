"""`personas validate|list` and `scenarios list` on real files, good and bad.

Every bad-content case from the issue: exit 2, one line naming the file and the
line or field, a fix, and no traceback.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from rednote_sim.cli import cli
from tests.support.files import edit_text

ARRIVAL = "scenarios/arrival.toml"
FIRST_BEAT_PERSONA = 'persona = "maddie"'


_edit = edit_text


def _validate(directory: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["personas", "validate", str(directory)])
    return result.exit_code, result.output


def test_the_shipped_content_is_valid(personas_dir: Path) -> None:
    code, output = _validate(personas_dir)
    assert code == 0, output
    assert "OK" in output and "personas" in output


def _unknown_persona(root: Path) -> None:
    _edit(root / ARRIVAL, FIRST_BEAT_PERSONA, 'persona = "nobody_here"')


def _duplicate_persona_id(root: Path) -> None:
    source = next((root / "cast").glob("*.toml"))
    shutil.copy(source, root / "cast" / "zz_copy.toml")


def _duplicate_scenario_id(root: Path) -> None:
    shutil.copy(root / ARRIVAL, root / "scenarios" / "zz_arrival_copy.toml")


def _bad_language(root: Path) -> None:
    path = next((root / "cast").glob("*.toml"))
    text = path.read_text(encoding="utf-8")
    lang = 'language = "en"' if 'language = "en"' in text else 'language = "zh"'
    _edit(path, lang, 'language = "fr"')


def _negative_time(root: Path) -> None:
    _edit(root / ARRIVAL, 'at = "0:01"', "at = -4")


def _time_not_a_number(root: Path) -> None:
    _edit(root / ARRIVAL, 'at = "0:01"', 'at = "soon"')


def _empty_text(root: Path) -> None:
    path = root / ARRIVAL
    text = path.read_text(encoding="utf-8")
    start = text.index("text = ", text.index("[[beats]]"))
    end = text.index("\n", start)
    path.write_text(text[:start] + 'text = "   "' + text[end:], encoding="utf-8")


def _dangling_reply(root: Path) -> None:
    _edit(root / ARRIVAL, 'reply_to = "hello"', 'reply_to = "no_such_beat"')


def _invalid_toml(root: Path) -> None:
    _edit(root / ARRIVAL, FIRST_BEAT_PERSONA, 'persona = "maddie')


def _not_utf8(root: Path) -> None:
    path = root / ARRIVAL
    path.write_bytes(path.read_bytes().replace("初来乍到".encode(), "初来乍到".encode("gbk"), 1))


CASES: dict[str, tuple[Callable[[Path], None], str, list[str]]] = {
    "unknown persona": (_unknown_persona, ARRIVAL, ["persona", "nobody_here", "fix:"]),
    "duplicate persona id": (_duplicate_persona_id, "cast/zz_copy.toml", ["duplicate persona id"]),
    "duplicate scenario id": (
        _duplicate_scenario_id,
        "scenarios/zz_arrival_copy.toml",
        ["duplicate scenario id"],
    ),
    "bad language code": (_bad_language, "cast/", ["language", "'fr'", "'en' or 'zh'"]),
    "negative time": (_negative_time, ARRIVAL, ["beats[0].at", "negative"]),
    "time not a number": (_time_not_a_number, ARRIVAL, ["beats[0].at", "m:ss"]),
    "empty text": (_empty_text, ARRIVAL, ["beats[0].text", "empty"]),
    "reply_to names no beat": (_dangling_reply, ARRIVAL, ["reply_to", "no_such_beat"]),
    "invalid TOML": (_invalid_toml, ARRIVAL, ["invalid TOML", "fix the syntax"]),
    "non-UTF-8 bytes": (_not_utf8, ARRIVAL, ["UTF-8"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_content_exits_2_naming_file_line_or_field_and_fix(content: Path, case: str) -> None:
    breaker, file_part, needles = CASES[case]
    breaker(content)
    code, output = _validate(content)
    assert code == 2, output
    lines = [line for line in output.splitlines() if line.startswith("error:")]
    assert lines, output
    naming_file = [line for line in lines if file_part in line]
    assert naming_file, f"no error line names {file_part}: {output}"
    complete = [line for line in naming_file if all(n in line for n in needles)]
    assert complete, f"no line for {file_part} holds all of {needles}: {output}"
    assert "(fix: " in complete[0]
    assert "Traceback" not in output


def test_errors_point_at_the_line_of_the_bad_field(content: Path) -> None:
    _unknown_persona(content)
    text = (content / ARRIVAL).read_text(encoding="utf-8").splitlines()
    expected = next(n for n, line in enumerate(text, 1) if "nobody_here" in line)
    _, output = _validate(content)
    assert f"arrival.toml:{expected}:" in output


def test_all_problems_are_reported_in_one_pass(content: Path) -> None:
    _unknown_persona(content)
    _dangling_reply(content)
    _bad_language(content)
    code, output = _validate(content)
    assert code == 2
    assert len([line for line in output.splitlines() if line.startswith("error:")]) == 3


def test_a_real_process_prints_no_traceback_and_exits_2(content: Path) -> None:
    _invalid_toml(content)
    proc = subprocess.run(
        [sys.executable, "-m", "rednote_sim", "personas", "validate", str(content)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and "arrival.toml" in proc.stderr


def test_debug_shows_the_traceback(content: Path) -> None:
    _invalid_toml(content)
    result = CliRunner().invoke(cli, ["--debug", "personas", "validate", str(content)])
    assert result.exit_code == 2
    assert "Traceback" in result.output


def test_rnsim_debug_shows_the_traceback_too(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _invalid_toml(content)
    monkeypatch.setenv("RNSIM_PERSONAS_DIR", str(content))
    monkeypatch.setenv("RNSIM_DEBUG", "1")
    result = CliRunner().invoke(cli, ["personas", "validate"])
    assert result.exit_code == 2
    assert "Traceback" in result.output and "arrival.toml" in result.output


def test_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    code, output = _validate(tmp_path / "nope")
    assert code == 2
    assert "nope" in output


def test_personas_and_scenarios_list_print_tables(personas_dir: Path) -> None:
    runner = CliRunner()
    people = runner.invoke(cli, ["personas", "list", str(personas_dir)])
    assert people.exit_code == 0, people.output
    assert "🇺🇸" in people.output and "🇨🇳" in people.output
    scenes = runner.invoke(cli, ["scenarios", "list", str(personas_dir)])
    assert scenes.exit_code == 0, scenes.output
    assert "arrival" in scenes.output and "初来乍到" in scenes.output


def test_a_closed_pipe_ends_the_command_quietly(personas_dir: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "rednote_sim", "personas", "list", str(personas_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head` exiting before the table is written
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert "internal error" not in stderr and "Traceback" not in stderr
