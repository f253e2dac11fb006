"""Tone-coloured HTML for the handout and the Anki cards: a ``<span class="toneN">`` per syllable.

The classes are ``tone1`` … ``tone5`` (``lang.tones.TONE_CLASSES``); the colours
live in the stylesheet (``handout.css``, the Anki note type's CSS), Pleco's
palette. The text inside the spans is the pinyin as written, tone marks kept, so
colour is never the only signal. Everything is escaped (after
:func:`~rednote_sim.textsafe.visible`): this is message text.
"""

from __future__ import annotations

from html import escape

from rednote_sim.lang.readings import hanzi_syllables, hanzi_tones
from rednote_sim.lang.tones import TONE_CLASSES, ToneSpan, tone_spans
from rednote_sim.textsafe import visible


def _spans_html(spans: list[ToneSpan]) -> str:
    out = []
    for span in spans:
        text = escape(span.text, quote=True)
        out.append(f'<span class="{span.css_class}">{text}</span>' if span.css_class else text)
    return "".join(out)


def pinyin_html(pinyin: str, chinese: str | None = None) -> str:
    """Pinyin with a span per syllable.

    Args:
        pinyin: Tone-marked pinyin (a line's, or a phrasebook entry's).
        chinese: The Chinese it was read from (a message line): then only the
            syllables read from its characters are coloured, never an English
            word in the line ("de", "long"). None for a dictionary's pinyin.
    """
    expected = hanzi_syllables(chinese) if chinese is not None else None
    return _spans_html(tone_spans(visible(pinyin), expected=expected))


def hanzi_html(text: str) -> str:
    """Chinese text with each character in its syllable's tone class (others as they are)."""
    out = []
    for char, tone in hanzi_tones(visible(text)):
        escaped = escape(char, quote=True)
        out.append(f'<span class="{TONE_CLASSES[tone]}">{escaped}</span>' if tone else escaped)
    return "".join(out)
