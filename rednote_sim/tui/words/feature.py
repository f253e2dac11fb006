"""Tap a word: ``o`` on the selected message (or a click on a word) opens its dictionary entry.

:class:`WordLookup` is a room feature in every kind of room (live, workshop,
replay), plugged in through the TUI's extension points: its
:class:`~rednote_sim.tui.actions.RoomAction` s (``o`` look a word up, ``T``
tone colours) and :meth:`WordLookup.tapped`, which the room screen calls when a
card is clicked. Segmenting the line (jieba) and the look-ups (the CC-CEDICT
index, built the first time) run in worker threads; the dialog
(:class:`~rednote_sim.tui.words.screens.WordScreen`) says "loading dictionary…"
until the first answer is in.

"Save to phrasebook" goes through the room like the workshop's ``w``
(:class:`~rednote_sim.workshop.session.WorkshopSession`): the meaning and the
pinyin come from the dictionary entry the dialog showed (translation source
``dictionary``, or ``glossary`` for a glossary term), never from a machine
translation of one word.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace

from rednote_sim.domain import Cast, Glossary, Message
from rednote_sim.lang.lookup import Dictionary, Lookup
from rednote_sim.lang.segment import Word, glossary_segmenter
from rednote_sim.lang.sources import room_dictionary
from rednote_sim.sim import Room
from rednote_sim.translate.api import Translator
from rednote_sim.tui.actions import BOTH, RoomAction
from rednote_sim.tui.host import EventView, RoomHost
from rednote_sim.tui.safetext import one_line
from rednote_sim.tui.words.screens import WordSave, WordScreen
from rednote_sim.workshop.session import WorkshopSession

GROUP = "Words"

LOOK_UP_KEY = "o"
"""Opens the word dialog on the selected message (``w`` is the workshop's save-a-word)."""
TONES_KEY = "T"
"""Tone colours on and off (``t`` cycles the view)."""


def locate(line: str, column: int, texts: Sequence[str]) -> tuple[str, int] | None:
    """Where a clicked character is: the text it belongs to and its offset in it.

    A card line is a piece of the message (or of its translation) as wrapped on
    screen, perhaps after a prefix (``⤷ ``, ``≈ ``). The first text that holds
    the line (without the prefix) is the one clicked.

    Args:
        line: The text of the clicked line.
        column: The index of the clicked character in ``line``.
        texts: The texts the card shows (the original first).

    Returns:
        ``(text, offset)``, or None for a line that is none of them (the header,
        pinyin, a label) or a click past its end.
    """
    if not 0 <= column < len(line) or line[column].isspace():
        return None
    for cut in (0, 2):
        piece = line[cut:]
        start = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        at = column - cut - start
        if not piece or not 0 <= at < len(piece):
            continue
        for text in texts:
            found = text.find(piece)
            if found >= 0:
                return text, found + at
    return None


def word_at(words: Sequence[Word], offset: int) -> int | None:
    """The index of the word at ``offset``, or None (a space, punctuation, an emoji)."""
    return next((i for i, w in enumerate(words) if w.start <= offset < w.end), None)


class WordLookup:
    """The dictionary under every word of the room, and the tone-colour toggle."""

    def __init__(self) -> None:
        self.glossary: Glossary | None = None
        self.dictionary: Dictionary | None = None
        self.session: WorkshopSession | None = None
        self.screen: WordScreen | None = None
        """The dialog while it is open (tests read it)."""
        self._opening = False
        """A dialog is on its way (a second click meanwhile opens no second one)."""

    # --- wiring ---------------------------------------------------------------------------

    def views(self) -> Sequence[EventView]:
        """Nothing of the session to follow."""
        return []

    def actions(self) -> list[RoomAction]:
        """``o``: look a word of the selected line up; ``T``: tone colours."""
        return [
            RoomAction(
                "look_up_word",
                "Dictionary: look up a word of the selected line (or click a word)",
                GROUP,
                keys=LOOK_UP_KEY,
                modes=BOTH,
                # No key-bar entry: the bar is full at 80 columns; help and palette list it.
                run=self.look_up,
            ),
            RoomAction(
                "toggle_tones",
                "Tone colours on pinyin (Pleco's palette; the marks stay)",
                GROUP,
                keys=TONES_KEY,
                modes=BOTH,
                run=self.toggle_tones,
            ),
        ]

    async def open(
        self, host: RoomHost, room: Room, cast: Cast, translator: Translator | None
    ) -> None:
        """The room is open: the dictionary (opened on the first look-up) and the session."""
        self.glossary = cast.glossary
        self.dictionary = room_dictionary(cast.glossary, cast.slang)
        self.session = WorkshopSession(
            room, glossary=cast.glossary, translator=translator, dictionary=self.dictionary
        )

    # --- actions --------------------------------------------------------------------------

    def toggle_tones(self, host: RoomHost) -> None:
        """T: colour pinyin by tone, or not (the tone marks are always there)."""
        options = host.options
        host.set_view(replace(options, tones=not options.tones))
        host.notify("Tone colours on." if not options.tones else "Tone colours off.")

    async def look_up(self, host: RoomHost) -> None:
        """o: the words of the selected line (the newest if none), the first one looked up."""
        message = await host.pick(lambda m: bool(m.text.strip()))
        if message is None:
            host.notify("No line to look a word up in yet.")
            return
        host.background("word_lookup", lambda: self._open(host, message, message.text, None))

    def tapped(self, host: RoomHost, message: Message, line: str, column: int) -> None:
        """A click on a card: look the clicked word up (of the original or the translation)."""
        texts = [message.text]
        rendering, _ = message.rendering(host.options.reader)
        if rendering is not None:
            texts.append(rendering.text)
        found = locate(line, column, texts)
        if found is None:
            return
        text, offset = found
        host.background("word_lookup", lambda: self._open(host, message, text, offset))

    async def _open(self, host: RoomHost, message: Message, text: str, offset: int | None) -> None:
        """Segment ``text`` (a thread), then open the dialog on the word at ``offset``."""
        if self.screen is not None or self._opening:
            return  # already open, or opening (a double click)
        self._opening = True
        try:
            await self._open_dialog(host, message, text, offset)
        finally:
            self._opening = False

    async def _open_dialog(
        self, host: RoomHost, message: Message, text: str, offset: int | None
    ) -> None:
        seg = glossary_segmenter(self.glossary)
        words = await asyncio.to_thread(seg.word_spans, text)
        if offset is None:
            chosen: int | None = 0
        else:
            chosen = word_at(words, offset)
        if not words or chosen is None:
            if offset is None:
                host.notify("No word to look up in this line.")
            return
        await host.go_to(message.seq)
        dictionary = self.dictionary
        screen = WordScreen(
            text,
            words,
            chosen,
            lookup=self._lookup,
            loading=dictionary is None or not dictionary.opened,
            tones=host.options.tones,
            can_save=self.session is not None,
        )
        self.screen = screen

        def done(result: WordSave | None) -> None:
            self.screen = None
            if result is not None:
                host.write("save_vocab", self._saved(host, message, result))

        host.open_dialog(screen, done)

    async def _lookup(self, word: str) -> Lookup:
        dictionary = self.dictionary
        if dictionary is None:
            return Lookup(word, "chinese", ())
        return await asyncio.to_thread(dictionary.lookup, word)

    async def _saved(self, host: RoomHost, message: Message, result: WordSave) -> None:
        session = self.session
        assert session is not None
        entry = await session.save_vocab(
            message,
            result.word.text,
            translation=None,
            machine=None,
            note="",
            pinyin=None,
            seg=glossary_segmenter(self.glossary),
            entry=result.entry,
        )
        words = " ".join(p for p in (entry.chinese, entry.pinyin) if p)
        if entry.english and entry.lang == "zh":
            words += f" — {entry.english}"
        host.notify(f"Saved to the phrasebook: {one_line(words, 80)}")
