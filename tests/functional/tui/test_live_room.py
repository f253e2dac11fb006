"""Pilot tests of a live room: the composer, the focus model and every binding."""

from __future__ import annotations

import asyncio
import math
import threading

from textual.widgets import Input

from rednote_sim.domain import USER_PERSONA_ID
from rednote_sim.settings import Settings
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.store import Store
from rednote_sim.tui import RoomApp, make_app
from rednote_sim.tui.screens.help import HelpScreen
from rednote_sim.tui.widgets.chatlog import ChatLog
from rednote_sim.tui.widgets.composer import Composer
from rednote_sim.tui.widgets.members import MemberList
from rednote_sim.tui.widgets.search import SearchBar
from tests.functional.tui.fakes import STUB_ENGINE, stub_translator
from tests.functional.tui.helpers import card_lines, settle, wait_for

SIZE = (100, 30)


def live_app(settings: Settings, *, speed: float = MAX_SPEED, seed: int = 3) -> RoomApp:
    return make_app(settings, mode="live", seed=seed, speed=speed, translator=stub_translator())


def view_mode(app: RoomApp) -> str:
    return app.room_screen.renderer.options.mode


def reader(app: RoomApp) -> str:
    return app.room_screen.renderer.options.reader


def texts(app: RoomApp) -> list[str]:
    return [m.text for m in app.room_screen.model.messages.values()]


def card_text(app: RoomApp, seq: int) -> str:
    """The card's text (unwrapped); what is drawn is checked with ``card_lines``."""
    return app.room_screen.log_view.cards[seq].plain


async def test_first_frame_shows_the_room_before_anything_is_open(tui_settings: Settings) -> None:
    app = live_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        # The room is composed before the store, the content or the models are open.
        assert app.query_one("#log", ChatLog)
        assert isinstance(app.focused, Composer)
        await settle(pilot)
        assert app.room_screen.room is not None
        assert "Argos zh→en ✓" in app.room_screen.status.models
        assert "en→zh: human ref" in app.room_screen.status.models


async def test_input_works_while_models_load_and_translations_are_pending(
    tui_settings: Settings,
) -> None:
    gate, warm_gate = asyncio.Event(), threading.Event()
    translator = stub_translator(gate=gate, loading=warm_gate)
    app = make_app(tui_settings, speed=MAX_SPEED, seed=3, translator=translator)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.room_screen.finished)
        assert "Argos zh→en loading…" in app.room_screen.status.models
        zh = next(
            s
            for s in app.room_screen.log_view.cards
            if app.room_screen.model.messages[s].lang == "zh"
        )
        assert "⤷ translating…" in card_text(app, zh)
        # The model is "loading" and every translation is held: typing still works.
        await pilot.press(*"hello while loading", "enter")
        await wait_for(pilot, lambda: "hello while loading" in texts(app))
        await pilot.press("escape", "t", "t", "t", "i")
        assert isinstance(app.focused, Composer)
        warm_gate.set()
        gate.set()
        await wait_for(
            pilot, lambda: all(m.translated for m in app.room_screen.model.messages.values())
        )
        await wait_for(pilot, lambda: "Argos zh→en ✓" in app.room_screen.status.models)
        await pilot.pause()
        assert "translating…" not in card_text(app, zh)
        assert "machine · Argos stub-zh_en 1.0" in card_text(app, zh)


async def test_typing_single_key_letters_types_them(tui_settings: Settings) -> None:
    app = live_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.room_screen.renderer.options
        await pilot.press("t", "l", "q", "question_mark", "space", "m", "slash", "plus")
        composer = app.query_one(Composer)
        assert composer.value == "tlq? m/+"
        assert app.room_screen.renderer.options == before  # no view change, no quit, no help
        assert not isinstance(app.screen, HelpScreen)
        assert not app.room_screen.clock.paused
        assert app.is_running


async def test_composer_posts_stores_translates_and_responders_answer(
    tui_settings: Settings,
) -> None:
    app = live_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        count = len(app.room_screen.model)
        await pilot.press(*"hi, TikTok refugee here")
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(app.room_screen.model) >= count + 2)  # mine + an answer
        mine = app.room_screen.model.messages[count + 1]
        assert mine.persona == USER_PERSONA_ID and mine.text == "hi, TikTok refugee here"
        assert app.query_one(Composer).value == ""
        await wait_for(pilot, lambda: app.room_screen.model.messages[count + 1].translated)
        await pilot.pause()
        assert "hi, TikTok refugee here" in card_text(app, count + 1)
        answer = app.room_screen.model.messages[count + 2]
        assert answer.reply_to == mine.seq
        await wait_for(pilot, lambda: app.room_screen.model.messages[count + 2].translated)
        await pilot.pause()
        assert "↳ You: hi, TikTok refugee here" in card_text(app, count + 2)
        session = app.session_id
    assert session is not None
    async with await Store.open(tui_settings.db) as store:
        stored = await store.messages(session)
    assert stored[count].text == "hi, TikTok refugee here"


async def test_empty_and_whitespace_input_is_ignored(tui_settings: Settings) -> None:
    app = live_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        count = len(app.room_screen.model)
        await pilot.press("enter")
        await pilot.press("space", "space", "tab")
        app.query_one(Composer).focus()
        app.query_one(Composer).value = "  \t  "
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert len(app.room_screen.model) == count


async def test_escape_goes_to_keys_mode_and_i_or_enter_back(tui_settings: Settings) -> None:
    app = live_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        assert isinstance(app.focused, ChatLog)
        hints = str(app.query_one("#hints").render())
        assert "space pause" in hints and "t view" in hints
        await pilot.press("i")
        assert isinstance(app.focused, Composer)
        hints = str(app.query_one("#hints").render())
        assert "^s pause" in hints and "esc keys" in hints
        await pilot.press("escape", "enter")
        assert isinstance(app.focused, Composer)
        assert app.query_one(Composer).value == ""


async def test_space_and_ctrl_s_pause_and_resume(tui_settings: Settings) -> None:
    app = live_app(tui_settings, speed=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.room_screen.room is not None)
        await pilot.press("ctrl+s")
        assert app.room_screen.clock.paused
        await pilot.pause()
        assert "PAUSED" in str(app.query_one("#header").render())
        await pilot.press("ctrl+s")
        assert not app.room_screen.clock.paused
        await pilot.press("escape", "space")
        assert app.room_screen.clock.paused
        await pilot.press("space")
        assert not app.room_screen.clock.paused


async def test_plus_minus_and_ctrl_arrows_change_speed(tui_settings: Settings) -> None:
    app = live_app(tui_settings, speed=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape", "plus")
        assert app.room_screen.clock.speed == 2.0
        await pilot.press("equals_sign")
        assert app.room_screen.clock.speed == 4.0
        await pilot.press("minus", "minus", "minus")
        assert app.room_screen.clock.speed == 0.5
        await pilot.press("i", "ctrl+up")
        assert app.room_screen.clock.speed == 1.0
        await pilot.press("ctrl+down")
        assert app.room_screen.clock.speed == 0.5
        assert "0.5x" in str(app.query_one("#header").render())
        for _ in range(10):
            await pilot.press("ctrl+up")
        assert math.isinf(app.room_screen.clock.speed)
        assert "max" in str(app.query_one("#header").render())


async def test_t_cycles_the_view_and_l_switches_the_reader(tui_settings: Settings) -> None:
    app = live_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        zh = next(
            s
            for s in app.room_screen.log_view.cards
            if app.room_screen.model.messages[s].lang == "zh"
        )
        en = next(
            s
            for s in app.room_screen.log_view.cards
            if app.room_screen.model.messages[s].lang == "en"
        )
        zh_text, zh_translation = (
            app.room_screen.model.messages[zh].text,
            app.room_screen.model.messages[zh].translation,
        )
        assert zh_translation is not None
        assert zh_translation.text in card_text(app, zh)
        assert any(
            "⤷ Help, I woke up" in line for line in card_lines(app.room_screen.log_view.cards[zh])
        )
        assert "machine · Argos stub-zh_en 1.0" in card_text(app, zh)
        await pilot.press("escape", "t")  # original only
        await pilot.pause()
        assert view_mode(app) == "original"
        assert "machine" not in card_text(app, zh)
        await pilot.press("t")  # translation only
        await pilot.pause()
        assert "translated from 中文" in card_text(app, zh)
        assert zh_text[:6] not in card_text(app, zh)
        await pilot.press("t")  # both again
        await pilot.pause()
        assert view_mode(app) == "both"
        assert "human reference" not in card_text(app, en)
        await pilot.press("l")  # a Chinese reader: English messages get translated
        await pilot.pause()
        assert reader(app) == "zh"
        assert "human reference" in card_text(app, en)
        assert "machine" not in card_text(app, zh)
        await pilot.press("i", "ctrl+l", "ctrl+t")
        assert reader(app) == "en"
        assert view_mode(app) == "original"


async def test_r_shows_the_human_reference_under_machine_output(tui_settings: Settings) -> None:
    app = live_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        zh = next(
            s
            for s in app.room_screen.log_view.cards
            if app.room_screen.model.messages[s].lang == "zh"
        )
        assert app.room_screen.model.messages[zh].translation is not None
        assert app.room_screen.model.messages[zh].translation.engine == STUB_ENGINE  # type: ignore[union-attr]
        await pilot.press("escape", "r")
        await pilot.pause()
        assert "≈ " in card_text(app, zh) and "human reference" in card_text(app, zh)


async def test_search_finds_older_messages_and_escape_closes(tui_settings: Settings) -> None:
    app = live_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape", "slash")
        search = app.query_one(SearchBar)
        assert search.display and isinstance(app.focused, Input)
        await pilot.press(*"cat tax")
        await wait_for(pilot, lambda: app.room_screen.search_matches is not None)
        matches = app.room_screen.search_matches
        # Author, text, translation and reference are searched, in any case.
        expected = [
            seq
            for seq, m in sorted(app.room_screen.model.messages.items())
            if "cat tax"
            in f"{m.name} {m.text} {m.translation.text if m.translation else ''} "
            f"{m.reference or ''}".casefold()
        ]
        assert matches == expected and len(matches) >= 2
        await pilot.press("enter")
        await pilot.pause()
        assert app.room_screen.log_view.selected == matches[-1]
        await pilot.press("enter")
        assert app.room_screen.log_view.selected == matches[-2]
        await pilot.press("down")
        assert app.room_screen.log_view.selected == matches[-1]
        assert "/ " in str(app.query_one("#search-count").render())
        await pilot.press("escape")
        assert not search.display
        assert isinstance(app.focused, ChatLog)
        await pilot.press("i", "ctrl+f")
        assert search.display


async def test_j_k_move_between_messages_and_n_jumps_to_newest(tui_settings: Settings) -> None:
    app = live_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        last = app.room_screen.model.order[-1]
        await pilot.press("escape", "k")
        assert app.room_screen.log_view.selected == last
        await pilot.press("k", "k")
        assert app.room_screen.log_view.selected == app.room_screen.model.order[-3]
        card = app.room_screen.log_view.cards[app.room_screen.model.order[-3]]
        assert card.has_class("-selected")
        await pilot.press("j")
        assert app.room_screen.log_view.selected == app.room_screen.model.order[-2]
        assert not card.has_class("-selected")
        await pilot.press("n")
        assert app.room_screen.log_view.selected is None
        assert app.room_screen.log_view.following
        await pilot.press("k", "i", "ctrl+n")
        assert app.room_screen.log_view.selected is None


async def test_m_and_ctrl_b_toggle_the_member_list(tui_settings: Settings) -> None:
    app = live_app(tui_settings, speed=1.0)
    async with app.run_test(size=SIZE) as pilot:
        members = app.query_one(MemberList)
        assert members.display  # 100 columns: shown
        await pilot.press("escape", "m")
        assert not members.display
        await pilot.press("i", "ctrl+b")
        assert members.display


async def test_members_hidden_at_start_on_a_narrow_terminal(tui_settings: Settings) -> None:
    app = live_app(tui_settings, speed=1.0)
    async with app.run_test(size=(80, 24)):
        assert not app.query_one(MemberList).display


async def test_question_mark_and_f1_open_help_and_escape_closes(tui_settings: Settings) -> None:
    app = live_app(tui_settings, speed=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("t")  # keys of the room do nothing under the help screen
        assert view_mode(app) == "both"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")
        assert not isinstance(app.screen, HelpScreen)


async def test_d_switches_light_and_dark(tui_settings: Settings) -> None:
    app = live_app(tui_settings, speed=1.0)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "rednote-dark"
        await pilot.press("escape", "d")
        assert app.theme == "rednote-light"
        await pilot.press("d")
        assert app.theme == "rednote-dark"


async def test_step_forward_plays_the_next_message_while_paused(tui_settings: Settings) -> None:
    app = live_app(tui_settings, speed=1.0)
    app.room_screen.clock.pause()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.room_screen.room is not None)
        await pilot.pause(0.2)
        assert len(app.room_screen.model) == 0
        await pilot.press("escape", "right_square_bracket")
        await wait_for(pilot, lambda: len(app.room_screen.model) == 1)
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: len(app.room_screen.model) == 2)
        assert app.room_screen.clock.paused


async def test_greater_than_skips_to_the_next_marker(tui_settings: Settings) -> None:
    app = live_app(tui_settings, speed=1.0)
    app.room_screen.clock.pause()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.room_screen.room is not None)
        room = app.room_screen.room
        assert room is not None
        target = room.next_marker_time()
        assert target is not None
        await pilot.press("escape", "greater_than_sign")
        await wait_for(pilot, lambda: bool(app.room_screen.model.markers))
        assert app.room_screen.clock.now() >= target
        marked = next(iter(app.room_screen.model.markers))
        assert "── ✦ " in app.room_screen.log_view.cards[marked].plain


async def test_q_quits(tui_settings: Settings) -> None:
    app = live_app(tui_settings, speed=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape", "q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


async def test_ctrl_q_quits_from_the_composer(tui_settings: Settings) -> None:
    app = live_app(tui_settings, speed=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_every_action_is_in_the_command_palette(tui_settings: Settings) -> None:
    app = live_app(tui_settings, speed=1.0)
    async with app.run_test(size=SIZE) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for name in ("Pause / resume", "Search the log", "Show / hide the member list"):
            assert name in titles
        assert "Step one message back" not in titles  # replay only
        await pilot.press("ctrl+p")
        await pilot.press(*"Pause / resume")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.room_screen.clock.paused)


async def test_the_session_is_closed_and_the_translator_too_on_exit(
    tui_settings: Settings,
) -> None:
    translator = stub_translator()
    app = make_app(tui_settings, speed=MAX_SPEED, translator=translator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert translator.closed
    assert app.source.store is None
