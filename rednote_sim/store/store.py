"""The store: sessions, messages, reactions, markers and the translation memory."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from rednote_sim.domain import Lang, Marker, Message, Reaction, Session, Translation
from rednote_sim.errors import UserError
from rednote_sim.store.connection import Connection
from rednote_sim.store.rows import (
    marker_from_row,
    message_from_row,
    message_params,
    reaction_from_row,
    session_from_row,
)

_SESSION_STATS = """
    SELECT s.*, COUNT(m.seq) AS message_count, COALESCE(MAX(m.t), 0) AS duration
    FROM sessions s LEFT JOIN messages m ON m.session_id = s.id
"""

_MESSAGE_COLUMNS = (
    "session_id, seq, t, persona, name, lang, text, reply_to, beat, reference,"
    " translation_lang, translation_text, translation_engine, translation_error"
)
_INSERT_MESSAGE = (
    f"INSERT INTO messages ({_MESSAGE_COLUMNS}) VALUES "
    f"({', '.join(':' + c.strip() for c in _MESSAGE_COLUMNS.split(','))})"
)

# SQLite caps host parameters per statement (32766 in modern builds; stay well below).
_CHUNK = 500


def new_session_id(scenario: str, now: datetime | None = None) -> str:
    """A readable, sortable, practically unique id: ``arrival-20250113-0930-7f3a``."""
    now = now or datetime.now(UTC)
    return f"{scenario}-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


class Store:
    """Async access to one SQLite file. Every write is committed before it returns.

    Use as ``async with await Store.open(path) as store:``.
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    @classmethod
    async def open(cls, path: Path) -> Store:
        """Open (creating and migrating if needed) the database at ``path``."""
        try:
            return cls(await Connection.open(path))
        except OSError as exc:
            raise UserError(f"{path}: cannot open the database ({exc.strerror or exc})") from exc
        except Exception as exc:
            if type(exc).__name__ == "DatabaseError":
                raise UserError(
                    f"{path}: not a rednote-sim database ({exc}); pass another --db"
                ) from exc
            raise

    @property
    def connection(self) -> Connection:
        """The underlying connection, for repositories of other tables (workshop data)."""
        return self._conn

    @property
    def path(self) -> Path:
        """The database file."""
        return self._conn.path

    async def close(self) -> None:
        """Close the connection."""
        await self._conn.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def schema_version(self) -> int:
        """The ``PRAGMA user_version`` of the file."""
        return await self._conn.user_version()

    # --- sessions -------------------------------------------------------------------------

    async def create_session(
        self,
        scenario: str,
        *,
        title: str = "",
        seed: int | None = None,
        note: str = "",
        session_id: str | None = None,
        created_at: datetime | None = None,
        origin: str = "live",
    ) -> Session:
        """Create and commit a new session."""
        created = created_at or datetime.now(UTC)
        sid = session_id or new_session_id(scenario, created)
        async with self._conn.write() as db:
            await db.execute(
                "INSERT INTO sessions (id, scenario, title, seed, created_at, note, origin)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (sid, scenario, title, seed, created.isoformat(), note, origin),
            )
        return Session(
            id=sid, scenario=scenario, title=title, seed=seed, created_at=created, note=note
        )

    async def session_exists(self, session_id: str) -> bool:
        """True if a session with exactly this id exists."""
        async with self._conn.db.execute(
            "SELECT 1 FROM sessions WHERE id = ?", (session_id,)
        ) as cursor:
            return await cursor.fetchone() is not None

    async def list_sessions(self) -> list[Session]:
        """All sessions, newest first."""
        sql = _SESSION_STATS + " GROUP BY s.id ORDER BY s.created_at DESC, s.rowid DESC"
        async with self._conn.db.execute(sql) as cursor:
            return [session_from_row(row) for row in await cursor.fetchall()]

    async def get_session(self, ref: str) -> Session:
        """Resolve ``latest``, an exact id or a unique id prefix.

        Raises:
            UserError: If nothing (or more than one session) matches.
        """
        if ref == "latest":
            sessions = await self.list_sessions()
            if not sessions:
                raise UserError(
                    f"{self.path}: no recorded sessions yet; run `rednote-sim demo` first"
                )
            return sessions[0]
        sql = _SESSION_STATS + " WHERE s.id = ? OR s.id LIKE ? ESCAPE '\\' GROUP BY s.id"
        pattern = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        async with self._conn.db.execute(sql, (ref, pattern)) as cursor:
            rows = list(await cursor.fetchall())
        exact = [r for r in rows if r["id"] == ref]
        if exact:
            return session_from_row(exact[0])
        if len(rows) == 1:
            return session_from_row(rows[0])
        if not rows:
            raise UserError(
                f"session {ref!r} not found in {self.path}; `rednote-sim sessions` lists them"
            )
        raise UserError(f"session {ref!r} is ambiguous ({len(rows)} match); give more of the id")

    async def import_session(
        self,
        session: Session,
        messages: Sequence[Message],
        reactions: Sequence[Reaction],
        markers: Sequence[Marker],
    ) -> None:
        """Write a whole recorded session in one transaction (all or nothing)."""
        async with self._conn.write() as db:
            await db.execute(
                "INSERT INTO sessions (id, scenario, title, seed, created_at, note, origin)"
                " VALUES (?, ?, ?, ?, ?, ?, 'import')",
                (
                    session.id,
                    session.scenario,
                    session.title,
                    session.seed,
                    session.created_at.isoformat(),
                    session.note,
                ),
            )
            for message in messages:
                params = message_params(message.model_copy(update={"session": session.id}))
                await db.execute(_INSERT_MESSAGE, params)
            await db.executemany(
                "INSERT INTO reactions (session_id, seq, emoji, count, t) VALUES (?, ?, ?, ?, ?)",
                [(session.id, r.seq, r.emoji, r.count, r.t) for r in reactions],
            )
            await db.executemany(
                "INSERT INTO markers (session_id, t, label, seq, kind) VALUES (?, ?, ?, ?, ?)",
                [(session.id, m.t, m.label, m.seq, m.kind) for m in markers],
            )

    async def set_session_note(self, session_id: str, note: str) -> None:
        """Replace the facilitator's note on a session."""
        async with self._conn.write() as db:
            await db.execute("UPDATE sessions SET note = ? WHERE id = ?", (note, session_id))

    async def delete_session(self, session_id: str) -> None:
        """Delete a session and everything recorded in it."""
        async with self._conn.write() as db:
            await db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    # --- messages -------------------------------------------------------------------------

    async def add_message(self, message: Message) -> None:
        """Insert and commit a message (before anyone shows or prints it)."""
        async with self._conn.write() as db:
            await db.execute(_INSERT_MESSAGE, message_params(message))

    async def set_translation(
        self, session_id: str, seq: int, translation: Translation | None, error: str | None
    ) -> None:
        """Record the outcome of translating a message."""
        async with self._conn.write() as db:
            await db.execute(
                "UPDATE messages SET translation_lang = ?, translation_text = ?,"
                " translation_engine = ?, translation_error = ? WHERE session_id = ? AND seq = ?",
                (
                    translation.lang if translation else None,
                    translation.text if translation else None,
                    translation.engine if translation else None,
                    error,
                    session_id,
                    seq,
                ),
            )

    async def messages(self, session_id: str) -> list[Message]:
        """All messages of a session in posting order."""
        async with self._conn.db.execute(
            "SELECT * FROM messages WHERE session_id = ? ORDER BY seq", (session_id,)
        ) as cursor:
            return [message_from_row(row) for row in await cursor.fetchall()]

    async def message(self, session_id: str, seq: int) -> Message | None:
        """One message, or None."""
        async with self._conn.db.execute(
            "SELECT * FROM messages WHERE session_id = ? AND seq = ?", (session_id, seq)
        ) as cursor:
            row = await cursor.fetchone()
        return message_from_row(row) if row else None

    async def next_seq(self, session_id: str) -> int:
        """The seq the next message of the session gets."""
        async with self._conn.db.execute(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE session_id = ?", (session_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 1

    # --- reactions and markers ------------------------------------------------------------

    async def add_reaction(self, reaction: Reaction) -> None:
        """Record reactions added to a message."""
        async with self._conn.write() as db:
            await db.execute(
                "INSERT INTO reactions (session_id, seq, emoji, count, t) VALUES (?, ?, ?, ?, ?)",
                (reaction.session, reaction.seq, reaction.emoji, reaction.count, reaction.t),
            )

    async def reactions(self, session_id: str) -> list[Reaction]:
        """All reaction events of a session in time order."""
        async with self._conn.db.execute(
            "SELECT * FROM reactions WHERE session_id = ? ORDER BY t, id", (session_id,)
        ) as cursor:
            return [reaction_from_row(row) for row in await cursor.fetchall()]

    async def add_marker(self, marker: Marker) -> None:
        """Record a chapter marker."""
        async with self._conn.write() as db:
            await db.execute(
                "INSERT INTO markers (session_id, t, label, seq, kind) VALUES (?, ?, ?, ?, ?)",
                (marker.session, marker.t, marker.label, marker.seq, marker.kind),
            )

    async def markers(self, session_id: str) -> list[Marker]:
        """All markers of a session in time order."""
        async with self._conn.db.execute(
            "SELECT * FROM markers WHERE session_id = ? ORDER BY t, id", (session_id,)
        ) as cursor:
            return [marker_from_row(row) for row in await cursor.fetchall()]

    # --- translation memory (the TranslationMemory protocol) ------------------------------

    async def tm_lookup(
        self, engine: str, source: Lang, target: Lang, texts: Sequence[str]
    ) -> dict[str, str]:
        """Cached translations for those of ``texts`` this engine has translated before."""
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(texts))
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            marks = ", ".join("?" for _ in chunk)
            async with self._conn.db.execute(
                "SELECT source_text, text FROM translations WHERE engine = ? AND source_lang = ?"
                f" AND target_lang = ? AND source_text IN ({marks})",
                (engine, source, target, *chunk),
            ) as cursor:
                found.update({row[0]: row[1] for row in await cursor.fetchall()})
        return found

    async def tm_remember(
        self, engine: str, source: Lang, target: Lang, pairs: Sequence[tuple[str, str]]
    ) -> None:
        """Store translations made by ``engine``."""
        if not pairs:
            return
        now = datetime.now(UTC).isoformat()
        async with self._conn.write() as db:
            await db.executemany(
                "INSERT OR REPLACE INTO translations"
                " (engine, source_lang, target_lang, source_text, text, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(engine, source, target, src, out, now) for src, out in pairs],
            )
