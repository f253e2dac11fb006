"""A saved word takes its meaning and pinyin from the dictionary (real CC-CEDICT), not from MT."""

from __future__ import annotations

from pathlib import Path

import pytest

from rednote_sim.content import load_cast
from rednote_sim.domain import Message
from rednote_sim.lang.lookup import Dictionary
from rednote_sim.lang.sources import room_dictionary
from rednote_sim.workshop.vocab import make_entry


@pytest.fixture(scope="module")
def dictionary(personas_dir: Path) -> Dictionary:
    cast = load_cast(personas_dir)
    return room_dictionary(cast.glossary, cast.slang)


def message(text: str) -> Message:
    return Message(session="s1", seq=3, t=9.0, persona="ating", name="阿婷", lang="zh", text=text)


def test_a_single_word_takes_the_dictionary_over_a_machine_translation(
    dictionary: Dictionary,
) -> None:
    entry = make_entry(
        message("我不会说英文"),
        "不会",
        machine_translation="Nope.",
        entry=dictionary.best("不会"),
    )
    assert entry.translation_source == "dictionary"
    assert "Nope" not in entry.translation
    assert entry.translation.startswith("improbable; unlikely")
    assert entry.pinyin == "bùhuì"


def test_the_dictionarys_reading_goes_with_its_meaning(dictionary: Dictionary) -> None:
    entry = make_entry(message("明天交卷子"), "卷子", entry=dictionary.best("卷子"))
    assert (entry.pinyin, entry.translation_source) == ("juànzi", "dictionary")
    assert "test paper" in entry.translation


def test_the_learners_words_and_the_glossary_still_win(
    dictionary: Dictionary, personas_dir: Path
) -> None:
    glossary = load_cast(personas_dir).glossary
    mine = make_entry(
        message("不会吧"), "不会", user_translation="no way", entry=dictionary.best("不会")
    )
    assert (mine.translation, mine.translation_source) == ("no way", "user")
    red = make_entry(
        message("我的小红书"), "小红书", glossary=glossary, entry=dictionary.best("小红书")
    )
    assert (red.translation, red.translation_source) == ("RedNote", "glossary")


def test_a_word_the_dictionary_lacks_falls_back_to_the_machine(dictionary: Dictionary) -> None:
    found = dictionary.best("哈哈哈哈哈")
    entry = make_entry(
        message("哈哈哈哈哈"), "哈哈哈哈哈", machine_translation="hahaha", entry=found
    )
    assert found is None
    assert (entry.translation, entry.translation_source) == ("hahaha", "machine")
