"""Readings of Chinese characters in context, from pypinyin, with tones as numbers.

pypinyin chooses the reading of a polyphone from its phrase dictionary. Where
that dictionary is wrong for how the word is used today, :data:`PHRASE_READINGS`
corrects it; :func:`use_phrase_readings` loads the corrections into pypinyin, so
the workshop's pinyin, the tone colours and the dictionary's choice of reading
all agree.

Tone sandhi is optional (``sandhi=True``, see :func:`spoken_tones`): the tones
as spoken (你好 nǐ hǎo is spoken ní hǎo, 不是 bù shì is spoken bú shì).
"""

from __future__ import annotations

import threading
from typing import Any

from rednote_sim.domain.terms import HAN_RUN
from rednote_sim.lang.tones import Syllable, tone_of

PHRASE_READINGS: dict[str, list[str]] = {
    # pypinyin reads 卷子 juǎnzi (a steamed roll); the word a student posts is the test
    # paper, juànzi (CC-CEDICT lists both; the exam sense is the everyday one).
    "卷子": ["juàn", "zi"],
}
"""Corrections to pypinyin's phrase dictionary: word -> one tone-marked syllable per character."""

_loaded = False
_lock = threading.Lock()


def use_phrase_readings() -> None:
    """Load :data:`PHRASE_READINGS` into pypinyin (once per process; cheap after that)."""
    global _loaded
    if _loaded:
        return
    with _lock:
        if not _loaded:
            from pypinyin import load_phrases_dict

            load_phrases_dict(
                {word: [[s] for s in readings] for word, readings in PHRASE_READINGS.items()}
            )
            _loaded = True


def _one_per_char(chars: str) -> Any:
    # pypinyin's stubs say str, but a list keeps one item per unconvertible character.
    return list(chars)


def _run(run: str, *, sandhi: bool) -> list[Syllable]:
    from pypinyin import Style, lazy_pinyin

    use_phrase_readings()
    marked: list[str] = lazy_pinyin(run, style=Style.TONE, errors=_one_per_char)
    if len(marked) != len(run):  # pypinyin grouped something: read character by character
        return [s for char in run for s in _run(char, sandhi=sandhi)]
    syllables = [Syllable(text, tone_of(text)) for text in marked]
    if not sandhi:
        return syllables
    spoken = spoken_tones(run, [s.tone for s in syllables])
    return [Syllable(s.text, tone) for s, tone in zip(syllables, spoken, strict=True)]


def spoken_tones(chars: str, tones: list[int]) -> list[int]:
    """Tones as spoken, after the two sandhi rules every textbook teaches.

    * Third tone before third tone is spoken as second: 你好 ní hǎo, 水果 shuí guǒ
      (in a run of third tones, every one but the last).
    * 不 before a fourth tone is spoken bú: 不是 bú shì.

    (pypinyin's own ``tone_sandhi`` misses most third-tone pairs; its phrase
    dictionary already writes 一 and 不 as spoken in common words, 一个 yí gè.)
    """
    out = list(tones)
    for index in range(len(tones) - 2, -1, -1):
        if tones[index] == 3 and tones[index + 1] == 3:
            out[index] = 2
        if chars[index] == "不" and tones[index + 1] == 4:
            out[index] = 2
    return out


def hanzi_syllables(text: str, *, sandhi: bool = False) -> list[Syllable]:
    """One syllable per Chinese character of ``text``, in order, with its tone.

    Each run of Chinese characters is read as a whole, so the phrase dictionary
    picks polyphones from their neighbours (一觉醒来: jiào, not jué). The
    syllables are those the workshop's pinyin writes, so they can be passed to
    :func:`rednote_sim.lang.tones.tone_spans` as ``expected``.

    Args:
        text: Any text; characters that are not Chinese are skipped.
        sandhi: Give the spoken tone (after tone sandhi) as ``tone``; the text
            keeps the dictionary tone mark either way.
    """
    out: list[Syllable] = []
    for match in HAN_RUN.finditer(text):
        out += _run(match.group(), sandhi=sandhi)
    return out


def hanzi_tones(text: str, *, sandhi: bool = False) -> list[tuple[str, int | None]]:
    """Each character of ``text`` with its tone (None if not Chinese), for colouring Hanzi."""
    syllables = iter(hanzi_syllables(text, sandhi=sandhi))
    tones: list[tuple[str, int | None]] = []
    spans = {i for m in HAN_RUN.finditer(text) for i in range(m.start(), m.end())}
    for index, char in enumerate(text):
        tones.append((char, next(syllables).tone if index in spans else None))
    return tones
