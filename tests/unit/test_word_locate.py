"""Where a click on a card lands: the clicked line found in the message or its translation."""

from __future__ import annotations

from rednote_sim.lang.segment import Word
from rednote_sim.tui.widgets.card import char_at
from rednote_sim.tui.words.feature import locate, word_at

TEXT = "救命，一觉醒来我的小红书怎么全是英文？？"
TRANSLATION = "Help, I woke up and my RedNote is all English??"


def test_a_wide_character_takes_two_cells() -> None:
    assert [char_at("救命 ok", cell) for cell in range(8)] == [0, 0, 1, 1, 2, 3, 4, None]


def test_a_wrapped_piece_of_the_original_is_found_in_it() -> None:
    piece = TEXT[9:]  # the card wrapped the line before 小红书
    assert locate(piece, 0, [TEXT, TRANSLATION]) == (TEXT, 9)
    assert locate(piece, 2, [TEXT, TRANSLATION]) == (TEXT, 11)


def test_a_translation_line_is_found_after_its_prefix() -> None:
    line = "⤷ " + TRANSLATION
    assert locate(line, 2 + TRANSLATION.index("RedNote"), [TEXT, TRANSLATION]) == (
        TRANSLATION,
        TRANSLATION.index("RedNote"),
    )


def test_header_labels_spaces_and_clicks_past_the_end_find_nothing() -> None:
    texts = [TEXT, TRANSLATION]
    assert locate("🐱 阿婷  @ating_8am · 🇨🇳 深圳 · 0:25", 3, texts) is None
    assert locate("  machine · Argos stub", 4, texts) is None
    assert locate(TEXT, len(TEXT) + 3, texts) is None
    assert locate("⤷ " + TRANSLATION, 1, texts) is None  # the space after the prefix


def test_the_word_at_an_offset() -> None:
    words = [Word("救命", 0, 2), Word("小红书", 9, 12)]
    assert [word_at(words, at) for at in (0, 1, 2, 9, 11, 12)] == [0, 0, None, 1, 1, None]
