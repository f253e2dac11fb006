"""What the workshop knows about the session on screen (no Textual here).

It changes only through the room's events (:meth:`WorkshopState.apply`): the
classwork loaded when the room opens (a replay shows the marks, answers,
phrasebook and note saved before), then each write the room commits. So cards
never query the database while they render, and they show what is on disk.
Which quiz lines are revealed is not saved: it is the state of one showing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rednote_sim.domain import Lang, Message
from rednote_sim.domain.workshop import LineCorrection, MtErrorMark, QuizAnswer, VocabEntry
from rednote_sim.sim.events import (
    Answered,
    ClassworkLoaded,
    LineCorrected,
    Marked,
    NoteChanged,
    RoomEvent,
    VocabDeleted,
    VocabSaved,
)


def machine_translated(message: Message, reader: Lang) -> bool:
    """True when the reader is shown a machine translation (something to mark as an error).

    A translation corrected in class counts too: the class may correct it again.
    """
    translation, _ = message.rendering(reader)
    return translation is not None and translation.origin in ("machine", "corrected")


def quizzable(message: Message, reader: Lang) -> bool:
    """True when the quiz can hide the reader's rendering (one exists or is on its way)."""
    if reader == message.lang and not message.mixed:
        return False
    translation, error = message.rendering(reader)
    if translation is None:
        return error is None  # "translating…": hidden as well
    return translation.origin != "passthrough"


@dataclass
class WorkshopState:
    """Marks, answers, phrasebook, note, line corrections and quiz reveals of the session shown."""

    session: str | None = None
    marks: dict[int, MtErrorMark] = field(default_factory=dict)
    answers: dict[int, list[QuizAnswer]] = field(default_factory=dict)
    vocab: list[VocabEntry] = field(default_factory=list)
    note: str = ""
    revealed: set[int] = field(default_factory=set)
    corrections: dict[int, list[LineCorrection]] = field(default_factory=dict)
    """Line corrections by seq, one per author, oldest first."""

    def apply(self, event: RoomEvent) -> Iterable[int]:
        """Follow a room event; returns the seqs whose cards show something else now."""
        if isinstance(event, ClassworkLoaded):
            work = event.classwork
            before = set(self.marks) | set(self.answers) | set(self.corrections)
            self.corrections = {seq: list(c) for seq, c in work.corrections.items()}
            self._load(
                event.session,
                marks=work.marks.values(),
                answers=(a for answers in work.answers.values() for a in answers),
                vocab=work.vocab,
                note=work.note,
            )
            return before | set(self.marks) | set(self.answers) | set(self.corrections)
        if isinstance(event, LineCorrected):
            self._put_correction(event)
            return (event.seq,)
        if isinstance(event, Marked):
            if event.mark is None:
                self.marks.pop(event.seq, None)
            else:
                self.marks[event.seq] = event.mark
            return (event.seq,)
        if isinstance(event, Answered):
            self._add_answer(event.answer)
            return (event.answer.seq,)
        if isinstance(event, VocabSaved):
            self._put_vocab(event.entry)
        elif isinstance(event, VocabDeleted):
            gone = (event.author, event.lang, event.term)
            self.vocab = [e for e in self.vocab if (e.author, e.lang, e.term) != gone]
        elif isinstance(event, NoteChanged):
            self.note = event.note
        return ()

    def _load(
        self,
        session: str,
        *,
        marks: Iterable[MtErrorMark],
        answers: Iterable[QuizAnswer],
        vocab: Iterable[VocabEntry],
        note: str,
    ) -> None:
        """Replace everything with what the store holds for ``session``."""
        self.session = session
        self.marks = {mark.seq: mark for mark in marks}
        self.answers = {}
        for answer in answers:
            self._add_answer(answer)
        self.vocab = list(vocab)
        self.note = note
        self.revealed = set()

    def _add_answer(self, answer: QuizAnswer) -> None:
        """Keep an answer (every attempt, in order)."""
        self.answers.setdefault(answer.seq, []).append(answer)

    def _put_correction(self, event: LineCorrected) -> None:
        """One correction per line and author: a new one replaces the author's old one."""
        kept = [c for c in self.corrections.get(event.seq, []) if c.author != event.author]
        if event.correction is not None:
            kept.append(event.correction)
        if kept:
            self.corrections[event.seq] = kept
        else:
            self.corrections.pop(event.seq, None)

    def correction_by(self, seq: int, author: str) -> LineCorrection | None:
        """``author``'s correction of line ``seq``, if any."""
        return next((c for c in self.corrections.get(seq, []) if c.author == author), None)

    def _put_vocab(self, entry: VocabEntry) -> None:
        """Add an entry, or replace the one with the same language and term (kept in place)."""
        for index, known in enumerate(self.vocab):
            if (known.lang, known.term) == (entry.lang, entry.term):
                self.vocab[index] = entry
                return
        self.vocab.append(entry)

    def toggle_reveal(self, seq: int) -> bool:
        """Reveal a hidden line or hide it again; True if it is revealed now."""
        if seq in self.revealed:
            self.revealed.discard(seq)
            return False
        self.revealed.add(seq)
        return True

    def reveal_all(self, seqs: Iterable[int]) -> bool:
        """Reveal every line, or hide them all again if all were revealed; True if revealed."""
        wanted = set(seqs)
        if wanted and wanted <= self.revealed:
            self.revealed -= wanted
            return False
        self.revealed |= wanted
        return True
