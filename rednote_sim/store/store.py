"""The store: sessions, messages, reactions, markers and the translation memory."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Concatenate, ParamSpec, TypeVar

import aiosqlite

from rednote_sim.domain import (
    LATEST,
    SESSION_ID_MAX_LENGTH,
    Lang,
    Marker,
    Message,
    Persona,
    Reaction,
    Session,
    Translation,
    check_session_id,
)
from rednote_sim.errors import UserError
from rednote_sim.settings import Settings, default_data_dir
from rednote_sim.store.connection import LOCK_TIMEOUT, Connection, WaitNotice
from rednote_sim.store.rows import (
    SET_TRANSLATIONS,
    TRANSLATION_COLUMNS,
    UnreadableRow,
    marker_from_row,
    message_from_row,
    message_params,
    persona_from_row,
    persona_params,
    reaction_from_row,
    renderings_update,
    session_from_row,
)

# A session lasts until its last recorded event: reactions keep coming after the
# last message, and a replay plays (and its header counts) all of them.
_SESSION_STATS = """
    SELECT s.*, COUNT(m.seq) AS message_count,
        MAX(
            COALESCE(MAX(m.t), 0),
            COALESCE((SELECT MAX(r.t) FROM reactions r WHERE r.session_id = s.id), 0),
            COALESCE((SELECT MAX(k.t) FROM markers k WHERE k.session_id = s.id), 0)
        ) AS duration
    FROM sessions s LEFT JOIN messages m ON m.session_id = s.id
"""

_MESSAGE_COLUMNS = (
    "session_id",
    "seq",
    "t",
    "persona",
    "name",
    "lang",
    "text",
    "reply_to",
    "beat",
    "reference",
    *TRANSLATION_COLUMNS,
    "posted_at",
)
_INSERT_MESSAGE = (
    f"INSERT INTO messages ({', '.join(_MESSAGE_COLUMNS)}) VALUES "
    f"({', '.join(':' + c for c in _MESSAGE_COLUMNS)})"
)

_INSERT_PERSONA = (
    "INSERT INTO session_personas"
    " (session_id, id, name, handle, language, country, home, avatar, bio)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

# SQLite caps host parameters per statement (32766 in modern builds; stay well below).
_CHUNK = 500


ImportStep = Callable[[aiosqlite.Connection, str], Awaitable[None]]
"""More writes inside an import's transaction, given the connection and the session id."""

_IMPORTED = "-imported"


async def _free_session_id(db: aiosqlite.Connection, wanted: str) -> str:
    """``wanted``, or the first free ``wanted-imported[-N]`` (call inside a write)."""
    base = wanted[: SESSION_ID_MAX_LENGTH - len(_IMPORTED) - 8]
    async with db.execute(
        "SELECT id FROM sessions WHERE id = ? OR id LIKE ? ESCAPE '\\'",
        (wanted, _like_prefix(base + _IMPORTED)),
    ) as cursor:
        taken = {row[0] for row in await cursor.fetchall()}
    if wanted not in taken:
        return wanted
    n = 1
    while True:
        candidate = base + _IMPORTED + (f"-{n}" if n > 1 else "")
        if candidate not in taken:
            return candidate
        n += 1


def _like_prefix(prefix: str) -> str:
    r"""A LIKE pattern (with ``ESCAPE '\'``) matching strings that start with ``prefix``."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


_R = TypeVar("_R")
_P = ParamSpec("_P")


def _names_the_file(
    read: Callable[Concatenate[Store, _P], Awaitable[_R]],
) -> Callable[Concatenate[Store, _P], Awaitable[_R]]:
    """Prefix an :class:`UnreadableRow` raised while reading with the database path."""

    @functools.wraps(read)
    async def reading(self: Store, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return await read(self, *args, **kwargs)
        except UnreadableRow as exc:
            raise UserError(f"{self.path}: {exc}") from exc

    return reading


def new_session_id(scenario: str, now: datetime | None = None) -> str:
    """A readable, sortable, practically unique id: ``arrival-20250113-0930-7f3a``."""
    now = now or datetime.now(UTC)
    return f"{scenario}-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


async def open_store(settings: Settings, on_wait: WaitNotice | None = None) -> Store:
    """Open the configured database (``--db``/``RNSIM_DB``) with the configured lock timeout.

    Args:
        settings: Where the database is and how long a write may wait.
        on_wait: Told (one line) when a write has to wait for another process.
    """
    return await Store.open(settings.db, on_wait=on_wait, lock_timeout=settings.lock_timeout)


class Store:
    """Async access to one SQLite file. Every write is committed before it returns.

    Use as ``async with await Store.open(path) as store:``.
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    @classmethod
    async def open(
        cls,
        path: Path,
        *,
        on_wait: WaitNotice | None = None,
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> Store:
        """Open (creating and migrating if needed) the database at ``path``.

        A missing folder is created only when it is rednote-sim's default data
        folder; anywhere else a missing folder is an error (a typo in ``--db``).

        Args:
            path: The database file.
            on_wait: Told (one line) when a write waits for another process.
            lock_timeout: Seconds a write waits for another process before giving up.

        Raises:
            UserError: For a path or file that cannot be used, naming it and the fix.
        """
        try:
            conn = await Connection.open(
                path,
                create_dir=path.parent == default_data_dir(),
                on_wait=on_wait,
                lock_timeout=lock_timeout,
            )
        except OSError as exc:
            raise UserError(f"{path}: cannot open the database ({exc.strerror or exc})") from exc
        return cls(conn)

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
        """Create and commit a new session.

        Raises:
            ValueError: If ``session_id`` breaks the id rule (``check_session_id``).
        """
        created = created_at or datetime.now(UTC)
        sid = check_session_id(session_id or new_session_id(scenario, created))
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

    @_names_the_file
    async def list_sessions(self) -> list[Session]:
        """All sessions, newest first."""
        sql = _SESSION_STATS + " GROUP BY s.id ORDER BY s.created_at DESC, s.rowid DESC"
        async with self._conn.db.execute(sql) as cursor:
            return [session_from_row(row) for row in await cursor.fetchall()]

    @_names_the_file
    async def get_session(self, ref: str) -> Session:
        """Resolve ``latest``, an exact id or a unique id prefix.

        Raises:
            UserError: If nothing (or more than one session) matches.
        """
        if ref == LATEST:
            sessions = await self.list_sessions()
            if not sessions:
                raise UserError(
                    f"{self.path}: no recorded sessions yet; run `rednote-sim demo` first"
                )
            return sessions[0]
        sql = _SESSION_STATS + " WHERE s.id = ? OR s.id LIKE ? ESCAPE '\\' GROUP BY s.id"
        async with self._conn.db.execute(sql, (ref, _like_prefix(ref))) as cursor:
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
        messages: Iterable[Message],
        reactions: Iterable[Reaction],
        markers: Iterable[Marker],
        *,
        personas: Iterable[Persona] = (),
        also: ImportStep | None = None,
    ) -> Session:
        """Write a whole recorded session in one transaction (all or nothing).

        The id is ``session.id``, or, when that is taken, the first free
        ``<id>-imported``, ``<id>-imported-2``, … Choosing it inside the write
        transaction makes it atomic: concurrent imports of one file get
        different ids instead of failing.

        Messages and reactions may be lazy iterables (a chat import streams
        them from a spool file): each is consumed once, inside the transaction.

        Args:
            session: The session (its id is the one wanted; ``imported_from``
                and ``anonymized`` are stored with it).
            messages: Its messages, in seq order.
            reactions: Its reaction events.
            markers: Its markers.
            personas: The people of an imported chat, stored with the session.
            also: More rows to write in the same transaction (the workshop
                records), called with the connection and the chosen id.

        Returns:
            The imported session, as now stored.
        """
        async with self._conn.write() as db:
            sid = await _free_session_id(db, session.id)
            await db.execute(
                "INSERT INTO sessions (id, scenario, title, seed, created_at, note, origin,"
                " imported_from, anonymized) VALUES (?, ?, ?, ?, ?, ?, 'import', ?, ?)",
                (
                    sid,
                    session.scenario,
                    session.title,
                    session.seed,
                    session.created_at.isoformat(),
                    session.note,
                    session.imported_from,
                    int(session.anonymized),
                ),
            )
            await db.executemany(_INSERT_PERSONA, (persona_params(sid, p) for p in personas))
            await db.executemany(
                _INSERT_MESSAGE,
                (message_params(m.model_copy(update={"session": sid})) for m in messages),
            )
            await db.executemany(
                "INSERT INTO reactions (session_id, seq, emoji, count, t) VALUES (?, ?, ?, ?, ?)",
                ((sid, r.seq, r.emoji, r.count, r.t) for r in reactions),
            )
            await db.executemany(
                "INSERT INTO markers (session_id, t, label, seq, kind) VALUES (?, ?, ?, ?, ?)",
                [(sid, m.t, m.label, m.seq, m.kind) for m in markers],
            )
            if also is not None:
                await also(db, sid)
        return await self.get_session(sid)

    @_names_the_file
    async def session_personas(self, session_id: str) -> dict[str, Persona]:
        """The personas stored with a session (an imported chat's people), by id."""
        async with self._conn.db.execute(
            "SELECT * FROM session_personas WHERE session_id = ? ORDER BY rowid", (session_id,)
        ) as cursor:
            found = [persona_from_row(row) for row in await cursor.fetchall()]
        return {p.id: p for p in found}

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
        """Record the outcome of translating a message (a message that does not mix languages)."""
        async with self._conn.write() as db:
            await db.execute(
                "UPDATE messages SET translation_lang = ?, translation_text = ?,"
                " translation_engine = ?, translation_origin = ?, translation_machine = ?,"
                " translation_error = ? WHERE session_id = ? AND seq = ?",
                (
                    translation.lang if translation else None,
                    translation.text if translation else None,
                    translation.engine if translation else None,
                    translation.origin if translation else None,
                    translation.machine if translation else None,
                    error,
                    session_id,
                    seq,
                ),
            )

    async def set_translations(self, message: Message) -> None:
        """Record every rendering of a translated message (both, for a mixed one)."""
        async with self._conn.write() as db:
            await db.execute(SET_TRANSLATIONS, renderings_update(message))

    @_names_the_file
    async def messages(self, session_id: str) -> list[Message]:
        """All messages of a session in posting order."""
        async with self._conn.db.execute(
            "SELECT * FROM messages WHERE session_id = ? ORDER BY seq", (session_id,)
        ) as cursor:
            return [message_from_row(row) for row in await cursor.fetchall()]

    @_names_the_file
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

    @_names_the_file
    async def reactions(self, session_id: str) -> list[Reaction]:
        """All reaction events of a session in time order."""
        async with self._conn.db.execute(
            "SELECT * FROM reactions WHERE session_id = ? ORDER BY t, id", (session_id,)
        ) as cursor:
            return [reaction_from_row(row) for row in await cursor.fetchall()]

    async def add_marker(self, marker: Marker) -> Marker:
        """Record a marker (a scenario's chapter, or one a reader dropped); returns it as stored.

        The label is trimmed; a blank one is stored as "marker". In the product the
        rooms are the only callers (they publish the marker next): the markers
        table has one writer.
        """
        label = marker.label.strip() or "marker"
        if label != marker.label:
            marker = marker.model_copy(update={"label": label})
        async with self._conn.write() as db:
            await db.execute(
                "INSERT INTO markers (session_id, t, label, seq, kind) VALUES (?, ?, ?, ?, ?)",
                (marker.session, marker.t, marker.label, marker.seq, marker.kind),
            )
        return marker

    @_names_the_file
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

    async def tm_corrections(self) -> list[tuple[Lang, str, str]]:
        """Every class correction as (target language, source text, corrected text).

        The latest correction of a text comes last, so building a dict keeps it.
        """
        async with self._conn.db.execute(
            "SELECT c.lang, m.text AS source, c.text FROM translation_corrections c"
            " JOIN messages m ON m.session_id = c.session_id AND m.seq = c.seq"
            " ORDER BY c.created_at, c.session_id, c.seq"
        ) as cursor:
            return [(row[0], row[1], row[2]) for row in await cursor.fetchall()]
