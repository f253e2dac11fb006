"""Sentence splitting for chat messages.

Argos splits with stanza, which needs torch and the internet; chat messages are
short, so punctuation is enough: a sentence ends at a run of 。！？!?… (or a
full stop that ends a word), at a line break, and takes any closing quotes and
emoji that follow it ("太好了！！🎉" is one sentence). Translating sentence by
sentence keeps the model inside the lengths it was trained on.
"""

from __future__ import annotations

from rednote_sim.domain.terms import HAN
from rednote_sim.translate.scripts import EMOJI_RE

_TERMINATORS = frozenset("。！？!?…．")
_CONTINUE = frozenset("。！？!?…．.~～")  # a run "?!", "！！！", "...", "。。。" ends once
_CLOSERS = frozenset("”’\"')）」』】》]")
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "st", "vs", "etc", "e.g", "i.e", "u.s", "jr", "sr", "prof", "approx"}
)


def _is_full_stop(line: str, i: int) -> bool:
    """Whether the "." at ``line[i]`` ends a sentence (not "3.5", "e.g.", "Mr.")."""
    nxt = line[i + 1] if i + 1 < len(line) else ""
    if nxt and not (nxt.isspace() or nxt in _CONTINUE or nxt in _CLOSERS or HAN.match(nxt)):
        return False
    word_start = i
    while word_start > 0 and (line[word_start - 1].isalpha() or line[word_start - 1] == "."):
        word_start -= 1
    return line[word_start:i].lower() not in _ABBREVIATIONS


def _split_line(line: str) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    start = i = 0
    n = len(line)
    while i < n:
        ch = line[i]
        if ch in _TERMINATORS or (ch == "." and _is_full_stop(line, i)):
            j = i + 1
            while j < n and line[j] in _CONTINUE:
                j += 1
            while j < n and line[j] in _CLOSERS:
                j += 1
            k = j
            while k < n and line[k] in " \t":
                k += 1
            emoji = EMOJI_RE.match(line, k)
            if emoji:
                j = emoji.end()
            pieces.append((start, j))
            start = i = j
        else:
            i += 1
    pieces.append((start, n))
    return pieces


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Where the sentences of a text are: ``(start, end)`` offsets, whitespace excluded.

    The same sentences as :func:`split_sentences`, as positions in ``text``.
    """
    bounds: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        for start, end in _split_line(line):
            while start < end and line[start].isspace():
                start += 1
            while end > start and line[end - 1].isspace():
                end -= 1
            if start < end:
                bounds.append((offset + start, offset + end))
        offset += len(line) + 1
    return bounds


def split_sentences(text: str) -> list[str]:
    """Split a chat message into sentences.

    Args:
        text: The message; any length, any mix of Chinese and English.

    Returns:
        The sentences in order, each stripped of surrounding whitespace and
        keeping its own punctuation; never an empty string. Text without any
        sentence punctuation is one sentence per line.

    Examples:
        >>> split_sentences("你好！我来自上海。 Nice to meet you...")
        ['你好！', '我来自上海。', 'Nice to meet you...']
    """
    sentences: list[str] = []
    for line in text.splitlines():
        sentences.extend(line[start:end] for start, end in sentence_bounds(line))
    return sentences
