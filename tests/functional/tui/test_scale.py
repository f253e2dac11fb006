"""50,000 messages replayed at max speed: the log ends on the newest cards, and every
way of moving (j/k, Home, End, search) covers the whole session, not the mounted window.

No timing assertions: what must stay cheap is measured by
``python -m rednote_sim.bench tui``; here the behaviour is checked.
"""

from __future__ import annotations

import asyncio
import math

import pytest

from rednote_sim.bench.tui_bench import record_big_session
from rednote_sim.content import load_cast
from rednote_sim.settings import Settings
from rednote_sim.store import Store
from rednote_sim.tui import RoomApp, make_app
from tests.functional.tui.helpers import screen_lines, settle, wait_for

COUNT = 50_000
SIZE = (100, 30)


@pytest.fixture
def big(tui_settings: Settings) -> Settings:
    """A recorded session of 50,000 messages (the starter scenario, repeated)."""

    async def record() -> None:
        async with await Store.open(tui_settings.db) as store:
            await record_big_session(store, load_cast(tui_settings.personas_dir), COUNT)

    asyncio.run(record())
    return tui_settings


def visible(app: RoomApp, seq: int) -> bool:
    """True when card ``seq`` is mounted and at least partly inside the log's viewport."""
    log = app.room_screen.log_view
    card = log.cards.get(seq)
    if card is None:
        return False
    top, bottom = log.scroll_y, log.scroll_y + log.scrollable_content_region.height
    region = card.virtual_region
    return region.y < bottom and region.bottom > top


def first_line(app: RoomApp, seq: int) -> str:
    return app.room_screen.model.messages[seq].text.splitlines()[0][:30]


async def test_a_50000_message_replay_ends_on_its_newest_cards_and_moves_over_all_of_it(
    big: Settings,
) -> None:
    app = make_app(big, mode="replay", session="latest", speed=math.inf)
    app.animation_level = "none"  # scrolls land at once: the checks below need no waiting
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, timeout=280)
        log, model = app.room_screen.log_view, app.room_screen.model
        newest = model.order[-1]
        assert len(model) == COUNT and newest == COUNT
        # The end: the newest card is on the screen, not a blank log.
        assert log.following and log.at_tail and visible(app, newest)
        assert any(first_line(app, newest) in line for line in screen_lines(app))
        assert len(log.cards) <= log.max_cards

        # k from the end starts at the newest message, then walks back.
        await pilot.press("k")
        assert log.selected == newest and visible(app, newest)
        await pilot.press("k")
        assert log.selected == newest - 1

        # Scrolled up, k starts from the card at the bottom of what is on screen.
        await pilot.press("n", "pageup", "pageup", "pageup")
        assert not log.following
        await pilot.press("k")
        assert log.selected is not None and log.selected < newest - 3
        assert visible(app, log.selected)

        # Home: the first message of the session (not of the mounted window).
        await pilot.press("home")
        await pilot.pause()
        assert log.lo == 0 and visible(app, 1) and app.room_screen.intro.display
        assert log.scroll_y == 0 and not log.following
        await pilot.press("j")  # nothing selected: j starts at the top of the view
        assert log.selected == 1
        await pilot.press("j")
        assert log.selected == 2

        # End: back to the newest, following.
        await pilot.press("end")
        await pilot.pause()
        assert log.following and log.selected is None and visible(app, newest)

        # Search covers the whole session (through the store), and steps leave the window.
        await pilot.press("slash", *"cat tax")
        await wait_for(pilot, lambda: app.room_screen.search_matches is not None)
        matches = app.room_screen.search_matches
        assert matches is not None
        assert matches[0] < 100  # in the first pass of the scenario, far outside the window
        assert len(matches) > COUNT // 100  # one or more in every pass
        window_start = model.seq_at(log.lo)
        older = [s for s in matches if s < window_start]
        for _ in range(len(matches) - len(older) + 1):
            await pilot.press("enter")  # the newest match first, then older ones
        assert log.selected == older[-1]  # the newest match outside the window it started in
        assert visible(app, older[-1])
        await pilot.press("escape", "end")
        await pilot.pause()
        assert log.following and visible(app, newest)
