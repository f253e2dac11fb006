"""Pilot tests of a replay: REPLAY mode, stored translations, pause/speed/step/seek/idle cap."""

from __future__ import annotations

from rednote_sim.domain.terms import format_time
from rednote_sim.settings import Settings
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.store import Store
from rednote_sim.tui import RoomApp, make_app
from rednote_sim.tui.screens.seek import SeekScreen
from rednote_sim.tui.widgets.chatlog import ChatLog
from rednote_sim.tui.widgets.composer import Composer
from tests.functional.tui.fakes import STUB_ENGINE
from tests.functional.tui.helpers import REPLAY_SESSION, record_live, settle, wait_for

SIZE = (100, 30)


def replay_app(settings: Settings, *, speed: float = MAX_SPEED) -> RoomApp:
    return make_app(settings, mode="replay", session="latest", speed=speed, idle_cap=5.0)


def shown(app: RoomApp) -> int:
    return len(app.room_screen.model)


async def test_replay_shows_stored_translations_without_a_translator(recorded: Settings) -> None:
    app = replay_app(recorded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.source.translator is None  # nothing is re-translated
        assert isinstance(app.focused, ChatLog)  # no composer: single keys work at once
        assert not app.query(Composer)
        assert "■ ENDED" in header(app)  # played to its end (at max speed)
        assert REPLAY_SESSION in app.room_screen.status.scenario
        assert app.room_screen.status.models == "stored translations"
        engines = {
            m.translation.engine for m in app.room_screen.model.messages.values() if m.translation
        }
        assert STUB_ENGINE in engines and "script" in engines
        zh = next(
            s
            for s in app.room_screen.log_view.cards
            if app.room_screen.model.messages[s].lang == "zh"
        )
        assert "machine · Argos stub-zh_en 1.0" in app.room_screen.log_view.cards[zh].plain


async def test_step_back_and_forward_one_message(recorded: Settings) -> None:
    app = replay_app(recorded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        total = shown(app)
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: shown(app) == total - 1)
        assert app.room_screen.clock.paused
        assert "PAUSED" in str(app.query_one("#header").render())
        await pilot.press("left_square_bracket", "left_square_bracket")
        await wait_for(pilot, lambda: shown(app) == total - 3)
        assert len(app.room_screen.log_view.cards) == total - 3
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: shown(app) == total - 2)
        assert app.room_screen.clock.paused


async def test_g_seeks_to_a_typed_time(recorded: Settings) -> None:
    app = replay_app(recorded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space")  # paused, so the position stays where we put it
        await pilot.press("g")
        assert isinstance(app.screen, SeekScreen)
        await pilot.press(*"nonsense", "enter")
        assert isinstance(app.screen, SeekScreen)  # a bad time is explained, not applied
        app.screen.query_one("#seek-input").value = ""  # type: ignore[attr-defined]
        await pilot.press(*"1:00", "enter")
        assert not isinstance(app.screen, SeekScreen)
        await wait_for(pilot, lambda: abs(app.room_screen.clock.now() - 60.0) < 0.01)
        await pilot.pause()
        assert app.room_screen.model.messages
        assert max(m.t for m in app.room_screen.model.messages.values()) <= 60.0
        await pilot.press("g", *"30", "enter")  # plain seconds work too
        await wait_for(pilot, lambda: abs(app.room_screen.clock.now() - 30.0) < 0.01)
        await pilot.press("g", "escape")
        assert not isinstance(app.screen, SeekScreen)


async def test_greater_than_seeks_to_the_next_marker(recorded: Settings) -> None:
    app = replay_app(recorded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "g", *"0:00", "enter")
        await wait_for(pilot, lambda: shown(app) == 0)
        room = app.room_screen.room
        assert room is not None
        target = room.next_marker_time()
        assert target is not None
        await pilot.press("greater_than_sign")
        await wait_for(pilot, lambda: app.room_screen.clock.now() >= target)


async def test_c_cycles_the_idle_cap(recorded: Settings) -> None:
    app = replay_app(recorded, speed=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.room_screen.room is not None)
        assert app.room_screen.clock.idle_cap == 5.0
        assert "idle cap 5s" in app.room_screen.status.note
        seen = []
        for _ in range(5):
            await pilot.press("c")
            seen.append(app.room_screen.clock.idle_cap)
        assert seen == [10.0, 30.0, None, 2.0, 5.0]


async def test_speed_and_pause_in_replay(recorded: Settings) -> None:
    app = replay_app(recorded, speed=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.room_screen.room is not None)
        await pilot.press("space")  # paused, so max speed does not play it to the end
        assert app.room_screen.clock.paused
        assert "REPLAY · PAUSED" in header(app)
        await pilot.press("plus", "plus", "plus", "plus")
        assert app.room_screen.clock.speed == 16.0
        await pilot.press("plus")
        assert "max" in header(app)
        await pilot.press("minus", "minus", "minus", "minus", "minus", "minus", "minus")
        assert app.room_screen.clock.speed == 0.25
        await pilot.press("space")
        assert not app.room_screen.clock.paused


async def test_unknown_session_exits_with_the_store_error(recorded: Settings) -> None:
    app = make_app(recorded, mode="replay", session="nope")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: not app.is_running)
    assert app.startup_error is not None
    assert "session 'nope' not found" in str(app.startup_error)
    assert app.return_code == 2


async def test_latest_on_an_empty_database_says_what_to_do(tui_settings: Settings) -> None:
    app = make_app(tui_settings, mode="replay")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: not app.is_running)
    assert "no recorded sessions yet" in str(app.startup_error)


async def test_unknown_scenario_names_the_available_ones(tui_settings: Settings) -> None:
    app = make_app(tui_settings, mode="live", scenario="nope")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: not app.is_running)
    assert "unknown scenario 'nope'" in str(app.startup_error)
    assert "arrival" in str(app.startup_error)


# --- the end of a replay -----------------------------------------------------------------


def header(app: RoomApp) -> str:
    return str(app.query_one("#header").render())


async def test_the_end_stops_the_clock_says_ended_and_shows_final_reactions(
    tui_settings: Settings,
) -> None:
    live = await record_live(tui_settings)
    async with await Store.open(tui_settings.db) as store:
        length = (await store.get_session(REPLAY_SESSION)).duration  # what `sessions` shows
    app = replay_app(tui_settings, speed=4.0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.room_screen.room is not None)
        await pilot.press("g", *format_time(length - 1.5), "enter")  # 1.5 s before the end
        await wait_for(pilot, lambda: app.room_screen.finished)
        await pilot.pause(0.5)  # at 4x the clock would have run 2 s past the end
        assert app.room_screen.clock.now() == length
        assert app.room_screen.clock.paused
        # The header's length is the one `sessions` shows.
        assert f"{format_time(length)} / {format_time(length)}" in header(app)
        assert "ENDED" in header(app) and "REPLAY" not in header(app)
        assert "end of the recording" in app.room_screen.status.note
        # Every card has the live run's final counts, in the order the live run showed them.
        assert app.room_screen.model.reactions == live.reactions
        for seq, totals in live.reactions.items():
            assert list(app.room_screen.model.reactions[seq]) == list(totals)
        last = max(live.reactions)
        chips = "   ".join(f"{e} {n}" for e, n in live.reactions[last].items())
        assert chips in app.room_screen.log_view.cards[last].plain

        await pilot.press("greater_than_sign")  # nothing ahead: the clock stays at the end
        await pilot.pause()
        assert app.room_screen.clock.now() == length

        await pilot.press("space")  # the end: space plays it again from the start
        await wait_for(
            pilot, lambda: not app.room_screen.finished and len(app.room_screen.model) < 5
        )
        assert not app.room_screen.clock.paused and app.room_screen.clock.now() < length / 2
        assert "ENDED" not in header(app) and "REPLAY" in header(app)


async def test_seeking_past_the_end_is_the_end(recorded: Settings) -> None:
    async with await Store.open(recorded.db) as store:
        length = (await store.get_session(REPLAY_SESSION)).duration
    app = replay_app(recorded, speed=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.room_screen.room is not None)
        await pilot.press("g", *"99:00", "enter")
        await wait_for(pilot, lambda: app.room_screen.finished)
        await pilot.pause()
        assert app.room_screen.clock.now() == length
        assert "ENDED" in header(app)
        await pilot.press("g", *"1:00", "enter")  # back into the recording: paused there
        await wait_for(pilot, lambda: not app.room_screen.finished)
        await pilot.pause()
        assert app.room_screen.clock.now() == 60.0 and app.room_screen.clock.paused
        assert "ENDED" not in header(app) and "PAUSED" in header(app)
        await pilot.press("g", *"99:00", "enter")  # and the end again
        await wait_for(pilot, lambda: app.room_screen.finished)
        assert app.room_screen.clock.now() == length
