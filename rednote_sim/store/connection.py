"""Opening the SQLite file: checks, pragmas, write transactions and numbered migrations.

Concurrency model: WAL lets readers run beside one writer. Opening only reads
(the schema version, the file's health) and takes the write lock only when a
migration is due, so ``sessions``, ``export`` and ``replay`` work while another
process is in the middle of a write. Every write runs in ``BEGIN IMMEDIATE``, so
a writer takes the write lock up front and waits for another writer (up to the
lock timeout) instead of failing when it would have to upgrade a read lock. A
writer that has to wait says so through ``on_wait``, and gives up with a
:class:`~rednote_sim.errors.UserError` naming the file.

Opening refuses, with one line naming the file and the fix: a path that is a
directory or not a regular file, a folder that does not exist (only the
default data folder is created), a file that is not SQLite, a damaged file
(checked with ``PRAGMA quick_check`` before anything is written), another
program's database, and a schema newer than this code.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import stat
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

from rednote_sim.errors import UserError
from rednote_sim.safefiles import make_dir

LOCK_TIMEOUT = 30.0
"""Seconds a writer waits for another process's write transaction before giving up."""

WAIT_NOTICE_SECONDS = 1.0
"""A writer waiting longer than this for the lock says so (``on_wait``)."""

OUR_TABLES = frozenset({"sessions", "messages"})
"""Tables that make a file recognisably rednote-sim's."""

WaitNotice = Callable[[str], None]
"""Called with one line when a write has to wait for another process."""


def migration_scripts() -> list[tuple[int, str, str]]:
    """The numbered migrations shipped in ``store/migrations`` as (version, name, sql)."""
    folder = resources.files("rednote_sim.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations must be numbered 0001, 0002, ... without gaps: {versions}")
    return found


def _statements(script: str) -> list[str]:
    """Split a SQL script into statements (executescript would commit mid-transaction)."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        if not current and line.strip().startswith("--"):
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        raise ValueError(f"unterminated SQL statement: {current.strip()[:60]}")
    return statements


# --- errors a user can fix ----------------------------------------------------------------

_ANOTHER_DB = "pass another --db or RNSIM_DB"


def _writable_dir(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def _read_only_folder(path: Path) -> UserError:
    return UserError(
        f"{path}: the folder {path.parent} is read-only, and SQLite's WAL mode needs to "
        f"create {path.name}-wal and {path.name}-shm beside the database "
        f"(fix: make the folder writable, or copy the database elsewhere and {_ANOTHER_DB})"
    )


def database_error(path: Path, exc: sqlite3.Error) -> UserError | None:
    """The user-facing error for an SQLite failure on ``path``, or None if it is internal.

    Covers the failures a user can fix: not a database, a damaged file, a
    read-only file or folder, a lock held too long.
    """
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if name == "SQLITE_NOTADB" or "file is not a database" in text:
        return UserError(
            f"{path}: not an SQLite database (fix: {_ANOTHER_DB}, or move the file aside)"
        )
    if name.startswith("SQLITE_CORRUPT") or "malformed" in text:
        return UserError(
            f"{path}: the database file is damaged ({text}); nothing was written to it "
            f"(fix: restore it from a backup, or move it aside and {_ANOTHER_DB})"
        )
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")) or "readonly" in text:
        if not _writable_dir(path.parent):
            return _read_only_folder(path)
        if path.exists() and not os.access(path, os.R_OK | os.W_OK):
            return UserError(
                f"{path}: the database file is read-only "
                f"(fix: make it writable with chmod u+rw, or {_ANOTHER_DB})"
            )
        return UserError(f"{path}: cannot open the database ({text}) (fix: {_ANOTHER_DB})")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return UserError(
            f"{path}: another process kept the database locked for writing too long, so "
            "nothing was written (fix: try again when it has finished, or raise "
            "RNSIM_LOCK_TIMEOUT)"
        )
    if name == "SQLITE_FULL" or "disk is full" in text:
        return UserError(f"{path}: the disk is full (fix: free some space and try again)")
    return None


def check_path(path: Path, *, create_dir: bool) -> None:
    """Refuse a database path that cannot be a database file, before SQLite touches it.

    Args:
        path: The database file.
        create_dir: Create a missing parent folder (only for the default data folder).

    Raises:
        UserError: A directory or special file, or a missing folder.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise UserError(f"{path}: cannot use this path ({exc.strerror or exc})") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise UserError(f"{path}: is a directory, not a database file (fix: {_ANOTHER_DB})")
        if not stat.S_ISREG(info.st_mode):
            raise UserError(f"{path}: is not a regular file (fix: {_ANOTHER_DB})")
        return
    if path.is_symlink():
        raise UserError(
            f"{path}: is a symbolic link to {os.readlink(path)}, which does not exist "
            f"(fix: {_ANOTHER_DB})"
        )
    folder = path.parent
    if folder.is_dir():
        if not _writable_dir(folder):
            raise _read_only_folder(path)
        return
    if create_dir and not folder.exists():
        make_dir(folder, "data folder")
        return
    what = "is not a folder" if folder.exists() else "does not exist"
    raise UserError(f"{path}: the folder {folder} {what} (fix: create it first, or {_ANOTHER_DB})")


def _newer(path: Path, version: int, latest: int) -> UserError:
    return UserError(
        f"{path}: written by a newer rednote-sim (schema {version}; this one "
        f"knows up to {latest}) (fix: upgrade rednote-sim, or {_ANOTHER_DB})"
    )


def inspect_file(path: Path, lock_timeout: float = LOCK_TIMEOUT) -> int:
    """Check that an existing file is empty or ours, not newer, and healthy; reads only.

    Runs on its own short-lived sqlite3 connection (call it in a worker thread),
    before the real connection is made, so that nothing, not even WAL mode, is
    written to a file that is not ours or is damaged.

    Returns:
        The file's schema version (0 for a new or empty file).

    Raises:
        UserError: Another program's database, a newer schema, a damaged file, or
            any other SQLite failure a user can fix.
    """
    if not path.exists() or path.stat().st_size == 0:
        return 0  # SQLite treats an empty file as an empty database
    latest = migration_scripts()[-1][0]
    try:
        raw = sqlite3.connect(path, timeout=lock_timeout, isolation_level=None)
        try:
            # One read transaction: the version and the tables come from the same
            # snapshot. Read apart, another process's first migration could commit
            # between them (version 0, our tables) and a fresh file would look like
            # another program's database.
            raw.execute("BEGIN")
            version = int(raw.execute("PRAGMA user_version").fetchone()[0])
            tables = {
                row[0]
                for row in raw.execute(
                    "SELECT name FROM sqlite_master"
                    " WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            }
            raw.execute("COMMIT")
            if version > latest:
                raise _newer(path, version, latest)
            empty = version == 0 and not tables
            if not empty and (version == 0 or not OUR_TABLES.issubset(tables)):
                shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
                raise UserError(
                    f"{path}: an SQLite database of another program (tables: {shown or 'none'}"
                    f"; schema version {version}); rednote-sim uses only its own files or "
                    f"empty ones (fix: {_ANOTHER_DB})"
                )
            check = [str(row[0]) for row in raw.execute("PRAGMA quick_check(3)")]
        finally:
            raw.close()
    except sqlite3.Error as exc:
        raise database_error(path, exc) or exc from None
    if check != ["ok"]:
        detail = " ".join(" ".join(check).split())[:200]
        raise UserError(
            f"{path}: the database file is damaged ({detail}); nothing was written "
            f"to it (fix: restore it from a backup, or move it aside and {_ANOTHER_DB})"
        )
    return version


async def _finish_despite_cancels(task: asyncio.Future[None]) -> None:
    """Wait until ``task`` is done, even when cancelled again meanwhile (shutdown does that).

    Clean-up that must end before the write lock is released (the rollback of a
    BEGIN whose caller was cancelled) cannot be left half-way by a second cancel:
    a transaction left open would keep every other process from writing. The
    caller re-raises its own cancellation afterwards.
    """
    while not task.done():
        with contextlib.suppress(BaseException):  # the task's own error is read below
            await asyncio.shield(task)
    if not task.cancelled():
        task.exception()  # retrieved: a failed BEGIN is the caller's to report, not the loop's


class Connection:
    """One aiosqlite connection plus the lock that keeps write transactions whole.

    aiosqlite runs every call on one thread, but two coroutines could still
    interleave statements inside one transaction; the lock prevents that.
    """

    def __init__(
        self,
        db: aiosqlite.Connection,
        path: Path,
        *,
        on_wait: WaitNotice | None = None,
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> None:
        self.db = db
        self.path = path
        self.on_wait = on_wait
        self.lock_timeout = lock_timeout
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(
        cls,
        path: Path,
        *,
        create_dir: bool = False,
        on_wait: WaitNotice | None = None,
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> Connection:
        """Open (creating if needed), check and migrate the database at ``path``.

        Args:
            path: The database file.
            create_dir: Create a missing parent folder (the default data folder).
            on_wait: Told when a write waits for another process.
            lock_timeout: Seconds to wait for another writer before giving up.

        Raises:
            UserError: For every file a user can fix (see the module docstring).
        """
        check_path(path, create_dir=create_dir)
        # Read-only checks first: nothing is written to a file that is not ours.
        version = await asyncio.to_thread(inspect_file, path, lock_timeout)
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves.
            db = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise database_error(path, exc) or exc from None
        conn = cls(db, path, on_wait=on_wait, lock_timeout=lock_timeout)
        try:
            db.row_factory = aiosqlite.Row
            await db.execute(f"PRAGMA busy_timeout = {int(lock_timeout * 1000)}")
            await db.execute("PRAGMA journal_mode = WAL")
            await db.execute("PRAGMA synchronous = NORMAL")
            await db.execute("PRAGMA foreign_keys = ON")
            if version < migration_scripts()[-1][0]:
                await conn.migrate()
        except BaseException as exc:
            await db.close()
            if isinstance(exc, sqlite3.Error):
                raise database_error(path, exc) or exc from None
            raise
        return conn

    async def close(self) -> None:
        """Close the connection."""
        await self.db.close()

    async def _begin(self) -> None:
        """``BEGIN IMMEDIATE``, saying so if it waits, failing clearly if it gives up."""

        async def begin() -> None:
            await self.db.execute("BEGIN IMMEDIATE")

        # Shielded: cancelling the caller must not cancel the wait for the database
        # thread, which runs the BEGIN whatever happens here (see below).
        task = asyncio.ensure_future(begin())
        try:
            done, _ = await asyncio.wait({task}, timeout=WAIT_NOTICE_SECONDS)
            if not done and self.on_wait is not None:
                self.on_wait(
                    f"waiting for another process that is writing to {self.path} "
                    f"(up to {self.lock_timeout:g} s)…"
                )
            await asyncio.shield(task)
        except sqlite3.Error as exc:
            raise database_error(self.path, exc) or exc from None
        except BaseException:
            # Cancelled while waiting. The BEGIN still runs on the database thread; if it
            # succeeds, its transaction must be rolled back before the write lock is
            # released, or the next writer's BEGIN fails ("cannot start a transaction
            # within a transaction": a host quitting mid-heartbeat lost its last write).
            await _finish_despite_cancels(task)
            if not task.cancelled() and task.exception() is None:
                await _finish_despite_cancels(asyncio.ensure_future(self._rollback_quietly()))
            raise

    async def _rollback_quietly(self) -> None:
        with contextlib.suppress(sqlite3.Error, ValueError):
            await self.db.execute("ROLLBACK")

    @asynccontextmanager
    async def write(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction: ``BEGIN IMMEDIATE`` ... ``COMMIT`` (rolled back on error)."""
        async with self._write_lock:
            await self._begin()
            try:
                yield self.db
            except BaseException:
                await self.db.execute("ROLLBACK")
                raise
            try:
                await self.db.execute("COMMIT")
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    await self.db.execute("ROLLBACK")
                raise database_error(self.path, exc) or exc from None

    async def user_version(self) -> int:
        """The schema version recorded in the file."""
        async with self.db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self) -> int:
        """Apply the migrations newer than the file's ``user_version``; return the version.

        Runs in one write transaction and reads the version again inside it, so
        a second process opening the same new file waits and then finds nothing
        left to do.
        """
        scripts = migration_scripts()
        latest = scripts[-1][0] if scripts else 0
        async with self.write() as db:
            async with db.execute("PRAGMA user_version") as cursor:
                row = await cursor.fetchone()
            current = int(row[0]) if row else 0
            if current > latest:
                raise _newer(self.path, current, latest)
            for version, _name, sql in scripts:
                if version <= current:
                    continue
                for statement in _statements(sql):
                    await db.execute(statement)
                await db.execute(f"PRAGMA user_version = {version}")
        return latest
