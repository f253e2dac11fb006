"""Reading back while messages arrive: Home/End and PageUp/PageDown, live and in replay.

The sequence that crashed the room (issue 8, item 1): in keys mode, scroll away
from the bottom, let a message arrive, scroll back to the bottom. Reaching the
bottom switches the log to following, which used to re-anchor it (a scroll)
from inside Textual's animator tick: ``KeyError: (…, 'scroll_y')``.

With animations off (``TEXTUAL_ANIMATIONS=none``, a setting users have) the last
frame of a scroll is its only frame, so the crash happened on the first cycle;
with animations on it happened whenever a frame came late (a busy machine).
Both levels are checked: nothing here depends on timing.
"""

from __future__ import annotations

from functools import partial

import pytest
from textual import events
from textual.pilot import Pilot

from rednote_sim.settings import Settings
from rednote_sim.tui import RoomApp, make_app
from tests.functional.tui.fakes import stub_translator
from tests.functional.tui.helpers import wait_for

SIZE = (100, 30)
CYCLES = 4
LEVELS = ["none", "full"]


def at_bottom(app: RoomApp) -> bool:
    log = app.room_screen.log_view
    return log.scroll_y >= log.max_scroll_y - 1


def shown_at_least(app: RoomApp, count: int) -> bool:
    return len(app.room_screen.model) >= count or not app.is_running


async def arrive(app: RoomApp, pilot: Pilot[int], count: int = 1) -> None:
    """``count`` more messages arrive (``]`` plays the next one; the clock is paused)."""
    for _ in range(count):
        target = len(app.room_screen.model) + 1
        await pilot.press("right_square_bracket")
        await wait_for(pilot, partial(shown_at_least, app, target))
        assert app.is_running, "the room crashed"


async def press(app: RoomApp, pilot: Pilot[int], *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()
    assert app.is_running, f"the room crashed on {keys}"


async def read_back_cycles(app: RoomApp, pilot: Pilot[int]) -> None:
    """Home/End and PageUp/PageDown cycles, a message arriving in each."""
    log = app.room_screen.log_view
    for _ in range(CYCLES):
        await press(app, pilot, "home")
        assert not log.following
        await arrive(app, pilot)
        assert log.unseen == 1
        await press(app, pilot, "end")
        assert log.following and log.unseen == 0 and at_bottom(app)

        await press(app, pilot, "pageup")
        assert not log.following
        await arrive(app, pilot)
        for _ in range(10):  # a page down at a time, back to the bottom
            if log.following:
                break
            await press(app, pilot, "pagedown")
        assert log.following and log.unseen == 0 and at_bottom(app)
        await arrive(app, pilot)
        await pilot.pause()
        assert at_bottom(app)  # following: the new message scrolled into view


def paused_live_app(settings: Settings, animations: str) -> RoomApp:
    """A live room at ``animations`` level whose clock waits for ``]``."""
    app = make_app(settings, seed=3, speed=1.0, translator=stub_translator())
    app.animation_level = animations  # type: ignore[assignment]
    app.room_screen.clock.pause()
    return app


async def keys_mode_with_messages(app: RoomApp, pilot: Pilot[int]) -> None:
    """Open the room, switch to keys mode and let 12 messages arrive."""
    await wait_for(pilot, lambda: app.room_screen.room is not None)
    await pilot.press("escape")
    await arrive(app, pilot, 12)


@pytest.mark.parametrize("animations", LEVELS)
async def test_home_end_and_page_cycles_while_messages_arrive_live(
    tui_settings: Settings, animations: str
) -> None:
    app = paused_live_app(tui_settings, animations)
    async with app.run_test(size=SIZE) as pilot:
        await keys_mode_with_messages(app, pilot)
        await read_back_cycles(app, pilot)
        assert app.is_running


@pytest.mark.parametrize("animations", LEVELS)
async def test_home_end_and_page_cycles_while_messages_arrive_in_replay(
    recorded: Settings, animations: str
) -> None:
    app = make_app(recorded, mode="replay", session="latest", speed=1.0)
    app.animation_level = animations  # type: ignore[assignment]
    app.room_screen.clock.pause()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.room_screen.room is not None)
        await arrive(app, pilot, 12)  # a replay has no composer: keys work at once
        await read_back_cycles(app, pilot)
        assert app.is_running


async def keys_at_once(app: RoomApp, pilot: Pilot[int], *keys: str) -> None:
    """Keys that reach the app in one read, before it draws (a fast hand, tmux send-keys)."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        driver.send_message(events.Key(key, None))
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("animations", LEVELS)
async def test_end_right_after_home_ends_at_the_bottom(
    tui_settings: Settings, animations: str
) -> None:
    app = paused_live_app(tui_settings, animations)
    async with app.run_test(size=SIZE) as pilot:
        await keys_mode_with_messages(app, pilot)
        log = app.room_screen.log_view
        await keys_at_once(app, pilot, "home", "end")
        await wait_for(pilot, lambda: log.following and at_bottom(app))
        await pilot.pause()
        assert log.following and at_bottom(app), "the Home before End won"
        await keys_at_once(app, pilot, "end", "home")
        await wait_for(pilot, lambda: log.scroll_y == 0)
        assert not log.following
