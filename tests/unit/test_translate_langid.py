from __future__ import annotations

import pytest

from rednote_sim.translate.langid import detect_lang


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello from Ohio!", "en"),
        ("你好，我来自上海。", "zh"),
        ("Hi 你好 from Ohio", "en"),
        ("我的English不好 sorry", "zh"),
        ("I love 小红书", "en"),
        ("哈哈哈 lol", "zh"),
        ("OMG 太可爱了", "zh"),
        ("Café au lait, s'il vous plaît", "en"),
        # Names are not prose: the hashtag and the mention do not make this English.
        ("#TikTokRefugee @catmom_ohio 欢迎", "zh"),
        ("@小雨同学 @橙橙 see you there", "en"),  # handles in Chinese characters are names too
        ("https://www.xiaohongshu.com/explore 看这个", "zh"),
        ("#猫税 pay the cat tax", "en"),
        # Letters and acronyms written against Han are part of the Chinese text.
        ("早C晚A", "zh"),
        ("早C晚A😂 我们白天刷", "zh"),
        ("你的中文是AI写的", "zh"),
        ("我考了A", "zh"),
        ("Welcome to 小红书！欢迎欢迎🎉 家人们有问题可以问我，新手指南已经置顶了", "zh"),
        ("just @ me 有看不懂的也可以@我", "zh"),  # "@我" is Chinese, not a handle
        # ...but not when they are words of an English line.
        ("I got an A in 中文", "en"),
        ("C is for cat", "en"),
    ],
)
def test_dominant_language(text: str, expected: str) -> None:
    assert detect_lang(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "🐱🐱🐱", "👍🏽 🇺🇸", "123 456", "!!!???", "#TikTokRefugee", "@amy", "😂 2025"],
)
def test_nothing_to_detect(text: str) -> None:
    assert detect_lang(text) is None
