"""Auto-scroll only at the bottom; otherwise a "N new messages" marker that jumps down."""

from __future__ import annotations

from functools import partial

import pytest
from textual.pilot import Pilot

from rednote_sim.settings import Settings
from rednote_sim.tui import RoomApp, make_app
from rednote_sim.tui.widgets.bars import ActivityBar
from tests.functional.tui.fakes import stub_translator
from tests.functional.tui.helpers import wait_for

SIZE = (100, 30)


def paused_app(settings: Settings) -> RoomApp:
    app = make_app(settings, seed=3, speed=1.0, translator=stub_translator())
    app.room_screen.clock.pause()
    return app


def at_bottom(app: RoomApp) -> bool:
    log = app.room_screen.log_view
    return log.scroll_y >= log.max_scroll_y - 1


async def step(app: RoomApp, pilot: Pilot[int], count: int) -> None:
    """Play ``count`` more messages with ``]`` (the clock is paused)."""
    for _ in range(count):
        target = len(app.room_screen.model) + 1
        await pilot.press("right_square_bracket")
        await wait_for(pilot, partial(shown_at_least, app, target))


def shown_at_least(app: RoomApp, count: int) -> bool:
    return len(app.room_screen.model) >= count


async def test_follows_at_the_bottom_and_counts_new_messages_when_scrolled_up(
    tui_settings: Settings,
) -> None:
    app = paused_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.room_screen.room is not None)
        await pilot.press("escape")
        await step(app, pilot, 12)
        await pilot.pause()
        log = app.room_screen.log_view
        assert log.max_scroll_y > 0  # more than a screenful
        assert log.following and at_bottom(app)

        unseen = app.query_one(ActivityBar).query_one("#unseen")
        assert not unseen.display
        await pilot.press("k", "k", "k", "k", "k", "k")  # read back: stop following
        await pilot.pause()
        assert not log.following
        scroll = log.scroll_y
        await step(app, pilot, 3)
        await pilot.pause()
        assert log.scroll_y == scroll  # the view did not move under the reader
        assert log.unseen == 3
        assert unseen.display
        assert "3 new messages" in str(unseen.render())

        await pilot.press("n")
        await pilot.pause()
        assert log.following and log.unseen == 0 and not unseen.display
        assert at_bottom(app)
        await step(app, pilot, 2)
        await pilot.pause()
        assert at_bottom(app) and log.unseen == 0


@pytest.mark.parametrize("animations", ["none", "full"])
async def test_scrolling_back_to_the_bottom_follows_again(
    tui_settings: Settings, animations: str
) -> None:
    # Reaching the bottom switches following on. That used to re-anchor the log
    # from inside Textual's animator tick, which crashed it whenever the scroll's
    # last frame was the one that reached the bottom: always without animations,
    # now and then (a slow frame) with them. Both levels run, every time.
    app = paused_app(tui_settings)
    app.animation_level = animations  # type: ignore[assignment]
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.room_screen.room is not None)
        await pilot.press("escape")
        await step(app, pilot, 12)
        log = app.room_screen.log_view
        await pilot.press("home")
        await pilot.pause()
        assert not log.following
        await step(app, pilot, 1)
        assert log.unseen == 1
        await pilot.press("end")
        await pilot.pause()
        assert app.is_running
        assert log.following and log.unseen == 0 and at_bottom(app)


async def test_clicking_the_marker_jumps_to_the_newest(tui_settings: Settings) -> None:
    app = paused_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.room_screen.room is not None)
        await pilot.press("escape")
        await step(app, pilot, 12)
        await pilot.press("home")
        await step(app, pilot, 2)
        await pilot.pause()
        assert app.room_screen.log_view.unseen == 2
        await pilot.click("#unseen")
        await pilot.pause()
        assert app.room_screen.log_view.following and at_bottom(app)
