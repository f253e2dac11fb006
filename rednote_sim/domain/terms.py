"""What counts as a Chinese character (Han script), for every layer."""

from __future__ import annotations

import re

# CJK Unified Ideographs and their extensions, compatibility ideographs, and 〇
# (the ideographic zero, read líng). Chinese punctuation is deliberately not Han:
# it is kept as it is, never given pinyin.
_HAN_CLASS = (
    "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef\U00030000-\U0003134f"
)
HAN = re.compile(f"[{_HAN_CLASS}]")
"""One Chinese character."""

HAN_RUN = re.compile(f"[{_HAN_CLASS}]+")
"""A run of consecutive Chinese characters."""


def has_han(text: str) -> bool:
    """True if ``text`` contains at least one Chinese character."""
    return HAN.search(text) is not None
