"""The room's writer of what a class adds to a session: marks, answers, words, corrections, note.

A room owns one (``room.classwork``). Each method commits the change to the
store, then publishes its event on the room's queue (a class correction is a
:class:`~rednote_sim.sim.events.Translated` of the revised message), so the room
stays the one writer of session data and viewers follow its events. What to
write (building a phrasebook entry, telling the translator) is the workshop's
business (:mod:`rednote_sim.workshop.session`), not this module's.
"""

from __future__ import annotations

from collections.abc import Callable

from rednote_sim.domain import Lang, Message
from rednote_sim.domain.workshop import (
    HOST_AUTHOR,
    LineCorrection,
    MtErrorMark,
    QuizAnswer,
    VocabEntry,
)
from rednote_sim.sim.events import (
    Answered,
    Classwork,
    ClassworkLoaded,
    LineCorrected,
    Marked,
    NoteChanged,
    RoomEvent,
    VocabDeleted,
    VocabSaved,
)
from rednote_sim.store import Store
from rednote_sim.store.corrections_repo import CorrectionsRepo
from rednote_sim.store.workshop_repo import WorkshopRepo


class ClassworkWriter:
    """Commits the class's changes to one session, then publishes them.

    Args:
        store: Returns the room's store (raises when the room has none).
        session: The session id.
        publish: The room's event queue.
        revise: The room's way to show a message again (a correction changed it).
    """

    def __init__(
        self,
        store: Callable[[], Store],
        session: str,
        publish: Callable[[RoomEvent], None],
        revise: Callable[[Message], None],
    ) -> None:
        self._store = store
        self.session = session
        self._publish = publish
        self._revise = revise

    def _repo(self) -> WorkshopRepo:
        return WorkshopRepo.of(self._store())

    async def load(self) -> Classwork:
        """Read what the class added before and publish it (:class:`ClassworkLoaded`)."""
        store, repo, session = self._store(), self._repo(), self.session
        answers: dict[int, list[QuizAnswer]] = {}
        for answer in await repo.quiz_answers(session):
            answers.setdefault(answer.seq, []).append(answer)
        corrections: dict[int, list[LineCorrection]] = {}
        for correction in await CorrectionsRepo.of(store).corrections(session):
            corrections.setdefault(correction.seq, []).append(correction)
        classwork = Classwork(
            marks={mark.seq: mark for mark in await repo.mt_errors(session)},
            answers=answers,
            vocab=await repo.vocab(session),
            note=(await store.get_session(session)).note,
            corrections=corrections,
        )
        self._publish(ClassworkLoaded(session, classwork))
        return classwork

    async def add_answer(self, seq: int, text: str, *, author: str = HOST_AUTHOR) -> QuizAnswer:
        """Save a learner's own translation of line ``seq`` (``author``: a guest's name)."""
        answer = await self._repo().add_quiz_answer(self.session, seq, text, author=author)
        self._publish(Answered(answer))
        return answer

    async def mark(self, seq: int, note: str) -> MtErrorMark:
        """Mark line ``seq`` as an interesting MT error (again: a new note)."""
        mark = await self._repo().mark_mt_error(self.session, seq, note)
        self._publish(Marked(seq, mark))
        return mark

    async def unmark(self, seq: int) -> None:
        """Remove the mark on line ``seq``."""
        await self._repo().unmark_mt_error(self.session, seq)
        self._publish(Marked(seq, None))

    async def correct(self, seq: int, lang: Lang, text: str, note: str) -> Message:
        """Store the class's better translation of line ``seq`` into ``lang``; show it."""
        _, updated = await self._repo().correct_translation(self.session, seq, lang, text, note)
        self._revise(updated)
        return updated

    async def uncorrect(self, seq: int, lang: Lang) -> Message | None:
        """Remove the correction (the machine output shows again); None if there was none."""
        updated = await self._repo().uncorrect_translation(self.session, seq, lang)
        if updated is not None:
            self._revise(updated)
        return updated

    async def correct_line(
        self, seq: int, text: str, note: str = "", author: str = HOST_AUTHOR
    ) -> LineCorrection:
        """Store ``author``'s corrected version of line ``seq`` (again: it replaces theirs).

        Raises:
            UserError: For a blank text, a too long author name or a missing line.
        """
        correction = await CorrectionsRepo.of(self._store()).correct(
            self.session, seq, text, note=note, author=author
        )
        self._publish(LineCorrected(seq, correction.author, correction))
        return correction

    async def uncorrect_line(self, seq: int, author: str = HOST_AUTHOR) -> bool:
        """Remove ``author``'s correction of line ``seq``; True if there was one."""
        removed = await CorrectionsRepo.of(self._store()).remove(self.session, seq, author)
        if removed:
            self._publish(LineCorrected(seq, author, None))
        return removed

    async def save_vocab(self, entry: VocabEntry) -> VocabEntry:
        """Save a phrasebook entry; returns it as stored (with its example)."""
        saved = await self._repo().save_vocab(entry)
        self._publish(VocabSaved(saved))
        return saved

    async def delete_vocab(self, lang: Lang, term: str, *, author: str = HOST_AUTHOR) -> bool:
        """Delete a phrasebook entry of ``author``; False (and no event) if there was none."""
        deleted = await self._repo().delete_vocab(self.session, lang, term, author=author)
        if deleted:
            self._publish(VocabDeleted(lang, term, author))
        return deleted

    async def set_note(self, note: str) -> None:
        """Save the session note."""
        await self._store().set_session_note(self.session, note)
        self._publish(NoteChanged(note))
