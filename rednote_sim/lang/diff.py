"""Word-level diffs: what a correction struck out and what it put in.

A line and its corrected version are cut into words (Chinese with jieba, so
"我昨天去了北京" and "我昨天去北京了" differ by the word 了, not by characters
shuffled around; English by words, punctuation and spaces), and the two word
sequences are compared with :mod:`difflib`. The pieces join back to either
side: the ``same`` and ``del`` pieces give the original, ``same`` and ``ins``
the correction. Renderers show ``del`` struck out and ``ins`` inserted
(``<del>``/``<ins>`` in HTML, ``~~old~~ **new**`` in Markdown).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

from rednote_sim.domain.terms import has_han
from rednote_sim.lang.hsk import Cutter

Change = Literal["same", "del", "ins"]

_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\s+|[^\w\s]|_", re.UNICODE)


@dataclass(frozen=True)
class DiffPiece:
    """A run of words that both sides share (``same``), or that only one has."""

    change: Change
    text: str


def words(text: str, seg: Cutter | None = None) -> list[str]:
    """``text`` cut into words, spaces and punctuation (they join back to ``text``)."""
    if not has_han(text):
        return _WORDS.findall(text)
    if seg is None:
        from rednote_sim.lang.segment import segmenter

        seg = segmenter()
    tokens = seg.cut(text)
    return tokens if "".join(tokens) == text else list(text)


def word_diff(original: str, corrected: str, seg: Cutter | None = None) -> list[DiffPiece]:
    """The word-level difference between a line and its correction.

    Args:
        original: The line as written.
        corrected: The corrected version.
        seg: The Chinese segmenter (default jieba's, via the workshop's segmenter).

    Returns:
        Pieces in reading order; where a word was replaced, the struck-out
        piece comes before the inserted one.
    """
    old, new = words(original, seg), words(corrected, seg)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    pieces: list[DiffPiece] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            _add(pieces, "same", "".join(old[a1:a2]))
            continue
        _add(pieces, "del", "".join(old[a1:a2]))
        _add(pieces, "ins", "".join(new[b1:b2]))
    return pieces


def _add(pieces: list[DiffPiece], change: Change, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1].change == change:
        pieces[-1] = DiffPiece(change, pieces[-1].text + text)
    else:
        pieces.append(DiffPiece(change, text))


def side(pieces: list[DiffPiece], which: Literal["original", "corrected"]) -> str:
    """One side of a diff back as text."""
    skip = "ins" if which == "original" else "del"
    return "".join(p.text for p in pieces if p.change != skip)
