"""Hostile content directories: files that are not files, and rules the README states.

Each case runs the real CLI (a subprocess where a wrong answer could hang or eat
memory) on a copy of the shipped personas/: exit 2, one line per problem naming
the file and the cause, no traceback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from rednote_sim.cli import cli
from tests.support.files import edit_text, permissions_apply, run_cli

ARRIVAL = "scenarios/arrival.toml"


def _zero(root: Path) -> Path:
    path = root / "scenarios" / "zero.toml"
    path.symlink_to("/dev/zero")
    return path


def _fifo(root: Path) -> Path:
    path = root / "scenarios" / "pipe.toml"
    os.mkfifo(path)
    return path


def _directory(root: Path) -> Path:
    path = root / "scenarios" / "x.toml"
    path.mkdir()
    (path / "inside.txt").write_text("not content")
    return path


def _loop(root: Path) -> Path:
    path = root / "cast" / "loop.toml"
    path.symlink_to("loop.toml")
    return path


def _dangling(root: Path) -> Path:
    path = root / "cast" / "gone.toml"
    path.symlink_to(root / "cast" / "deleted-long-ago.toml")
    return path


def _unreadable(root: Path) -> Path:
    path = root / ARRIVAL
    path.chmod(0)
    return path


def _responders_dir(root: Path) -> Path:
    path = root / "responders.toml"
    path.unlink()
    path.mkdir()
    return path


def _glossary_dir(root: Path) -> Path:
    path = root / "glossary.toml"
    path.unlink()
    path.mkdir()
    return path


def _too_big(root: Path) -> Path:
    path = root / "scenarios" / "huge.toml"
    with path.open("wb") as file:
        file.truncate(9 << 20)  # sparse: 9 MiB of nothing, over the 8 MiB bound
    return path


FILE_CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "symlink to /dev/zero": (_zero, "character device"),
    "FIFO": (_fifo, "named pipe"),
    "directory named x.toml": (_directory, "is a directory"),
    "symlink loop": (_loop, "symbolic link loop"),
    "dangling symlink": (_dangling, "does not exist"),
    "unreadable file": (_unreadable, "permission denied"),
    "responders.toml is a directory": (_responders_dir, "is a directory"),
    "glossary.toml is a directory": (_glossary_dir, "is a directory"),
    "a 9 MiB scenario": (_too_big, "too large"),
}


@pytest.mark.parametrize("case", list(FILE_CASES))
def test_a_content_path_that_is_not_a_regular_file_is_one_clear_error(
    content: Path, case: str
) -> None:
    breaker, cause = FILE_CASES[case]
    if case == "unreadable file" and not permissions_apply():
        pytest.fail("cannot drop root's permission override here (setpriv missing)")
    bad = breaker(content)
    proc = run_cli("personas", "validate", str(content), timeout=120)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert all(line.startswith("error: ") for line in lines), proc.stderr
    assert [line for line in lines if str(bad) in line and cause in line and "(fix: " in line], (
        proc.stderr
    )
    # Nothing else in the directory is blamed for it.
    assert len(lines) == 1, proc.stderr


def test_the_demo_refuses_a_scenario_that_is_a_fifo_instead_of_hanging(
    content: Path, tmp_path: Path
) -> None:
    _fifo(content)
    proc = run_cli(
        "demo",
        "--headless",
        "--speed",
        "max",
        env={"RNSIM_PERSONAS_DIR": str(content), "RNSIM_DB": str(tmp_path / "x.db")},
    )
    assert proc.returncode == 2, proc.stderr
    assert "pipe.toml" in proc.stderr and "named pipe" in proc.stderr


def _validate(root: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["personas", "validate", str(root)])
    return result.exit_code, [ln for ln in result.output.splitlines() if ln.startswith("error:")]


def _beat_lines(root: Path) -> list[int]:
    """1-based line of each [[beats]] header in arrival.toml."""
    text = (root / ARRIVAL).read_text(encoding="utf-8").splitlines()
    return [n for n, line in enumerate(text, 1) if line.strip() == "[[beats]]"]


def test_a_beat_without_reference_is_an_error(content: Path) -> None:
    path = content / ARRIVAL
    text = path.read_text(encoding="utf-8")
    start = text.index("reference = ", text.index("[[beats]]"))
    path.write_text(text[:start] + text[text.index("\n", start) + 1 :], encoding="utf-8")
    code, errors = _validate(content)
    assert code == 2
    assert len(errors) == 1, errors
    assert "beats[0].reference" in errors[0] and "required" in errors[0]
    assert "human translation" in errors[0]


def test_times_going_backwards_are_an_error_naming_both_beats(content: Path) -> None:
    edit_text(content / ARRIVAL, 'at = "0:09"', 'at = "0:03"')  # beats[2], after 0:05
    code, errors = _validate(content)
    assert code == 2
    assert len(errors) == 1, errors
    line = _beat_lines(content)[2]
    assert f"arrival.toml:{line + 2}: beats[2].at: 0:03 is earlier" in errors[0]
    assert "beats[1] at 0:05" in errors[0]


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ('at = "0:01"', "at = 1e308", "at most 1:00:00"),
        ('at = "0:01"', "at = inf", "finite"),
        ('"❤️" = 214', '"❤️" = 100000000000000000000', "1 to 1,000,000,000"),
        ('"❤️" = 214', '"" = 3', "needs an emoji"),
    ],
)
def test_out_of_range_times_and_reaction_counts_are_errors(
    content: Path, old: str, new: str, needle: str
) -> None:
    edit_text(content / ARRIVAL, old, new)
    code, errors = _validate(content)
    assert code == 2
    assert len(errors) == 1, errors
    assert "beats[0]." in errors[0] and needle in errors[0]


def test_a_huge_reaction_count_cannot_reach_the_demo(content: Path, tmp_path: Path) -> None:
    edit_text(content / ARRIVAL, '"❤️" = 214', '"❤️" = 100000000000000000000')
    db = tmp_path / "run.db"
    result = CliRunner().invoke(
        cli,
        ["demo", "--headless", "--speed", "max", "--db", str(db)],
        env={"RNSIM_PERSONAS_DIR": str(content)},
    )
    assert result.exit_code == 2, result.output
    assert not db.exists()  # refused before any session was created


def test_one_bad_beat_gives_one_error_even_when_others_reply_to_it(content: Path) -> None:
    # beats[0] ("hello") is the one several later beats reply to.
    edit_text(content / ARRIVAL, 'at = "0:01"', 'at = "soon"')
    code, errors = _validate(content)
    assert code == 2
    assert len(errors) == 1, errors
    assert "beats[0].at" in errors[0]


def test_problems_after_a_bad_beat_keep_their_own_index_and_line(content: Path) -> None:
    edit_text(content / ARRIVAL, 'at = "0:05"', 'at = "later"')  # beats[1]
    edit_text(content / ARRIVAL, 'persona = "rosa"', 'persona = "nobody_here"')  # beats[2]
    code, errors = _validate(content)
    assert code == 2
    assert len(errors) == 2, errors
    persona_line = _beat_lines(content)[2] + 1
    assert any(f"arrival.toml:{persona_line}: beats[2].persona" in e for e in errors), errors


def test_toml_syntax_errors_name_line_and_column(content: Path) -> None:
    edit_text(content / ARRIVAL, 'persona = "maddie"', 'persona = "maddie')
    code, errors = _validate(content)
    assert code == 2
    assert len(errors) == 1, errors
    line = _beat_lines(content)[0] + 2
    assert re.search(rf"arrival\.toml:{line}:\d+: invalid TOML: ", errors[0]), errors
    assert "(, column" not in errors[0] and "(at line" not in errors[0]


def test_a_byte_order_mark_is_named_as_such(content: Path) -> None:
    path = content / ARRIVAL
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    code, errors = _validate(content)
    assert code == 2
    assert len(errors) == 1, errors
    assert "arrival.toml:1: " in errors[0] and "byte-order mark" in errors[0]
    assert "without BOM" in errors[0]


def test_a_file_name_with_control_characters_is_shown_escaped(content: Path) -> None:
    hostile = content / "cast" / "evil\x1b]0;owned\x07.toml"
    hostile.write_text('id = "evil"\n', encoding="utf-8")
    proc = run_cli("personas", "validate", str(content))
    assert proc.returncode == 2, proc.stderr
    assert "\x1b" not in proc.stderr and "\x07" not in proc.stderr
    assert "evil\\x1b]0;owned\\x07.toml" in proc.stderr
