"""Tone-coloured pinyin (and characters) as Textual content.

The colours are theme variables, ``$tone-1`` … ``$tone-5`` (``tui/themes.py``:
Pleco's palette, lightened for the dark theme), so they follow ``d``. The text is
the pinyin as written, tone marks and all: colour is never the only signal.
With colours off (``ViewOptions.tones``) the same text comes in one style.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content

from rednote_sim.lang.tones import ToneSpan
from rednote_sim.textsafe import visible


def tone_style(tone: int | None) -> str:
    """The style of a syllable of ``tone`` (``$tone-3``); ``""`` for what is not pinyin."""
    return f"$tone-{tone}" if tone in (1, 2, 3, 4, 5) else ""


def tone_content(
    spans: Iterable[ToneSpan], *, coloured: bool, style: str = "", colour: str = ""
) -> Content:
    """Pinyin pieces as one line: each syllable in its tone's colour (if ``coloured``).

    Args:
        spans: The pinyin split by :func:`rednote_sim.lang.tones.tone_spans`.
        coloured: Colour the syllables by tone.
        style: The style of every piece (``italic``).
        colour: The colour of what is not a coloured syllable (``$text-accent``):
            punctuation, English, and everything when ``coloured`` is False.
    """
    parts: list[tuple[str, str]] = []
    for span in spans:
        tone = span.spoken if span.spoken is not None else span.tone
        own = (tone_style(tone) if coloured else "") or colour
        parts.append((visible(span.text), " ".join(p for p in (style, own) if p)))
    return Content.assemble(*parts)


def hanzi_content(
    chars: Iterable[tuple[str, int | None]], *, coloured: bool, style: str = "", colour: str = ""
) -> Content:
    """Characters coloured by their syllable's tone (``lang.readings.hanzi_tones``)."""
    spans = (ToneSpan(char, tone, tone) for char, tone in chars)
    return tone_content(spans, coloured=coloured, style=style, colour=colour)
