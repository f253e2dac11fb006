"""The workshop in the room: its keys, its card lines, its dialogs (the Textual side only).

:class:`Workshop` is built by ``make_app`` for ``mode="workshop"`` (a live room)
and for replays (a teacher going through a recorded session gets the same
aids; everything is per session). It plugs into the room through the TUI's
extension points only: :class:`~rednote_sim.tui.actions.RoomAction` s (keys,
palette, help and key bar come from them), :class:`~rednote_sim.tui.view.CardExtension` s,
an :class:`~rednote_sim.tui.host.EventView` (its :class:`WorkshopState`) and
``open``. It sees the room only as a :class:`~rednote_sim.tui.host.RoomHost`.

What the workshop does to the session (answer, mark, correct, save a word, drop
a marker, the note) is :class:`~rednote_sim.workshop.session.WorkshopSession`:
it writes through the room, the room publishes an event, and the state (and so
the cards) follow that event. This module asks the questions and says what
happened.

Actions on "the selected line" use the message selected with ``j``/``k``; with
nothing selected they pick the newest message that fits and select it, so the
reader sees which one. The room's clock pauses while a workshop dialog is
open (it resumes on close unless it was paused before). Every write is a
worker: input never waits on the database, and a failed write shows up as a
notification (the app's worker handler).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

from textual.content import Content

from rednote_sim.domain import Cast, Glossary, Message, other_lang
from rednote_sim.domain.terms import LANG_NAMES, format_time, has_han
from rednote_sim.domain.workshop import HOST_AUTHOR, VocabEntry
from rednote_sim.lang.pinyin import word_pinyin
from rednote_sim.lang.segment import Segmenter, glossary_segmenter
from rednote_sim.lang.sources import room_dictionary
from rednote_sim.sim import Room
from rednote_sim.textsafe import visible
from rednote_sim.translate.api import Translator
from rednote_sim.tui.actions import BOTH, ROOM_ACTIONS, RoomAction, RunAction
from rednote_sim.tui.host import EventView, RoomHost
from rednote_sim.tui.render import STYLE_META, highlight
from rednote_sim.tui.safetext import one_line
from rednote_sim.tui.view import CardExtension, ViewOptions
from rednote_sim.tui.workshop.board import AnswerBoardScreen
from rednote_sim.tui.workshop.cards import (
    ANSWERS,
    MARKS,
    PINYIN,
    QUIZ,
    PinyinCache,
    WorkshopCards,
)
from rednote_sim.tui.workshop.corrections import (
    CORRECTIONS,
    CorrectionCards,
    correction_dialog,
)
from rednote_sim.tui.workshop.levels import HSK, LevelCards
from rednote_sim.tui.workshop.screens import (
    Candidate,
    ExtraField,
    NoteScreen,
    PhrasebookScreen,
    PromptResult,
    PromptScreen,
    Suggestion,
    VocabDraft,
    VocabScreen,
)
from rednote_sim.tui.workshop.state import WorkshopState, machine_translated, quizzable
from rednote_sim.workshop.board import answer_board
from rednote_sim.workshop.session import MarkOutcome, WorkshopSession
from rednote_sim.workshop.vocab import (
    candidates,
    dictionary_meaning,
    glossary_translation,
    term_lang,
)

GROUP = "Workshop"

HOW_WORKSHOP = (
    "Workshop: Esc → keys mode, then p pinyin · s machine vs human · h quiz · "
    "j/k select a line: a your translation, v reveal, e mark an MT error, C correct it, "
    "w save a word · "
    "b phrasebook · x marker · N note · ? help."
)
HOW_GUEST_AIDS = (
    "Aids: Esc → keys mode, then p pinyin · h quiz · j/k select a line: a your translation, "
    "v reveal, w save a word · b your phrasebook · ? help."
)
HOW_REPLAY_AIDS = (
    "Workshop aids: p pinyin · s machine vs human · h quiz · C correct a line · w save a word · "
    "? help."
)

HELP_NOTES = (
    "Workshop aids. Select a line with j/k (with nothing selected, the newest line that fits "
    "is used): a types your own translation (saved), v reveals its translation in quiz mode "
    "(h), e marks it as an interesting machine-translation error (with a note and, after Tab, "
    "the better translation: shown as 'human · corrected in class' and reused whenever the "
    "same text comes up again), C corrects the line itself, HelloTalk style (edit it as it "
    "should be written, add a note: the card shows the struck-out and inserted words), w saves "
    "one of its words to the phrasebook (b). The clock pauses while a workshop dialog is open. "
    "Marks, answers, corrections, words, markers and the note are saved with the session; a "
    "replay shows "
    "them, and `rednote-sim export SESSION --format html|md|anki` hands them out."
)

ROOM_OPENING = "The room is still opening; try again in a moment."


TEACHER_ONLY = frozenset({"add_marker", "mark_mt_error", "session_note", "answer_board"})
"""Workshop actions a guest's room leaves out: the teacher's (the host's room has them)."""


class Workshop:
    """The workshop aids for one room.

    Args:
        live_first: List the workshop keys first in the key bar (a live workshop);
            a replay keeps its playback keys first.
        guest: A guest's room: the teacher's actions (:data:`TEACHER_ONLY`) are
            left out; answers and words go to the host (``room.classwork``).
        hsk: ``--hsk N``: underline the words above HSK level N (None: none).
    """

    def __init__(
        self, *, live_first: bool = True, guest: bool = False, hsk: int | None = None
    ) -> None:
        self.state = WorkshopState()
        self.glossary: Glossary | None = None
        self.pinyin = PinyinCache(self.segmenter)
        self.cards = WorkshopCards(self.state, self.pinyin)
        self.corrections = CorrectionCards(self.state, self.segmenter)
        self.levels = LevelCards(self.segmenter, above=hsk)
        self.session: WorkshopSession | None = None
        """What the workshop does to the session, once the room is open."""
        self._live_first = live_first
        self._guest = guest

    # --- wiring ---------------------------------------------------------------------------

    def segmenter(self) -> Segmenter:
        """jieba, keeping the glossary's terms whole."""
        return glossary_segmenter(self.glossary)

    def view(self) -> ViewOptions:
        """The view a workshop starts with: marks and answers shown."""
        return ViewOptions(extras=frozenset({MARKS, ANSWERS, CORRECTIONS, HSK}))

    def views(self) -> Sequence[EventView]:
        """The workshop state follows the room's events."""
        return [self.state]

    def extensions(self) -> list[CardExtension]:
        """Pinyin, the MT-error badge, answers and the quiz."""
        cards = self.cards
        return [
            CardExtension(MARKS, "header", cards.badge),
            CardExtension(PINYIN, "original", cards.original_pinyin, label="pinyin"),
            CardExtension(CORRECTIONS, "original", self.corrections.lines),
            CardExtension(
                HSK, "original", transform=self.levels.underline, tag=self.levels.tag, label=""
            ),
            CardExtension(ANSWERS, "original", cards.answers),
            CardExtension(PINYIN, "translation", cards.translation_pinyin),
            CardExtension(QUIZ, "translation", transform=cards.quiz, badge="QUIZ"),
        ]

    def actions(self) -> list[RoomAction]:
        """The workshop's keys (a guest's room: without the teacher's)."""
        actions = self.all_actions()
        if self._guest:
            return [a for a in actions if a.name not in TEACHER_ONLY]
        return actions

    def teacher_actions(self) -> list[RoomAction]:
        """The actions only the host's room has (a guest's keys say so)."""
        return [a for a in self.all_actions() if a.name in TEACHER_ONLY]

    def all_actions(self) -> list[RoomAction]:
        """Every workshop key (and a key for the room's own marker action)."""
        rank = -1 if self._live_first else 1

        def act(name: str, title: str, keys: str, hint: str, run: RunAction) -> RoomAction:
            return RoomAction(
                name, title, GROUP, keys=keys, hint=hint, hint_rank=rank, run=run, modes=BOTH
            )

        builtin = {a.name: a for a in ROOM_ACTIONS}
        first: list[RoomAction] = []
        if self._live_first:
            # In a live workshop: typing, pausing and moving come before the aids.
            for name in ("focus_log", "focus_composer", "toggle_pause", "previous_message"):
                first.append(replace(builtin[name], hint_rank=-2))
        return [
            *first,
            replace(
                builtin["add_marker"],
                title="Drop a marker here (a replay's > stops at it)",
                keys="x",
                modes=BOTH,
                hint="marker",
                hint_rank=rank,
                run=self.drop_marker,
            ),
            act("toggle_pinyin", "Pinyin under Chinese text", "p", "pinyin", self.toggle_pinyin),
            act(
                "toggle_side_by_side",
                "Machine vs human: translation and reference side by side",
                "s",
                "mt|human",
                self.toggle_side_by_side,
            ),
            act("toggle_quiz", "Quiz: hide translations until revealed", "h", "quiz", self.quiz),
            act(
                "answer",
                "Quiz: type your own translation of the selected line",
                "a",
                "answer",
                self.answer,
            ),
            act("reveal", "Quiz: reveal (or hide) the selected line", "v", "reveal", self.reveal),
            act(
                "answer_board",
                "Quiz: the answer board of the selected line (everyone's answers)",
                "A",
                "",
                self.answer_board,
            ),
            act("reveal_all", "Quiz: reveal all lines (again: hide all)", "V", "", self.reveal_all),
            act(
                "mark_mt_error",
                "Mark the selected line as an interesting MT error",
                "e",
                "mark MT",
                self.mark_mt_error,
            ),
            act(
                "save_word",
                "Save a word of the selected line to the phrasebook",
                "w",
                "word",
                self.save_word,
            ),
            act(
                "correct_line",
                "Correct the selected line (shown as a word diff under it)",
                "C",
                "correct",
                self.correct_line,
            ),
            act("phrasebook", "Phrasebook: saved words", "b", "phrasebook", self.phrasebook),
            act("toggle_hsk", "HSK levels on the cards (on / off)", "", "", self.toggle_hsk),
            act("session_note", "Session note", "N", "note", self.session_note),
            act(
                "toggle_projector",
                "Projector layout: large-font friendly, less on screen",
                "P",
                "projector",
                self.toggle_projector,
            ),
        ]

    async def open(
        self, host: RoomHost, room: Room, cast: Cast, translator: Translator | None
    ) -> None:
        """Once the room is open: the session's classwork (through the room); warm up pinyin."""
        self.glossary = cast.glossary
        self.pinyin.host = host
        self.corrections.diffs.host = host
        self.levels.levels.host = host
        self.cards.renderer = host.renderer
        session = WorkshopSession(
            room,
            glossary=cast.glossary,
            translator=translator,
            dictionary=room_dictionary(cast.glossary, cast.slang),
        )
        await session.load()  # the state follows the event the room publishes
        self.session = session
        # jieba's dictionary and pypinyin load once, in a thread, before anyone asks.
        await asyncio.to_thread(self.pinyin.warm_up)
        await asyncio.to_thread(self.levels.warm_up)

    # --- helpers --------------------------------------------------------------------------

    def _session(self, host: RoomHost) -> WorkshopSession | None:
        """The session, once the room is open and its classwork is shown."""
        session = self.session
        if session is None or self.state.session != session.session_id:
            host.notify(ROOM_OPENING)
            return None
        return session

    async def _target(
        self, host: RoomHost, fits: Callable[[Message], bool], missing: str
    ) -> Message | None:
        """The selected message, else the newest that fits (selected and shown)."""
        message = await host.pick(fits)
        if message is None:
            host.notify(missing)
        return message

    def _context(self, host: RoomHost, message: Message) -> Content:
        """The message a dialog is about: who, when, what (and its pinyin, if on)."""
        lines = [
            Content.assemble(
                (visible(message.name), "bold"),
                (f" · {format_time(message.t)} · #{message.seq}", STYLE_META),
            ),
            highlight(message.text),
        ]
        if PINYIN in host.options.extras:
            line = self.pinyin.line(message.text, coloured=host.options.tones)
            if line is not None:
                lines.append(line)
        return Content("\n").join(lines)

    async def _said(self, host: RoomHost, job: Awaitable[str]) -> None:
        """Wait for a write, then say what it did."""
        host.notify(await job)

    # --- reading aids ---------------------------------------------------------------------

    def toggle_pinyin(self, host: RoomHost) -> None:
        """p: pinyin under Chinese text."""
        host.set_view(host.options.toggle_extra(PINYIN))

    def toggle_side_by_side(self, host: RoomHost) -> None:
        """s: machine translation and human reference in two columns."""
        options = host.options
        host.set_view(replace(options, side_by_side=not options.side_by_side))

    def toggle_hsk(self, host: RoomHost) -> None:
        """(palette) The HSK tags and underlines on or off."""
        host.set_view(host.options.toggle_extra(HSK))

    def toggle_projector(self, host: RoomHost) -> None:
        """P: the projector layout."""
        host.set_projector(not host.projector)

    # --- quiz -----------------------------------------------------------------------------

    def quiz(self, host: RoomHost) -> None:
        """h: quiz mode on or off (translations hidden until revealed)."""
        options = host.options.toggle_extra(QUIZ)
        if QUIZ in options.extras:
            if options.mode == "translation":
                options = replace(options, mode="both")  # the original must show
            host.notify("Quiz: translations hidden. j/k select · a your translation · v reveal")
        host.set_view(options)

    async def reveal(self, host: RoomHost) -> None:
        """v: reveal the selected line's translation (or hide it again)."""
        if QUIZ not in host.options.extras:
            host.notify("Quiz mode is off: h hides the translations.")
            return
        message = await self._target(host, self._quizzable(host), "No translated line to reveal.")
        if message is not None:
            self.state.toggle_reveal(message.seq)  # the state of this showing, not of the session
            host.redraw([message.seq])

    def reveal_all(self, host: RoomHost) -> None:
        """V: reveal every line, or hide them all again."""
        if QUIZ not in host.options.extras:
            host.notify("Quiz mode is off: h hides the translations.")
            return
        fits, shown = self._quizzable(host), host.shown
        revealed = self.state.reveal_all(s for s in shown.order if fits(shown.messages[s]))
        host.notify("All translations revealed." if revealed else "All translations hidden again.")
        host.redraw()

    def _quizzable(self, host: RoomHost) -> Callable[[Message], bool]:
        options = host.options
        return lambda m: options.shows_translation(m) and quizzable(m, options.reader)

    async def answer(self, host: RoomHost) -> None:
        """a: type your own translation of the selected line (saved with the session)."""
        session = self._session(host)
        if session is None:
            return
        message = await self._target(host, lambda m: True, "No line to translate yet.")
        if message is None:
            return
        target = LANG_NAMES[other_lang(message.lang)]
        screen = PromptScreen(
            f"Your translation into {target}",
            self._context(host, message),
            placeholder=f"type it in {target}",
            required=True,
        )

        def done(result: PromptResult | None) -> None:
            if result is not None and result.text:
                host.write("add_quiz_answer", self._said(host, answered(result.text)))

        async def answered(text: str) -> str:
            await session.answer(message, text)
            options = host.options
            hidden = QUIZ in options.extras and self.cards.hidden(message, options.reader)
            return "Answer saved." + (" v reveals the translations." if hidden else "")

        host.open_dialog(screen, done)

    async def answer_board(self, host: RoomHost) -> None:
        """A: everyone's answers to the selected line, next to the machine and human ones."""
        if self._session(host) is None:
            return
        answers = self.state.answers
        # The selected line; with none, the newest line someone answered.
        message = await host.pick(lambda m: m.seq in answers) or await host.pick(lambda m: True)
        if message is None:
            host.notify("No line to show answers for yet.")
            return
        board = answer_board(message, answers.get(message.seq, []))
        screen = AnswerBoardScreen(
            self._context(host, message), board, LANG_NAMES[other_lang(message.lang)]
        )
        host.open_dialog(screen, lambda _: None)

    # --- MT errors ------------------------------------------------------------------------

    async def mark_mt_error(self, host: RoomHost) -> None:
        """e: mark the selected line as an interesting MT error: a note, a better translation.

        The better translation (optional) is the class's correction: the card shows
        it as "human · corrected in class" (the machine output stays in machine vs
        human) and the translator reuses it whenever the same text comes up again.
        """
        session = self._session(host)
        if session is None:
            return
        reader = host.options.reader
        message = await self._target(
            host,
            lambda m: machine_translated(m, reader),
            "No machine-translated line to mark (human references only).",
        )
        if message is None:
            return
        translation, _ = message.rendering(reader)
        assert translation is not None
        existing = self.state.marks.get(message.seq)
        corrected = translation.text if translation.origin == "corrected" else ""
        machine = translation.machine if translation.machine is not None else translation.text
        context = Content("\n").join(
            [
                self._context(host, message),
                Content.assemble(("machine: ", STYLE_META), highlight(machine)),
            ]
        )
        target = LANG_NAMES[translation.lang]
        screen = PromptScreen(
            "Interesting MT error: what went wrong? (optional note)",
            context,
            placeholder="e.g. 小红书 became 'Little Red Book'",
            value=existing.note if existing else "",
            removable="removes the mark" if existing or corrected else "",
            extra=ExtraField(
                f"Better translation into {target} (optional; reused when the text comes again)",
                placeholder=f"the class's translation, in {target}",
                value=corrected,
            ),
        )
        lang = translation.lang

        async def unmarked() -> str:
            removed = await session.unmark(message, lang)
            return "MT-error mark removed." + (" So is the correction." if removed else "")

        async def marked(note: str, better: str) -> str:
            return MARK_SAID[await session.mark(message, lang, note, better, corrected)]

        def done(result: PromptResult | None) -> None:
            if result is None:
                return
            if result.remove:
                host.write("unmark_mt_error", self._said(host, unmarked()))
            else:
                host.write(
                    "mark_mt_error", self._said(host, marked(result.text, result.extra or ""))
                )

        host.open_dialog(screen, done)

    # --- line corrections ------------------------------------------------------------------

    async def correct_line(self, host: RoomHost) -> None:
        """C: write the selected line as it should be; the card shows the word diff.

        The dialog starts with the line's text (or the reader's earlier correction);
        saving the line unchanged removes an earlier correction, as ``^r`` does.
        """
        session = self._session(host)
        if session is None:
            return
        message = await self._target(
            host, lambda m: bool(m.text.strip()), "No line to correct yet."
        )
        if message is None:
            return
        existing = self.state.correction_by(message.seq, HOST_AUTHOR)
        screen = correction_dialog(message, self._context(host, message), existing)

        async def corrected(text: str, note: str) -> str:
            saved = await session.correct_line(message, text, note)
            if saved is None:
                return "Unchanged: no correction." + (
                    " The earlier one is removed." if existing else ""
                )
            return "Correction saved: the difference shows under the line."

        async def removed() -> str:
            await session.uncorrect_line(message)
            return "Correction removed."

        def done(result: PromptResult | None) -> None:
            if result is None:
                return
            if result.remove:
                host.write("uncorrect_line", self._said(host, removed()))
            elif result.text:
                host.write(
                    "correct_line", self._said(host, corrected(result.text, result.extra or ""))
                )

        host.open_dialog(screen, done)

    # --- phrasebook -----------------------------------------------------------------------

    async def save_word(self, host: RoomHost) -> None:
        """w: pick (or type) a word of the selected line and save it to the phrasebook."""
        session = self._session(host)
        if session is None:
            return
        message = await self._target(
            host, lambda m: bool(m.text.strip()), "No line to take a word from yet."
        )
        if message is None:
            return
        seg = self.segmenter()
        glossary = self.glossary

        def find() -> list[Candidate]:
            return [
                Candidate(term, self._suggestion(term, seg))
                for term in candidates(message, glossary, seg)
            ]

        async def find_async() -> list[Candidate]:
            return await asyncio.to_thread(find)

        async def suggest(term: str) -> Suggestion:
            found = await asyncio.to_thread(self._suggestion, term, seg)
            if found.translation:
                return found
            machine = await session.machine_translation(term)
            return replace(found, translation=machine, source="machine") if machine else found

        screen = VocabScreen(
            "Save to the phrasebook · 生词本",
            self._context(host, message),
            find=find_async,
            suggest=suggest,
        )

        async def saved(draft: VocabDraft) -> str:
            entry = await session.save_vocab(
                message,
                draft.term,
                translation=draft.translation,
                machine=draft.machine,
                note=draft.note,
                pinyin=draft.pinyin,
                seg=seg,
            )
            words = " ".join(p for p in (entry.chinese, entry.pinyin) if p)
            if entry.english and entry.lang == "zh":
                words += f" — {entry.english}"
            return f"Saved to the phrasebook: {one_line(words, 80)}"

        def done(draft: VocabDraft | None) -> None:
            if draft is not None:
                host.write("save_vocab", self._said(host, saved(draft)))

        host.open_dialog(screen, done)

    def _suggestion(self, term: str, seg: Segmenter) -> Suggestion:
        """Pinyin and translation: the glossary's, else the dictionary's (runs in a thread).

        A single word's machine translation is often wrong (不会 is not "Nope."), so
        it is asked for only when neither has the term.
        """
        term = term.strip()
        translation = glossary_translation(term, self.glossary) or ""
        if not translation and has_han(term) and self.session is not None:
            entry = self.session.entry(term)
            if entry is not None and entry.definitions:
                return Suggestion(entry.pinyin, dictionary_meaning(entry), "dictionary")
        chinese = term if term_lang(term) == "zh" else translation
        reading = word_pinyin(chinese, seg) if has_han(chinese) else ""
        return Suggestion(reading, translation, "glossary" if translation else "")

    def phrasebook(self, host: RoomHost) -> None:
        """b: the phrasebook (delete entries, go to their message)."""
        session = self._session(host)
        if session is None:
            return
        shown = host.shown
        sources = {seq: m.name for seq, m in shown.messages.items()}

        async def deleted(entry: VocabEntry) -> str:
            await session.delete_vocab(entry)
            return f"Deleted from the phrasebook: {one_line(entry.term, 40)}"

        def delete(entry: VocabEntry) -> None:
            host.write("delete_vocab", self._said(host, deleted(entry)))

        def done(seq: int | None) -> None:
            if seq is not None and seq in shown:
                host.write("show_message", host.go_to(seq))

        levels = self.levels.word
        host.open_dialog(PhrasebookScreen(self.state.vocab, sources, delete, levels), done)

    # --- facilitator ----------------------------------------------------------------------

    def session_note(self, host: RoomHost) -> None:
        """N: the facilitator's note on the session."""
        session = self._session(host)
        if session is None:
            return

        async def saved(note: str) -> str:
            await session.set_note(note)
            return "Session note saved."

        def done(note: str | None) -> None:
            if note is not None and note != self.state.note:
                host.write("set_session_note", self._said(host, saved(note)))

        host.open_dialog(NoteScreen("Session note (saved with the session)", self.state.note), done)

    def drop_marker(self, host: RoomHost) -> None:
        """x: a marker at the current time (a replay of the session can jump to it)."""
        session = self._session(host)
        if session is None:
            return
        label = session.marker_label()

        async def dropped() -> str:
            await session.add_marker(label)
            return f"{label} saved: > jumps to it when the session is replayed."

        host.write("add_marker", self._said(host, dropped()))


MARK_SAID: dict[MarkOutcome, str] = {
    "marked": "Marked as an interesting MT error (saved with the session).",
    "corrected": "Correction saved: shown as 'human · corrected in class' and reused next time.",
    "uncorrected": "Correction removed; the mark stays.",
}
"""What the toast says after marking a line."""
