"""Feedback (issue 8, item 7): keys of other rooms say where they work, the palette
offers what runs, state that matters is never cut off, the key bar never cuts a word."""

from __future__ import annotations

from rednote_sim.settings import Settings
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.tui import RoomApp, make_app
from rednote_sim.tui.actions import actions_for
from rednote_sim.tui.app import TEXTUAL_COMMANDS_LEFT_OUT
from rednote_sim.tui.screens.help import HelpScreen
from tests.functional.tui.fakes import stub_translator
from tests.functional.tui.helpers import settle, wait_for


def room(settings: Settings, mode: str = "live") -> RoomApp:
    return make_app(settings, mode=mode, seed=3, speed=MAX_SPEED, translator=stub_translator())  # type: ignore[arg-type]


def toasts(app: RoomApp) -> list[str]:
    """The messages of the notifications on record (Textual keeps them in the app)."""
    return [n.message for n in app._notifications]


def header(app: RoomApp) -> str:
    return str(app.room_screen.header_bar.render())


async def test_keys_of_other_rooms_say_where_they_work(tui_settings: Settings) -> None:
    app = room(tui_settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+g")  # from the composer
        await pilot.press("escape", "g", "left_square_bracket", "c", "x", "p")
        await pilot.pause()
        said = toasts(app)
        assert said[0] == "^g — Go to a time…: only in a replay (rednote-sim replay SESSION)."
        assert said[1] == "g — Go to a time…: only in a replay (rednote-sim replay SESSION)."
        assert said[2].startswith("[ — Step one message back: only in a replay")
        assert said[3].startswith("c — Idle-time cap") and "only in a replay" in said[3]
        assert said[4].startswith("x — Drop a marker here") and "only in a workshop" in said[4]
        assert said[5].startswith("p — Pinyin") and "(rednote-sim workshop)" in said[5]
        assert app.is_running and app.room_screen.renderer.options.extras == frozenset()


async def test_in_a_workshop_and_a_replay_only_the_missing_keys_explain(
    tui_settings: Settings, recorded: Settings
) -> None:
    app = room(tui_settings, "workshop")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "p", "g")
        await pilot.pause()
        assert "pinyin" in app.room_screen.renderer.options.extras  # p works here
        assert [t.split(":")[0] for t in toasts(app)] == ["g — Go to a time…"]
    app = make_app(recorded, mode="replay", speed=MAX_SPEED)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i", "escape")  # no composer in a replay; Esc never nags
        await pilot.pause()
        assert toasts(app) == ["i — Type a message: only in a live room (rednote-sim demo)."]


async def test_the_palette_offers_only_what_runs_here(tui_settings: Settings) -> None:
    app = room(tui_settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert len(titles) == len(set(titles))  # one Quit (the room's), not two
        mine = {a.title for a in actions_for("live", app.room_actions)}
        assert mine <= set(titles)
        # Of Textual's own: what works in the room. Not Keys (an empty panel), not Maximize.
        assert set(titles) - mine == {"Theme", "Screenshot"}
        assert {"Keys", "Maximize"} <= TEXTUAL_COMMANDS_LEFT_OUT
        assert "Go to a time…" not in titles


async def test_state_badges_always_fit_at_80_columns(tui_settings: Settings) -> None:
    app = room(tui_settings, "workshop")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "p", "s", "h", "r")  # pinyin, side by side, quiz, reference
        await pilot.pause()
        line = header(app)
        assert len(line) <= 80
        assert line.rstrip().endswith("4:11  QUIZ   REF")  # whole, at the right edge
        assert "● WORKSHOP" in line and "…" in line  # the view label gave way
        await pilot.press("h", "r")
        await pilot.pause()
        assert "QUIZ" not in header(app) and "REF" not in header(app)


async def test_the_end_of_a_replay_fits_at_80_columns(recorded: Settings) -> None:
    app = make_app(recorded, mode="replay", speed=MAX_SPEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert header(app).rstrip().endswith("■ ENDED  max  4:14 / 4:14")


async def test_the_key_bar_drops_keys_instead_of_cutting_words(tui_settings: Settings) -> None:
    app = room(tui_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for keys in ((), ("escape",)):  # the composer's keys, then keys mode
            await pilot.press(*keys)
            await pilot.pause()
            text = app.room_screen.key_bar.text
            assert "…" not in text
            assert text.rstrip().endswith("help  ^q quit") or text.rstrip().endswith("help  q quit")
            words = text.split()
            assert "pause" in words and "lang" not in words[-1]
        await pilot.resize_terminal(200, 30)
        await wait_for(pilot, lambda: "search" in app.room_screen.key_bar.text.split())


async def test_not_translated_is_one_short_line_and_help_says_how(tui_settings: Settings) -> None:
    app = room(tui_settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"hello from Ohio", "enter")  # English: no en→zh model here
        await wait_for(
            pilot, lambda: any(m.persona == "you" for m in app.room_screen.model.messages.values())
        )
        mine = max(s for s, m in app.room_screen.model.messages.items() if m.persona == "you")
        await wait_for(pilot, lambda: app.room_screen.model.messages[mine].translated)
        await pilot.pause()
        error = app.room_screen.model.messages[mine].translation_error or ""
        assert "models install" in error  # the stored reason carries the how-to…
        await pilot.press("escape", "l")  # a Chinese reader: English lines are the foreign ones
        await pilot.pause()
        card = app.room_screen.log_view.cards[mine].plain
        (line,) = [ln for ln in card.splitlines() if "not translated" in ln]
        assert line == "✗ not translated: no en→zh model installed · ? help"  # …the card not
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        helped = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        assert "rednote-sim models install --from translate-en_zh" in helped
