"""The classroom tables (``migrations/0006_classroom.sql``): hosts, guests and the inbox.

Who writes what: the host process writes its ``hosts`` row and resolves inbox
rows; a guest process writes only its own ``guests`` row and inserts inbox
rows. Session data (messages, classwork) is never written here: the host's
room writes it after taking an inbox row (docs/ARCHITECTURE.md, "The classroom").

Times that decide liveness (``beat_at``, ``seen_at``, ``typing_at``) are unix
seconds (``time.time()``), comparable between processes on one machine; the
others are ISO timestamps like the rest of the store.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import aiosqlite
from pydantic import BaseModel

from rednote_sim.domain.guests import (
    GUEST_TIMEOUT,
    Guest,
    GuestInputError,
    HostMode,
    HostState,
    InboxItem,
    InboxKind,
    InboxStatus,
    Participant,
    guest_persona_id,
    kind_of,
    unique_name,
    validate_guest_name,
)
from rednote_sim.errors import UserError
from rednote_sim.store.connection import Connection

if TYPE_CHECKING:
    from rednote_sim.store.store import Store

PENDING_BATCH = 200
"""Most inbox rows :meth:`ClassroomRepo.pending` returns at once (a flood is taken in turns)."""

_MAX_REASON = 300

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def checked_name(raw: str) -> str:
    """:func:`~rednote_sim.domain.guests.validate_guest_name`, failing as a ``UserError``."""
    try:
        return validate_guest_name(raw)
    except GuestInputError as exc:
        raise UserError(str(exc)) from None


def _now(now: float | None) -> float:
    return time.time() if now is None else now


def _iso(now: float) -> str:
    return datetime.fromtimestamp(now, UTC).isoformat()


def _host_from_row(row: aiosqlite.Row) -> HostState:
    return HostState(
        session=row["session_id"],
        pid=row["pid"],
        mode=row["mode"],
        started_at=datetime.fromisoformat(row["started_at"]),
        beat_at=row["beat_at"],
        finished=bool(row["finished"]),
    )


def _guest_from_row(row: aiosqlite.Row) -> Guest:
    left = row["left_at"]
    return Guest(
        session=row["session_id"],
        name=row["name"],
        joined_at=datetime.fromisoformat(row["joined_at"]),
        seen_at=row["seen_at"],
        typing_at=row["typing_at"],
        left_at=datetime.fromisoformat(left) if left else None,
    )


def _text(value: object) -> str:
    # SQLite keeps what it is given: another process may have stored a blob or a number.
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return "" if value is None else str(value)


def _created_at(value: object) -> datetime:
    try:
        parsed = datetime.fromisoformat(_text(value))
    except ValueError:
        return _EPOCH
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _item_from_row(row: aiosqlite.Row) -> InboxItem:
    """An inbox row as a model; never raises (guests' rows are untrusted)."""
    seq = row["result_seq"]
    return InboxItem(
        id=row["id"],
        session=_text(row["session_id"]),
        guest=_text(row["guest"]),
        kind=_text(row["kind"]),
        payload=_text(row["payload"]),
        created_at=_created_at(row["created_at"]),
        status=row["status"],
        result_seq=seq if isinstance(seq, int) else None,
        reason=_text(row["reason"]),
    )


# Everyone besides the host's user, in the order they first appear: joined, posted, or
# added classwork (a `say`-only guest has no guests row). The source rank keeps that order.
_PARTICIPANTS = """
    SELECT name, MIN(rank) AS first, MAX(joined_at) AS joined_at FROM (
        SELECT name, 0 AS rank, joined_at FROM guests WHERE session_id = :s
        UNION ALL
        SELECT substr(persona, :cut), 1000000000 + MIN(seq), NULL FROM messages
            WHERE session_id = :s AND persona LIKE :prefix ESCAPE '\\' GROUP BY persona
        UNION ALL
        SELECT author, 3000000000 + MIN(id), NULL FROM quiz_answers
            WHERE session_id = :s AND author != '' GROUP BY author
        UNION ALL
        SELECT author, 4000000000 + MIN(id), NULL FROM vocab
            WHERE session_id = :s AND author != '' GROUP BY author
        UNION ALL
        SELECT author, 5000000000 + MIN(seq), NULL FROM line_corrections
            WHERE session_id = :s AND author != '' GROUP BY author
    ) GROUP BY name ORDER BY first, name
"""


async def insert_participants(
    db: aiosqlite.Connection, session_id: str, participants: list[Participant]
) -> None:
    """Write imported participants who had joined as guests rows (left), in an import."""
    await db.executemany(
        "INSERT OR IGNORE INTO guests (session_id, name, joined_at, seen_at, left_at)"
        " VALUES (?, ?, ?, 0, ?)",
        [
            (session_id, p.name, p.joined_at.isoformat(), p.joined_at.isoformat())
            for p in participants
            if p.joined_at is not None
        ],
    )


class ClassroomRepo:
    """Reads and writes the classroom tables over the store's connection.

    Args:
        conn: The open connection (``ClassroomRepo.of(store)`` takes it from a Store).
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    @classmethod
    def of(cls, store: Store) -> ClassroomRepo:
        """The repository sharing ``store``'s connection (and so its write lock)."""
        return cls(store.connection)

    async def data_version(self) -> int:
        """``PRAGMA data_version``: changes whenever ANOTHER connection commits.

        A cheap probe (no table is read): poll it and read the tables only when it
        moved. Commits on this connection do not change it.
        """
        async with self._conn.db.execute("PRAGMA data_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    # --- the host's heartbeat ---------------------------------------------------------------

    async def start_host(
        self, session_id: str, *, pid: int, mode: HostMode, now: float | None = None
    ) -> HostState:
        """Record that process ``pid`` hosts the session (replacing an earlier host's row)."""
        at = _now(now)
        async with self._conn.write() as db:
            await db.execute(
                "INSERT INTO hosts (session_id, pid, mode, started_at, beat_at, finished)"
                " VALUES (?, ?, ?, ?, ?, 0)"
                " ON CONFLICT (session_id) DO UPDATE SET pid = excluded.pid,"
                " mode = excluded.mode, started_at = excluded.started_at,"
                " beat_at = excluded.beat_at, finished = 0",
                (session_id, pid, mode, _iso(at), at),
            )
        state = await self.host(session_id)
        assert state is not None  # just committed
        return state

    async def beat(self, session_id: str, *, now: float | None = None) -> None:
        """Refresh the host's beat (a finished host stays finished)."""
        async with self._conn.write() as db:
            await db.execute(
                "UPDATE hosts SET beat_at = ? WHERE session_id = ? AND finished = 0",
                (_now(now), session_id),
            )

    async def finish_host(self, session_id: str, *, now: float | None = None) -> None:
        """Record that the host stopped: the session is no longer live."""
        async with self._conn.write() as db:
            await db.execute(
                "UPDATE hosts SET finished = 1, beat_at = ? WHERE session_id = ?",
                (_now(now), session_id),
            )

    async def host(self, session_id: str) -> HostState | None:
        """The session's host row, or None if no process ever hosted it."""
        async with self._conn.db.execute(
            "SELECT * FROM hosts WHERE session_id = ?", (session_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return _host_from_row(row) if row else None

    # --- guests ---------------------------------------------------------------------------

    async def join(self, session_id: str, wanted: str, *, now: float | None = None) -> str:
        """Enter the room as ``wanted``; returns the name given (``Ana (2)`` if taken).

        The name is unique among the guests present (a guest who left, or whose
        process stopped touching, frees it).

        Raises:
            UserError: An invalid name, or an unknown session.
        """
        name = checked_name(wanted)
        at = _now(now)
        async with self._conn.write() as db:
            async with db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)) as cur:
                if await cur.fetchone() is None:
                    raise UserError(f"session {session_id!r} not found")
            async with db.execute(
                "SELECT name FROM guests WHERE session_id = ? AND left_at IS NULL AND seen_at >= ?",
                (session_id, at - GUEST_TIMEOUT),
            ) as cursor:
                present = [row[0] for row in await cursor.fetchall()]
            given = unique_name(name, present)
            await db.execute(
                "INSERT INTO guests (session_id, name, joined_at, seen_at, typing_at, left_at)"
                " VALUES (?, ?, ?, ?, NULL, NULL)"
                " ON CONFLICT (session_id, name) DO UPDATE SET joined_at = excluded.joined_at,"
                " seen_at = excluded.seen_at, typing_at = NULL, left_at = NULL",
                (session_id, given, _iso(at), at),
            )
        return given

    async def touch(
        self, session_id: str, name: str, *, typing: bool = False, now: float | None = None
    ) -> bool:
        """A guest's heartbeat (and keystroke, with ``typing``); False if not in the room."""
        at = _now(now)
        async with self._conn.write() as db:
            cursor = await db.execute(
                "UPDATE guests SET seen_at = ?, typing_at = CASE WHEN ? THEN ? ELSE typing_at END"
                " WHERE session_id = ? AND name = ? AND left_at IS NULL",
                (at, typing, at, session_id, name),
            )
            return cursor.rowcount > 0

    async def leave(self, session_id: str, name: str, *, now: float | None = None) -> None:
        """A guest left the room (the name is free again)."""
        async with self._conn.write() as db:
            await db.execute(
                "UPDATE guests SET left_at = ? WHERE session_id = ? AND name = ?"
                " AND left_at IS NULL",
                (_iso(_now(now)), session_id, name),
            )

    async def guests(self, session_id: str) -> list[Guest]:
        """Every guest the session has had, in the order they (last) joined."""
        async with self._conn.db.execute(
            "SELECT * FROM guests WHERE session_id = ? ORDER BY joined_at, name", (session_id,)
        ) as cursor:
            return [_guest_from_row(row) for row in await cursor.fetchall()]

    async def participants(self, session_id: str) -> list[Participant]:
        """Everyone who took part besides the host's user, in order of first appearance.

        A guest who joined, posted a message, answered, saved a phrasebook entry or
        corrected a line (``''`` authors are the host's user and are left out).
        """
        prefix = guest_persona_id("")
        params = {
            "s": session_id,
            "cut": len(prefix) + 1,
            "prefix": prefix.replace("_", "\\_").replace("%", "\\%") + "%",
        }
        async with self._conn.db.execute(_PARTICIPANTS, params) as cursor:
            rows = await cursor.fetchall()
        return [
            Participant(
                session=session_id,
                name=_text(row["name"]),
                joined_at=_created_at(row["joined_at"]) if row["joined_at"] else None,
            )
            for row in rows
            if _text(row["name"]).strip()
        ]

    # --- the inbox ------------------------------------------------------------------------

    async def send(self, session_id: str, guest: str, kind: InboxKind, payload: BaseModel) -> int:
        """Insert a request for the host; returns its inbox id.

        Raises:
            TypeError: If ``payload`` is not the model of ``kind``.
        """
        if kind_of(payload) != kind:
            raise TypeError(f"a {kind!r} request needs its own payload model")
        async with self._conn.write() as db:
            cursor = await db.execute(
                "INSERT INTO inbox (session_id, guest, kind, payload, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (session_id, guest, kind, payload.model_dump_json(), _iso(time.time())),
            )
            item_id = cursor.lastrowid
        assert item_id is not None
        return item_id

    async def pending(self, session_id: str, after_id: int = 0) -> list[InboxItem]:
        """Requests the host has not taken yet, oldest first (at most :data:`PENDING_BATCH`)."""
        async with self._conn.db.execute(
            "SELECT * FROM inbox WHERE session_id = ? AND status = 'pending' AND id > ?"
            " ORDER BY id LIMIT ?",
            (session_id, after_id, PENDING_BATCH),
        ) as cursor:
            return [_item_from_row(row) for row in await cursor.fetchall()]

    async def resolve(
        self, item_id: int, *, status: InboxStatus, seq: int | None = None, reason: str = ""
    ) -> bool:
        """Record the outcome of a pending request; False if it was not pending."""
        if status == "pending":
            raise ValueError("resolve a request as 'done' or 'refused'")
        async with self._conn.write() as db:
            cursor = await db.execute(
                "UPDATE inbox SET status = ?, result_seq = ?, reason = ?"
                " WHERE id = ? AND status = 'pending'",
                (status, seq, reason[:_MAX_REASON], item_id),
            )
            return cursor.rowcount > 0

    async def item(self, item_id: int) -> InboxItem | None:
        """One inbox row, or None."""
        async with self._conn.db.execute("SELECT * FROM inbox WHERE id = ?", (item_id,)) as cursor:
            row = await cursor.fetchone()
        return _item_from_row(row) if row else None

    async def resolved_for(self, session_id: str, guest: str, after_id: int = 0) -> list[InboxItem]:
        """A guest's requests the host has resolved, after ``after_id``, oldest first."""
        async with self._conn.db.execute(
            "SELECT * FROM inbox WHERE session_id = ? AND guest = ? AND status != 'pending'"
            " AND id > ? ORDER BY id",
            (session_id, guest, after_id),
        ) as cursor:
            return [_item_from_row(row) for row in await cursor.fetchall()]
