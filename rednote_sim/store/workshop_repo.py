"""Workshop data in SQLite: the phrasebook, MT-error marks, quiz answers and corrections.

Tables come from ``migrations/0002_workshop.sql`` (and ``translation_corrections``
from the mixed-and-corrections migration). A translation correction also changes
the message's stored rendering (the corrected text, the machine output kept beside
it), in the same transaction.
The session note and user markers need nothing new: they are :meth:`Store.set_session_note` and
:meth:`Store.add_marker` (``kind="user"``), which the room calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import aiosqlite

from rednote_sim.domain import Lang, Message, Translation, origin_of
from rednote_sim.domain.workshop import (
    HOST_AUTHOR,
    MtErrorMark,
    QuizAnswer,
    TranslationCorrection,
    VocabEntry,
)
from rednote_sim.errors import UserError
from rednote_sim.store.connection import Connection
from rednote_sim.store.rows import SET_TRANSLATIONS, message_from_row, renderings_update

if TYPE_CHECKING:
    from rednote_sim.store.store import Store

_VOCAB_SELECT = """
    SELECT v.*, m.text AS example,
           COALESCE(NULLIF(m.reference, ''), m.translation_text, '') AS example_translation
    FROM vocab v JOIN messages m ON m.session_id = v.session_id AND m.seq = v.seq
"""

_UPSERT_VOCAB = """
    INSERT INTO vocab (session_id, seq, author, lang, term, pinyin, translation,
                       translation_source, note, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (session_id, author, lang, term) DO UPDATE SET
        seq = excluded.seq, pinyin = excluded.pinyin, translation = excluded.translation,
        translation_source = excluded.translation_source, note = excluded.note
"""

_UPSERT_MT_ERROR = """
    INSERT INTO mt_errors (session_id, seq, note, created_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (session_id, seq) DO UPDATE SET note = excluded.note
"""

_UPSERT_CORRECTION = """
    INSERT INTO translation_corrections (session_id, seq, lang, text, machine, note, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (session_id, seq, lang) DO UPDATE SET
        text = excluded.text, note = excluded.note, created_at = excluded.created_at
"""

_INSERT_ANSWER = (
    "INSERT INTO quiz_answers (session_id, seq, answer, created_at, author) VALUES (?, ?, ?, ?, ?)"
)


def _now(at: datetime | None) -> datetime:
    return at or datetime.now(UTC)


def vocab_from_row(row: aiosqlite.Row) -> VocabEntry:
    """Build a VocabEntry from a ``vocab`` row joined with its message."""
    return VocabEntry(
        session=row["session_id"],
        seq=row["seq"],
        author=row["author"],
        lang=row["lang"],
        term=row["term"],
        pinyin=row["pinyin"],
        translation=row["translation"],
        translation_source=row["translation_source"],
        note=row["note"],
        created_at=datetime.fromisoformat(row["created_at"]),
        example=row["example"],
        example_translation=row["example_translation"],
    )


def _vocab_params(entry: VocabEntry) -> tuple[object, ...]:
    return (
        entry.session,
        entry.seq,
        entry.author,
        entry.lang,
        entry.term,
        entry.pinyin,
        entry.translation,
        entry.translation_source,
        entry.note,
        entry.created_at.isoformat(),
    )


async def require_message(db: aiosqlite.Connection, session_id: str, seq: int) -> None:
    """Raise a UserError unless the session has message ``seq`` (call inside a write)."""
    async with db.execute(
        "SELECT 1 FROM messages WHERE session_id = ? AND seq = ?", (session_id, seq)
    ) as cursor:
        if await cursor.fetchone() is None:
            raise UserError(f"session {session_id!r} has no message #{seq}")


class WorkshopRepo:
    """Reads and writes the workshop tables over the store's connection.

    Args:
        conn: The open connection (``WorkshopRepo.of(store)`` takes it from a Store).
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    @classmethod
    def of(cls, store: Store) -> WorkshopRepo:
        """The repository sharing ``store``'s connection (and so its write lock)."""
        return cls(store.connection)

    # --- phrasebook -----------------------------------------------------------------------

    async def save_vocab(self, entry: VocabEntry) -> VocabEntry:
        """Save a phrasebook entry; saving the same (session, lang, term) again updates it.

        The first save's ``created_at`` is kept, so the phrasebook keeps its order.

        Raises:
            UserError: If the source message does not exist.
        """
        async with self._conn.write() as db:
            await require_message(db, entry.session, entry.seq)
            await db.execute(_UPSERT_VOCAB, _vocab_params(entry))
        saved = await self.get_vocab(entry.session, entry.lang, entry.term, author=entry.author)
        assert saved is not None  # just written in a committed transaction
        return saved

    async def get_vocab(
        self, session_id: str, lang: Lang, term: str, *, author: str = HOST_AUTHOR
    ) -> VocabEntry | None:
        """One phrasebook entry of ``author`` (the host's by default), or None."""
        async with self._conn.db.execute(
            _VOCAB_SELECT
            + " WHERE v.session_id = ? AND v.author = ? AND v.lang = ? AND v.term = ?",
            (session_id, author, lang, term),
        ) as cursor:
            row = await cursor.fetchone()
        return vocab_from_row(row) if row else None

    async def vocab(self, session_id: str) -> list[VocabEntry]:
        """The session's phrasebook in the order entries were first saved."""
        async with self._conn.db.execute(
            _VOCAB_SELECT + " WHERE v.session_id = ? ORDER BY v.id", (session_id,)
        ) as cursor:
            return [vocab_from_row(row) for row in await cursor.fetchall()]

    async def delete_vocab(
        self, session_id: str, lang: Lang, term: str, *, author: str = HOST_AUTHOR
    ) -> bool:
        """Remove an entry of ``author`` (the host's by default); True if there was one."""
        async with self._conn.write() as db:
            cursor = await db.execute(
                "DELETE FROM vocab WHERE session_id = ? AND author = ? AND lang = ? AND term = ?",
                (session_id, author, lang, term),
            )
            return cursor.rowcount > 0

    # --- interesting MT errors ------------------------------------------------------------

    async def mark_mt_error(
        self, session_id: str, seq: int, note: str = "", *, at: datetime | None = None
    ) -> MtErrorMark:
        """Mark a line as an interesting MT error (marking again replaces the note).

        Raises:
            UserError: If the message does not exist.
        """
        async with self._conn.write() as db:
            await require_message(db, session_id, seq)
            await db.execute(_UPSERT_MT_ERROR, (session_id, seq, note, _now(at).isoformat()))
        mark = await self.mt_error(session_id, seq)
        assert mark is not None
        return mark

    async def unmark_mt_error(self, session_id: str, seq: int) -> bool:
        """Remove a mark; True if there was one."""
        async with self._conn.write() as db:
            cursor = await db.execute(
                "DELETE FROM mt_errors WHERE session_id = ? AND seq = ?", (session_id, seq)
            )
            return cursor.rowcount > 0

    async def mt_error(self, session_id: str, seq: int) -> MtErrorMark | None:
        """The mark on one line, or None."""
        async with self._conn.db.execute(
            "SELECT * FROM mt_errors WHERE session_id = ? AND seq = ?", (session_id, seq)
        ) as cursor:
            row = await cursor.fetchone()
        return _mark_from_row(row) if row else None

    async def mt_errors(self, session_id: str) -> list[MtErrorMark]:
        """All marks of a session, in message order."""
        async with self._conn.db.execute(
            "SELECT * FROM mt_errors WHERE session_id = ? ORDER BY seq", (session_id,)
        ) as cursor:
            return [_mark_from_row(row) for row in await cursor.fetchall()]

    # --- corrections (the memory that learns from the class) -----------------------------

    async def correct_translation(
        self,
        session_id: str,
        seq: int,
        lang: Lang,
        text: str,
        note: str = "",
        *,
        at: datetime | None = None,
    ) -> tuple[TranslationCorrection, Message]:
        """Store a teacher's better translation of a line's machine rendering in ``lang``.

        The message's rendering becomes the correction (origin ``corrected``), with
        the machine output kept for machine vs human; correcting again replaces
        the text. Returns the correction and the message as it is now.

        Raises:
            UserError: If the text is blank, the message does not exist, or it has
                no machine rendering in ``lang`` to correct.
        """
        better = text.strip()
        if not better:
            raise UserError("the correction is empty; type the better translation first")
        async with self._conn.write() as db:
            message = await _message(db, session_id, seq)
            current, _ = message.rendering(lang)
            if current is None or current.origin == "passthrough":
                raise UserError(f"message #{seq} has no translation into {lang} to correct")
            if current.origin == "reference":
                raise UserError(f"message #{seq} shows the human reference; there is no MT to fix")
            machine = current.machine if current.machine is not None else current.text
            corrected = Translation(
                lang=lang, text=better, engine=current.engine, origin="corrected", machine=machine
            )
            updated = _with_rendering(message, lang, corrected)
            correction = TranslationCorrection(
                session=session_id,
                seq=seq,
                lang=lang,
                text=better,
                machine=machine,
                note=note.strip(),
                created_at=_now(at),
            )
            await db.execute(_UPSERT_CORRECTION, _correction_params(correction))
            await _save_renderings(db, updated)
        return correction, updated

    async def uncorrect_translation(self, session_id: str, seq: int, lang: Lang) -> Message | None:
        """Remove a correction and show the machine output again; None if there was none."""
        async with self._conn.write() as db:
            cursor = await db.execute(
                "DELETE FROM translation_corrections WHERE session_id = ? AND seq = ? AND lang = ?",
                (session_id, seq, lang),
            )
            if cursor.rowcount == 0:
                return None
            message = await _message(db, session_id, seq)
            current, _ = message.rendering(lang)
            if current is None or current.origin != "corrected" or current.machine is None:
                return message
            engine = current.engine
            machine = Translation(
                lang=lang, text=current.machine, engine=engine, origin=origin_of(engine)
            )
            updated = _with_rendering(message, lang, machine)
            await _save_renderings(db, updated)
        return updated

    async def translation_corrections(self, session_id: str) -> list[TranslationCorrection]:
        """A session's corrections, in message order."""
        async with self._conn.db.execute(
            "SELECT * FROM translation_corrections WHERE session_id = ? ORDER BY seq, lang",
            (session_id,),
        ) as cursor:
            return [_correction_from_row(row) for row in await cursor.fetchall()]

    # --- quiz -----------------------------------------------------------------------------

    async def add_quiz_answer(
        self,
        session_id: str,
        seq: int,
        answer: str,
        *,
        at: datetime | None = None,
        author: str = HOST_AUTHOR,
    ) -> QuizAnswer:
        """Store a learner's own translation of a line (every attempt is kept).

        Raises:
            UserError: If the answer is blank or the message does not exist.
        """
        text = answer.strip()
        if not text:
            raise UserError("the answer is empty; type a translation first")
        saved = QuizAnswer(
            session=session_id, seq=seq, answer=text, created_at=_now(at), author=author
        )
        async with self._conn.write() as db:
            await require_message(db, session_id, seq)
            await db.execute(_INSERT_ANSWER, _answer_params(saved))
        return saved

    async def quiz_answers(self, session_id: str) -> list[QuizAnswer]:
        """All answers of a session, in the order they were typed."""
        async with self._conn.db.execute(
            "SELECT * FROM quiz_answers WHERE session_id = ? ORDER BY id", (session_id,)
        ) as cursor:
            return [_answer_from_row(row) for row in await cursor.fetchall()]


async def insert_workshop_records(
    db: aiosqlite.Connection,
    session_id: str,
    vocab: Sequence[VocabEntry],
    marks: Sequence[MtErrorMark],
    answers: Sequence[QuizAnswer],
    translation_corrections: Sequence[TranslationCorrection] = (),
) -> None:
    """Write a session's workshop records, in the given order, inside the caller's transaction.

    ``Store.import_session`` calls it within the transaction that writes the
    session and its messages, so an import is all or nothing. Translation
    corrections are written as records only: the imported messages already carry
    their corrected renderings.
    """
    await db.executemany(
        _UPSERT_VOCAB,
        [_vocab_params(e.model_copy(update={"session": session_id})) for e in vocab],
    )
    await db.executemany(
        _UPSERT_MT_ERROR,
        [(session_id, m.seq, m.note, m.created_at.isoformat()) for m in marks],
    )
    await db.executemany(
        _INSERT_ANSWER,
        [_answer_params(a.model_copy(update={"session": session_id})) for a in answers],
    )
    await db.executemany(
        _UPSERT_CORRECTION,
        [
            _correction_params(c.model_copy(update={"session": session_id}))
            for c in translation_corrections
        ],
    )


def _mark_from_row(row: aiosqlite.Row) -> MtErrorMark:
    return MtErrorMark(
        session=row["session_id"],
        seq=row["seq"],
        note=row["note"],
        created_at=datetime.fromisoformat(row["created_at"]),
    )


def _answer_params(answer: QuizAnswer) -> tuple[object, ...]:
    return (
        answer.session,
        answer.seq,
        answer.answer,
        answer.created_at.isoformat(),
        answer.author,
    )


def _answer_from_row(row: aiosqlite.Row) -> QuizAnswer:
    return QuizAnswer(
        session=row["session_id"],
        seq=row["seq"],
        answer=row["answer"],
        created_at=datetime.fromisoformat(row["created_at"]),
        author=row["author"],
    )


async def _message(db: aiosqlite.Connection, session_id: str, seq: int) -> Message:
    async with db.execute(
        "SELECT * FROM messages WHERE session_id = ? AND seq = ?", (session_id, seq)
    ) as cursor:
        row = await cursor.fetchone()
    if row is None:
        raise UserError(f"session {session_id!r} has no message #{seq}")
    return message_from_row(row)


def _with_rendering(message: Message, lang: Lang, translation: Translation) -> Message:
    field = "translation" if lang != message.lang else "mixed_translation"
    return message.model_copy(update={field: translation})


async def _save_renderings(db: aiosqlite.Connection, message: Message) -> None:
    await db.execute(SET_TRANSLATIONS, renderings_update(message))


def _correction_params(c: TranslationCorrection) -> tuple[object, ...]:
    return (c.session, c.seq, c.lang, c.text, c.machine, c.note, c.created_at.isoformat())


def _correction_from_row(row: aiosqlite.Row) -> TranslationCorrection:
    return TranslationCorrection(
        session=row["session_id"],
        seq=row["seq"],
        lang=row["lang"],
        text=row["text"],
        machine=row["machine"],
        note=row["note"],
        created_at=datetime.fromisoformat(row["created_at"]),
    )
