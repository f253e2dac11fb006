"""The extension points other features use: a room action and an extra card line."""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content

from rednote_sim.domain import Message
from rednote_sim.settings import Settings
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.tui import CardExtension, RoomAction, ViewOptions, make_app
from rednote_sim.tui.host import RoomHost
from rednote_sim.tui.screens.help import HelpScreen
from tests.functional.tui.fakes import stub_translator
from tests.functional.tui.helpers import settle


def fake_pinyin(message: Message, options: ViewOptions) -> Iterable[Content]:
    if message.lang == "zh":
        yield Content.styled(f"pīnyīn for #{message.seq}", "italic")


def toggle_pinyin(host: RoomHost) -> None:
    host.set_view(host.options.toggle_extra("pinyin"))


PINYIN = RoomAction(
    "toggle_pinyin", "Pinyin under Chinese", "Reading", keys="p", run=toggle_pinyin, hint="pinyin"
)


async def test_an_added_action_and_card_line(tui_settings: Settings) -> None:
    app = make_app(
        tui_settings,
        seed=3,
        speed=MAX_SPEED,
        translator=stub_translator(),
        actions=[PINYIN],
        extensions=[CardExtension("pinyin", "original", fake_pinyin)],
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        zh = next(
            s
            for s in app.room_screen.log_view.cards
            if app.room_screen.model.messages[s].lang == "zh"
        )
        assert "pīnyīn" not in app.room_screen.log_view.cards[zh].plain
        await pilot.press("escape", "p")
        await pilot.pause()
        lines = app.room_screen.log_view.cards[zh].plain.splitlines()
        original = app.room_screen.model.messages[zh].text
        assert lines[lines.index(original) + 1] == f"pīnyīn for #{zh}"
        await pilot.resize_terminal(200, 30)  # an added key comes last: room for it
        assert "p pinyin" in app.room_screen.key_bar.text
        assert "Pinyin under Chinese" in [c.title for c in app.get_system_commands(app.screen)]
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "Pinyin under Chinese" in str(app.screen.query_one("#help-keys").render())
        await pilot.press("escape", "p")
        await pilot.pause()
        assert "pīnyīn" not in app.room_screen.log_view.cards[zh].plain
