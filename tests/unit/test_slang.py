"""The slang lexicon: loading with file:line errors, look-ups, the translator's paraphrases."""

from __future__ import annotations

from pathlib import Path

import pytest

from rednote_sim.content import validate_dir
from rednote_sim.domain import Glossary, GlossaryTerm, SlangEntry, SlangLexicon
from rednote_sim.errors import ContentError
from rednote_sim.slang import SlangIndex, load_slang
from rednote_sim.translate.paraphrase import Paraphraser, slang_terms

ROOT = Path(__file__).resolve().parents[2]


def _entry(term: str, lang: str = "zh", **extra: object) -> SlangEntry:
    return SlangEntry.model_validate(
        {"term": term, "lang": lang, "gloss": "g", "note": "n", **extra}
    )


def test_the_shipped_lexicon_is_large_and_complete() -> None:
    lexicon = load_slang(ROOT / "personas" / "slang.toml")
    assert len(lexicon.slang) >= 150
    for entry in lexicon.slang:
        assert entry.gloss.strip() and entry.note.strip(), entry.term
        assert not (entry.plain and entry.render), entry.term
    terms = {e.term for e in lexicon.slang}
    for must in ("宝", "笑死", "家人们", "错峰", "刷", "踩雷", "yyds", "lol"):
        assert must in terms, must
    # Single characters are too ambiguous to rewrite before the model (宝宝, 刷牙…).
    assert all(len(e.term) > 1 for e in lexicon.slang if e.plain or e.render)


def test_a_missing_file_is_an_empty_lexicon(tmp_path: Path) -> None:
    assert load_slang(tmp_path / "slang.toml") == SlangLexicon()


BAD = """\
[[slang]]
term = "笑死"
lang = "zh"
gloss = "LOL"
note = "laughing"

[[slang]]
term = "lol"
lang = "en"
gloss = "哈哈"
note = "laughing"
plain = "哈哈"

[[slang]]
term = "笑死"
lang = "zh"
gloss = "LOL"
note = "again"

[[slang]]
term = "踩雷"
lang = "zh"
note = "a mine"
example = "这家店踩雷了"

[[slang]]
term = "种草"
lang = "zh"
gloss = "to make you want it"
note = "planting grass"
plain = "推荐"
render = "tempted"
"""


def test_problems_name_the_file_the_line_and_the_field(tmp_path: Path) -> None:
    path = tmp_path / "slang.toml"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_slang(path)
    lines = str(caught.value).splitlines()
    assert f"{path}:7: slang[1]: plain is for Chinese entries only" in lines[0]
    duplicate = next(line for line in lines if "is also entry" in line)
    assert duplicate.startswith(f"{path}:15: slang[2].term: '笑死' is also entry 1")
    missing = next(line for line in lines if "gloss" in line and "slang[3]" in line)
    assert missing.startswith(f"{path}:20: slang[3].gloss: required field is missing")
    assert any(f"{path}:26: slang[4]: give plain or render, not both" in line for line in lines)
    assert all("(fix: " in line for line in lines)


def test_personas_validate_reports_slang_problems(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "personas"
    shutil.copytree(ROOT / "personas", root)
    (root / "slang.toml").write_text(BAD, encoding="utf-8")
    cast, problems = validate_dir(root)
    assert cast is None
    assert problems and all(p.path == root / "slang.toml" for p in problems)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"plain": "笑死"}, "not the term"),
        ({"plain": "LOL"}, "plain Chinese"),
        ({"render": "LOL", "lang": "en"}, "Chinese entries only"),
        ({"example": "哈哈哈", "example_translation": "hahaha"}, "does not use the term"),
        ({"variants": ["笑死"]}, "repeats the term"),
        ({"variants": [" "]}, "must not be empty"),
        ({"example": "笑死了"}, "give both example and example_translation"),
    ],
)
def test_entries_are_checked(extra: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SlangEntry.model_validate(
            {"term": "笑死", "lang": "zh", "gloss": "g", "note": "n", **extra}
        )


def test_look_ups_by_term_variant_and_case() -> None:
    index = SlangIndex(
        SlangLexicon(
            slang=[_entry("笑死", variants=["笑死我了"]), _entry("lmao", "en", variants=["lmfao"])]
        )
    )
    assert index.lookup("笑死我了") is index.lookup("笑死")
    lmao = index.lookup("LMFAO")
    assert lmao is not None and lmao.term == "lmao"
    assert index.lookup("lmao", "zh") is None
    assert [(s, e, x.term) for s, e, x in index.find("笑死我了，笑死", "zh")] == [
        (0, 4, "笑死"),
        (5, 7, "笑死"),
    ]
    # English terms are whole words only.
    assert [x.term for _, _, x in index.find("LMAO a lmaooo", "en")] == ["lmao"]


def test_the_model_reads_plain_chinese_but_names_and_terms_are_left_alone() -> None:
    lexicon = SlangLexicon(
        slang=[
            _entry("种草", plain="推荐给我想买"),
            _entry("笑死", render="LOL"),
            _entry("吃土"),  # no paraphrase: looked up only
        ]
    )
    glossary = Glossary(terms=[GlossaryTerm(en="grass planting club", zh="种草社")])
    paraphrase = Paraphraser(lexicon, glossary)
    assert paraphrase("被博主种草了，这个月吃土") == "被博主推荐给我想买了，这个月吃土"
    assert paraphrase("#种草 好物") == "#种草 好物"  # part of a hashtag
    assert paraphrase("@种草达人 你好") == "@种草达人 你好"  # part of a handle
    assert paraphrase("我们种草社见") == "我们种草社见"  # part of a glossary term
    assert [(t.zh, t.en) for t in slang_terms(lexicon)] == [("笑死", "LOL")]
    assert len(paraphrase) == 1 and len(paraphrase.digest) == 8
