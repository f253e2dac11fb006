"""Emoji the app draws itself (avatars, reaction chips) at a width every terminal agrees on.

Terminals and Rich disagree on the width of some emoji: a variation selector
(``❤️`` is U+2764 U+FE0F: two cells for Rich, one for a terminal that counts
with ``wcwidth``), ZWJ sequences (``🙋‍♂️``: two cells, or three), skin-tone
modifiers. When they disagree, every cell after the emoji is drawn one cell off
and Textual's partial redraws land in the wrong cells: borders vanish, avatars
are drawn twice, dialog edges double.

Message text keeps what people typed. What the app draws around it uses
:func:`chrome_glyph` (one code point, no selectors) and :func:`glyph_slot` (that
glyph in two cells), and content is checked with :func:`wide_emoji` (a persona's
avatar must be one emoji that is wide on its own).
"""

from __future__ import annotations

import unicodedata

ZWJ = "\u200d"
PRESENTATION_SELECTORS = frozenset("\ufe0e\ufe0f")
SKIN_TONES = range(0x1F3FB, 0x1F400)
TAGS = range(0xE0020, 0xE0080)
"""Tag characters (subdivision flags such as England's)."""
KEYCAP = "\u20e3"
REGIONAL_INDICATORS = range(0x1F1E6, 0x1F200)


def wide_emoji(text: str) -> bool:
    """True for one emoji that is two cells wide on its own, in every terminal.

    That is a single code point of East Asian Width "W" that is a symbol (🐱 🔍
    🌏), not a sequence with a variation selector (🕵️ 🗺️ 🌶️ ❤️), a ZWJ
    sequence (🙋‍♂️), a skin tone or a flag.

    Examples:
        >>> wide_emoji("🐱"), wide_emoji("🕵️"), wide_emoji("🙋‍♂️"), wide_emoji("中")
        (True, False, False, False)
    """
    return (
        len(text) == 1
        and unicodedata.east_asian_width(text) == "W"
        and unicodedata.category(text) == "So"
    )


def chrome_glyph(text: str) -> str:
    """An emoji reduced to what every terminal measures alike.

    The first emoji of a ZWJ sequence, without presentation selectors,
    skin tones, tags or keycap marks; a flag (two regional indicators) stays.

    Examples:
        >>> chrome_glyph("❤️"), chrome_glyph("🙋‍♂️"), chrome_glyph("👍🏽"), chrome_glyph("🇺🇸")
        ('❤', '🙋', '👍', '🇺🇸')
    """
    first = text.strip().split(ZWJ, 1)[0]
    kept = [
        char
        for char in first
        if char not in PRESENTATION_SELECTORS
        and char != KEYCAP
        and ord(char) not in SKIN_TONES
        and ord(char) not in TAGS
    ]
    if len(kept) >= 2 and all(ord(c) in REGIONAL_INDICATORS for c in kept[:2]):
        return "".join(kept[:2])
    return kept[0] if kept else "?"


def glyph_slot(text: str) -> str:
    """:func:`chrome_glyph` in a slot of two cells (a narrow glyph gets a space).

    A terminal that draws a narrow symbol such as ``❤`` in colour, two cells
    wide, then overlaps the space rather than the next character; chips and
    avatars line up either way.
    """
    glyph = chrome_glyph(text)
    if len(glyph) == 1 and unicodedata.east_asian_width(glyph) not in ("W", "F"):
        return glyph + " "
    return glyph
