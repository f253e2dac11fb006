"""Pilot tests of the workshop aids: quiz, phrasebook, MT-error marks, pinyin, note, markers.

Real store on a SQLite file under ``tmp_path``, real content and real pinyin
(jieba, pypinyin); the fast stub translator (its zh→en "machine" output turns
RedNote into "Little Red", so machine and human differ). What the aids save is
checked in the database through a fresh :class:`Store` and :class:`WorkshopRepo`
after the app has closed: it is on disk, not only on screen.
"""

from __future__ import annotations

from collections import Counter

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from rednote_sim.domain import Marker
from rednote_sim.lang.pinyin import pinyin
from rednote_sim.settings import Settings
from rednote_sim.sim import LiveRoom, ReplayRoom
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.store import Store
from rednote_sim.store.workshop_repo import WorkshopRepo
from rednote_sim.tui import RoomApp, make_app
from rednote_sim.tui.actions import actions_for, hints
from rednote_sim.tui.screens.help import HelpScreen
from rednote_sim.tui.widgets.composer import Composer
from rednote_sim.tui.workshop import Workshop
from rednote_sim.tui.workshop.screens import (
    NoteScreen,
    PhrasebookScreen,
    PromptScreen,
)
from tests.functional.tui.helpers import (
    REPLAY_SESSION,
    card_lines,
    find,
    open_word_picker,
    ready,
    wait_for,
    workshop_app,
    workshop_of,
)

SIZE = (100, 30)
HELP_LINE = "救命"
"""Searched to select 阿婷's "救命，一觉醒来我的小红书…" (it mentions the glossary's 小红书)."""


async def select(pilot: Pilot[int], text: str) -> int:
    """Select the newest message containing ``text`` (search, then back to keys mode)."""
    app = pilot.app
    assert isinstance(app, RoomApp)
    seq = await find(pilot, text)
    assert seq is not None and text in app.room_screen.model.messages[seq].text
    return seq


def card_text(app: RoomApp, seq: int) -> str:
    return app.room_screen.log_view.cards[seq].plain


def visible(app: RoomApp) -> tuple[object, ...]:
    """Everything a stray single key could change."""
    options = app.room_screen.renderer.options
    return (
        options,
        app.room_screen.projector,
        app.room_screen.clock.paused,
        app.room_screen.log_view.selected,
    )


# --- quiz --------------------------------------------------------------------------------


async def test_quiz_hide_answer_reveal_and_reveal_all(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    answer = "Help, I woke up and my Xiaohongshu is all English, please save me"
    async with app.run_test(size=SIZE) as pilot:
        workshop = await ready(pilot)
        await pilot.press("escape", "h")
        seq = await select(pilot, HELP_LINE)
        message = app.room_screen.model.messages[seq]
        assert message.translation is not None and message.reference is not None
        machine, human = message.translation.text, message.reference
        assert "Little Red" in machine and "RedNote" in human
        hidden = card_text(app, seq)
        assert "translation hidden" in hidden
        assert machine not in hidden and human not in hidden and "human reference" not in hidden

        await pilot.press("a")
        assert isinstance(app.screen, PromptScreen)
        assert app.room_screen.clock.paused  # the room waits while the learner types
        before = visible(app)
        await pilot.press(*answer, "enter")  # p, s, h, v… are letters here, not keys
        await wait_for(pilot, lambda: seq in workshop.state.answers)
        await pilot.pause()
        assert not isinstance(app.screen, PromptScreen)
        assert not app.room_screen.clock.paused
        assert visible(app)[:2] == before[:2]
        card = card_text(app, seq)
        assert f"✎ your answer: {answer}" in card
        assert "translation hidden" in card and machine not in card  # answered, not revealed

        await pilot.press("v")
        await pilot.pause()
        revealed = card_text(app, seq)
        assert machine in revealed and human in revealed
        assert "machine · Argos stub-zh_en 1.0" in revealed and "human reference" in revealed
        assert f"✎ your answer: {answer}" in revealed
        # Side by side on screen: the machine label and "human reference" share a line.
        lines = card_lines(app.room_screen.log_view.cards[seq])
        assert any("machine · Argos" in line and "human reference" in line for line in lines)

        others = [
            s
            for s in app.room_screen.model.order
            if s != seq and "translation hidden" in card_text(app, s)
            if s in app.room_screen.log_view.cards
        ]
        assert others
        await pilot.press("V")
        await pilot.pause()
        assert all("translation hidden" not in card_text(app, s) for s in others)
        await pilot.press("V")  # again: the whole quiz again
        await pilot.pause()
        assert all("translation hidden" in card_text(app, s) for s in [seq, *others])
        await pilot.press("h")
        await pilot.pause()
        assert "translation hidden" not in card_text(app, seq)
        session = app.session_id
    assert session is not None
    async with await Store.open(tui_settings.db) as store:
        answers = await WorkshopRepo.of(store).quiz_answers(session)
    assert [(a.seq, a.answer) for a in answers] == [(seq, answer)]


async def test_an_answer_is_required_and_esc_cancels(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        workshop = await ready(pilot)
        await pilot.press("escape")
        await select(pilot, HELP_LINE)
        await pilot.press("a", "enter")
        screen = app.screen
        assert isinstance(screen, PromptScreen)
        assert "type something first" in str(screen.query_one("#prompt-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PromptScreen)
        assert workshop.state.answers == {}


# --- phrasebook --------------------------------------------------------------------------


async def test_phrasebook_pick_save_list_and_delete(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        workshop = await ready(pilot)
        await pilot.press("escape")
        seq = await select(pilot, HELP_LINE)
        picker = await open_word_picker(pilot)
        terms = [c.term for c in picker.candidates]
        assert terms[0] == "小红书"  # glossary terms first
        assert "救命" in terms and "的" not in terms
        await pilot.press("enter")  # pick the highlighted candidate
        await wait_for(pilot, lambda: picker.translation.value == "RedNote")
        assert picker.term.value == "小红书"
        assert picker.pinyin.value == "xiǎohóngshū"
        assert picker.focused is picker.translation  # ready to edit the meaning
        await pilot.press("enter")  # keep it: save
        await wait_for(pilot, lambda: len(workshop.state.vocab) == 1)
        session = app.session_id
        assert session is not None
        async with await Store.open(tui_settings.db) as store:
            saved = await WorkshopRepo.of(store).get_vocab(session, "zh", "小红书")
        assert saved is not None
        assert (saved.seq, saved.pinyin, saved.translation, saved.translation_source) == (
            seq,
            "xiǎohóngshū",
            "RedNote",
            "glossary",
        )

        await pilot.press("b")
        book = app.screen
        assert isinstance(book, PhrasebookScreen)
        table = book.query_one(DataTable)
        assert table.row_count == 1
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[:3] == ["小红书", "xiǎohóngshū", "RedNote"]
        assert f"#{seq} 阿婷" in row[3] and "glossary" in row[3]
        await pilot.press("x")
        await wait_for(pilot, lambda: workshop.state.vocab == [])
        assert table.row_count == 0
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PhrasebookScreen)
    async with await Store.open(tui_settings.db) as store:
        assert await WorkshopRepo.of(store).vocab(session) == []


async def test_a_typed_word_with_my_own_translation(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        workshop = await ready(pilot)
        await pilot.press("escape")
        seq = await select(pilot, HELP_LINE)
        picker = await open_word_picker(pilot)
        picker.term.focus()
        await pilot.press(*"翻译君")
        await wait_for(pilot, lambda: picker.pinyin.value == "fānyì jūn")
        # In neither the glossary nor the dictionary: the stub's "machine" translation
        # is proposed (test_words: a dictionary word gets the dictionary's meaning).
        await wait_for(pilot, lambda: picker.translation.value == "(machine) 翻译君")
        picker.translation.focus()
        picker.translation.value = ""
        await pilot.press(*"the translator (a nickname)", "enter")
        await wait_for(pilot, lambda: len(workshop.state.vocab) == 1)
        (entry,) = workshop.state.vocab
        assert (entry.seq, entry.term, entry.pinyin) == (seq, "翻译君", "fānyì jūn")
        assert (entry.translation, entry.translation_source) == (
            "the translator (a nickname)",
            "user",
        )


# --- MT errors, pinyin, note -------------------------------------------------------------


async def test_mark_an_mt_error_with_a_note_then_remove_it(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    note = "小红书 became Little Red"
    async with app.run_test(size=SIZE) as pilot:
        workshop = await ready(pilot)
        await pilot.press("escape")
        seq = await select(pilot, HELP_LINE)
        await pilot.press("e")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*note, "enter")
        await wait_for(pilot, lambda: seq in workshop.state.marks)
        await pilot.pause()
        lines = card_lines(app.room_screen.log_view.cards[seq])
        header = next(i for i, line in enumerate(lines) if "@ating_8am" in line)
        assert f"⚑ interesting MT error · {note}" in lines[header + 1]  # under the header
        session = app.session_id
        assert session is not None
        async with await Store.open(tui_settings.db) as store:
            mark = await WorkshopRepo.of(store).mt_error(session, seq)
        assert mark is not None and mark.note == note

        await pilot.press("e")  # marked already: the note is there to edit, ^r removes
        screen = app.screen
        assert isinstance(screen, PromptScreen) and screen.input.value == note
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: seq not in workshop.state.marks)
        await pilot.pause()
        assert "interesting MT error" not in card_text(app, seq)
    async with await Store.open(tui_settings.db) as store:
        assert await WorkshopRepo.of(store).mt_errors(session) == []


async def test_lines_without_machine_translation_cannot_be_marked(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        workshop = await ready(pilot)
        await pilot.press("escape")
        await select(pilot, "Biscuit")  # English: its Chinese is the human reference
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, PromptScreen)
        assert workshop.state.marks == {}


async def test_pinyin_toggle_shows_tone_marks_under_chinese(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("escape")
        seq = await select(pilot, HELP_LINE)
        text = app.room_screen.model.messages[seq].text
        assert "jiùmìng" not in card_text(app, seq)
        await pilot.press("p")
        await wait_for(pilot, lambda: "jiùmìng" in card_text(app, seq))
        await pilot.pause()
        lines = card_text(app, seq).splitlines()
        expected = pinyin(text, workshop_of(app).segmenter())
        assert lines[lines.index(text) + 1] == expected
        # Tone marks, the polyphone read in context (一觉: jiào, not jué), words joined.
        assert expected.startswith("jiùmìng，yī jiào") and " wǒ de xiǎohóngshū " in expected
        assert "pinyin" in app.room_screen.header_bar.state.view
        # An English line with a hashtag in Chinese gets the word, not the sentence again.
        tagged = next(
            s
            for s in app.room_screen.log_view.cards
            if "#猫税" in app.room_screen.model.messages[s].text
            and app.room_screen.model.messages[s].lang == "en"
        )
        assert "猫税 māoshuì" in card_text(app, tagged).splitlines()
        await pilot.press("p")
        await pilot.pause()
        assert "jiùmìng" not in card_text(app, seq)


async def test_session_note_is_saved(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        workshop = await ready(pilot)
        await pilot.press("escape", "N")
        screen = app.screen
        assert isinstance(screen, NoteScreen)
        await pilot.press(*"Talk about 救命 next week", "enter", *"and the cat tax")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: workshop.state.note != "")
        await pilot.press("N")
        again = app.screen
        assert isinstance(again, NoteScreen)
        assert again.area.text == "Talk about 救命 next week\nand the cat tax"
        await pilot.press("escape")
        session = app.session_id
    assert session is not None
    async with await Store.open(tui_settings.db) as store:
        saved = await store.get_session(session)
    assert saved.note == "Talk about 救命 next week\nand the cat tax"


async def test_quitting_right_after_saving_keeps_the_write(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("escape", "N", *"last words", "ctrl+s", "q")
        await pilot.pause()
        session = app.session_id
    assert app.return_code == 0 and session is not None
    async with await Store.open(tui_settings.db) as store:
        assert (await store.get_session(session)).note == "last words"


# --- markers and replay ------------------------------------------------------------------


async def test_a_marker_dropped_live_is_found_by_seek_in_a_replay(tui_settings: Settings) -> None:
    live = workshop_app(tui_settings)
    async with live.run_test(size=SIZE) as pilot:
        workshop = await ready(pilot)
        live_room = live.room_screen.room
        assert isinstance(live_room, LiveRoom)
        await pilot.press("escape")
        marked = await select(pilot, HELP_LINE)
        await pilot.press("e", *"Little Red", "enter")
        await wait_for(pilot, lambda: marked in workshop.state.marks)
        await pilot.press("x")
        await wait_for(pilot, lambda: any(m.kind == "user" for m in live_room.markers))
        (marker,) = [m for m in live_room.markers if m.kind == "user"]
        assert marker.label.startswith("Marker at ")
        await wait_for(pilot, lambda: marker.seq in live.room_screen.log_view.cards)
        await pilot.pause()
        assert f"── ✦ {marker.label}" in card_text(live, marker.seq or 0)
        session = live.session_id

    replay = make_app(tui_settings, mode="replay", session=session, speed=1.0)
    async with replay.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(replay.room_screen.room, ReplayRoom))
        room = replay.room_screen.room
        assert isinstance(room, ReplayRoom)
        await pilot.press("space")  # pause at the start
        assert [m.label for m in room.recorded_markers if m.kind == "user"] == [marker.label]
        for _ in range(len(room.recorded_markers)):
            await pilot.press("greater_than_sign")
            await pilot.pause()
            if abs(replay.room_screen.clock.now() - marker.t) < 0.01:
                break
        assert abs(replay.room_screen.clock.now() - marker.t) < 0.01
        assert replay.room_screen.header_bar.state.mode == "REPLAY"
        # The aids load the session's marks in a replay too.
        await wait_for(pilot, lambda: marker.seq in replay.room_screen.log_view.cards)
        await wait_for(pilot, lambda: "⚑ interesting MT error" in card_text(replay, marked))
        assert f"── ✦ {marker.label}" in card_text(replay, marker.seq or 0)


async def test_the_aids_work_in_a_replay(recorded: Settings) -> None:
    app = make_app(recorded, mode="replay", session=REPLAY_SESSION, speed=MAX_SPEED)
    async with app.run_test(size=SIZE) as pilot:
        workshop = await ready(pilot)
        seq = await select(pilot, HELP_LINE)
        await pilot.press("p")
        await wait_for(pilot, lambda: "jiùmìng" in card_text(app, seq))
        await pilot.press("a", *"my answer", "enter")
        await wait_for(pilot, lambda: seq in workshop.state.answers)
        await pilot.press("x")  # a replay's marker is saved for the next replay
        await wait_for(
            pilot,
            lambda: any(
                "Marker at" in m.label for ms in app.room_screen.model.markers.values() for m in ms
            ),
        )
    async with await Store.open(recorded.db) as store:
        answers = await WorkshopRepo.of(store).quiz_answers(REPLAY_SESSION)
        markers = await store.markers(REPLAY_SESSION)
    assert [a.answer for a in answers] == ["my answer"]
    assert next(m.label for m in markers if m.kind == "user").startswith("Marker at")


async def test_a_marker_dropped_in_a_replay_survives_a_seek_and_stops_greater_than(
    recorded: Settings,
) -> None:
    app = make_app(recorded, mode="replay", session=REPLAY_SESSION, speed=MAX_SPEED)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)  # played to the end: the clock stands still there
        room = app.room_screen.room
        assert isinstance(room, ReplayRoom)
        scenario_markers = sorted(m.t for m in room.recorded_markers)
        # Halfway between two chapter markers, on a whole second (what g takes).
        middle = int((scenario_markers[1] + scenario_markers[2]) / 2)
        await pilot.press("g", *str(middle), "enter")
        await wait_for(pilot, lambda: abs(app.room_screen.clock.now() - middle) < 0.01)
        await pilot.press("x")

        def dropped() -> list[Marker]:
            return [
                m for ms in app.room_screen.model.markers.values() for m in ms if m.kind == "user"
            ]

        await wait_for(pilot, lambda: bool(dropped()))
        (marker,) = dropped()
        assert abs(marker.t - middle) < 0.01

        await pilot.press("g", *"0", "enter")  # back before it: not shown yet
        await wait_for(pilot, lambda: app.room_screen.clock.now() < 0.01)
        await pilot.pause()
        assert dropped() == []
        await pilot.press("g", *str(middle + 1), "enter")  # past it again: still there
        await wait_for(pilot, lambda: bool(dropped()))
        assert dropped() == [marker]

        await pilot.press("g", *"0", "enter")
        await wait_for(pilot, lambda: app.room_screen.clock.now() < 0.01)
        stops = []
        for _ in range(len(scenario_markers) + 1):
            await pilot.press("greater_than_sign")
            await pilot.pause()
            stops.append(app.room_screen.clock.now())
            if app.room_screen.clock.now() >= marker.t - 0.01:
                break
        # > stops at the chapter markers before it, then at the dropped one.
        assert [round(t, 2) for t in stops] == [
            *(round(t, 2) for t in scenario_markers if t < marker.t),
            round(marker.t, 2),
        ]
        assert marker.seq is not None
        await wait_for(pilot, lambda: marker.seq in app.room_screen.log_view.cards)
        await pilot.pause()
        assert f"── ✦ {marker.label}" in card_text(app, marker.seq)


# --- focus model, layout, registry -------------------------------------------------------


async def test_single_keys_type_in_the_composer(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.focused, Composer)
        before = visible(app)
        keys = "psehvVawbNxP"
        await pilot.press(*keys)
        await pilot.pause()
        assert isinstance(app.focused, Composer) and app.focused.value == keys
        assert visible(app) == before
        assert app.screen is app.screen_stack[0]  # no dialog opened


async def test_projector_layout_hides_members_and_status(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.room_screen.members.display and app.room_screen.status.display
        seq = next(iter(app.room_screen.log_view.cards))
        handle = app.room_screen.renderer.personas[
            app.room_screen.model.messages[seq].persona
        ].handle
        assert handle in card_text(app, seq)
        await pilot.press("escape", "P")
        await pilot.pause()
        assert not app.room_screen.members.display and not app.room_screen.status.display
        assert app.room_screen.log_view.has_class("-projector")
        assert handle not in card_text(app, seq)
        await pilot.press("P")
        await pilot.pause()
        assert app.room_screen.members.display and app.room_screen.status.display
        assert handle in card_text(app, seq)


async def test_help_palette_and_header_know_the_workshop(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.room_screen.header_bar.state.mode == "WORKSHOP"
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for action in workshop_of(app).actions():
            assert action.title in titles
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys").render())
        assert "Quiz: hide translations until revealed" in keys
        assert "Phrasebook: saved words" in keys
        await pilot.press("escape", "escape")
        labels = [label for _, label, _ in hints("live", composer=False, actions=app.room_actions)]
        assert labels[:4] == ["type", "pause", "move", "marker"]


@pytest.mark.parametrize("mode", ["live", "replay"])
def test_workshop_keys_are_free(mode: str) -> None:
    from rednote_sim.tui.app import merge_actions

    actions = merge_actions(Workshop(live_first=mode == "live").actions())
    keys = Counter(
        key.strip()
        for action in actions_for(mode, actions)  # type: ignore[arg-type]
        for field in (action.keys, action.anywhere)
        for key in field.split(",")
        if key.strip()
    )
    assert [k for k, n in keys.items() if n > 1] == []
    names = [a.name for a in actions]
    assert len(names) == len(set(names))  # the marker key replaced the palette-only action
