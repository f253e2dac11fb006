"""Phrasebook entries: candidates, translation precedence, pinyin, and a quiet, lazy jieba."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rednote_sim.content import load_cast
from rednote_sim.domain import Glossary, GlossaryTerm, Message, Translation
from rednote_sim.errors import UserError
from rednote_sim.workshop.vocab import (
    MAX_TERM,
    candidates,
    glossary_translation,
    make_entry,
    term_lang,
)

GLOSSARY = Glossary(
    terms=[
        GlossaryTerm(en="RedNote", zh="小红书"),
        GlossaryTerm(en="cat tax", zh="猫税"),
        GlossaryTerm(en="TikTok refugee", zh="TikTok难民"),
    ]
)


def zh_message(text: str = "救命，一觉醒来我的小红书怎么全是英文？？") -> Message:
    return Message(
        session="s1",
        seq=6,
        t=24.0,
        persona="ating",
        name="阿婷",
        lang="zh",
        text=text,
        reference="Help, I woke up and my RedNote is all English??",
        translation=Translation(lang="en", text="Help! RedNote all English", engine="argos:x@1"),
    )


def en_message(text: str = "Houston TX 🤠 lmfaooo the cat tax is hilarious") -> Message:
    return Message(
        session="s1", seq=4, t=12.0, persona="jaylen", name="Jaylen", lang="en", text=text
    )


def test_candidates_put_glossary_terms_first_then_chinese_words() -> None:
    found = candidates(zh_message(), GLOSSARY)
    assert found[0] == "小红书"
    assert {"救命", "英文", "怎么"} <= set(found)
    assert "的" not in found  # particles are not offered
    assert all(term.strip() == term and term for term in found)
    assert "，" not in found and "？" not in found


def test_candidates_of_an_english_message_offer_glossary_phrases_and_words() -> None:
    found = candidates(en_message(), GLOSSARY)
    assert found[0] == "cat tax"
    assert "lmfaooo" in found and "hilarious" in found
    assert "the" not in found and "is" not in found


def test_a_learners_translation_wins_then_glossary_then_machine() -> None:
    at = datetime(2025, 1, 14, tzinfo=UTC)
    m = zh_message()
    user = make_entry(m, "小红书", glossary=GLOSSARY, user_translation=" Little Red Book ", at=at)
    assert (user.translation, user.translation_source) == ("Little Red Book", "user")
    glossary = make_entry(m, "小红书", glossary=GLOSSARY, machine_translation="Little Red", at=at)
    assert (glossary.translation, glossary.translation_source) == ("RedNote", "glossary")
    machine = make_entry(m, "英文", glossary=GLOSSARY, machine_translation="English", at=at)
    assert (machine.translation, machine.translation_source) == ("English", "machine")
    nothing = make_entry(m, "英文", glossary=GLOSSARY, user_translation="  ", at=at)
    assert (nothing.translation, nothing.translation_source) == ("", "")


def test_a_chinese_entry_carries_pinyin_source_and_example() -> None:
    m = zh_message()
    entry = make_entry(m, " 救命 ", glossary=GLOSSARY, note=" lit. save my life ")
    assert (entry.session, entry.seq, entry.lang, entry.term) == ("s1", 6, "zh", "救命")
    assert entry.pinyin == "jiùmìng"
    assert entry.note == "lit. save my life"
    assert entry.example == m.text
    assert entry.example_translation == m.reference  # the human reference before the machine
    assert (entry.chinese, entry.english) == ("救命", "")


def test_an_english_phrase_takes_its_chinese_and_pinyin_from_the_translation() -> None:
    entry = make_entry(en_message(), "lmfaooo", glossary=GLOSSARY, user_translation="笑死")
    assert (entry.lang, entry.chinese, entry.english) == ("en", "笑死", "lmfaooo")
    assert entry.pinyin == "xiào sǐ"
    tax = make_entry(en_message(), "Cat Tax", glossary=GLOSSARY)
    assert (tax.translation, tax.translation_source, tax.pinyin) == ("猫税", "glossary", "māoshuì")
    bare = make_entry(en_message(), "hilarious", glossary=GLOSSARY)
    assert (bare.chinese, bare.pinyin) == ("", "")


def test_blank_or_overlong_terms_are_refused() -> None:
    with pytest.raises(UserError, match="nothing to save"):
        make_entry(zh_message(), "  \n ")
    with pytest.raises(UserError, match="at most"):
        make_entry(zh_message(), "猫" * (MAX_TERM + 1))


def test_term_language_and_glossary_lookup() -> None:
    assert term_lang("TikTok难民") == "zh"
    assert term_lang("lol") == "en"
    assert glossary_translation("TikTok难民", GLOSSARY) == "TikTok refugee"
    assert glossary_translation("rednote", GLOSSARY) == "小红书"
    assert glossary_translation("小红", GLOSSARY) is None
    assert glossary_translation("小红书", None) is None


def test_the_real_glossary_keeps_its_terms_whole(personas_dir: Path) -> None:
    cast = load_cast(personas_dir)
    message = zh_message("你们要是早点来，我雅思托福不早就过了吗😭😭 TikTok难民来交猫税")
    found = candidates(message, cast.glossary)
    assert {"雅思", "托福", "TikTok难民", "猫税"} <= set(found)


_PROBE = textwrap.dedent(
    """
    import sys
    import rednote_sim.lang.pinyin as p
    import rednote_sim.workshop.vocab
    assert "jieba" not in sys.modules, "jieba imported at import time"
    print(p.pinyin("一觉醒来我的小红书"))
    """
)


def test_jieba_loads_lazily_and_prints_nothing(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}  # a cold jieba cache
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "yī jiàoxǐng lái wǒ de xiǎohóngshū"
    assert done.stderr == ""
    assert list((tmp_path / "cache" / "rednote-sim" / "jieba").iterdir())  # its cache is ours
