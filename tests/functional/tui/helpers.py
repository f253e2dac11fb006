"""Helpers for the TUI tests: waiting on the app, reading cards, recording a session."""

from __future__ import annotations

import asyncio
import io
import math
import unicodedata
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from rich.console import Console
from textual import events
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from rednote_sim.content import load_cast
from rednote_sim.settings import Settings
from rednote_sim.sim import LiveRoom, VirtualClock
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.store import Store
from rednote_sim.tui import RoomApp, make_app
from rednote_sim.tui.widgets.card import MessageCard
from rednote_sim.tui.workshop import Workshop
from rednote_sim.tui.workshop.screens import VocabScreen
from tests.functional.tui.fakes import stub_translator

REPLAY_SESSION = "arrival-replay-fixture"
"""The fixed id of the recorded session (snapshots show it)."""

RECORDED_AT = datetime(2025, 1, 14, 9, 30, tzinfo=UTC)


async def record_session(settings: Settings, session_id: str = REPLAY_SESSION) -> str:
    """Play ``arrival`` (seed 7) at max speed into ``settings.db`` under a fixed id."""
    await record_live(settings, session_id)
    return session_id


async def record_live(settings: Settings, session_id: str = REPLAY_SESSION) -> LiveRoom:
    """:func:`record_session`, returning the live room that played (what the live run showed)."""
    cast = load_cast(settings.personas_dir)
    scenario = cast.scenarios["arrival"]
    async with await Store.open(settings.db) as store:
        session = await store.create_session(
            scenario.id, title=scenario.title, seed=7, session_id=session_id, created_at=RECORDED_AT
        )
        room = LiveRoom(
            store=store,
            translator=stub_translator(),
            cast=cast,
            scenario=scenario,
            session=session,
            clock=VirtualClock(math.inf),
            seed=7,
        )
        await room.run()
    return room


async def wait_for(
    pilot: Pilot[int], predicate: Callable[[], bool], *, timeout: float = 30.0
) -> None:
    """Let the app run until ``predicate()`` holds (fails the test after ``timeout``)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {predicate}")
        await pilot.pause(0.02)


async def settle(pilot: Pilot[int], *, timeout: float = 60.0) -> None:
    """Wait until the script has played, every translation landed and the screen caught up."""
    app = pilot.app
    assert isinstance(app, RoomApp)
    await wait_for(pilot, lambda: app.room_screen.room is not None, timeout=timeout)
    await app.room_screen.wait_idle(timeout)
    await pilot.pause()
    await pilot.pause()


def workshop_app(settings: Settings, *, speed: float = MAX_SPEED) -> RoomApp:
    """A live workshop room (seed 3) on the fast stub translator."""
    return make_app(settings, mode="workshop", seed=3, speed=speed, translator=stub_translator())


def workshop_of(app: RoomApp) -> Workshop:
    """The workshop feature of a room."""
    return next(f for f in app.room_features if isinstance(f, Workshop))


async def ready(pilot: Pilot[int]) -> Workshop:
    """The script played, translations landed and the workshop loaded its data."""
    app = pilot.app
    assert isinstance(app, RoomApp)
    await settle(pilot)
    workshop = workshop_of(app)
    await wait_for(pilot, lambda: workshop.state.session == app.session_id)
    return workshop


def settle_before(
    *steps: Callable[[Pilot[int]], Awaitable[None]],
) -> Callable[[Pilot[int]], Awaitable[None]]:
    """A snapshot ``run_before``: settle, then run ``steps``, then steady the cursor."""

    async def run_before(pilot: Pilot[int]) -> None:
        await settle(pilot)
        for step in steps:
            await step(pilot)
        await lazy_done(pilot)
        for widget in pilot.app.query("Input, TextArea"):  # a blinking cursor is random
            widget.cursor_blink = False  # type: ignore[attr-defined]
        await pilot.pause()

    return run_before


async def lazy_done(pilot: Pilot[int]) -> None:
    """Wait until the workshop's HSK levels and correction diffs of the cards shown are in."""
    app = pilot.app
    assert isinstance(app, RoomApp)
    workshops = [f for f in app.room_features if isinstance(f, Workshop)]
    if not workshops:
        return
    await pilot.pause()

    def idle() -> bool:
        return all(w.levels.levels.idle and w.corrections.diffs.idle for w in workshops)

    await wait_for(pilot, idle)
    await pilot.pause()  # the redraw they asked for


async def find(pilot: Pilot[int], text: str, *, close: bool = True) -> int | None:
    """Search for ``text`` and go to the newest match (``/``, the text, Enter); Esc after.

    Returns:
        The selected match, or None when nothing matched.
    """
    app = pilot.app
    assert isinstance(app, RoomApp)
    await pilot.press("slash", *text, "enter")

    def done() -> bool:
        matches = app.room_screen.search_matches
        return matches is not None and (not matches or app.room_screen.log_view.selected in matches)

    await wait_for(pilot, done)
    found = app.room_screen.search_matches
    if close:
        await pilot.press("escape")
    await pilot.pause()
    return app.room_screen.log_view.selected if found else None


def screen_lines(app: RoomApp) -> list[str]:
    """What the terminal shows now, line by line (as Rich measures the cells)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text().splitlines()


def key_event(char: str) -> events.Key:
    """The Key event a terminal sends for a typed character (or ``enter``)."""
    if char == "\r":
        return events.Key("enter", "\r")
    if char == " ":
        return events.Key("space", " ")
    if char.isalnum():
        return events.Key(char, char)
    name = unicodedata.name(char).lower().replace(" ", "_").replace("-", "_")
    return events.Key(name, char)


def burst(app: RoomApp, text: str) -> None:
    """Deliver ``text`` as key events all at once, as a terminal does (``\\r`` is Enter).

    Pilot's ``press`` waits for the app to go idle after every key, which hides
    what happens when keys arrive faster than the app handles them.
    """
    for char in text:
        app.post_message(key_event(char))


def card_lines(card: Widget) -> list[str]:
    """What a card shows on screen, line by line (its rendered strips)."""
    width, height = card.outer_size  # border and padding included
    return [strip.text for strip in card.render_lines(Region(0, 0, width, height))]


def cards(app: RoomApp) -> list[MessageCard]:
    """The mounted cards, oldest first."""
    return list(app.query(MessageCard))


async def open_word_picker(pilot: Pilot[int]) -> VocabScreen:
    """``w`` on the selected line: the phrasebook's word picker, once its candidates are in."""
    await pilot.press("w")
    picker = pilot.app.screen
    assert isinstance(picker, VocabScreen)
    await wait_for(pilot, lambda: picker.ready)
    return picker
