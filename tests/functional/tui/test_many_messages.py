"""2,000 messages: what is mounted stays bounded, and every key still works.

No timing assertions: the cost of mounting, scrolling and key presses stays
flat because the number of mounted cards is capped, which is what is checked.
"""

from __future__ import annotations

from rednote_sim.content import load_cast
from rednote_sim.domain import Beat, Cast, Scenario
from rednote_sim.settings import Settings
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.tui import make_app
from rednote_sim.tui.widgets.card import MessageCard
from tests.functional.tui.fakes import stub_translator
from tests.functional.tui.helpers import settle, wait_for

COUNT = 2000
CAP = 60


def flood_cast(settings: Settings) -> Cast:
    cast = load_cast(settings.personas_dir)
    beats = []
    for i in range(1, COUNT + 1):
        zh = i % 3 == 0
        beats.append(
            Beat(
                key=f"m{i}",
                persona="ating" if zh else "maddie",
                at=float(i),
                text=f"第{i}条 #猫税" if zh else f"message {i} for @ating #TikTokRefugee",
                reference=f"message {i} #cattax" if zh else f"第{i}条消息",
                reply_to=f"m{i - 1}" if i % 10 == 0 else None,
                reactions={"❤️": 2} if i % 7 == 0 else {},
            )
        )
    flood = Scenario(
        id="flood", title="Flood", title_zh="刷屏", description="2,000 messages.", beats=beats
    )
    return Cast(personas=cast.personas, scenarios={"flood": flood}, glossary=cast.glossary)


def mounted(app: object) -> int:
    return len(app.query(MessageCard))  # type: ignore[attr-defined]


async def test_two_thousand_messages_stay_bounded_and_responsive(tui_settings: Settings) -> None:
    app = make_app(
        tui_settings,
        scenario="flood",
        cast=flood_cast(tui_settings),
        speed=MAX_SPEED,
        translator=stub_translator(),
        max_cards=CAP,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, timeout=240)
        log = app.room_screen.log_view
        assert len(app.room_screen.model) == COUNT
        assert mounted(app) <= CAP and log.following
        assert log.mounted_seqs[-1] == app.room_screen.model.order[-1]  # the newest is on screen

        # k walks back through history; pages come back as the selection leaves the window.
        await pilot.press("escape")
        for _ in range(CAP + 15):
            await pilot.press("k")
        assert log.selected == app.room_screen.model.order[-(CAP + 15)]
        assert mounted(app) <= CAP
        assert log.selected in log.cards

        # Scrolling to the top of the window mounts the page above it (and drops one below).
        lo = log.lo
        for _ in range(200):
            if log.lo < lo:
                break
            await pilot.press("pageup")
        await wait_for(pilot, lambda: log.lo < lo)
        assert mounted(app) <= CAP

        # Search jumps anywhere, e.g. to the very first message.
        await pilot.press("slash", *"message 1 for", "escape")
        await wait_for(pilot, lambda: app.room_screen.search_matches is not None)
        assert app.room_screen.search_matches == [1]
        await pilot.press("slash", "enter")
        await wait_for(pilot, lambda: log.selected == 1 and 1 in log.cards)
        assert log.lo == 0 and mounted(app) <= CAP
        await pilot.press("escape")

        # j/k and the view keys still work; n comes back to the newest and follows.
        await pilot.press("j", "j", "t", "l")
        assert log.selected == 3
        assert app.room_screen.renderer.options.mode == "original"
        await pilot.press("n")
        await wait_for(pilot, lambda: log.following and log.at_tail)
        assert mounted(app) <= CAP

        # New messages keep arriving at the bottom without growing the window.
        await pilot.press("i", *"hello again", "enter")
        await wait_for(pilot, lambda: len(app.room_screen.model) == COUNT + 1)
        await pilot.pause()
        assert log.mounted_seqs[-1] == COUNT + 1
        assert mounted(app) <= CAP
