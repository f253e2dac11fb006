"""Reading a session as another process writes it: what is new since the last look.

A guest's follower (``sim/follow.py``) reads a live session that the host
process writes. Each method answers "what is there after id N" (messages by
``seq``, reactions and markers by row id, quiz answers by row id) or returns a
small whole set to compare (marks, one author's phrasebook), so a poll costs a
few indexed reads. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from rednote_sim.domain import Marker, Message, Reaction
from rednote_sim.domain.workshop import LineCorrection, MtErrorMark, QuizAnswer, VocabEntry
from rednote_sim.store.connection import Connection
from rednote_sim.store.corrections_repo import CorrectionsRepo
from rednote_sim.store.rows import marker_from_row, message_from_row, reaction_from_row
from rednote_sim.store.workshop_repo import WorkshopRepo, vocab_from_row

if TYPE_CHECKING:
    from rednote_sim.store.store import Store

_CHUNK = 500

CorrectionsProbe = tuple[int, str]
"""How many class corrections a session has and when the newest was written."""


class FollowRepo:
    """Incremental reads of one database connection.

    Args:
        conn: The open connection (``FollowRepo.of(store)`` takes it from a Store).
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    @classmethod
    def of(cls, store: Store) -> FollowRepo:
        """The repository reading over ``store``'s connection."""
        return cls(store.connection)

    async def messages_after(self, session_id: str, seq: int) -> list[Message]:
        """Messages with a seq above ``seq``, in posting order."""
        async with self._conn.db.execute(
            "SELECT * FROM messages WHERE session_id = ? AND seq > ? ORDER BY seq",
            (session_id, seq),
        ) as cursor:
            return [message_from_row(row) for row in await cursor.fetchall()]

    async def messages_in(self, session_id: str, seqs: Sequence[int]) -> list[Message]:
        """The messages of ``seqs`` (those that exist), in posting order."""
        found: list[Message] = []
        for start in range(0, len(seqs), _CHUNK):
            chunk = list(seqs[start : start + _CHUNK])
            marks = ", ".join("?" for _ in chunk)
            async with self._conn.db.execute(
                f"SELECT * FROM messages WHERE session_id = ? AND seq IN ({marks}) ORDER BY seq",
                (session_id, *chunk),
            ) as cursor:
                found += [message_from_row(row) for row in await cursor.fetchall()]
        return found

    async def reactions_after(self, session_id: str, row_id: int) -> list[tuple[int, Reaction]]:
        """Reaction rows after row ``row_id``, with their ids, in the order written."""
        async with self._conn.db.execute(
            "SELECT * FROM reactions WHERE session_id = ? AND id > ? ORDER BY id",
            (session_id, row_id),
        ) as cursor:
            return [(row["id"], reaction_from_row(row)) for row in await cursor.fetchall()]

    async def markers_after(self, session_id: str, row_id: int) -> list[tuple[int, Marker]]:
        """Marker rows after row ``row_id``, with their ids, in the order written."""
        async with self._conn.db.execute(
            "SELECT * FROM markers WHERE session_id = ? AND id > ? ORDER BY id",
            (session_id, row_id),
        ) as cursor:
            return [(row["id"], marker_from_row(row)) for row in await cursor.fetchall()]

    async def corrections_probe(self, session_id: str) -> CorrectionsProbe:
        """Changes when a class correction is added, replaced or removed."""
        async with self._conn.db.execute(
            "SELECT COUNT(*), COALESCE(MAX(created_at), '') FROM translation_corrections"
            " WHERE session_id = ?",
            (session_id,),
        ) as cursor:
            row = await cursor.fetchone()
        return (int(row[0]), str(row[1])) if row else (0, "")

    async def answers_after(
        self, session_id: str, author: str, row_id: int
    ) -> list[tuple[int, QuizAnswer]]:
        """``author``'s quiz answers after row ``row_id``, with their ids, oldest first."""
        async with self._conn.db.execute(
            "SELECT * FROM quiz_answers WHERE session_id = ? AND author = ? AND id > ? ORDER BY id",
            (session_id, author, row_id),
        ) as cursor:
            rows = await cursor.fetchall()
        return [
            (
                row["id"],
                QuizAnswer(
                    session=row["session_id"],
                    seq=row["seq"],
                    answer=row["answer"],
                    created_at=datetime.fromisoformat(row["created_at"]),
                    author=row["author"],
                ),
            )
            for row in rows
        ]

    async def vocab_of(self, session_id: str, author: str) -> list[VocabEntry]:
        """``author``'s phrasebook entries, in the order they were first saved."""
        async with self._conn.db.execute(
            "SELECT v.*, m.text AS example,"
            " COALESCE(NULLIF(m.reference, ''), m.translation_text, '') AS example_translation"
            " FROM vocab v JOIN messages m ON m.session_id = v.session_id AND m.seq = v.seq"
            " WHERE v.session_id = ? AND v.author = ? ORDER BY v.id",
            (session_id, author),
        ) as cursor:
            return [vocab_from_row(row) for row in await cursor.fetchall()]

    async def marks(self, session_id: str) -> list[MtErrorMark]:
        """The teacher's MT-error marks, in message order."""
        return await WorkshopRepo(self._conn).mt_errors(session_id)

    async def line_corrections(self, session_id: str) -> list[LineCorrection]:
        """Every line correction of the session (one per line and author), oldest first."""
        return await CorrectionsRepo(self._conn).corrections(session_id)

    async def note(self, session_id: str) -> str:
        """The session note ("" when the session is gone)."""
        async with self._conn.db.execute(
            "SELECT note FROM sessions WHERE id = ?", (session_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return str(row[0] or "") if row else ""
