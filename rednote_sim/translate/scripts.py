r"""Chat spans shared by language detection, splitting and span protection.

Links, hashtags, mentions, list markers, arrows and emoji: what chat text
needs, not all of Unicode. The script ranges they are built from (Han, Latin)
are :mod:`rednote_sim.domain.terms`'s.
"""

from __future__ import annotations

import re

from rednote_sim.domain.terms import HAN_CHARS, LATIN_CHARS

URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'，。！？、；：“”‘’（）【】]+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|cn|us|gov|edu|app|dev)"
    r"(?:/[^\s<>\"'，。！？、；：“”‘’（）【】]*)?",
    re.IGNORECASE,
)
"""Links with a scheme or ``www.``, and bare domains with a common top-level domain."""

# Trailing punctuation is a sentence's, not the link's: "see https://x.com/a." ends at "a".
URL_TRAILING = ".,!?:;)]}'\""

HASHTAG_RE = re.compile(f"#[{LATIN_CHARS}{HAN_CHARS}0-9_]+(?:#(?=\\s|$))?")
"""``#TikTokRefugee``, ``#猫税``; RedNote's ``#话题#`` style closing hash is kept too."""

_AT_PRONOUN = "(?:我们|你们|他们|她们|大家|我|你|他|她)"
_NAME_CHAR = f"[{HAN_CHARS}A-Za-z0-9_·\\-]"
MENTION_RE = re.compile(
    r"(?<![A-Za-z0-9_.@])@(?:[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?"
    f"|(?!{_AT_PRONOUN}){_NAME_CHAR}{{1,12}}(?!{_NAME_CHAR}))"
)
"""``@catmom_ohio`` and ``@小雨同学``: a handle, as RedNote writes it.

An ASCII handle is ``@`` and handle characters. A handle in Chinese characters
(up to 12) needs something other than a name character after it, a space or
punctuation or an emoji (RedNote puts a space), since Chinese runs on:
``@小雨同学 你上次说的…``. ``@我`` ("@ me"), ``@大家`` ("@ everyone") and the other
pronouns are grammar, not handles, and an email address is not a mention.
"""

LIST_MARK_RE = re.compile(r"[\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]+")
"""Circled and parenthesised numbers and letters (①②③, ⑴, ⒈, ❶): list item markers."""

ARROW_RE = re.compile(r"[\u2190-\u21ff\u27f0-\u27ff\u2900-\u297f]")
"""Arrows (``美国→上海→首尔``, ``「我」→设置``): between items, like punctuation."""

_PICTO = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u23cf"
    "\u23e9-\u23f3\u23f8-\u23fa\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u27bf"
    "\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299"
    "\U0001f000-\U0001f1e5\U0001f200-\U0001faff"
)
_REGIONAL = "\U0001f1e6-\U0001f1ff"
_MODIFIERS = "\ufe0f\ufe0e\u20e3\U0001f3fb-\U0001f3ff"  # variation selectors, keycap, skin tones
_TAGS = "\U000e0020-\U000e007f"  # subdivision flags (England, Scotland...)
_ONE_EMOJI = f"(?:[{_PICTO}][{_MODIFIERS}]*[{_TAGS}]*|[0-9#*]\ufe0f?\u20e3)"

EMOJI_RE = re.compile(
    f"(?:[{_REGIONAL}]{{2}}|{_ONE_EMOJI}(?:\u200d{_ONE_EMOJI})*)"
    f"(?:\\s*(?:[{_REGIONAL}]{{2}}|{_ONE_EMOJI}(?:\u200d{_ONE_EMOJI})*))*"
)
"""A run of emoji: ZWJ sequences (👩‍💻), flags (🇺🇸), skin tones (👍🏽), keycaps, and the
spaces between them, so "😂😂 🐱" is one span."""
