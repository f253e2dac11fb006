"""Text is data: hostile messages typed into the composer render literally."""

from __future__ import annotations

from functools import partial

from rednote_sim.domain import USER_PERSONA_ID
from rednote_sim.settings import Settings
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.store import Store
from rednote_sim.tui import RoomApp, make_app
from rednote_sim.tui.widgets.composer import Composer
from tests.functional.tui.fakes import stub_translator
from tests.functional.tui.helpers import card_lines, settle, wait_for

WIDTH, HEIGHT = 80, 24

TYPED = ["[bold red]x[/]", "[/]", "[link=https://example.com]x[/link]"]
"""Typed key by key, like a person would."""

PASTED = [
    "\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07",
    "zero\u200bwidth",
    "\u202eevil\u202c tail",
    "مرحبا بالعالم",
    "שלום עולם",
    "x" * 5000,
]
"""Put into the composer as a paste would (control characters cannot be typed)."""

SHOWN = {
    "\x1b[31mred\x1b[0m": "\\x1b[31mred\\x1b[0m",
    "\x1b]0;title\x07": "\\x1b]0;title\\x07",
    "zero\u200bwidth": "zero\\u200bwidth",
    "\u202eevil\u202c tail": "\\u202eevil\\u202c tail",
}
"""How the invisible or controlling ones are shown: as visible escapes."""


def mine(app: RoomApp) -> list[int]:
    return [
        s
        for s in app.room_screen.model.order
        if app.room_screen.model.messages[s].persona == USER_PERSONA_ID
    ]


def sent_count_is(app: RoomApp, count: int) -> bool:
    return len(mine(app)) == count


async def test_nasty_strings_render_literally_and_the_layout_holds(
    tui_settings: Settings,
) -> None:
    app = make_app(tui_settings, speed=MAX_SPEED, seed=5, translator=stub_translator())
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        await settle(pilot)
        composer = app.query_one(Composer)
        for count, text in enumerate(TYPED + PASTED, start=1):
            if text in TYPED:
                await pilot.press(*text)
                assert composer.value == text
            else:
                composer.value = text
            await pilot.press("enter")
            await wait_for(pilot, partial(sent_count_is, app, count))
        await wait_for(
            pilot, lambda: all(m.translated for m in app.room_screen.model.messages.values())
        )
        await pilot.pause()

        sent = [app.room_screen.model.messages[s] for s in mine(app)]
        assert [m.text for m in sent] == TYPED + PASTED  # stored and shown exactly as sent
        for message in sent:
            card = app.room_screen.log_view.cards[message.seq]
            await app.room_screen.log_view.show(message.seq)
            await pilot.pause()
            lines = card_lines(card)
            body = "".join(line[2:].rstrip() for line in lines[1:])  # drop "▌ " and header
            expected = SHOWN.get(message.text, message.text)
            if message.text == "x" * 5000:
                assert body.count("x") == 5000
                assert len(lines) > 5000 // WIDTH  # wrapped, not cut
            else:
                assert expected in body, (expected, lines)
            assert all("\x1b" not in line and "\u202e" not in line for line in lines)
            region = card.region
            assert region.x >= 0 and region.right <= WIDTH  # never wider than the screen
            assert card.outer_size.width <= WIDTH

        # Nothing leaked into the chrome: one-line header, key bar at the bottom.
        assert app.query_one("#header").region.height == 1
        assert app.query_one("#keys").region.y == HEIGHT - 1
        # And the app still answers keys.
        await pilot.press("escape", "t")
        assert app.room_screen.renderer.options.mode == "original"
        await pilot.press("n", "i", *"still here", "enter")
        await wait_for(
            pilot,
            lambda: (
                app.room_screen.model.messages[app.room_screen.model.order[-1]].text == "still here"
            ),
        )
        session = app.session_id
    assert session is not None
    async with await Store.open(tui_settings.db) as store:
        texts = [m.text for m in await store.messages(session)]
    assert TYPED[0] in texts and "x" * 5000 in texts and "\x1b]0;title\x07" in texts
