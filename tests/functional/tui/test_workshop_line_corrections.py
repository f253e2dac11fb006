"""Correcting a line, HelloTalk style, in the workshop (issue 13, item 6).

Real store on a SQLite file, real content, real jieba (the diff is by words); the
fast stub translator. The flow a learner follows: select a line, ``C``, edit the
line in the dialog (it starts with the line's text), a note after Tab, Enter; the
card shows the struck-out and inserted words under the line, the database has the
correction, correcting again replaces it, and a replay of the session shows it.
"""

from __future__ import annotations

from textual.content import Content

from rednote_sim.settings import Settings
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.store import Store
from rednote_sim.store.corrections_repo import CorrectionsRepo
from rednote_sim.tui import RoomApp, make_app
from rednote_sim.tui.actions import ROOM_ACTIONS, action_keys
from rednote_sim.tui.screens.help import HelpScreen
from rednote_sim.tui.workshop import Workshop
from rednote_sim.tui.workshop.corrections import STYLE_DEL, STYLE_INS
from rednote_sim.tui.workshop.screens import PromptScreen
from tests.functional.tui.helpers import ready, wait_for, workshop_app
from tests.functional.tui.test_workshop import HELP_LINE, SIZE, card_text, select


def styled(app: RoomApp, seq: int, style: str) -> list[str]:
    """The pieces of the card's text drawn in ``style`` (struck out, inserted)."""
    content = app.room_screen.log_view.cards[seq].render()
    assert isinstance(content, Content)
    return [content.plain[s.start : s.end] for s in content.spans if str(s.style) == style]


async def test_a_learner_corrects_a_line_and_the_replay_shows_it(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        workshop = await ready(pilot)
        await pilot.press("escape")
        seq = await select(pilot, HELP_LINE)
        original = app.room_screen.model.messages[seq].text
        assert original.startswith("救命")
        await pilot.press("C")
        screen = app.screen
        assert isinstance(screen, PromptScreen) and screen.extra is not None
        assert screen.input.value == original  # pre-filled with the line
        assert app.room_screen.clock.paused
        # Replace the first word (救命 → 天哪), then a note after Tab.
        await pilot.press("home", "delete", "delete", *"天哪", "tab", *"a softer start", "enter")
        await wait_for(pilot, lambda: seq in workshop.state.corrections)
        corrected = "天哪" + original[2:]
        await wait_for(pilot, lambda: styled(app, seq, STYLE_INS) == ["天哪"])
        assert styled(app, seq, STYLE_DEL) == ["救命"]
        card = card_text(app, seq)
        assert f"✓ you: 救命天哪{original[2:]}" in card  # in place: struck out, then inserted
        assert "a softer start" in card
        assert not app.room_screen.clock.paused

        await pilot.press("C")  # again: the dialog has my correction; saving replaces it
        screen = app.screen
        assert isinstance(screen, PromptScreen)
        assert screen.input.value == corrected
        assert screen.extra is not None and screen.extra.value == "a softer start"
        await pilot.press("end", "backspace", *"!!", "enter")  # the last character (😵) → !!
        again = corrected[:-1] + "!!"
        await wait_for(
            pilot, lambda: [c.text for c in workshop.state.corrections.get(seq, [])] == [again]
        )
        session = app.session_id
    assert session is not None
    async with await Store.open(tui_settings.db) as store:
        saved = await CorrectionsRepo.of(store).corrections(session)
    assert [(c.seq, c.author, c.text, c.note) for c in saved] == [
        (seq, "", again, "a softer start")
    ]

    replay = make_app(tui_settings, mode="replay", session=session, speed=MAX_SPEED)
    async with replay.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: seq in replay.room_screen.log_view.cards)
        # The second correction replaced the first: 救命 → 天哪 and the last 😵 → !!.
        await wait_for(pilot, lambda: styled(replay, seq, STYLE_DEL) == ["救命", original[-1]])
        assert styled(replay, seq, STYLE_INS) == ["天哪", "!!"]
        assert "a softer start" in card_text(replay, seq)
        assert f"✓ you: 救命天哪{original[2:]}!!" in card_text(replay, seq)


async def test_unchanged_removes_and_ctrl_r_removes_esc_keeps(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        workshop = await ready(pilot)
        await pilot.press("escape")
        seq = await select(pilot, HELP_LINE)
        await pilot.press("C", "enter")  # the line as written: no correction
        await pilot.pause()
        assert not isinstance(app.screen, PromptScreen)
        assert seq not in workshop.state.corrections
        await pilot.press("C", "end", *"吧", "enter")
        await wait_for(pilot, lambda: seq in workshop.state.corrections)
        await pilot.press("C")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("escape")  # Esc changes nothing
        await pilot.pause()
        assert seq in workshop.state.corrections
        await pilot.press("C", "ctrl+r")
        await wait_for(pilot, lambda: seq not in workshop.state.corrections)
        assert "✓ you" not in card_text(app, seq)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        keys = str(app.screen.query_one("#help-keys").render())
        assert "Correct the selected line" in keys
        session = app.session_id
    assert session is not None
    async with await Store.open(tui_settings.db) as store:
        assert await CorrectionsRepo.of(store).corrections(session) == []


def test_the_key_is_free() -> None:
    keys = [k for a in [*ROOM_ACTIONS, *Workshop().actions()] for k in action_keys(a)]
    assert keys.count("C") == 1


async def test_a_correction_is_text_not_markup(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        workshop = await ready(pilot)
        await pilot.press("escape")
        seq = await select(pilot, HELP_LINE)
        message = app.room_screen.model.messages[seq]
        session = workshop.session
        assert session is not None
        hostile = "救命 [bold red]x[/] \x1b[31mred"
        await session.correct_line(message, hostile, "note [b]y[/b]", author="Guest [i]")
        await wait_for(pilot, lambda: "✓ Guest [i]: " in card_text(app, seq))
        card = card_text(app, seq)
        assert "[bold red]x[/]" in card and "\\x1b[31mred" in card and "\x1b" not in card
        assert "note [b]y[/b]" in card
        assert "[bold red]x[/] \\x1b[31mred" in "".join(styled(app, seq, STYLE_INS))
