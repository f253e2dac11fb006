"""Databases that are not what they should be, and readers and writers side by side.

Every bad database is one line naming the file and the fix, exit 2, and nothing
is written into a file that is damaged or not ours. Real subprocesses run the
CLI; a real second process holds a write transaction for the concurrency cases.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import WorkshopSession
from tests.support.files import (
    WriteLockHolder,
    cli_command,
    one_error_line,
    permissions_apply,
    run_cli,
)

SESSION_LINE = {
    "type": "session",
    "format": "rednote-sim/1",
    "session": "imported-1",
    "scenario": "arrival",
    "created_at": "2025-01-13T09:30:12Z",
}
MESSAGE_LINE = {
    "type": "message",
    "session": "imported-1",
    "seq": 1,
    "t": 1.0,
    "persona": "maddie",
    "name": "Maddie",
    "lang": "en",
    "text": "Hi everyone",
    "translation": {"lang": "zh", "text": "大家好", "engine": "script"},
}


@pytest.fixture
def jsonl_file(tmp_path: Path) -> Path:
    path = tmp_path / "one.jsonl"
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (SESSION_LINE, MESSAGE_LINE)),
        encoding="utf-8",
    )
    return path


def _raw(path: Path) -> contextlib.closing[sqlite3.Connection]:
    """A plain sqlite3 connection that commits and is closed (WAL checkpointed) after use."""
    return contextlib.closing(sqlite3.connect(path, isolation_level=None))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _ours(path: Path) -> Path:
    proc = run_cli("sessions", "--db", str(path))
    assert proc.returncode == 0, proc.stderr
    return path


def _corrupt(tmp: Path) -> Path:
    """A rednote-sim database with one table page overwritten."""
    path = tmp / "corrupt.db"
    _ours(path)
    with _raw(path) as raw:
        raw.executemany(
            "INSERT INTO translations VALUES ('e', 'zh', 'en', ?, ?, '2025')",
            [(f"句子{i}" * 20, f"sentence {i}" * 20) for i in range(400)],
        )
    with path.open("r+b") as file:
        file.seek(4096 * 3)
        file.write(b"\xde\xad\xbe\xef" * 1024)
    return path


def _directory(tmp: Path) -> Path:
    path = tmp / "a-directory.db"
    path.mkdir()
    return path


def _random_bytes(tmp: Path) -> Path:
    path = tmp / "random.db"
    path.write_bytes(os.urandom(8192))
    return path


def _text_file(tmp: Path) -> Path:
    path = tmp / "notes.db"
    path.write_text("my class notes, not a database\n" * 100)
    return path


def _newer_schema(tmp: Path) -> Path:
    path = _ours(tmp / "future.db")
    with _raw(path) as raw:
        raw.execute("PRAGMA user_version = 99")
    return path


def _another_program(tmp: Path) -> Path:
    path = tmp / "places.sqlite"
    with _raw(path) as raw:
        raw.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        raw.execute("INSERT INTO moz_places (url) VALUES ('https://example.test')")
    return path


def _read_only_folder(tmp: Path) -> Path:
    folder = tmp / "readonly"
    folder.mkdir()
    path = _ours(folder / "class.db")  # closed cleanly: no -wal / -shm left
    folder.chmod(0o555)
    return path


def _missing_folder(tmp: Path) -> Path:
    return tmp / "no" / "such" / "dir" / "x.db"


CASES: dict[str, tuple[Callable[[Path], Path], str, bool]] = {
    # name: (make the database, words the error must hold, whether the file must stay as is)
    "corrupt file": (_corrupt, "the database file is damaged", True),
    "a directory": (_directory, "is a directory", False),
    "random bytes": (_random_bytes, "not an SQLite database", True),
    "a text file": (_text_file, "not an SQLite database", True),
    "a newer schema": (_newer_schema, "written by a newer rednote-sim", True),
    "another program's SQLite file": (_another_program, "another program", True),
    "read-only folder": (_read_only_folder, "-wal and class.db-shm", True),
    "missing folder": (_missing_folder, "does not exist", False),
}

COMMANDS = {
    "sessions": lambda file: ["sessions"],
    "import": lambda file: ["import", str(file)],
    "demo": lambda file: ["demo", "--headless", "--speed", "max", "--seed", "3"],
    "export": lambda file: ["export", "latest", "--format", "jsonl"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_database_is_one_line_naming_it_and_nothing_is_written(
    tmp_path: Path, jsonl_file: Path, case: str, command: str
) -> None:
    make, needle, unchanged = CASES[case]
    if case == "read-only folder" and not permissions_apply():
        pytest.fail("cannot drop root's permission override here (setpriv missing)")
    db = make(tmp_path)
    before = _digest(db) if unchanged else None
    siblings = set(db.parent.iterdir()) if db.parent.exists() else set()
    proc = run_cli(*COMMANDS[command](jsonl_file), env={"RNSIM_DB": str(db)})
    error = one_error_line(proc)
    assert str(db) in error and needle in error and "(fix: " in error, error
    if before is not None:
        assert _digest(db) == before
        assert set(db.parent.iterdir()) == siblings  # not even a -wal or -shm file
    if case == "missing folder":
        assert not (tmp_path / "no").exists()


def test_an_empty_rnsim_db_means_the_default_database(tmp_path: Path) -> None:
    data_home = tmp_path / "data"
    proc = run_cli("sessions", env={"RNSIM_DB": "", "XDG_DATA_HOME": str(data_home)})
    assert proc.returncode == 0, proc.stderr
    default = data_home / "rednote-sim" / "rednote-sim.db"
    assert f"no sessions in {default} yet" in proc.stdout
    assert default.is_file()  # the default data folder is the one folder created


def test_an_empty_models_dir_variable_means_the_default(tmp_path: Path) -> None:
    argos = tmp_path / "argos-packages"
    proc = run_cli(
        "models", "status", env={"RNSIM_MODELS_DIR": "", "ARGOS_PACKAGES_DIR": str(argos)}
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == f"models dir: {argos}"


@pytest.mark.parametrize(
    ("name", "value", "needle"),
    [
        ("RNSIM_LOCK_TIMEOUT", "abc", "valid number"),
        ("RNSIM_LOCK_TIMEOUT", "-1", "greater than 0"),
        ("RNSIM_BEAM_SIZE", "0", "greater than or equal to 1"),
    ],
)
def test_a_bad_setting_names_the_variable(name: str, value: str, needle: str) -> None:
    error = one_error_line(run_cli("sessions", env={name: value}))
    assert error.startswith(f"error: {name}={value!r}: ") and needle in error
    assert f"unset {name}" in error


# --- readers beside a writer -----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["sessions"],
        ["sessions", "--json"],
        ["export", "latest", "--format", "jsonl"],
        ["export", "latest", "--format", "md"],
        ["replay", "latest", "--headless", "--speed", "max"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_readers_work_while_another_process_holds_a_write_transaction(
    workshop_session: WorkshopSession, args: list[str]
) -> None:
    with WriteLockHolder(workshop_session.db):
        proc = run_cli(*args, "--db", str(workshop_session.db), env={"RNSIM_LOCK_TIMEOUT": "60"})
    assert proc.returncode == 0, proc.stderr
    assert "waiting" not in proc.stderr and "locked" not in proc.stderr
    assert workshop_session.session_id in proc.stdout or args[0] == "replay"


def test_a_writer_that_waits_says_so_then_gives_up_naming_the_file(
    workshop_session: WorkshopSession, jsonl_file: Path
) -> None:
    db = workshop_session.db
    with WriteLockHolder(db):
        proc = run_cli("import", str(jsonl_file), "--db", str(db), env={"RNSIM_LOCK_TIMEOUT": "3"})
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 2, proc.stderr
    assert lines[0].startswith(f"waiting for another process that is writing to {db}")
    assert lines[1].startswith(f"error: {db}: another process kept the database locked")
    assert "(fix: " in lines[1] and "Traceback" not in proc.stderr
    with _raw(db) as raw:
        assert raw.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 1


def test_a_waiting_writer_goes_on_when_the_other_process_finishes(
    workshop_session: WorkshopSession, jsonl_file: Path
) -> None:
    db = workshop_session.db
    with WriteLockHolder(db) as holder:
        writer = subprocess.Popen(
            cli_command("import", str(jsonl_file), "--db", str(db)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "RNSIM_LOCK_TIMEOUT": "600"},
        )
        assert writer.stderr is not None
        notice = writer.stderr.readline()  # blocks until the writer says it waits
        assert notice.startswith("waiting for another process"), notice
        holder.release()
        out, err = writer.communicate(timeout=600)
    assert writer.returncode == 0, err
    assert "imported imported-1 (1 messages)" in out


def test_a_database_needing_a_migration_waits_for_the_lock_and_says_so(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    from rednote_sim.store.connection import _statements, migration_scripts

    with _raw(db) as raw:  # schema 1 only, as an older rednote-sim left it
        raw.execute("PRAGMA journal_mode = WAL")
        raw.execute("BEGIN")
        for statement in _statements(migration_scripts()[0][2]):
            raw.execute(statement)
        raw.execute("PRAGMA user_version = 1")
        raw.execute("COMMIT")
    with WriteLockHolder(db):
        proc = run_cli("sessions", "--db", str(db), env={"RNSIM_LOCK_TIMEOUT": "2"})
    assert proc.returncode == 2
    assert proc.stderr.startswith("waiting for another process")
    proc = run_cli("sessions", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    with _raw(db) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == len(migration_scripts())


def test_the_demo_keeps_writing_while_other_processes_read(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    demo = subprocess.Popen(
        [sys.executable, "-m", "rednote_sim", "demo", "--headless", "--jsonl", "--speed", "max"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "RNSIM_DB": str(db)},
    )
    assert demo.stdout is not None
    first = demo.stdout.readline()  # a message shown is a message on disk
    shown = json.loads(first)
    listing = run_cli("export", shown["session"], "--format", "jsonl", "--db", str(db))
    assert listing.returncode == 0, listing.stderr
    stored = [json.loads(line) for line in listing.stdout.splitlines()]
    assert any(r.get("type") == "message" and r["seq"] == shown["seq"] for r in stored)
    _, err = demo.communicate(timeout=600)
    assert demo.returncode == 0, err
