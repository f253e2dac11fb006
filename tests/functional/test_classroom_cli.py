"""A class in real processes: a headless host, `say` from other processes, one database file.

The host is `demo --headless --keep-open` with no translation model installed
(the suite's empty models folder): lines show their human reference, which is
what these tests need. Waits poll the database with generous timeouts.
"""

from __future__ import annotations

import contextlib
import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from click.testing import CliRunner

from rednote_sim.cli import cli
from rednote_sim.domain.guests import HOST_TIMEOUT
from tests.conftest import HOSTILE_TEXT
from tests.support.files import one_error_line, run_cli

TIMEOUT = 60.0
_INSERT = "INSERT INTO inbox (session_id, guest, kind, payload, created_at) VALUES (?, ?, ?, ?, ?)"
T = TypeVar("T")


def _until(check: Callable[[], T | None], what: str, timeout: float = TIMEOUT) -> T:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found is not None and found is not False:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _query(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as raw:
        return list(raw.execute(sql, params))


class Host:
    """`rednote-sim demo --headless --keep-open` on ``db``, and what it wrote."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "rednote_sim",
                "demo",
                "--headless",
                "--keep-open",
                "--seed",
                "4",
                "--speed",
                "1",
                "--db",
                str(db),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.session = str(_until(self._live_session, "the host's heartbeat row")[0])

    def _live_session(self) -> tuple[object, ...] | None:
        if self.proc.poll() is not None:
            raise AssertionError(
                f"the host exited: {self.proc.stderr.read() if self.proc.stderr else ''}"
            )
        if not self.db.exists():
            return None
        try:
            rows = _query(
                self.db,
                "SELECT session_id FROM hosts WHERE pid = ? AND finished = 0",
                self.proc.pid,
            )
        except sqlite3.OperationalError:  # not migrated yet
            return None
        return rows[0] if rows else None

    def messages(self) -> list[tuple[object, ...]]:
        return _query(
            self.db,
            "SELECT seq, persona, name, text, reply_to, reference FROM messages"
            " WHERE session_id = ? ORDER BY seq",
            self.session,
        )

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.terminate()
        _, stderr = self.proc.communicate(timeout=TIMEOUT)
        return stderr


@pytest.fixture
def host(tmp_path: Path) -> Iterator[Host]:
    running = Host(tmp_path / "class.db")
    try:
        yield running
    finally:
        if running.proc.poll() is None:
            running.proc.kill()
            running.proc.wait(timeout=TIMEOUT)


def _say(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("say", "--db", str(db), *args)


def test_a_guest_says_hello_and_the_personas_answer_by_name(host: Host) -> None:
    said = _say(host.db, host.session, "--as", "Ana", "hello everyone")
    assert said.returncode == 0, said.stderr
    assert said.stdout.startswith("posted #") and " as Ana " in said.stdout
    seq = int(said.stdout.split("#")[1].split()[0])
    rows = {row[0]: row for row in host.messages()}
    assert rows[seq][1:4] == ("guest:Ana", "Ana", "hello everyone")

    def by_name() -> list[tuple[object, ...]] | None:
        replies = [
            r for r in host.messages() if r[4] == seq and "Ana" in str(r[3]) and "Ana" in str(r[5])
        ]
        return replies or None

    _until(by_name, "a persona answering Ana by name")
    # `latest` is the newest session: this one.
    again = _say(host.db, "--as", "Bob", "--lang", "en", "thanks!")
    assert again.returncode == 0, again.stderr
    assert host.session in again.stdout


def test_hostile_rows_do_not_stop_the_host(host: Host) -> None:
    hostile = [
        ("Ana", "say", "{not json"),
        ("Ana", "say", json.dumps({"text": "x" * 100_000})),
        ("Ana", "shout", "{}"),
        ("Ana\x1b]0;pwned\x07", "say", json.dumps({"text": "hi"})),
        ("Ana", "answer", json.dumps({"seq": 123456, "answer": "x"})),
        ("Ana", "say", "[" * 200_000),
        ("Ana", "vocab", json.dumps({"seq": 1, "lang": "zh", "term": "", "extra": [1] * 10})),
    ]
    with contextlib.closing(sqlite3.connect(host.db, timeout=30)) as raw, raw:
        for guest, kind, payload in hostile:
            raw.execute(
                _INSERT,
                (host.session, guest, kind, payload, "garbage"),
            )
        raw.execute(_INSERT, (host.session, b"\xff", 7, b"\x00\x01", "x"))

    def all_resolved() -> list[tuple[object, ...]] | None:
        rows = _query(
            host.db,
            "SELECT status, reason FROM inbox WHERE session_id = ? ORDER BY id",
            host.session,
        )
        return rows if rows and all(status != "pending" for status, _ in rows) else None

    outcomes = _until(all_resolved, "the host to refuse every hostile row")
    assert [status for status, _ in outcomes] == ["refused"] * len(outcomes)
    assert all(reason for _, reason in outcomes)
    said = _say(host.db, "--as", "Ana", HOSTILE_TEXT)
    assert said.returncode == 0, said.stderr
    assert host.proc.poll() is None
    texts = [row[3] for row in host.messages()]
    assert HOSTILE_TEXT in texts  # markup is data: stored as typed
    stderr = host.stop()
    assert host.proc.returncode == 143 and "Traceback" not in stderr


def test_a_stopped_host_is_finished_and_say_says_so(host: Host) -> None:
    stderr = host.stop()
    assert host.proc.returncode == 143 and "Traceback" not in stderr
    assert _query(host.db, "SELECT finished FROM hosts WHERE session_id = ?", host.session) == [
        (1,)
    ]
    line = one_error_line(_say(host.db, host.session, "--as", "Ana", "anyone?"))
    assert "has finished" in line


def test_a_killed_host_is_noticed_by_its_stale_heartbeat(host: Host) -> None:
    host.proc.send_signal(signal.SIGKILL)
    host.proc.wait(timeout=TIMEOUT)
    # Nothing marks it finished: only the beat going stale tells.
    assert _query(host.db, "SELECT finished FROM hosts WHERE session_id = ?", host.session) == [
        (0,)
    ]

    def refused() -> str | None:
        said = _say(host.db, "--as", "Ana", "anyone?")
        return one_error_line(said) if said.returncode == 2 else None

    line = _until(refused, "say to notice the dead host", timeout=HOST_TIMEOUT + TIMEOUT)
    assert "has no host running" in line


def test_say_refuses_what_it_cannot_send(tmp_path: Path) -> None:
    db = tmp_path / "none.db"
    assert "no database here" in one_error_line(_say(db, "--as", "Ana", "hi"))
    assert not db.exists()
    recorded = run_cli("demo", "--headless", "--speed", "max", "--seed", "2", "--db", str(db))
    assert recorded.returncode == 0, recorded.stderr
    assert "not found" in one_error_line(_say(db, "nope-123", "--as", "Ana", "hi"))
    assert "has finished" in one_error_line(_say(db, "--as", "Ana", "hi"))
    assert "U+000A" in one_error_line(_say(db, "--as", "An\na", "hi"))
    assert "at most 24" in one_error_line(_say(db, "--as", "A" * 25, "hi"))
    assert "host's own name" in one_error_line(_say(db, "--as", "You", "hi"))
    assert "empty" in one_error_line(_say(db, "--as", "Ana", "   "))
    assert "quote the message" in one_error_line(
        _say(db, "latest", "--as", "Ana", "hello", "there")
    )
    with contextlib.closing(sqlite3.connect(db)) as raw:
        sid = raw.execute("SELECT id FROM sessions").fetchone()[0]
        raw.execute("DELETE FROM hosts")
        raw.commit()
    assert "no class host" in one_error_line(_say(db, sid, "--as", "Ana", "hi"))


def test_a_refusal_is_shown_and_exits_1(tmp_path: Path) -> None:
    """The CLI's side of a refusal: a stand-in host (raw sqlite3) beats and refuses."""
    db = tmp_path / "c.db"
    recorded = run_cli("demo", "--headless", "--speed", "max", "--seed", "2", "--db", str(db))
    assert recorded.returncode == 0, recorded.stderr
    stop = threading.Event()

    def stand_in() -> None:
        with contextlib.closing(sqlite3.connect(db, timeout=30)) as raw:
            while not stop.is_set():
                raw.execute("UPDATE hosts SET finished = 0, beat_at = ?", (time.time(),))
                raw.execute(
                    "UPDATE inbox SET status = 'refused', reason = ? WHERE status = 'pending'",
                    ("slow down: at most 5 messages in 10 seconds; try again in 2 s\x1b[2J",),
                )
                raw.commit()
                time.sleep(0.05)

    helper = threading.Thread(target=stand_in)
    helper.start()
    try:
        result = CliRunner().invoke(cli, ["say", "--db", str(db), "--as", "Ana", "hi"])
    finally:
        stop.set()
        helper.join()
    assert result.exit_code == 1, result.output
    assert "the host refused it: slow down: at most 5 messages" in result.output
    assert "\x1b" not in result.output  # the reason came from the database: made visible
