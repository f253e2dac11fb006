"""Tones as data: tone marks, syllables and tones, spans, HTML, palette, sandhi."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rednote_sim.lang.pinyin import pinyin
from rednote_sim.lang.readings import hanzi_syllables, hanzi_tones, spoken_tones
from rednote_sim.lang.tones import (
    PLECO_PALETTE,
    Syllable,
    mark,
    mark_syllable,
    palette_css,
    tone_html,
    tone_of,
    tone_spans,
)


@pytest.mark.parametrize(
    ("numbered", "marked"),
    [
        ("mao1", "māo"),
        ("juan4 zi5", "juànzi"),
        ("lu:4", "lǜ"),
        ("nu:3 ren2", "nǚrén"),
        ("Xi1 an1", "Xī'ān"),
        ("Shan3 xi1 Sheng3", "Shǎnxī Shěng"),
        ("yi1 dian3 r5", "yīdiǎnr"),
        ("xiu1", "xiū"),
        ("gui4", "guì"),
        ("dou1", "dōu"),
        ("san1 C", "sān C"),
        ("yi1 ju3 liang3 de2", "yī jǔ liǎng dé"),
    ],
)
def test_numbered_pinyin_gets_tone_marks(numbered: str, marked: str) -> None:
    assert mark(numbered) == marked


def test_a_token_that_is_not_a_syllable_is_not_marked() -> None:
    assert mark_syllable("C") is None and mark_syllable("·") is None
    assert mark_syllable("zi5") == ("zi", 5)


def test_tone_of_a_marked_syllable_and_neutral() -> None:
    assert [tone_of(s) for s in ("mā", "má", "mǎ", "mà", "ma", "lǘ")] == [1, 2, 3, 4, 5, 2]


def test_spans_of_pinyin_join_back_and_carry_tones() -> None:
    text = "xiǎohóngshū, xièxie! lol"
    spans = tone_spans(text)
    assert "".join(s.text for s in spans) == text
    assert [(s.text, s.tone) for s in spans if s.tone] == [
        ("xiǎo", 3),
        ("hóng", 2),
        ("shū", 1),
        ("xiè", 4),
        ("xie", 5),
    ]
    assert spans[-1].text.endswith("lol") and spans[-1].tone is None


def test_with_the_source_syllables_english_words_are_never_taken_for_pinyin() -> None:
    source = "我的 long cat 卷子 de"
    line = pinyin(source)
    assert line == "wǒ de long cat juànzi de"
    spans = tone_spans(line, expected=hanzi_syllables(source))
    assert "".join(s.text for s in spans) == line
    coloured = [(s.text, s.tone) for s in spans if s.tone]
    assert coloured == [("wǒ", 3), ("de", 5), ("juàn", 4), ("zi", 5)]


def test_sandhi_is_the_spoken_tone_and_the_marks_stay() -> None:
    source = "你好，我很好"
    plain = hanzi_syllables(source)
    spoken = hanzi_syllables(source, sandhi=True)
    assert [s.tone for s in plain] == [3, 3, 3, 3, 3]
    assert [s.tone for s in spoken] == [2, 3, 2, 2, 3]
    assert [s.text for s in spoken] == ["nǐ", "hǎo", "wǒ", "hěn", "hǎo"]
    assert spoken_tones("不是", [4, 4]) == [2, 4]
    spans = tone_spans(pinyin(source), expected=spoken)
    first = next(s for s in spans if s.tone)
    assert (first.text, first.tone, first.spoken, first.css_class) == ("nǐ", 3, 2, "tone2")


def test_hanzi_tones_cover_every_character() -> None:
    assert hanzi_tones("猫ok妈") == [("猫", 1), ("o", None), ("k", None), ("妈", 1)]


def test_html_has_a_class_per_tone_and_escapes_everything_else() -> None:
    html = tone_html('māo <b>&</b> "ma"')
    assert html == (
        '<span class="tone1">māo</span> &lt;b&gt;&amp;&lt;/b&gt; '
        '&quot;<span class="tone5">ma</span>&quot;'
    )


def test_the_palette_is_plecos_and_becomes_css() -> None:
    assert set(PLECO_PALETTE) == {1, 2, 3, 4, 5}
    assert PLECO_PALETTE[1] == "#E30000"
    assert ".tone3 { color: #1510F0; }" in palette_css()


@given(st.text(max_size=60))
def test_spans_always_join_back_to_the_text(text: str) -> None:
    assert "".join(s.text for s in tone_spans(text)) == text


def test_expected_syllables_are_consumed_in_order() -> None:
    spans = tone_spans("mā mā", expected=[Syllable("mā", 1)])
    assert [s.tone for s in spans if s.tone] == [1]
