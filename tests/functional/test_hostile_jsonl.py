"""Hostile JSONL files and what a bad session id could do: import, export, replay.

Every bad file is refused with exit 2 and lines naming file:line and the field,
before the database is even opened; what is stored always replays and exports
as standard JSON; an id never becomes a path outside the working directory.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from rednote_sim.cli import cli
from tests.conftest import WorkshopSession
from tests.support.files import one_error_line, run_cli

SID = "arrival-20250113-093012-7f3a"


def _records(sid: str = SID) -> list[dict[str, Any]]:
    """A small valid export: a session, three messages, a reaction, a marker, a vocab entry."""

    def message(seq: int, t: float, text: str, **kw: Any) -> dict[str, Any]:
        return {
            "type": "message",
            "session": sid,
            "seq": seq,
            "t": t,
            "persona": "maddie",
            "name": "Maddie",
            "lang": "en",
            "text": text,
            "reply_to": None,
            "translation": {"lang": "zh", "text": "你好", "engine": "script"},
            "translation_error": None,
            "reference": "你好",
            "beat": None,
            **kw,
        }

    return [
        {
            "type": "session",
            "format": "rednote-sim/1",
            "session": sid,
            "scenario": "arrival",
            "title": "Arrival",
            "seed": 4,
            "created_at": "2025-01-13T09:30:12Z",
            "note": "",
        },
        message(1, 1.0, "Hi everyone"),
        message(2, 4.5, "missouri checking in", reply_to=1),
        message(3, 9.0, "Denver!"),
        {"type": "reaction", "session": sid, "seq": 1, "emoji": "❤️", "count": 3, "t": 2.0},
        {"type": "marker", "session": sid, "t": 1.0, "label": "Intro", "seq": 1, "kind": "user"},
        {
            "type": "vocab",
            "session": sid,
            "seq": 1,
            "lang": "en",
            "term": "everyone",
            "created_at": "2025-01-14T10:00:00Z",
        },
    ]


def _write(path: Path, records: list[dict[str, Any]], *, raw: dict[int, str] | None = None) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    for index, text in (raw or {}).items():
        lines[index] = text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _import(file: Path, db: Path) -> Result:
    return CliRunner().invoke(cli, ["import", str(file), "--db", str(db)])


def _errors(result: Result) -> list[str]:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    return [line for line in result.output.splitlines() if line.startswith("error: ")]


def test_the_base_file_imports(tmp_path: Path) -> None:
    result = _import(_write(tmp_path / "ok.jsonl", _records()), tmp_path / "db.db")
    assert result.exit_code == 0, result.output
    assert f"imported {SID} (3 messages)" in result.output


# --- session ids ------------------------------------------------------------------------------

BAD_IDS = {
    "parent dirs": "../../x",
    "absolute path": "/tmp/rnsim-owned",
    "a slash": "a/b",
    "empty": "",
    "latest (reserved)": "latest",
    "terminal title escape": "s\x1b]0;owned\x07",
    "bidi override": "abc\u202edef",
    "a leading dot": ".hidden",
    "too long": "x" * 101,
}


@pytest.mark.parametrize("case", list(BAD_IDS))
def test_a_bad_session_id_is_refused_naming_line_and_field(tmp_path: Path, case: str) -> None:
    bad = BAD_IDS[case]
    file = _write(tmp_path / "bad.jsonl", _records(bad))
    db = tmp_path / "db.db"
    errors = _errors(_import(file, db))
    assert len(errors) == 1, errors
    assert f"{file}:1: session: " in errors[0] and "(fix: rename the session)" in errors[0]
    assert "\x1b" not in errors[0] and "\u202e" not in errors[0]
    assert not db.exists()  # refused before the database was opened


def _insert_raw_session(db: Path, sid: str, seqs: list[int], *, text: str = "hello") -> None:
    """Write a session straight into a rednote-sim file, as an older version could have."""
    with contextlib.closing(sqlite3.connect(db)) as raw, raw:
        raw.execute(
            "INSERT INTO sessions (id, scenario, created_at) VALUES (?, 'arrival', ?)",
            (sid, "2025-01-13T09:30:00+00:00"),
        )
        for seq in seqs:
            raw.execute(
                "INSERT INTO messages (session_id, seq, t, persona, name, lang, text)"
                " VALUES (?, ?, ?, 'maddie', 'Maddie', 'en', ?)",
                (sid, seq, float(seq), f"{text} {seq}"),
            )


def _fresh_db(path: Path) -> Path:
    result = CliRunner().invoke(cli, ["sessions", "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.mark.parametrize("fmt", ["html", "anki"])
def test_an_old_hostile_id_in_the_database_cannot_leave_the_working_directory(
    tmp_path: Path, fmt: str
) -> None:
    db = _fresh_db(tmp_path / "old.db")
    work = tmp_path / "work" / "deeper"
    work.mkdir(parents=True)
    hostile = "../../escaped\x1b]0;owned\x07"
    _insert_raw_session(db, hostile, [1, 2])
    before = set(tmp_path.rglob("*"))
    proc = run_cli("export", "latest", "--format", fmt, "--db", str(db), cwd=work)
    assert proc.returncode == 0, proc.stderr
    created = set(tmp_path.rglob("*")) - before
    assert len(created) == 1, created
    (written,) = created
    assert written.parent == work
    assert written.name == "_.._escaped__0_owned_" + (".html" if fmt == "html" else ".apkg")
    assert "\x1b" not in proc.stderr and "\x07" not in proc.stderr
    assert "\\x1b" in proc.stderr  # the id is shown, escaped


def test_summary_lines_never_print_an_id_raw(tmp_path: Path) -> None:
    db = _fresh_db(tmp_path / "old.db")
    _insert_raw_session(db, "a\u202eb\x9bc", [1])
    proc = run_cli(
        "export", "latest", "--format", "md", "-o", str(tmp_path / "h.md"), "--db", str(db)
    )
    assert proc.returncode == 0, proc.stderr
    assert "\u202e" not in proc.stderr and "\x9b" not in proc.stderr
    listing = run_cli("sessions", "--db", str(db))
    assert "\u202e" not in listing.stdout and "\\u202e" in listing.stdout
    as_json = run_cli("sessions", "--json", "--db", str(db))
    assert "\u202e" not in as_json.stdout and json.loads(as_json.stdout)[0]["id"] == "a\u202eb\x9bc"


# --- bad records: exit 2 with file:line and field ---------------------------------------------


def _gap(records: list[dict[str, Any]]) -> None:
    records[3]["seq"] = 5  # 1, 2, 5


def _huge_seq(records: list[dict[str, Any]]) -> None:
    records[3]["seq"] = 2**63


def _negative_time(records: list[dict[str, Any]]) -> None:
    records[2]["t"] = -1.5


def _backwards(records: list[dict[str, Any]]) -> None:
    records[3]["t"] = 2.0  # message 3 before message 2 (4.5)


def _dangling_marker(records: list[dict[str, Any]]) -> None:
    records[5]["seq"] = 42


def _reaction_before_post(records: list[dict[str, Any]]) -> None:
    records[4]["t"] = 0.5


def _reply_forward(records: list[dict[str, Any]]) -> None:
    records[2]["reply_to"] = 3


def _reaction_count(records: list[dict[str, Any]]) -> None:
    records[4]["count"] = 10**20


RECORD_CASES = {
    "gap in seq": (_gap, 4, "seq", "missing seq 3"),
    "seq = 2^63": (_huge_seq, 4, "seq", "less than or equal to 2147483647"),
    "negative t": (_negative_time, 3, "t", "greater than or equal to 0"),
    "t going backwards": (_backwards, 4, "t", "comes before message 2"),
    "marker to no message": (_dangling_marker, 6, "seq", "a marker names missing message 42"),
    "reaction before its message": (_reaction_before_post, 5, "t", "comes before its message"),
    "reply to a later message": (_reply_forward, 3, "reply_to", "names an earlier message"),
    "reaction count 10^20": (_reaction_count, 5, "count", "less than or equal"),
}


@pytest.mark.parametrize("case", list(RECORD_CASES))
def test_records_replay_would_choke_on_are_refused(tmp_path: Path, case: str) -> None:
    breaker, line, field, needle = RECORD_CASES[case]
    records = _records()
    breaker(records)
    file = _write(tmp_path / "bad.jsonl", records)
    db = tmp_path / "db.db"
    errors = _errors(_import(file, db))
    assert len(errors) == 1, errors
    assert f"{file}:{line}: {field}: " in errors[0] and needle in errors[0], errors
    assert not db.exists()


RAW_CASES = {
    "t = Infinity": ('"t": 1.0', '"t": Infinity', "t", "Infinity is not a number"),
    "t = NaN": ('"t": 1.0', '"t": NaN', "t", "NaN is not a number"),
    "t = -Infinity": ('"t": 1.0', '"t": -Infinity', "t", "-Infinity is not a number"),
    "lone surrogate": ('"Hi everyone"', '"Hi \\ud800 everyone"', "text", "lone surrogate"),
}


@pytest.mark.parametrize("case", list(RAW_CASES))
def test_non_standard_json_is_refused_with_line_and_field(tmp_path: Path, case: str) -> None:
    old, new, field, needle = RAW_CASES[case]
    records = _records()
    line = json.dumps(records[1], ensure_ascii=False)
    assert old in line
    file = _write(tmp_path / "bad.jsonl", records, raw={1: line.replace(old, new, 1)})
    errors = _errors(_import(file, tmp_path / "db.db"))
    assert len(errors) == 1, errors
    assert f"{file}:2: " in errors[0] and needle in errors[0], errors
    if field != "t":  # parse_constant cannot know the field of a constant
        assert f": {field}: " in errors[0]


def test_deep_nesting_is_refused_by_a_real_process(tmp_path: Path) -> None:
    records = _records()
    deep = "[" * 100_000 + "]" * 100_000
    line = json.dumps(records[3]).replace('"Denver!"', deep)
    file = _write(tmp_path / "deep.jsonl", records, raw={3: line})
    proc = run_cli("import", str(file), "--db", str(tmp_path / "db.db"))
    error = one_error_line(proc)
    assert f"{file}:4: " in error and "nested more than" in error


def test_a_file_that_is_not_a_file_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    proc = run_cli("import", str(fifo), "--db", str(tmp_path / "db.db"))
    assert "named pipe" in one_error_line(proc)
    zero = tmp_path / "zero.jsonl"
    zero.symlink_to("/dev/zero")
    proc = run_cli("import", str(zero), "--db", str(tmp_path / "db.db"))
    assert "character device" in one_error_line(proc)


def test_text_with_line_separators_survives_a_round_trip(tmp_path: Path) -> None:
    records = _records()
    records[1]["text"] = "one\u2028two\x85three\u202efour\x9b"
    db = tmp_path / "db.db"
    assert _import(_write(tmp_path / "in.jsonl", records), db).exit_code == 0
    out = CliRunner().invoke(cli, ["export", SID, "--format", "jsonl", "--db", str(db)])
    assert out.exit_code == 0, out.output
    for raw in ("\u2028", "\x85", "\u202e", "\x9b"):
        assert raw not in out.stdout
    exported = [_strict_json(line) for line in out.stdout.splitlines()]
    assert exported[1]["text"] == records[1]["text"]


def _strict_json(line: str) -> Any:
    def refuse(name: str) -> None:
        raise AssertionError(f"{name} in exported JSON")

    return json.loads(line, parse_constant=refuse)


# --- what is stored always replays ------------------------------------------------------------


def test_replay_prints_a_stored_session_with_a_gap_and_unfinished_translations(
    tmp_path: Path,
) -> None:
    db = _fresh_db(tmp_path / "old.db")
    _insert_raw_session(db, "gappy", [1, 2, 4])
    proc = run_cli("replay", "gappy", "--headless", "--speed", "max", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    headers = [line.split(" 🇺🇸 ")[0] for line in proc.stdout.splitlines() if line.startswith("[")]
    assert headers == ["[0:01] #1", "[0:02] #2", "[0:04] #4"]
    assert proc.stdout.count("⚠ not translated: the session ended before") == 3
    assert "not translated: not translated" not in proc.stdout


def test_a_row_edited_outside_rednote_sim_is_a_clear_error(tmp_path: Path) -> None:
    db = _fresh_db(tmp_path / "old.db")
    _insert_raw_session(db, "edited", [1])
    with contextlib.closing(sqlite3.connect(db)) as raw, raw:
        raw.execute("UPDATE messages SET t = ?", (float("inf"),))
    proc = run_cli("export", "edited", "--format", "jsonl", "--db", str(db))
    error = one_error_line(proc)
    assert str(db) in error and "message" in error and "changed outside rednote-sim" in error


# --- all or nothing, and concurrent imports ---------------------------------------------------

_IMPORT_THEN_DIE = textwrap.dedent(
    """
    import asyncio, os, sys
    from pathlib import Path
    from rednote_sim.store import Store
    from rednote_sim.export.jsonl_io import import_jsonl

    async def main(db, file):
        store = await Store.open(Path(db))
        # The process is killed (no cleanup at all) while the last workshop record is written.
        await store.connection.db.create_function("die", 0, lambda: os._exit(9))
        await store.connection.db.execute(
            "CREATE TEMP TRIGGER die BEFORE INSERT ON main.quiz_answers BEGIN SELECT die(); END"
        )
        await import_jsonl(store, Path(file))

    asyncio.run(main(sys.argv[1], sys.argv[2]))
    """
)


def test_a_kill_during_import_leaves_nothing_behind(
    workshop_session: WorkshopSession, tmp_path: Path
) -> None:
    file = tmp_path / "session.jsonl"
    out = CliRunner().invoke(
        cli,
        [
            "export",
            "latest",
            "--format",
            "jsonl",
            "-o",
            str(file),
            "--db",
            str(workshop_session.db),
        ],
    )
    assert out.exit_code == 0, out.output
    db = _fresh_db(tmp_path / "target.db")
    proc = subprocess.run(
        [sys.executable, "-c", _IMPORT_THEN_DIE, str(db), str(file)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 9, proc.stderr
    with contextlib.closing(sqlite3.connect(db)) as raw, raw:
        counts = [raw.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in _TABLES]
    assert counts == [0] * len(_TABLES)


_TABLES = ("sessions", "messages", "reactions", "markers", "vocab", "mt_errors", "quiz_answers")


def test_concurrent_imports_of_one_file_all_succeed_with_distinct_ids(tmp_path: Path) -> None:
    # Many messages: each import's transaction is long, so the processes overlap.
    records = _records()
    last = records[3]
    records[4:4] = [{**last, "seq": seq, "t": 9.0 + seq} for seq in range(4, 3001)]
    file = _write(tmp_path / "s.jsonl", records)
    db = _fresh_db(tmp_path / "shared.db")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "rednote_sim", "import", str(file), "--db", str(db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [(p.wait(timeout=240), *p.communicate()) for p in procs]
    assert all(code == 0 for code, _, _ in results), results
    with contextlib.closing(sqlite3.connect(db)) as raw, raw:
        ids = sorted(row[0] for row in raw.execute("SELECT id FROM sessions"))
        per_session = raw.execute("SELECT COUNT(*) FROM messages GROUP BY session_id").fetchall()
    assert ids == sorted([SID, f"{SID}-imported", f"{SID}-imported-2", f"{SID}-imported-3"])
    assert per_session == [(3000,)] * 4


def test_thirty_thousand_phrasebook_records_import(tmp_path: Path) -> None:
    records = _records()[:4]
    records += [
        {
            "type": "vocab",
            "session": SID,
            "seq": 1 + i % 3,
            "lang": "zh",
            "term": f"词{i}",
            "created_at": "2025-01-14T10:00:00Z",
        }
        for i in range(30_000)
    ]
    db = tmp_path / "db.db"
    result = _import(_write(tmp_path / "big.jsonl", records), db)
    assert result.exit_code == 0, result.output
    with contextlib.closing(sqlite3.connect(db)) as raw, raw:
        assert raw.execute("SELECT COUNT(*) FROM vocab").fetchone()[0] == 30_000


def test_duplicates_in_a_big_file_name_both_lines(tmp_path: Path) -> None:
    records = _records()
    records.append(dict(records[-1]))
    file = _write(tmp_path / "dup.jsonl", records)
    errors = _errors(_import(file, tmp_path / "db.db"))
    assert errors == [
        f"error: {file}:8: term: vocab entry 'everyone' (en) appears more than once "
        "(first on line 7) (fix: keep one record per term)"
    ]
