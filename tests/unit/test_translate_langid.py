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
        ("https://www.xiaohongshu.com/explore 看这个", "zh"),
        ("#猫税 pay the cat tax", "en"),
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
