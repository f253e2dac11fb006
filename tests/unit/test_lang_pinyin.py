"""Pinyin: tone marks, word spacing, context readings, and non-Chinese left alone."""

from __future__ import annotations

import pytest

from rednote_sim.domain.terms import has_han
from rednote_sim.lang.pinyin import pinyin, word_pinyin
from rednote_sim.lang.segment import Segmenter


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("小红书", "xiǎohóngshū"),
        ("你好", "nǐhǎo"),
        ("我的眼睛", "wǒ de yǎnjīng"),
        ("绿色", "lǜsè"),
        ("西安", "xī'ān"),  # apostrophe: a syllable starting with a/o/e inside a word
        ("天安门", "tiān'ānmén"),
        ("银行", "yínháng"),  # 行 read háng here, xíng elsewhere
        ("一觉醒来", "yī jiàoxǐng lái"),  # readings from the whole run: jiào, not jué
    ],
)
def test_tone_marks_and_word_spacing(text: str, expected: str) -> None:
    assert pinyin(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Hello world",
        "lol 😂😂 #TikTokRefugee @maddie https://example.com/a?b=1",
        "<script>alert(1)</script> & [red]x[/red]",
        "  spaced  out  ",
    ],
)
def test_text_without_chinese_comes_back_unchanged(text: str) -> None:
    assert pinyin(text) == text


def test_non_han_parts_of_a_mixed_line_are_kept_verbatim() -> None:
    text = "救命，我的小红书！😵 #猫税 @lin_xiao https://x.test/猫 lol"
    out = pinyin(text)
    for kept in ("，", "！", "😵", "#", "@lin_xiao", "https://x.test/", " lol"):
        assert kept in out
    assert "jiùmìng" in out and "xiǎohóngshū" in out and "māo" in out
    assert not has_han(out)


def test_latin_next_to_chinese_gets_a_space() -> None:
    assert pinyin("你好TikTok难民") == "nǐhǎo TikTok nànmín"
    assert pinyin("第1条") == "dì 1 tiáo"


def test_glossary_words_stay_one_word() -> None:
    seg = Segmenter(["早C晚A", "TikTok难民", "猫税"])
    assert pinyin("早C晚A", seg) == "zǎo C wǎn A"
    assert pinyin("我们交猫税", seg) == "wǒmen jiāo māoshuì"


def test_newlines_are_kept() -> None:
    assert pinyin("你好\n再见") == "nǐhǎo\nzàijiàn"


def test_word_pinyin_for_phrasebook_entries() -> None:
    assert word_pinyin(" 看不懂 ") == "kànbùdǒng"
    assert word_pinyin("雅思托福", Segmenter(["雅思", "托福"])) == "yǎsī tuōfú"


def test_ideographic_zero_and_extension_characters() -> None:
    assert pinyin("〇") == "líng"
    assert pinyin("𠀀") and "\n" not in pinyin("𠀀")  # a reading or the character, never a crash


def test_has_han() -> None:
    assert has_han("TikTok难民")
    assert not has_han("，。！？")  # Chinese punctuation is not Han
    assert not has_han("hello 😂")


def test_juanzi_is_the_test_paper() -> None:
    # pypinyin's phrase dictionary reads 卷子 juǎnzi (a steamed roll).
    assert pinyin("卷子") == "juànzi"
    assert pinyin("这张英语卷子") == "zhèzhāng yīngyǔ juànzi"
