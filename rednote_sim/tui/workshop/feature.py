"""The workshop in the room: its actions, card extensions and writes to the store.

:class:`Workshop` is built by ``make_app`` for ``mode="workshop"`` (a live room)
and for replays (a teacher going through a recorded session gets the same
aids; everything is per session). It plugs into the room through the TUI's
extension points only: :class:`~rednote_sim.tui.actions.RoomAction` s (keys,
palette, help and key bar come from them), :class:`~rednote_sim.tui.view.CardExtension` s
and an ``on_open`` hook that loads what the store already holds for the session.

Actions on "the selected line" use the message selected with ``j``/``k``; with
nothing selected they pick the newest message that fits and select it, so the
reader sees which one. The room's clock pauses while a workshop dialog is
open (it resumes on close unless it was paused before). Every write is a
worker (``group="workshop"``): input never waits on the database, and a failed
write shows up as a notification (the app's worker handler).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from typing import Any

from textual.content import Content

from rednote_sim.domain import (
    ENGINE_PASSTHROUGH,
    ENGINE_SCRIPT,
    Glossary,
    Lang,
    Marker,
    Message,
    other_lang,
)
from rednote_sim.domain.terms import LANG_NAMES, format_time, has_han
from rednote_sim.domain.workshop import VocabEntry
from rednote_sim.lang.pinyin import word_pinyin
from rednote_sim.lang.segment import Segmenter, glossary_segmenter
from rednote_sim.sim import LiveRoom
from rednote_sim.store import Store
from rednote_sim.store.workshop_repo import WorkshopRepo
from rednote_sim.textsafe import visible
from rednote_sim.tui.actions import BOTH, RoomAction
from rednote_sim.tui.app import WRITES, RoomApp
from rednote_sim.tui.render import STYLE_META, highlight
from rednote_sim.tui.safetext import one_line
from rednote_sim.tui.view import CardExtension, ViewOptions
from rednote_sim.tui.workshop.cards import (
    ANSWERS,
    MARKS,
    PINYIN,
    QUIZ,
    PinyinCache,
    WorkshopCards,
)
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
from rednote_sim.workshop.vocab import (
    candidates,
    glossary_translation,
    make_entry,
    term_lang,
)

GROUP = "Workshop"

HOW_WORKSHOP = (
    "Workshop: Esc → keys mode, then p pinyin · s machine vs human · h quiz · "
    "j/k select a line: a your translation, v reveal, e mark an MT error, w save a word · "
    "b phrasebook · x marker · N note · ? help."
)
HOW_REPLAY_AIDS = "Workshop aids: p pinyin · s machine vs human · h quiz · w save a word · ? help."

HELP_NOTES = (
    "Workshop aids. Select a line with j/k (with nothing selected, the newest line that fits "
    "is used): a types your own translation (saved), v reveals its translation in quiz mode "
    "(h), e marks it as an interesting machine-translation error (with a note and, after Tab, "
    "the better translation: shown as 'human · corrected in class' and reused whenever the "
    "same text comes up again), w saves one "
    "of its words to the phrasebook (b). The clock pauses while a workshop dialog is open. "
    "Marks, answers, words, markers and the note are saved with the session; a replay shows "
    "them, and `rednote-sim export SESSION --format html|md|anki` hands them out."
)

ROOM_OPENING = "The room is still opening; try again in a moment."


class Workshop:
    """The workshop aids for one room.

    Args:
        live_first: List the workshop keys first in the key bar (a live workshop);
            a replay keeps its playback keys first.
    """

    def __init__(self, *, live_first: bool = True) -> None:
        self.state = WorkshopState()
        self.glossary: Glossary | None = None
        self.pinyin = PinyinCache(self.segmenter)
        self.cards = WorkshopCards(self.state, self.pinyin)
        self.app: RoomApp | None = None
        self._live_first = live_first

    # --- wiring ---------------------------------------------------------------------------

    def segmenter(self) -> Segmenter:
        """jieba, keeping the glossary's terms whole."""
        return glossary_segmenter(self.glossary)

    def view(self) -> ViewOptions:
        """The view a workshop starts with: marks and answers shown."""
        return ViewOptions(extras=frozenset({MARKS, ANSWERS}))

    def extensions(self) -> list[CardExtension]:
        """Pinyin, the MT-error badge, answers and the quiz."""
        cards = self.cards
        return [
            CardExtension(MARKS, "header", cards.badge),
            CardExtension(PINYIN, "original", cards.original_pinyin, label="pinyin"),
            CardExtension(ANSWERS, "original", cards.answers),
            CardExtension(PINYIN, "translation", cards.translation_pinyin),
            CardExtension(QUIZ, "translation", transform=cards.quiz, badge="QUIZ"),
        ]

    def actions(self) -> list[RoomAction]:
        """The workshop's keys (and a key for the room's own marker action)."""
        from rednote_sim.tui.actions import ROOM_ACTIONS

        rank = -1 if self._live_first else 1

        def act(
            name: str, title: str, keys: str, hint: str, run: Callable[[RoomApp], Any]
        ) -> RoomAction:
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
            act("phrasebook", "Phrasebook: saved words", "b", "phrasebook", self.phrasebook),
            act("session_note", "Session note", "N", "note", self.session_note),
            act(
                "toggle_projector",
                "Projector layout: large-font friendly, less on screen",
                "P",
                "projector",
                self.toggle_projector,
            ),
        ]

    async def load_workshop(self, app: RoomApp) -> None:
        """Once the room is open: what the store holds for the session; warm up pinyin."""
        self.app = app
        self.pinyin.app = app
        self.cards.app = app
        cast = app.source.cast
        self.glossary = cast.glossary if cast is not None else None
        store, session = app.source.store, app.session_id
        if store is not None and session is not None:
            repo = WorkshopRepo.of(store)
            self.state.load(
                session,
                marks=await repo.mt_errors(session),
                answers=await repo.quiz_answers(session),
                vocab=await repo.vocab(session),
                note=(await store.get_session(session)).note,
            )
            app.log_view.refresh_cards()
        # jieba's dictionary and pypinyin load once, in a thread, before anyone asks.
        await asyncio.to_thread(self.pinyin.warm_up)

    # --- helpers --------------------------------------------------------------------------

    def _store(self, app: RoomApp) -> tuple[Store, str] | None:
        store, session = app.source.store, app.session_id
        if store is None or session is None or self.state.session != session:
            app.notify(ROOM_OPENING)
            return None
        return store, session

    def _write(self, app: RoomApp, name: str, job: Coroutine[Any, Any, None]) -> None:
        app.run_worker(job, name=name, group=WRITES, exit_on_error=False)

    async def _target(
        self, app: RoomApp, fits: Callable[[Message], bool], missing: str
    ) -> Message | None:
        """The selected message, else the newest that fits (selected and shown)."""
        log, model = app.log_view, app.model
        seq = log.selected
        if seq is None or seq not in model:
            seq = next((s for s in reversed(model.order) if fits(model.messages[s])), None)
            if seq is None:
                app.notify(missing)
                return None
            log.selected = seq
            await log.show(seq)
        message = model.messages[seq]
        if not fits(message):
            app.notify(missing)
            return None
        return message

    def _hold(self, app: RoomApp) -> Callable[[], None]:
        """Pause the room while a dialog is open; the returned function resumes it."""
        clock = app.clock
        was_paused = clock.paused
        clock.pause()
        app.refresh_status()

        def resume() -> None:
            if not was_paused:
                clock.resume()
            app.refresh_status()

        return resume

    def _dialog(
        self,
        app: RoomApp,
        screen: Any,
        done: Callable[[Any], None],
    ) -> None:
        resume = self._hold(app)

        def closed(result: Any) -> None:
            resume()
            done(result)

        app.push_screen(screen, closed)

    def _context(self, app: RoomApp, message: Message) -> Content:
        """The message a dialog is about: who, when, what (and its pinyin, if on)."""
        lines = [
            Content.assemble(
                (visible(message.name), "bold"),
                (f" · {format_time(message.t)} · #{message.seq}", STYLE_META),
            ),
            highlight(message.text),
        ]
        if PINYIN in app.renderer.options.extras:
            line = self.pinyin.line(message.text)
            if line is not None:
                lines.append(line)
        return Content("\n").join(lines)

    # --- reading aids ---------------------------------------------------------------------

    def toggle_pinyin(self, app: RoomApp) -> None:
        """p: pinyin under Chinese text."""
        app.set_view(app.renderer.options.toggle_extra(PINYIN))

    def toggle_side_by_side(self, app: RoomApp) -> None:
        """s: machine translation and human reference in two columns."""
        options = app.renderer.options
        app.set_view(replace(options, side_by_side=not options.side_by_side))

    def toggle_projector(self, app: RoomApp) -> None:
        """P: the projector layout."""
        app.set_projector(not app.projector)

    # --- quiz -----------------------------------------------------------------------------

    def quiz(self, app: RoomApp) -> None:
        """h: quiz mode on or off (translations hidden until revealed)."""
        options = app.renderer.options.toggle_extra(QUIZ)
        if QUIZ in options.extras:
            if options.mode == "translation":
                options = replace(options, mode="both")  # the original must show
            app.notify("Quiz: translations hidden. j/k select · a your translation · v reveal")
        app.set_view(options)

    async def reveal(self, app: RoomApp) -> None:
        """v: reveal the selected line's translation (or hide it again)."""
        if QUIZ not in app.renderer.options.extras:
            app.notify("Quiz mode is off: h hides the translations.")
            return
        message = await self._target(app, self._quizzable(app), "No translated line to reveal.")
        if message is not None:
            self.state.toggle_reveal(message.seq)
            app.log_view.refresh_cards([message.seq])

    def reveal_all(self, app: RoomApp) -> None:
        """V: reveal every line, or hide them all again."""
        if QUIZ not in app.renderer.options.extras:
            app.notify("Quiz mode is off: h hides the translations.")
            return
        fits = self._quizzable(app)
        seqs = [s for s in app.model.order if fits(app.model.messages[s])]
        revealed = self.state.reveal_all(seqs)
        app.notify("All translations revealed." if revealed else "All translations hidden again.")
        app.log_view.refresh_cards()

    def _quizzable(self, app: RoomApp) -> Callable[[Message], bool]:
        options = app.renderer.options
        return lambda m: options.shows_translation(m) and quizzable(m, options.reader)

    async def answer(self, app: RoomApp) -> None:
        """a: type your own translation of the selected line (saved with the session)."""
        if self._store(app) is None:
            return
        message = await self._target(app, lambda m: True, "No line to translate yet.")
        if message is None:
            return
        target = LANG_NAMES[other_lang(message.lang)]
        screen = PromptScreen(
            f"Your translation into {target}",
            self._context(app, message),
            placeholder=f"type it in {target}",
            required=True,
        )

        def done(result: PromptResult | None) -> None:
            if result is not None and result.text:
                self._write(app, "add_quiz_answer", self._save_answer(app, message, result.text))

        self._dialog(app, screen, done)

    async def _save_answer(self, app: RoomApp, message: Message, text: str) -> None:
        where = self._store(app)
        if where is None:
            return
        store, session = where
        answer = await WorkshopRepo.of(store).add_quiz_answer(session, message.seq, text)
        self.state.add_answer(answer)
        app.log_view.refresh_cards([message.seq])
        options = app.renderer.options
        hidden = QUIZ in options.extras and self.cards.hidden(message, options.reader)
        app.notify("Answer saved." + (" v reveals the translations." if hidden else ""))

    # --- MT errors ------------------------------------------------------------------------

    async def mark_mt_error(self, app: RoomApp) -> None:
        """e: mark the selected line as an interesting MT error: a note, a better translation.

        The better translation (optional) is the class's correction: the card shows
        it as "human · corrected in class" (the machine output stays in machine vs
        human) and the translator reuses it whenever the same text comes up again.
        """
        if self._store(app) is None:
            return
        reader = app.renderer.options.reader
        message = await self._target(
            app,
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
                self._context(app, message),
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

        def done(result: PromptResult | None) -> None:
            if result is None:
                return
            lang = translation.lang
            if result.remove:
                self._write(app, "unmark_mt_error", self._unmark(app, message, lang))
                return
            better = result.extra or ""
            self._write(
                app, "mark_mt_error", self._mark(app, message, lang, result.text, better, corrected)
            )

        self._dialog(app, screen, done)

    async def _mark(
        self, app: RoomApp, message: Message, lang: Lang, note: str, better: str, before: str
    ) -> None:
        where = self._store(app)
        if where is None:
            return
        store, session = where
        repo = WorkshopRepo.of(store)
        seq = message.seq
        self.state.marks[seq] = await repo.mark_mt_error(session, seq, note)
        said = "Marked as an interesting MT error (saved with the session)."
        if better and better != before:
            _, updated = await repo.correct_translation(session, seq, lang, better, note)
            self._revised(app, updated)
            self._teach(app, lang, message.text, better)
            said = "Correction saved: shown as 'human · corrected in class' and reused next time."
        elif not better and before:
            updated_or_none = await repo.uncorrect_translation(session, seq, lang)
            if updated_or_none is not None:
                self._revised(app, updated_or_none)
                self._teach(app, lang, message.text, None)
            said = "Correction removed; the mark stays."
        app.log_view.refresh_cards([seq])
        app.notify(said)

    async def _unmark(self, app: RoomApp, message: Message, lang: Lang) -> None:
        where = self._store(app)
        if where is None:
            return
        store, session = where
        repo = WorkshopRepo.of(store)
        await repo.unmark_mt_error(session, message.seq)
        updated = await repo.uncorrect_translation(session, message.seq, lang)
        if updated is not None:
            self._revised(app, updated)
            self._teach(app, lang, message.text, None)
        self.state.marks.pop(message.seq, None)
        app.log_view.refresh_cards([message.seq])
        app.notify("MT-error mark removed." + (" So is the correction." if updated else ""))

    def _revised(self, app: RoomApp, message: Message) -> None:
        """A message's renderings changed (a correction): the room and the card follow."""
        room = app.room
        if room is not None:
            room.revise(message)
        app.model.add(message)

    def _teach(self, app: RoomApp, lang: Lang, text: str, corrected: str | None) -> None:
        """Tell a live room's translator at once (the store has it for later sessions)."""
        translator = app.source.translator
        if translator is None:
            return
        if corrected is not None:
            translator.learn(lang, text, corrected)
        else:
            translator.forget(lang, text)

    # --- phrasebook -----------------------------------------------------------------------

    async def save_word(self, app: RoomApp) -> None:
        """w: pick (or type) a word of the selected line and save it to the phrasebook."""
        if self._store(app) is None:
            return
        message = await self._target(
            app, lambda m: bool(m.text.strip()), "No line to take a word from yet."
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
            machine = await self._machine(app, term)
            return replace(found, translation=machine, source="machine") if machine else found

        screen = VocabScreen(
            "Save to the phrasebook · 生词本",
            self._context(app, message),
            find=find_async,
            suggest=suggest,
        )

        def done(draft: VocabDraft | None) -> None:
            if draft is not None:
                self._write(app, "save_vocab", self._save_vocab(app, message, draft, seg))

        self._dialog(app, screen, done)

    def _suggestion(self, term: str, seg: Segmenter) -> Suggestion:
        """Pinyin of the Chinese side and the glossary's translation (runs in a thread)."""
        term = term.strip()
        translation = glossary_translation(term, self.glossary) or ""
        chinese = term if term_lang(term) == "zh" else translation
        reading = word_pinyin(chinese, seg) if has_han(chinese) else ""
        return Suggestion(reading, translation, "glossary" if translation else "")

    async def _machine(self, app: RoomApp, term: str) -> str:
        """A machine translation of a term (a live room's translator), or ""."""
        translator = app.source.translator
        if translator is None or not isinstance(app.room, LiveRoom):
            return ""
        lang = term_lang(term)
        outcome = await translator.translate(term, source=lang, target=other_lang(lang))
        translation = outcome.translation
        if translation is None or translation.engine in (ENGINE_SCRIPT, ENGINE_PASSTHROUGH):
            return ""
        return translation.text

    async def _save_vocab(
        self, app: RoomApp, message: Message, draft: VocabDraft, seg: Segmenter
    ) -> None:
        where = self._store(app)
        if where is None:
            return
        store, _ = where

        def build() -> VocabEntry:
            entry = make_entry(
                message,
                draft.term,
                glossary=self.glossary,
                user_translation=draft.translation,
                machine_translation=draft.machine,
                note=draft.note,
                seg=seg,
            )
            return (
                entry if draft.pinyin is None else entry.model_copy(update={"pinyin": draft.pinyin})
            )

        entry = await asyncio.to_thread(build)
        saved = await WorkshopRepo.of(store).save_vocab(entry)
        self.state.put_vocab(saved)
        words = " ".join(p for p in (saved.chinese, saved.pinyin) if p)
        if saved.english and saved.lang == "zh":
            words += f" — {saved.english}"
        app.notify(f"Saved to the phrasebook: {one_line(words, 80)}")

    def phrasebook(self, app: RoomApp) -> None:
        """b: the phrasebook (delete entries, go to their message)."""
        if self._store(app) is None:
            return
        sources = {seq: m.name for seq, m in app.model.messages.items()}

        def delete(entry: VocabEntry) -> None:
            self._write(app, "delete_vocab", self._delete_vocab(app, entry))

        def done(seq: int | None) -> None:
            if seq is not None and seq in app.model:
                app.log_view.selected = seq
                self._write(app, "show_message", app.log_view.show(seq))

        self._dialog(app, PhrasebookScreen(self.state.vocab, sources, delete), done)

    async def _delete_vocab(self, app: RoomApp, entry: VocabEntry) -> None:
        where = self._store(app)
        if where is None:
            return
        store, session = where
        await WorkshopRepo.of(store).delete_vocab(session, entry.lang, entry.term)
        self.state.drop_vocab(entry)
        app.notify(f"Deleted from the phrasebook: {one_line(entry.term, 40)}")

    # --- facilitator ----------------------------------------------------------------------

    def session_note(self, app: RoomApp) -> None:
        """N: the facilitator's note on the session."""
        if self._store(app) is None:
            return

        def done(note: str | None) -> None:
            if note is not None and note != self.state.note:
                self._write(app, "set_session_note", self._save_note(app, note))

        self._dialog(
            app, NoteScreen("Session note (saved with the session)", self.state.note), done
        )

    async def _save_note(self, app: RoomApp, note: str) -> None:
        where = self._store(app)
        if where is None:
            return
        store, session = where
        await store.set_session_note(session, note)
        self.state.note = note
        app.notify("Session note saved.")

    def drop_marker(self, app: RoomApp) -> None:
        """x: a marker at the current time (a replay of the session can jump to it)."""
        room = app.room
        if self._store(app) is None or room is None:
            return
        label = f"Marker at {format_time(app.clock.now())}"
        self._write(app, "add_marker", self._marker_saved(app, room.add_marker(label), label))

    async def _marker_saved(self, app: RoomApp, job: Awaitable[Marker], label: str) -> None:
        await job
        app.notify(f"{label} saved: > jumps to it when the session is replayed.")
