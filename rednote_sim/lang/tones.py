"""Tones as data: tone numbers per syllable, tone marks, Pleco's palette, HTML spans.

The renderers (room, handouts, Anki) only colour what these functions return:

* :func:`mark` turns CC-CEDICT's numbered pinyin (``juan4 zi5``) into tone marks
  and :func:`numbered_syllables` into (syllable, tone) pairs;
* :func:`tone_spans` splits any pinyin text (``jiùmìng，wǒ de xiǎohóngshū！ lol``)
  into pieces, each with its tone or ``None`` for what is not pinyin;
* :func:`tone_html` is the same split as HTML: ``<span class="tone3">xiǎo</span>``,
  everything else escaped;
* :data:`PLECO_PALETTE` is the default colour of each tone.

Tone 5 is the neutral tone. Tone marks are always kept in the text, so colour is
never the only signal.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

NEUTRAL = 5
"""The neutral (light) tone."""

PLECO_PALETTE: dict[int, str] = {
    1: "#E30000",  # red: high and level
    2: "#02B31C",  # green: rising
    3: "#1510F0",  # blue: low, dipping
    4: "#8900BF",  # purple: falling
    5: "#777777",  # grey: neutral
}
"""Pleco's default tone colours, tone number -> CSS hex colour."""

DARK_PALETTE: dict[int, str] = {
    1: "#FF5A5A",  # Pleco's red, lighter
    2: "#3DD65A",  # green
    3: "#7C8CFF",  # blue: #1510F0 cannot be read on a dark background
    4: "#C56BF0",  # purple
    5: "#9A9A9A",  # grey
}
"""The same hues lightened for a dark background (the room's dark theme, Anki's night mode)."""

TONE_CLASSES: dict[int, str] = {tone: f"tone{tone}" for tone in range(1, 6)}
"""The CSS class of each tone in HTML output (``tone1`` … ``tone5``)."""

# Combining marks of tones 1-4 (macron, acute, caron, grave).
_COMBINING = {1: "\u0304", 2: "\u0301", 3: "\u030c", 4: "\u0300"}
_TONE_OF_COMBINING = {mark: tone for tone, mark in _COMBINING.items()}
_VOWELS = "aeiouü"
_NUMBERED = re.compile(r"^([A-Za-zÜü:]+?)([1-5])$")
_LETTERS = re.compile(r"[A-Za-zÀ-ɏ\u0300-\u036f'’]+")


def _tone_vowel(syllable: str) -> int | None:
    """Index of the vowel that carries the tone mark (a/e first, then the o of ou, else last)."""
    lower = syllable.lower()
    for vowel in "ae":
        if vowel in lower:
            return lower.index(vowel)
    if "ou" in lower:
        return lower.index("o")
    for index in range(len(lower) - 1, -1, -1):
        if lower[index] in _VOWELS:
            return index
    return None


def mark_syllable(numbered: str) -> tuple[str, int] | None:
    """One numbered syllable (``lu:4``, ``Ya3``, ``zi5``) as (tone-marked text, tone).

    Returns:
        ``("lǜ", 4)``, ``("Yǎ", 3)``, ``("zi", 5)``; None when ``numbered`` is not a
        numbered pinyin syllable (``C``, ``·``).
    """
    match = _NUMBERED.match(numbered)
    if match is None:
        return None
    letters = match.group(1).replace("u:", "ü").replace("U:", "Ü")
    letters = letters.replace("v", "ü").replace("V", "Ü")
    tone = int(match.group(2))
    if ":" in letters:
        return None
    if tone == NEUTRAL:
        return letters, tone
    at = _tone_vowel(letters)
    if at is None:  # "m2", "ng4", "r5": no vowel; the mark goes on the first letter
        at = 0
    marked = letters[: at + 1] + _COMBINING[tone] + letters[at + 1 :]
    return unicodedata.normalize("NFC", marked), tone


@dataclass(frozen=True)
class Syllable:
    """One syllable of pinyin: its tone-marked text and its tone (1-5)."""

    text: str
    tone: int


def numbered_syllables(numbered: str) -> list[Syllable | str]:
    """CC-CEDICT pinyin (``juan4 zi5``) as syllables; other tokens (``C``, ``·``) as text."""
    out: list[Syllable | str] = []
    for token in numbered.split():
        marked = mark_syllable(token)
        out.append(Syllable(*marked) if marked else token)
    return out


def join_syllables(syllables: list[str]) -> str:
    """Tone-marked syllables written as one word, as Hanyu Pinyin does.

    An apostrophe goes before a syllable that starts with a, o or e (``xī'ān``);
    a capitalised syllable starts a new word (``Shǎnxī Shěng``).
    """
    out = ""
    for syllable in syllables:
        if out:
            if syllable[:1].isupper():
                out += " "
            elif _starts_with_vowel(syllable):
                out += "'"
        out += syllable
    return out


JOINED_UP_TO = 3
"""Entries of up to this many syllables are one word; longer ones are spaced by syllable."""


def mark(numbered: str) -> str:
    """CC-CEDICT pinyin with tone marks: ``juan4 zi5`` -> ``juànzi``.

    A word of up to :data:`JOINED_UP_TO` syllables is written as one word
    (:func:`join_syllables`, the rule of the workshop's pinyin: ``xiǎohóngshū``);
    idioms and phrases are spaced by syllable, as dictionaries print them
    (``rè guō shang de mǎ yǐ``). Tokens that are not syllables (``C``, ``,``)
    stand apart, and ``·`` (between the parts of a foreign name) joins them.
    """
    pieces = numbered_syllables(numbered)
    if sum(isinstance(p, Syllable) for p in pieces) > JOINED_UP_TO:
        spaced = " ".join(p.text if isinstance(p, Syllable) else p for p in pieces)
        return spaced.replace(" · ", "·")
    words: list[str] = []
    run: list[str] = []
    for piece in pieces:
        if isinstance(piece, Syllable):
            run.append(piece.text)
            continue
        if run:
            words.append(join_syllables(run))
            run = []
        words.append(piece)
    if run:
        words.append(join_syllables(run))
    return " ".join(words).replace(" · ", "·")


def _starts_with_vowel(text: str) -> bool:
    base = unicodedata.normalize("NFD", text[:1]).lower()[:1]
    return base in ("a", "o", "e")


def tone_of(syllable: str) -> int:
    """The tone of one tone-marked syllable: the mark's tone, else 5 (neutral)."""
    for char in unicodedata.normalize("NFD", syllable):
        tone = _TONE_OF_COMBINING.get(char)
        if tone is not None:
            return tone
    return NEUTRAL


def strip_tones(text: str) -> str:
    """Pinyin without tone marks (``lǜ`` -> ``lü``), for matching syllables."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in decomposed if c not in _TONE_OF_COMBINING)
    return unicodedata.normalize("NFC", kept)


@lru_cache(maxsize=1)
def _toneless_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows a character for (``zhong``, ``lü``, ``r``)."""
    from pypinyin.pinyin_dict import pinyin_dict

    found: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in str(readings).split(","):
            found.add(strip_tones(reading.strip()).lower())
    found.discard("")
    return frozenset(found)


def _segment(word: str) -> list[str] | None:
    """Split a run of letters into pinyin syllables (fewest syllables), or None."""
    plain = strip_tones(word).lower()
    known = _toneless_syllables()
    longest = 6  # "zhuang", "chuang", "shuang"
    best: list[list[int] | None] = [None] * (len(plain) + 1)
    best[0] = []
    for end in range(1, len(plain) + 1):
        for start in range(max(0, end - longest), end):
            prefix = best[start]
            if prefix is not None and plain[start:end] in known:
                candidate = [*prefix, end]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    cuts = best[len(plain)]
    if cuts is None:
        return None
    pieces, start = [], 0
    for end in cuts:
        pieces.append(word[start:end])
        start = end
    return pieces


@dataclass(frozen=True)
class ToneSpan:
    """A piece of pinyin text: a syllable with its tone, or other text (``tone is None``).

    ``spoken`` is the tone as pronounced after tone sandhi when that was asked
    for (``nǐ`` in ``nǐ hǎo`` is spoken with tone 2); otherwise it equals ``tone``.
    """

    text: str
    tone: int | None
    spoken: int | None = None

    @property
    def css_class(self) -> str:
        """``tone1`` … ``tone5`` (of the spoken tone), or ``""`` for text that is not pinyin."""
        tone = self.spoken if self.spoken is not None else self.tone
        return TONE_CLASSES.get(tone, "") if tone is not None else ""


def _append(spans: list[ToneSpan], text: str) -> None:
    if not text:
        return
    if spans and spans[-1].tone is None:
        spans[-1] = ToneSpan(spans[-1].text + text, None)
    else:
        spans.append(ToneSpan(text, None))


def tone_spans(pinyin: str, *, expected: list[Syllable] | None = None) -> list[ToneSpan]:
    """Split pinyin text into syllables with their tones and the text around them.

    The spans join back to ``pinyin`` exactly.

    Args:
        pinyin: Tone-marked pinyin, possibly with other text (punctuation,
            English words kept as written, emoji).
        expected: The syllables the pinyin was made from, in order (see
            :func:`rednote_sim.lang.readings.hanzi_syllables`). With them only
            those syllables are coloured, so an English word in a message line
            ("de", "long") is never taken for pinyin, and their ``tone`` (which
            may be a sandhi tone) is what ``spoken`` reports. Without them, every
            run of letters that divides into pinyin syllables is pinyin (right for
            a dictionary's or a phrasebook's pinyin field); a syllable without a
            mark is neutral.
    """
    spans: list[ToneSpan] = []
    queue = list(expected) if expected is not None else None
    last = 0
    for match in _LETTERS.finditer(pinyin):
        _append(spans, pinyin[last : match.start()])
        last = match.end()
        word = match.group()
        if queue is not None:
            _expected_word(spans, word, queue)
            continue
        core = word.strip("'’")
        parts = _segment(core.replace("'", "").replace("’", "")) if core else None
        if parts is None:
            _append(spans, word)
            continue
        _split_word(spans, word, parts)
    _append(spans, pinyin[last:])
    return spans


def _split_word(spans: list[ToneSpan], word: str, parts: list[str]) -> None:
    """Emit the syllables of ``word`` (apostrophes kept as plain text between them)."""
    at = 0
    for part in parts:
        while word[at] in "'’":
            _append(spans, word[at])
            at += 1
        text = word[at : at + len(part)]
        tone = tone_of(text)
        spans.append(ToneSpan(text, tone, tone))
        at += len(part)
    _append(spans, word[at:])


def _expected_word(spans: list[ToneSpan], word: str, queue: list[Syllable]) -> None:
    """Emit ``word``'s syllables while they match the next expected ones; the rest is text."""
    at = 0
    while at < len(word):
        if word[at] in "'’":
            _append(spans, word[at])
            at += 1
            continue
        if not queue:
            break
        want = queue[0].text
        piece = word[at : at + len(want)]
        if piece.lower() != want.lower():
            break
        spoken = queue.pop(0).tone
        spans.append(ToneSpan(piece, tone_of(piece), spoken))
        at += len(want)
    _append(spans, word[at:])


def tone_html(pinyin: str, *, expected: list[Syllable] | None = None) -> str:
    """:func:`tone_spans` as HTML: each syllable in ``<span class="toneN">``, all text escaped."""
    out = []
    for span in tone_spans(pinyin, expected=expected):
        text = html.escape(span.text, quote=True)
        out.append(f'<span class="{span.css_class}">{text}</span>' if span.css_class else text)
    return "".join(out)


def palette_css(palette: dict[int, str] | None = None, *, scope: str = "") -> str:
    """CSS rules for the tone classes (``.tone1 { color: #E30000; }`` …).

    Args:
        palette: Tone -> colour (default: Pleco's).
        scope: A selector the rules apply under (``.nightMode``), or none.
    """
    colours = palette or PLECO_PALETTE
    prefix = f"{scope} " if scope else ""
    return "\n".join(
        f"{prefix}.{TONE_CLASSES[t]} {{ color: {colours[t]}; }}" for t in sorted(colours)
    )
