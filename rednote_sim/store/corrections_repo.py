"""Line corrections in SQLite (``migrations/0003_line_corrections.sql``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import aiosqlite

from rednote_sim.domain.workshop import MAX_AUTHOR, LineCorrection
from rednote_sim.errors import UserError
from rednote_sim.store.connection import Connection
from rednote_sim.store.workshop_repo import require_message

if TYPE_CHECKING:
    from rednote_sim.store.store import Store

_UPSERT = """
    INSERT INTO line_corrections (session_id, seq, author, text, note, created_at)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (session_id, seq, author) DO UPDATE SET
        text = excluded.text, note = excluded.note, created_at = excluded.created_at
"""

_ORDER = " ORDER BY seq, created_at, author"


def _params(correction: LineCorrection) -> tuple[object, ...]:
    return (
        correction.session,
        correction.seq,
        correction.author,
        correction.text,
        correction.note,
        correction.created_at.isoformat(),
    )


def _from_row(row: aiosqlite.Row) -> LineCorrection:
    return LineCorrection(
        session=row["session_id"],
        seq=row["seq"],
        author=row["author"],
        text=row["text"],
        note=row["note"],
        created_at=datetime.fromisoformat(row["created_at"]),
    )


class CorrectionsRepo:
    """Reads and writes line corrections over the store's connection.

    Args:
        conn: The open connection (``CorrectionsRepo.of(store)`` takes it from a Store).
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    @classmethod
    def of(cls, store: Store) -> CorrectionsRepo:
        """The repository sharing ``store``'s connection (and so its write lock)."""
        return cls(store.connection)

    async def correct(
        self,
        session_id: str,
        seq: int,
        text: str,
        *,
        note: str = "",
        author: str = "",
        at: datetime | None = None,
    ) -> LineCorrection:
        """Save a correction of line ``seq``; the same author correcting again replaces it.

        Raises:
            UserError: If the text is blank (or the author name too long), or the
                message does not exist.
        """
        clean = text.strip()
        if not clean:
            raise UserError("the correction is empty; type the corrected line first")
        who = " ".join(author.split())
        if len(who) > MAX_AUTHOR:
            raise UserError(f"an author name is at most {MAX_AUTHOR} characters")
        saved = LineCorrection(
            session=session_id,
            seq=seq,
            text=clean,
            note=note.strip(),
            author=who,
            created_at=at or datetime.now(UTC),
        )
        async with self._conn.write() as db:
            await require_message(db, session_id, seq)
            await db.execute(_UPSERT, _params(saved))
        return saved

    async def remove(self, session_id: str, seq: int, author: str = "") -> bool:
        """Remove one author's correction of a line; True if there was one."""
        async with self._conn.write() as db:
            cursor = await db.execute(
                "DELETE FROM line_corrections WHERE session_id = ? AND seq = ? AND author = ?",
                (session_id, seq, author),
            )
            return cursor.rowcount > 0

    async def for_line(self, session_id: str, seq: int) -> list[LineCorrection]:
        """The corrections of one line, oldest first."""
        async with self._conn.db.execute(
            "SELECT * FROM line_corrections WHERE session_id = ? AND seq = ?" + _ORDER,
            (session_id, seq),
        ) as cursor:
            return [_from_row(row) for row in await cursor.fetchall()]

    async def corrections(self, session_id: str) -> list[LineCorrection]:
        """Every correction of a session, in line order (then oldest first)."""
        async with self._conn.db.execute(
            "SELECT * FROM line_corrections WHERE session_id = ?" + _ORDER, (session_id,)
        ) as cursor:
            return [_from_row(row) for row in await cursor.fetchall()]


async def insert_corrections(
    db: aiosqlite.Connection, session_id: str, corrections: Sequence[LineCorrection]
) -> None:
    """Write imported corrections inside the caller's transaction (``import_session``)."""
    await db.executemany(
        _UPSERT, [_params(c.model_copy(update={"session": session_id})) for c in corrections]
    )
