"""Opening the SQLite file: pragmas, write transactions and numbered migrations.

Concurrency model: WAL lets readers run beside one writer; every write runs in
``BEGIN IMMEDIATE`` so a writer takes the write lock up front and waits (up to
``busy_timeout``) instead of failing with "database is locked" when it would
otherwise have to upgrade a read lock held by another process.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

BUSY_TIMEOUT_MS = 10_000


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


class Connection:
    """One aiosqlite connection plus the lock that keeps write transactions whole.

    aiosqlite runs every call on one thread, but two coroutines could still
    interleave statements inside one transaction; the lock prevents that.
    """

    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self.db = db
        self.path = path
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> Connection:
        """Open (creating if needed) and migrate the database at ``path``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves.
        db = await aiosqlite.connect(path, isolation_level=None)
        try:
            db.row_factory = aiosqlite.Row
            await db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await db.execute("PRAGMA journal_mode = WAL")
            await db.execute("PRAGMA synchronous = NORMAL")
            await db.execute("PRAGMA foreign_keys = ON")
            conn = cls(db, path)
            await conn.migrate()
        except BaseException:
            await db.close()
            raise
        return conn

    async def close(self) -> None:
        """Close the connection."""
        await self.db.close()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction: ``BEGIN IMMEDIATE`` ... ``COMMIT`` (rolled back on error)."""
        async with self._write_lock:
            await self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                await self.db.execute("ROLLBACK")
                raise
            await self.db.execute("COMMIT")

    async def user_version(self) -> int:
        """The schema version recorded in the file."""
        async with self.db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self) -> int:
        """Apply the migrations newer than the file's ``user_version``; return the version.

        Runs in one write transaction, so a second process opening the same new
        file waits and then finds nothing left to do.
        """
        scripts = migration_scripts()
        latest = scripts[-1][0] if scripts else 0
        async with self.write() as db:
            async with db.execute("PRAGMA user_version") as cursor:
                row = await cursor.fetchone()
            current = int(row[0]) if row else 0
            if current > latest:
                raise RuntimeError(
                    f"{self.path} has schema version {current}, newer than this rednote-sim "
                    f"({latest}); upgrade rednote-sim"
                )
            for version, _name, sql in scripts:
                if version <= current:
                    continue
                for statement in _statements(sql):
                    await db.execute(statement)
                await db.execute(f"PRAGMA user_version = {version}")
        return latest
