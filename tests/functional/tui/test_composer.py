"""The composer under fast input: bursts of keys, pastes, Enter right behind them.

A terminal delivers a fast typist, an unbracketed paste or ``tmux send-keys``
as key events back to back. These tests post them to the app the way the
terminal driver does, all at once, without waiting between keys (Pilot's
``press`` waits for the app to go idle after every key, which hides the race).
"""

from __future__ import annotations

from textual import events

from rednote_sim.domain import USER_PERSONA_ID
from rednote_sim.settings import Settings
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.tui import RoomApp, make_app
from rednote_sim.tui.widgets.composer import Composer
from tests.functional.tui.fakes import stub_translator
from tests.functional.tui.helpers import burst, settle, wait_for

SIZE = (100, 30)


def live_app(settings: Settings) -> RoomApp:
    return make_app(settings, seed=3, speed=MAX_SPEED, translator=stub_translator())


def mine(app: RoomApp) -> list[str]:
    return [m.text for m in app.room_screen.model.messages.values() if m.persona == USER_PERSONA_ID]


async def test_enter_right_after_a_burst_sends_everything_typed(tui_settings: Settings) -> None:
    app = live_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        composer = app.query_one(Composer)
        burst(app, "hello from Ohio, is anyone awake? 你好\r")
        await wait_for(pilot, lambda: bool(mine(app)))
        await pilot.pause()
        assert mine(app) == ["hello from Ohio, is anyone awake? 你好"]
        assert composer.value == ""

        burst(app, "second one\rthird one\r")  # two messages in one burst
        await wait_for(pilot, lambda: len(mine(app)) == 3)
        await pilot.pause()
        assert mine(app)[1:] == ["second one", "third one"]
        assert composer.value == ""


async def test_a_bracketed_paste_does_not_keep_its_trailing_newline(
    tui_settings: Settings,
) -> None:
    app = live_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        composer = app.query_one(Composer)
        app.post_message(events.Paste("copied from somewhere\n"))
        await pilot.pause()
        assert composer.value == "copied from somewhere"
        burst(app, "\r")
        await wait_for(pilot, lambda: bool(mine(app)))
        assert mine(app) == ["copied from somewhere"]

        # Lines inside a paste stay; the line ending at its end goes (CRLF too).
        app.post_message(events.Paste("first line\r\nsecond line\r\n"))
        await pilot.pause()
        assert composer.value == "first line\nsecond line"
        burst(app, "\r")
        await wait_for(pilot, lambda: len(mine(app)) == 2)
        assert mine(app)[1] == "first line\nsecond line"
