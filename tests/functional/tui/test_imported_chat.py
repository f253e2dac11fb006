"""The TUI replaying an imported real chat: its own people, their avatars, the original times."""

from __future__ import annotations

from rednote_sim.domain import Glossary
from rednote_sim.importers import ImportOptions, chat_reader, read_chat
from rednote_sim.settings import Settings
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.store import Store
from rednote_sim.translate import TranslationService
from rednote_sim.tui import make_app
from rednote_sim.tui.widgets.members import MemberList
from tests.functional.tui.helpers import settle
from tests.support.chats import DISCORD
from tests.support.translate_stubs import StubTranslator


async def _import(settings: Settings, options: ImportOptions) -> str:
    # The test is about the screen: a stub engine stands in for the model.
    service = TranslationService(glossary=Glossary(), engines={("zh", "en"): StubTranslator()})
    async with await Store.open(settings.db) as store:
        with read_chat(chat_reader(DISCORD, "discord"), options) as chat:
            session = await chat.store(store, service)
    await service.aclose()
    return session.id


async def test_replay_of_an_imported_chat_shows_its_people_not_the_cast(
    tui_settings: Settings,
) -> None:
    await _import(tui_settings, ImportOptions(me="Lena"))
    app = make_app(tui_settings, mode="replay", session="latest", speed=MAX_SPEED)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.room_screen.member_count == 3
        members = str(app.query_one(MemberList)._body.render())
        # Maya writes English ("@小王 can you…": a handle in Chinese characters is a name).
        assert "🐼 小王 🇨🇳" in members and "🐯 Maya 🇺🇸" in members
        assert "🙂 Lena" in members and "Maddie" not in members  # Lena is "me"; no cast
        cards = [card.plain for card in app.room_screen.log_view.cards.values()]
        assert any(
            card.startswith("🐼 小王  @wei_zh · 🇨🇳 Discord · 0:05 · 2025-01-14 10:00")
            for card in cards
        ), cards
        first = cards[0].splitlines()
        assert first[:2] == ["── ✦ Tue 14 Jan 2025", "🙂 Lena  English · 0:00 · 2025-01-14 10:00"]
        assert any("── ✦ Wed 15 Jan 2025" in card for card in cards)
        assert "Imported from a real Discord chat" in str(app.room_screen.intro.render())
        assert "Language Exchange 语言交换 · #chinese-practice" in app.room_screen.status.scenario
