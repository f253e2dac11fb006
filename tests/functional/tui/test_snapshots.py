"""Snapshots (pytest-textual-snapshot), grouped by feature, at fixed terminal sizes.

Deterministic by construction: a fixed seed, speed max and the stub translator
for live rooms (the screen is taken once the script has played and every
translation landed, so the scenario clock shows the last beat's time, not wall
time); a recorded session with a fixed id, paused at a typed time, for replay.
Nothing on screen comes from the wall clock. Update with ``--snapshot-update``
after checking the report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from rednote_sim.settings import Settings
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.tui import RoomApp, make_app
from rednote_sim.tui.words.screens import WordScreen
from rednote_sim.tui.workshop import Workshop
from tests.functional.tui.fakes import stub_translator
from tests.functional.tui.helpers import find, settle_before, wait_for

SnapCompare = Callable[..., bool]


def live(settings: Settings) -> RoomApp:
    return make_app(settings, mode="live", seed=3, speed=MAX_SPEED, translator=stub_translator())


async def press(pilot: Pilot[Any], *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


# --- the room ----------------------------------------------------------------------------


def test_room_100x30(snap_compare: SnapCompare, tui_settings: Settings) -> None:
    """The live room after the starter scenario played: composer focused, members shown."""
    assert snap_compare(live(tui_settings), terminal_size=(100, 30), run_before=settle_before())


def test_room_80x24_keys_mode(snap_compare: SnapCompare, tui_settings: Settings) -> None:
    """80x24: members hidden, Esc pressed, so the key bar lists the single keys."""

    async def keys_mode(pilot: Pilot[Any]) -> None:
        await press(pilot, "escape")

    assert snap_compare(
        live(tui_settings), terminal_size=(80, 24), run_before=settle_before(keys_mode)
    )


def test_room_light_theme(snap_compare: SnapCompare, tui_settings: Settings) -> None:
    """The same room in the light theme (d)."""

    async def light(pilot: Pilot[Any]) -> None:
        await press(pilot, "escape", "d")

    assert snap_compare(
        live(tui_settings), terminal_size=(100, 30), run_before=settle_before(light)
    )


# --- a translated card -------------------------------------------------------------------


def test_translated_card_selected_with_reference(
    snap_compare: SnapCompare, tui_settings: Settings
) -> None:
    """A Chinese message found with search: marker, quote, machine translation, its label,
    the human reference (r) and reactions."""

    async def find_it(pilot: Pilot[Any]) -> None:
        await press(pilot, "escape", "r")
        await find(pilot, "救命")

    assert snap_compare(
        live(tui_settings), terminal_size=(80, 24), run_before=settle_before(find_it)
    )


def test_translation_only_view_for_a_chinese_reader(
    snap_compare: SnapCompare, tui_settings: Settings
) -> None:
    """l and t: a Chinese reader sees English messages as their (human) translations."""

    async def chinese_reader(pilot: Pilot[Any]) -> None:
        await press(pilot, "escape", "l", "t", "t")

    assert snap_compare(
        live(tui_settings), terminal_size=(100, 30), run_before=settle_before(chinese_reader)
    )


# --- replay ------------------------------------------------------------------------------


def test_replay_paused_at_one_minute(snap_compare: SnapCompare, recorded: Settings) -> None:
    """REPLAY of the recorded session, paused and sought to 1:00 with g."""

    async def seek(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, RoomApp)
        await press(pilot, "space", "g", *"1:00", "enter")
        await wait_for(pilot, lambda: abs(app.room_screen.clock.now() - 60.0) < 0.01)
        await pilot.pause()

    app = make_app(recorded, mode="replay", session="latest", speed=MAX_SPEED)
    assert snap_compare(app, terminal_size=(100, 30), run_before=settle_before(seek))


# --- help --------------------------------------------------------------------------------


def test_help_screen(snap_compare: SnapCompare, tui_settings: Settings) -> None:
    """F1 from the composer: what the room is, the focus model, every key."""

    async def help_screen(pilot: Pilot[Any]) -> None:
        await press(pilot, "f1")

    assert snap_compare(
        live(tui_settings), terminal_size=(100, 30), run_before=settle_before(help_screen)
    )


def test_replay_help_screen(snap_compare: SnapCompare, recorded: Settings) -> None:
    """? in a replay lists the replay keys."""

    async def help_screen(pilot: Pilot[Any]) -> None:
        await press(pilot, "question_mark")

    app = make_app(recorded, mode="replay", speed=MAX_SPEED)
    assert snap_compare(app, terminal_size=(100, 30), run_before=settle_before(help_screen))


# --- workshop ----------------------------------------------------------------------------


def workshop(settings: Settings) -> RoomApp:
    return make_app(
        settings, mode="workshop", seed=3, speed=MAX_SPEED, translator=stub_translator()
    )


async def workshop_ready(pilot: Pilot[Any]) -> None:
    """The workshop loaded the session's data; Esc: keys mode."""
    app = pilot.app
    assert isinstance(app, RoomApp)
    feature = next(f for f in app.room_features if isinstance(f, Workshop))
    await wait_for(pilot, lambda: feature.state.session == app.session_id)
    await press(pilot, "escape")


async def steady(pilot: Pilot[Any]) -> None:
    """Every pinyin line computed, no toast on screen."""
    app = pilot.app
    assert isinstance(app, RoomApp)
    await wait_for(
        pilot,
        lambda: all("pinyin…" not in c.plain for c in app.room_screen.log_view.cards.values()),
    )
    app.clear_notifications()
    await pilot.pause()


def test_workshop_pinyin_and_machine_vs_human(
    snap_compare: SnapCompare, tui_settings: Settings
) -> None:
    """WORKSHOP: pinyin on (p), machine | human side by side (s), 阿婷's line selected."""

    async def aids(pilot: Pilot[Any]) -> None:
        await press(pilot, "p", "s")
        await find(pilot, "救命")
        await steady(pilot)

    assert snap_compare(
        workshop(tui_settings),
        terminal_size=(100, 30),
        run_before=settle_before(workshop_ready, aids),
    )


def test_workshop_projector_quiz_80x24(snap_compare: SnapCompare, tui_settings: Settings) -> None:
    """Projector layout (P) at 80x24 in quiz mode (h): a line answered (a) and revealed (v)
    next to a hidden one."""

    async def quiz(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, RoomApp)
        await press(pilot, "P", "h")
        seq = await find(pilot, "救命")
        await press(pilot, "a", *"Help! I woke up and my Xiaohongshu is all English", "enter")
        await wait_for(
            pilot, lambda: "your answer" in app.room_screen.log_view.cards[seq or 0].plain
        )
        await press(pilot, "v")
        await steady(pilot)

    assert snap_compare(
        workshop(tui_settings),
        terminal_size=(80, 24),
        run_before=settle_before(workshop_ready, quiz),
    )


# --- the dictionary ----------------------------------------------------------------------


def test_word_dialog_80x24(snap_compare: SnapCompare, tui_settings: Settings) -> None:
    """o on 阿婷's line, → to 眼睛: traditional form, tone-coloured pinyin, meanings,
    measure words, HSK level and source, the keys and the CC-CEDICT credit."""

    async def look_up(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, RoomApp)
        await press(pilot, "escape")
        await find(pilot, "救命")
        await press(pilot, "o")
        await wait_for(pilot, lambda: isinstance(app.screen, WordScreen))
        screen = app.screen
        assert isinstance(screen, WordScreen)
        while screen.word.text != "眼睛":
            await press(pilot, "right")
        await wait_for(pilot, lambda: screen.result is not None)
        app.clear_notifications()
        await pilot.pause()

    assert snap_compare(
        live(tui_settings), terminal_size=(80, 24), run_before=settle_before(look_up)
    )


def test_workshop_correction_and_hsk_80x24(
    snap_compare: SnapCompare, tui_settings: Settings
) -> None:
    """WORKSHOP --hsk 2 at 80x24: 阿婷's line corrected (C) shows the word diff and note under
    it; the Chinese cards carry their HSK tag (the words above HSK 2 are underlined)."""

    async def correct(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, RoomApp)
        seq = await find(pilot, "救命")
        await press(pilot, "C", "home", "delete", "delete", *"天哪", "tab", *"softer", "enter")
        await wait_for(pilot, lambda: "✓ you" in app.room_screen.log_view.cards[seq or 0].plain)
        await steady(pilot)

    app = make_app(
        tui_settings, mode="workshop", seed=3, speed=MAX_SPEED, translator=stub_translator(), hsk=2
    )
    assert snap_compare(
        app, terminal_size=(80, 24), run_before=settle_before(workshop_ready, correct)
    )
