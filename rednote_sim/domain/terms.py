r"""Terms every layer shares: scripts, language names, how time is written.

* **Scripts.** What counts as a Chinese character (Han script) and as a Latin
  letter. The standard library's ``re`` has no ``\p{...}`` classes, so the
  ranges are spelled out here once; language detection, span protection,
  pinyin, segmentation, the phrasebook and content validation all use them.
* **Language names**, for labels.
* **Time**: scenario seconds as ``m:ss``, an imported message's original time.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the models import this module; they are only needed for typing here
    from rednote_sim.domain import Message

# --- scripts ----------------------------------------------------------------------------------

HAN_CHARS = (
    "\u3007"  # 〇, the ideographic zero (read líng)
    "\u3400-\u4dbf"  # CJK Unified Ideographs Extension A
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\uf900-\ufaff"  # CJK Compatibility Ideographs
    "\U00020000-\U0002ebef"  # Extensions B-F
    "\U00030000-\U0003134f"  # Extension G
)
"""Chinese characters, as a character class body (without brackets).

Chinese punctuation is deliberately not Han: it is kept as it is, never given
pinyin, and it separates clauses rather than joining words.
"""

LATIN_CHARS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
"""Latin letters, including accented ones (a character class body)."""

HAN = re.compile(f"[{HAN_CHARS}]")
"""One Chinese character."""

HAN_RUN = re.compile(f"[{HAN_CHARS}]+")
"""A run of consecutive Chinese characters."""

LATIN_WORD = re.compile(f"[{LATIN_CHARS}]+(?:['’][{LATIN_CHARS}]+)*")
"""A word in Latin letters, with inner apostrophes (``don't``, ``it’s``)."""


def has_han(text: str) -> bool:
    """True if ``text`` contains at least one Chinese character."""
    return HAN.search(text) is not None


# --- language names ---------------------------------------------------------------------------

LANG_NAMES: dict[str, str] = {"en": "English", "zh": "中文"}
"""Each language by the name its own readers use: labels both readers see (cards, handouts)."""

LANG_WORDS: dict[str, str] = {"en": "English", "zh": "Chinese"}
"""Language names in English, for labels in English sentences ("Chinese parts translated")."""


# --- time -------------------------------------------------------------------------------------


def format_time(seconds: float) -> str:
    """Scenario time as ``m:ss``."""
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def format_posted_at(posted_at: datetime) -> str:
    """An imported message's original time as the chat showed it: ``2025-01-14 10:05``."""
    return posted_at.strftime("%Y-%m-%d %H:%M")


def format_when(message: Message) -> str:
    """Session time, and for an imported chat the original time: ``0:42 · 2025-01-14 10:05``."""
    when = format_time(message.t)
    if message.posted_at is not None:
        when += f" · {format_posted_at(message.posted_at)}"
    return when
