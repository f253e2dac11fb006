"""The workshop on one session, without a screen: answer, mark, correct, save words, drop markers.

:class:`WorkshopSession` holds what the workshop does to a session and writes
every change through the room (``room.classwork``, ``room.add_marker``): the
room commits it and publishes an event, and whatever shows the session (the
TUI's cards, the phrasebook) follows that event. The TUI's workshop
(:mod:`rednote_sim.tui.workshop.feature`) only asks the questions and shows the
outcome; a script or a guest process could drive this class the same way.
"""

from __future__ import annotations

import asyncio
from typing import Literal

from rednote_sim.domain import (
    ENGINE_PASSTHROUGH,
    ENGINE_SCRIPT,
    Glossary,
    Lang,
    Marker,
    Message,
    other_lang,
)
from rednote_sim.domain.terms import format_time, has_han
from rednote_sim.domain.workshop import HOST_AUTHOR, LineCorrection, QuizAnswer, VocabEntry
from rednote_sim.lang.entry import Entry
from rednote_sim.lang.lookup import Dictionary
from rednote_sim.lang.segment import Segmenter, glossary_segmenter
from rednote_sim.sim import LiveRoom, Room
from rednote_sim.sim.events import Classwork
from rednote_sim.translate.api import Translator
from rednote_sim.workshop.vocab import make_entry, term_lang

MarkOutcome = Literal["marked", "corrected", "uncorrected"]
"""What marking a line did: a mark (or a new note), a correction saved, a correction removed."""


class WorkshopSession:
    """What the workshop does to the session a room plays.

    Args:
        room: The room; every write goes through it.
        glossary: The content's glossary (phrasebook suggestions, segmentation).
        translator: A live room's translator (told about corrections at once,
            asked for a word's machine translation); None in a replay.
        dictionary: Fills a saved Chinese word's meaning and pinyin (before any
            machine translation); None: glossary and machine only.
    """

    def __init__(
        self,
        room: Room,
        *,
        glossary: Glossary | None = None,
        translator: Translator | None = None,
        dictionary: Dictionary | None = None,
    ) -> None:
        self.room = room
        self.glossary = glossary
        self.translator = translator
        self.dictionary = dictionary

    def entry(self, term: str) -> Entry | None:
        """The dictionary's best entry for a term, or None (call it in a thread).

        A Chinese term's own entry; for an English term, its best Chinese match.
        """
        clean = " ".join(term.split())
        if self.dictionary is None or not clean:
            return None
        if has_han(clean):
            return self.dictionary.best(clean)
        matches = self.dictionary.english(clean, limit=1)
        return matches[0] if matches else None

    @property
    def session_id(self) -> str:
        """The session's id."""
        return self.room.session.id

    def segmenter(self) -> Segmenter:
        """jieba, keeping the glossary's terms whole."""
        return glossary_segmenter(self.glossary)

    async def load(self) -> Classwork:
        """What the class added to the session before (the room publishes it too)."""
        return await self.room.classwork.load()

    # --- quiz -----------------------------------------------------------------------------

    async def answer(self, message: Message, text: str) -> QuizAnswer:
        """Save a learner's own translation of ``message``."""
        return await self.room.classwork.add_answer(message.seq, text)

    # --- MT errors ------------------------------------------------------------------------

    async def mark(
        self, message: Message, lang: Lang, note: str, better: str, before: str
    ) -> MarkOutcome:
        """Mark ``message`` as an interesting MT error, with the class's better translation.

        Args:
            message: The line.
            lang: The language of the rendering marked.
            note: What went wrong.
            better: The class's translation ("" for none).
            before: The correction the line had before ("" for none).
        """
        classwork = self.room.classwork
        await classwork.mark(message.seq, note)
        if better and better != before:
            await classwork.correct(message.seq, lang, better, note)
            self._teach(lang, message.text, better)
            return "corrected"
        if not better and before:
            if await classwork.uncorrect(message.seq, lang) is not None:
                self._teach(lang, message.text, None)
            return "uncorrected"
        return "marked"

    async def unmark(self, message: Message, lang: Lang) -> bool:
        """Remove the mark and any correction; True if there was a correction."""
        classwork = self.room.classwork
        await classwork.unmark(message.seq)
        if await classwork.uncorrect(message.seq, lang) is None:
            return False
        self._teach(lang, message.text, None)
        return True

    def _teach(self, lang: Lang, text: str, corrected: str | None) -> None:
        """Tell a live room's translator at once (the store has it for later sessions)."""
        translator = self.translator
        if translator is None:
            return
        if corrected is None:
            translator.forget(lang, text)
        else:
            translator.learn(lang, text, corrected)

    # --- line corrections (HelloTalk style) ------------------------------------------------

    async def correct_line(
        self, message: Message, text: str, note: str = "", author: str = HOST_AUTHOR
    ) -> LineCorrection | None:
        """Store the corrected version of ``message`` (it replaces the author's earlier one).

        A "correction" that is the line as written is no correction: it removes the
        author's earlier one, if any, and returns None.
        """
        classwork = self.room.classwork
        if " ".join(text.split()) == " ".join(message.text.split()):
            await classwork.uncorrect_line(message.seq, author)
            return None
        return await classwork.correct_line(message.seq, text, note, author)

    async def uncorrect_line(self, message: Message, author: str = HOST_AUTHOR) -> bool:
        """Remove the author's correction of ``message``; True if there was one."""
        return await self.room.classwork.uncorrect_line(message.seq, author)

    # --- phrasebook -----------------------------------------------------------------------

    async def machine_translation(self, term: str) -> str:
        """A live room's machine translation of a term, or "" (a replay, or no model)."""
        translator = self.translator
        if translator is None or not isinstance(self.room, LiveRoom):
            return ""
        lang = term_lang(term)
        outcome = await translator.translate(term, source=lang, target=other_lang(lang))
        translation = outcome.translation
        if translation is None or translation.engine in (ENGINE_SCRIPT, ENGINE_PASSTHROUGH):
            return ""
        return translation.text

    async def save_vocab(
        self,
        message: Message,
        term: str,
        *,
        translation: str | None,
        machine: str | None,
        note: str,
        pinyin: str | None,
        seg: Segmenter,
        entry: Entry | None = None,
    ) -> VocabEntry:
        """Save ``term`` of ``message`` to the phrasebook (the entry is built in a thread).

        Args:
            message: Where the term comes from.
            term: The word or phrase.
            translation: The learner's translation (None: the glossary's, if any).
            machine: A machine translation to fall back on.
            note: The learner's note.
            pinyin: Pinyin the learner typed (None: computed).
            seg: The segmenter for the pinyin.
            entry: The dictionary entry the learner saw (None: looked up here).
        """

        def build() -> VocabEntry:
            typed = bool(translation and translation.strip())
            found = None if typed else (entry or self.entry(term))
            made = make_entry(
                message,
                term,
                glossary=self.glossary,
                user_translation=translation,
                machine_translation=machine,
                note=note,
                seg=seg,
                entry=found,
            )
            return made if pinyin is None else made.model_copy(update={"pinyin": pinyin})

        return await self.room.classwork.save_vocab(await asyncio.to_thread(build))

    async def delete_vocab(self, entry: VocabEntry) -> None:
        """Delete a phrasebook entry."""
        await self.room.classwork.delete_vocab(entry.lang, entry.term, author=entry.author)

    # --- facilitator ----------------------------------------------------------------------

    async def set_note(self, note: str) -> None:
        """Save the session note."""
        await self.room.classwork.set_note(note)

    def marker_label(self) -> str:
        """The label of a marker dropped now."""
        return f"Marker at {format_time(self.room.clock.now())}"

    async def add_marker(self, label: str) -> Marker:
        """Drop a marker at the current time (a replay of the session stops ``>`` at it)."""
        return await self.room.add_marker(label)
