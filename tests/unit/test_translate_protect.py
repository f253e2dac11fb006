from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rednote_sim.domain import Glossary, GlossaryTerm, Lang
from rednote_sim.translate.protect import Span, find_spans, protect, restore

GLOSSARY = Glossary(
    terms=[
        GlossaryTerm(en="RedNote", zh="小红书"),
        GlossaryTerm(en="IELTS", zh="雅思"),
        GlossaryTerm(en="TOEFL", zh="托福"),
        GlossaryTerm(en="early C, late A", zh="早C晚A"),
        GlossaryTerm(en="cat tax", zh="猫税"),
    ]
)


def kinds(text: str, source: Lang = "zh") -> list[tuple[str, str]]:
    return [(s.kind, s.source) for _, _, s in find_spans(text, source=source, glossary=GLOSSARY)]


# --- finding spans ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("看 #TikTokRefugee 和 #猫税", [("hashtag", "#TikTokRefugee"), ("hashtag", "#猫税")]),
        ("@catmom_ohio 你好", [("mention", "@catmom_ohio")]),
        ("问@小红薯123 吧", [("mention", "@小红薯123")]),
        ("看 https://xhslink.com/a/B1c?x=1 吧", [("url", "https://xhslink.com/a/B1c?x=1")]),
        ("链接www.example.org/path。", [("url", "www.example.org/path")]),
        ("程序员👩‍💻", [("emoji", "👩‍💻")]),
        ("黑猫🐈‍⬛来了", [("emoji", "🐈‍⬛")]),
        ("点赞👍🏽 from 🇺🇸", [("emoji", "👍🏽"), ("foreign", "from"), ("emoji", "🇺🇸")]),
        ("第1️⃣名", [("emoji", "1️⃣")]),
        ("哈哈😂😂 😭", [("emoji", "😂😂 😭")]),
        ("我用ChatGPT翻译", [("foreign", "ChatGPT")]),
        ("我的English不好 sorry", [("foreign", "English"), ("foreign", "sorry")]),
        ("在小红书上交猫税", [("glossary", "小红书"), ("glossary", "猫税")]),
        ("早C晚A", [("glossary", "早C晚A")]),
        ("别写XQ1", [("lookalike", "XQ1")]),
    ],
)
def test_find_spans_zh(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I love rednote!", [("glossary", "rednote")]),
        ("RedNotes2 is not a term", []),
        ("Paying the Cat Tax now", [("glossary", "Cat Tax")]),
        ("I tried 火锅 today", [("foreign", "火锅")]),
        ("I have 3 cats and 2,000 followers", [("number", "3"), ("number", "2,000")]),
        ("See you at 10:30", [("number", "10:30")]),
        ("50% off", [("number", "50%")]),
        ("my iPhone16 and 10am", []),
        ("https://rednote.com/RedNote", [("url", "https://rednote.com/RedNote")]),
        ("#RedNote rocks", [("hashtag", "#RedNote")]),
    ],
)
def test_find_spans_en(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text, "en") == expected


@pytest.mark.parametrize(
    ("text", "protected"),
    [
        ("我在美国住了15年", []),  # a number with a unit: the model translates it better
        ("有3.5万人", []),
        ("电话13800138000", ["13800138000"]),  # long digit runs are copied
        ("我们10:30见", ["10:30"]),  # and so are times
        ("我有 3 只猫", ["3"]),
    ],
)
def test_numbers_in_chinese(text: str, protected: list[str]) -> None:
    assert [src for kind, src in kinds(text) if kind == "number"] == protected


def test_glossary_target_and_case() -> None:
    spans = find_spans("I love REDNOTE", source="en", glossary=GLOSSARY)
    assert [s.target for _, _, s in spans] == ["小红书"]
    spans = find_spans("我爱小红书", source="zh", glossary=GLOSSARY)
    assert [s.target for _, _, s in spans] == ["RedNote"]


def test_longest_glossary_term_wins() -> None:
    glossary = Glossary(
        terms=[
            GlossaryTerm(en="TikTok", zh="TikTok"),
            GlossaryTerm(en="TikTok refugee", zh="TikTok难民"),
        ]
    )
    spans = find_spans("我们是TikTok难民", source="zh", glossary=glossary)
    assert [(s.source, s.target) for _, _, s in spans] == [("TikTok难民", "TikTok refugee")]


# --- protect ------------------------------------------------------------------------------


def test_protect_replaces_spans_with_placeholders() -> None:
    p = protect(
        "在小红书上 @amy 说 #猫税 很重要 🐱 真的", source="zh", target="en", glossary=GLOSSARY
    )
    assert p.text == "在XQ0上 XQ1 说 XQ2 很重要 XQ3 真的"
    assert [s.target for s in p.spans] == ["RedNote", "@amy", "#猫税", "🐱"]


def test_protect_sets_edge_decorations_aside() -> None:
    p = protect("@amy_ohio 你的猫好可爱！😭😭 #猫税", source="zh", target="en", glossary=GLOSSARY)
    assert (p.prefix, p.text, p.suffix) == ("@amy_ohio ", "你的猫好可爱！", "😭😭 #猫税")
    assert p.spans == ()
    assert p.restore("Your cat is so cute!") == "@amy_ohio Your cat is so cute! 😭😭 #猫税"


def test_protect_keeps_grammatical_edges_in_the_sentence() -> None:
    p = protect("早C晚A是什么意思？", source="zh", target="en", glossary=GLOSSARY)
    assert p.text == "XQ0是什么意思？"
    assert p.restore("What does XQ0 mean?") == "What does early C, late A mean?"


def test_protect_only_decorations() -> None:
    p = protect("🐱🐱 #猫税", source="zh", target="en", glossary=GLOSSARY)
    assert p.text == ""
    assert p.restore("") == "🐱🐱 #猫税"


def test_protect_spaces_placeholders_off_latin_words() -> None:
    p = protect("I love火锅so much", source="en", target="zh", glossary=GLOSSARY)
    assert p.text == "I love XQ0 so much"


def test_protect_into_chinese_keeps_original_spacing_of_edges() -> None:
    p = protect("So cute😭", source="en", target="zh")
    assert p.restore("太可爱了") == "太可爱了😭"


# --- restore ------------------------------------------------------------------------------

SPANS = (
    Span("glossary", "雅思", "IELTS"),
    Span("glossary", "托福", "TOEFL"),
    Span("emoji", "🐱", "🐱"),
)


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("prep XQ0, XQ1 and XQ2", "prep IELTS, TOEFL and 🐱"),
        ("prep XQ0XQ1 XQ2", "prep IELTS TOEFL 🐱"),  # adjacent English words get a space
        ("prep XQ 0, xq1 and X Q 2", "prep IELTS, TOEFL and 🐱"),  # spaced, lower-case
        ("prep XQO, XQ1 and XQ2", "prep IELTS, TOEFL and 🐱"),  # letter O for zero
        ("prep XQ0, XQ1s and XQ2s", "prep IELTS, TOEFLs and 🐱"),  # a plural on a name is kept
        ("prep XQ0 XQ0, XQ1 and XQ2", "prep IELTS, TOEFL and 🐱"),  # duplicates kept once
        ("prep XQ0 XQ0 and XQ1 XQ2", "prep IELTS and TOEFL 🐱"),
        ("prep XQ, XQ1 and XQ2", "prep IELTS, TOEFL and 🐱"),  # a bare XQ takes the missing one
        ("prep XQ1 and XQ2", "prep TOEFL and 🐱 IELTS"),  # lost: appended, never dropped
        ("prepare for the exams", "prepare for the exams IELTS TOEFL 🐱"),
        ("XQ0's XQ1", "IELTS's TOEFL 🐱"),
    ],
)
def test_restore_forgives_mangling(output: str, expected: str) -> None:
    assert restore(output, SPANS, "en") == expected


def test_restore_ignores_placeholders_that_are_not_ours() -> None:
    assert restore("see XQ7 and XQ0", SPANS[:1], "en") == "see XQ7 and IELTS"


def test_restore_extra_digits_after_a_valid_index() -> None:
    # "XQ10" with two spans is XQ1 followed by a stray 0.
    assert restore("XQ10 XQ0", SPANS[:2], "en") == "TOEFL0 IELTS"


def test_restore_into_chinese_does_not_add_spaces() -> None:
    spans = (Span("glossary", "RedNote", "小红书"), Span("emoji", "🐱", "🐱"))
    assert restore("我爱XQ0XQ1", spans, "zh") == "我爱小红书🐱"
    assert restore("我爱", spans, "zh") == "我爱小红书🐱"


def test_restore_without_spans_is_identity() -> None:
    assert restore("XQ0 stays", (), "en") == "XQ0 stays"


def test_source_lookalike_survives_round_trip() -> None:
    p = protect("I typed XQ1 by mistake 😅 ok", source="en", target="zh")
    assert p.restore(p.text) == "I typed XQ1 by mistake 😅 ok"


# --- properties ---------------------------------------------------------------------------

_ATOMS = [
    "你好",
    "我的猫",
    "很可爱",
    "，",
    "。",
    "！",
    " ",
    "hello",
    "world",
    "#猫税",
    "#TikTokRefugee",
    "@amy_ohio",
    "https://xhslink.com/abc",
    "🐱",
    "👩‍💻",
    "🇺🇸",
    "👍🏽",
    "13800138000",
    "10:30",
    "小红书",
    "雅思",
    "早C晚A",
    "\n",
]
chat = st.lists(st.sampled_from(_ATOMS), max_size=14).map("".join)


def _expected_targets(text: str, source: Lang) -> list[str]:
    return [s.target for _, _, s in find_spans(text, source=source, glossary=GLOSSARY)]


@given(chat)
def test_identity_model_round_trips(text: str) -> None:
    """A model that copies its input gives the message back (up to spacing)."""
    p = protect(text, source="zh", target="zh", glossary=Glossary())
    assert "".join(p.restore(p.text).split()) == "".join(text.split())


@given(chat, st.data())
def test_every_span_survives_a_lossy_model(text: str, data: st.DataObject) -> None:
    """Whatever the model drops or mangles, every span comes back exactly once."""
    p = protect(text, source="zh", target="en", glossary=GLOSSARY)
    tokens = re.split(r"(XQ\d+)", p.text)
    mangled = []
    for token in tokens:
        if re.fullmatch(r"XQ\d+", token):
            mangled.append(
                data.draw(
                    st.sampled_from(
                        [token, "", token.lower(), token.replace("XQ", "XQ "), token + token]
                    )
                )
            )
        else:
            mangled.append(token)
    restored = p.restore("".join(mangled))
    for span in p.spans:
        assert restored.count(span.target) >= 1
    for target in _expected_targets(text, "zh"):
        assert target in restored
    assert not re.search(r"XQ ?\d", restored, re.IGNORECASE) or "XQ" in text
