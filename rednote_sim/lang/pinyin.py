"""Pinyin with tone marks for the Chinese in a text, spaced by word.

Readings come from pypinyin over each whole run of Chinese characters, so its
phrase dictionary picks the right reading of a polyphone from its neighbours
(一觉醒来 -> yī jiào xǐng lái, not jué). Spacing follows the words jieba finds,
the way Hanyu Pinyin is written: syllables of one word run together
(xiǎohóngshū), words are separated by spaces, and an apostrophe marks a syllable
that starts with a, o or e inside a word (xī'ān). Everything that is not a Chinese
character (English, emoji, hashtags, URLs, Chinese punctuation) is left as it is.

Where pypinyin's phrase dictionary reads a word wrongly, the corrections in
:data:`rednote_sim.lang.readings.PHRASE_READINGS` win (卷子 is juànzi).

Tones are the dictionary tones; tone sandhi (nǐ hǎo read ní hǎo) is not written,
as in most dictionaries and textbooks.
"""

from __future__ import annotations

from typing import Any

from rednote_sim.domain.terms import HAN, HAN_RUN, has_han
from rednote_sim.lang.readings import use_phrase_readings
from rednote_sim.lang.segment import Segmenter, segmenter

_VOWEL_START = frozenset("aoeāáǎàōóǒòēéěè")


def _one_per_char(chars: str) -> Any:
    # pypinyin's stubs say str, but a list keeps one item per unconvertible character.
    return list(chars)


def _run_syllables(run: str) -> list[str]:
    """One tone-marked syllable per character of a run of Chinese characters."""
    from pypinyin import Style, lazy_pinyin

    use_phrase_readings()  # 卷子 is juànzi (the test paper), not pypinyin's juǎnzi
    out: list[str] = lazy_pinyin(run, style=Style.TONE, errors=_one_per_char)
    if len(out) == len(run):
        return out
    # pypinyin grouped something unexpectedly: read the characters one by one.
    return [
        (lazy_pinyin(char, style=Style.TONE, errors=_one_per_char) or [char])[0] for char in run
    ]


def _syllable_map(text: str) -> dict[int, str]:
    readings: dict[int, str] = {}
    for match in HAN_RUN.finditer(text):
        for offset, syllable in enumerate(_run_syllables(match.group())):
            readings[match.start() + offset] = syllable
    return readings


def _join_word(syllables: list[str]) -> str:
    word = ""
    for syllable in syllables:
        if word and syllable[:1].lower() in _VOWEL_START:
            word += "'"
        word += syllable
    return word


def _wordy(char: str) -> bool:
    return char.isalnum() or HAN.match(char) is not None


def _render_token(token: str, start: int, readings: dict[int, str]) -> str:
    """A token with its Chinese characters replaced by one pinyin word."""
    out = ""
    pending: list[str] = []
    previous = ""
    for offset, char in enumerate(token):
        reading = readings.get(start + offset)
        if reading is not None:
            if not pending and previous.isalnum():
                out += " "  # 早C晚A -> zǎo C wǎn A
            pending.append(reading)
        else:
            if pending:
                out += _join_word(pending)
                pending = []
                if char.isalnum():
                    out += " "
            out += char
        previous = char
    if pending:
        out += _join_word(pending)
    return out


def _tokens(text: str, seg: Segmenter) -> list[str]:
    tokens = seg.cut(text)
    if "".join(tokens) == text:
        return tokens
    # Never lose characters: fall back to splitting at the edges of Chinese runs.
    pieces: list[str] = []
    last = 0
    for match in HAN_RUN.finditer(text):
        pieces += [text[last : match.start()], match.group()]
        last = match.end()
    pieces.append(text[last:])
    return [p for p in pieces if p]


def pinyin(text: str, seg: Segmenter | None = None) -> str:
    """The text with its Chinese written in tone-marked pinyin, spaced by word.

    Args:
        text: Any text; only its Chinese characters are converted.
        seg: The segmenter deciding word boundaries (default: jieba's dictionary).

    Returns:
        E.g. ``"救命，我的小红书！ lol"`` -> ``"jiùmìng，wǒ de xiǎohóngshū！ lol"``;
        text without Chinese characters comes back unchanged.
    """
    if not has_han(text):
        return text
    seg = seg or segmenter()
    readings = _syllable_map(text)
    out = ""
    start = 0
    previous = ""
    for token in _tokens(text, seg):
        rendered = _render_token(token, start, readings)
        if (
            previous
            and _wordy(previous[-1])
            and _wordy(token[0])
            and (has_han(previous) or has_han(token))
        ):
            out += " "
        out += rendered
        previous = token
        start += len(token)
    return out


def word_pinyin(word: str, seg: Segmenter | None = None) -> str:
    """Pinyin for a phrasebook entry: one word joined (xiǎohóngshū), a phrase spaced by word."""
    return pinyin(word.strip(), seg)
