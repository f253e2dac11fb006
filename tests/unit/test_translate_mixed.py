"""Messages that mix the languages: which parts get translated, and how they fit back."""

from __future__ import annotations

import pytest

from rednote_sim.domain import Lang
from rednote_sim.translate.langid import written_in
from rednote_sim.translate.mixed import Part, mixes_languages, other_language_parts, rebuild


def _parts(text: str, lang: Lang) -> list[str]:
    return [text[p.start : p.end] for p in other_language_parts(text, lang)]


@pytest.mark.parametrize(
    ("text", "lang", "parts"),
    [
        ("I'm a 铲屎官 for two cats", "en", ["铲屎官"]),
        ("我想练口语 but my accent is so bad 哈哈", "zh", ["but my accent is so bad"]),
        # Punctuation, digits and letters written against Han stay inside the part.
        ("标准答案是A！then the rest in English", "en", ["标准答案是A！"]),
        ("ok 还有143天高考 so help", "en", ["还有143天高考"]),
        ("早C晚A is the meme of the week", "en", ["早C晚A"]),
        # One character quoted in English is the topic, not a clause.
        ("Writing 永 on my whiteboard tomorrow", "en", []),
        # A single English word (a name, an interjection) in Chinese is kept.
        ("Dale你好！我是武汉的老周", "zh", []),
        # Pinyin is not English.
        ("发音也来一个：wǒ xǐhuan chī jiǎozi 🥟", "zh", []),
        # Glossed in the message: it already says what it means.
        ("一扇窗 = one window?? I understood that", "en", []),
        ("还有add oil = 加油！美国朋友学中文", "zh", []),
        (
            "yyds = 永远的神 yǒngyuǎn de shén = eternal god，就是你们说的GOAT",
            "en",
            ["就是你们说的GOAT"],
        ),
        # Names are not parts.
        ("#猫税 #小红书 pay up friends", "en", []),
        ("@my_friend_here 你好你好 see you soon", "en", ["你好你好"]),
    ],
)
def test_other_language_parts(text: str, lang: Lang, parts: list[str]) -> None:
    assert _parts(text, lang) == parts


@pytest.mark.parametrize(
    ("text", "mixed"),
    [
        ("two apps, one heart ❤️ 我不走！", True),
        ("作业还没写完😭 my homework is not finished but I stay with you", True),
        ("第一题：The meeting ___ by the time we arrived.", True),
        ("what's 大橘?? the translate button says 'big orange'", False),  # 2 characters
        ("我学中文第三天!! thank you 谢谢", False),  # 2 English words
        ("Hello from Ohio!", False),
        ("你好，我来自上海。", False),
        ("🐱🐱🐱", False),
    ],
)
def test_mixes_languages(text: str, mixed: bool) -> None:
    assert mixes_languages(text) is mixed


def test_chinese_parts_fit_into_an_english_sentence() -> None:
    text = "I'm a 铲屎官 for two cats"
    (part,) = other_language_parts(text, "en")
    # The model capitalises and ends a part as a sentence; mid-sentence it is neither.
    assert rebuild(text, [part], ["Shit shoveler."]) == "I'm a shit shoveler for two cats"


def test_a_name_keeps_its_capital_mid_sentence() -> None:
    text = "Hi! I'm 小满 from Shanghai, just @ me 有看不懂的也可以@我"
    parts = other_language_parts(text, "en")
    assert [text[p.start : p.end] for p in parts] == ["小满", "有看不懂的也可以@我"]
    out = rebuild(text, parts, ["Xiaoman.", "Anything you can't read @ me"], frozenset({"Xiaoman"}))
    assert out == "Hi! I'm Xiaoman from Shanghai, just @ me anything you can't read @ me"


def test_chinese_punctuation_around_parts_becomes_ascii() -> None:
    text = "第一题：The meeting ___ by the time we arrived."
    parts = other_language_parts(text, "en")
    assert rebuild(text, parts, ["Question 1"]) == (
        "Question 1: The meeting ___ by the time we arrived."
    )


def test_a_part_glued_to_an_emoji_gets_a_space() -> None:
    text = "so kind 谢谢宝😭 you are"
    parts = other_language_parts(text, "en")
    assert rebuild(text, parts, ["Thank you, babe"]) == "so kind thank you, babe 😭 you are"


def test_english_parts_into_chinese_lose_a_full_stop_the_source_lacks() -> None:
    text = "作业还没写完 my homework is not finished"
    (part,) = other_language_parts(text, "zh")
    assert part == Part(7, len(text), "en")
    assert rebuild(text, [part], ["我的作业还没写完。"]) == "作业还没写完 我的作业还没写完"


@pytest.mark.parametrize(
    ("text", "lang", "fits"),
    [
        ("Question 1: The meeting ___ by the time we arrived.", "zh", False),
        ("Question 1: The meeting ___ by the time we arrived.", "en", True),
        # A Chinese reference quoting a lot of English is still Chinese.
        (
            "开头很好！改两个小地方：'My dream is TO become a doctor because I want to help.'",
            "zh",
            True,
        ),
        ("大家好！！TikTok难民报到 👋", "zh", True),
        ("大家好！！TikTok难民报到 👋", "en", False),
        ("👋👋", "zh", True),
    ],
)
def test_a_reference_fits_the_rendering_in_its_language(text: str, lang: Lang, fits: bool) -> None:
    assert written_in(text, lang) is fits
