"""Word-level diffs of a line and its correction."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rednote_sim.lang.diff import DiffPiece, side, word_diff


def test_english_by_words() -> None:
    assert word_diff("I goes to school yesterday.", "I went to school yesterday.") == [
        DiffPiece("same", "I "),
        DiffPiece("del", "goes"),
        DiffPiece("ins", "went"),
        DiffPiece("same", " to school yesterday."),
    ]


def test_chinese_by_jieba_words_not_characters() -> None:
    pieces = word_diff("我很喜欢吃中国菜", "我非常喜欢吃中国菜！")
    assert pieces == [
        DiffPiece("same", "我"),
        DiffPiece("del", "很"),
        DiffPiece("ins", "非常"),
        DiffPiece("same", "喜欢吃中国菜"),
        DiffPiece("ins", "！"),
    ]


def test_a_moved_word_is_struck_out_and_inserted() -> None:
    pieces = word_diff("我昨天去了北京", "我昨天去北京了")
    assert {p.change for p in pieces} == {"same", "del", "ins"}
    assert side(pieces, "original") == "我昨天去了北京"
    assert side(pieces, "corrected") == "我昨天去北京了"


def test_no_change_is_one_same_piece() -> None:
    assert word_diff("same_thing", "same_thing") == [DiffPiece("same", "same_thing")]


@given(st.text(max_size=40), st.text(max_size=40))
def test_both_sides_come_back(original: str, corrected: str) -> None:
    pieces = word_diff(original, corrected)
    assert side(pieces, "original") == original
    assert side(pieces, "corrected") == corrected
