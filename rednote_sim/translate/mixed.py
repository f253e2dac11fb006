"""Messages that mix the languages: their other-language parts, translated in place.

A line such as "I'm a 铲屎官 for two cats" or "作业还没写完😭 my homework is not
finished but I stay with you" is hard for both readers: the English reader cannot
read the Chinese part, the Chinese reader may not read the English one. Such a
message gets a second rendering in its own language with its **other-language
parts** translated and everything else kept as written (see
``TranslationService.translate`` with ``target == source``).

What counts as a part worth translating:

- In English text, a **Chinese part** is a run of Han characters, with the Chinese
  punctuation, digits and spaces inside it and the letters or acronyms written
  against it ("早C晚A"); it needs at least ``MIN_HAN_RUN`` Han characters (a single
  character quoted in an English sentence, "Writing 永 on my whiteboard", is the
  topic, not a clause).
- In Chinese text, an **English part** is a run of at least ``MIN_WORDS_RUN`` Latin
  words with the spaces and ASCII punctuation between them. Pinyin is not English
  ("wǒ xǐhuan chī jiǎozi"), nor are names in hashtags, mentions and links.
- A part that is **glossed** in the message ("一扇窗 = one window", "add oil = 加油",
  "你起床的时候… = when you get up…") is not translated: the message already says
  what it means.

A message mixes the languages when its parts add up to at least ``MIXED_MIN_HAN``
Han characters (English text) or ``MIXED_MIN_WORDS`` English words (Chinese text).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rednote_sim.domain import Lang
from rednote_sim.domain.terms import HAN, HAN_CHARS, LATIN_CHARS
from rednote_sim.translate.langid import detect_lang
from rednote_sim.translate.scripts import HASHTAG_RE, MENTION_RE, URL_RE

MIN_HAN_RUN = 2
"""Han characters a Chinese part of an English message needs."""

MIN_WORDS_RUN = 2
"""Latin words an English part of a Chinese message needs."""

MIXED_MIN_HAN = 3
"""Han characters (in parts) that make an English message mixed."""

MIXED_MIN_WORDS = 3
"""English words (in parts) that make a Chinese message mixed."""

# A Chinese part: Han, with Chinese punctuation, digits, spaces and short Latin tokens
# (a letter, an acronym: "早C晚A") between Han characters; it may end with 。！？….
_EMBEDDED = r"(?<![A-Za-z])(?:[A-Z]{1,5}|[A-Za-z])(?![A-Za-z])"
_ZH_INNER = f"(?:[{HAN_CHARS}0-9，、：；“”「」‘’ \\t]|{_EMBEDDED}|@(?=[我你他她大]))"
_ZH_PART_RE = re.compile(
    f"(?:{_EMBEDDED}(?=[{HAN_CHARS}]))?[{HAN_CHARS}](?:{_ZH_INNER}*[{HAN_CHARS}])?"
    f"(?:(?<=[{HAN_CHARS}]){_EMBEDDED})?[。！？…]*"
)
# An English part: Latin words with spaces and ASCII punctuation between them.
_WORD = f"[{LATIN_CHARS}0-9]*[{LATIN_CHARS}][{LATIN_CHARS}0-9]*(?:['’][{LATIN_CHARS}]+)*"
_EN_PART_RE = re.compile(f"{_WORD}(?:[ \\t,.!?;:'’\"()\\-/&+0-9%]*{_WORD})*[.!?…]*")
_LATIN_WORD_RE = re.compile(_WORD)
_TONE_MARKS = frozenset("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ")
# Next to "=" (or a bracket that explains it), a part is being glossed.
_GLOSS_AFTER = re.compile(r"\s*(?:\(|（|=)")
_GLOSS_BEFORE = re.compile(r"(?:=|\(|（)\s*$")


@dataclass(frozen=True)
class Part:
    """A part of a message written in the other language.

    Attributes:
        start: Where it starts in the message.
        end: Where it ends.
        lang: Its language (the other one).
    """

    start: int
    end: int
    lang: Lang


def _names(text: str) -> list[tuple[int, int]]:
    return [
        m.span() for pattern in (URL_RE, MENTION_RE, HASHTAG_RE) for m in pattern.finditer(text)
    ]


def _inside(span: tuple[int, int], names: Sequence[tuple[int, int]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in names)


def _is_pinyin(words: Sequence[str]) -> bool:
    """Whether a run of Latin words is pinyin: half of them or more carry a tone mark."""
    marked = sum(1 for w in words if _TONE_MARKS.intersection(w))
    return bool(words) and 2 * marked >= len(words)


def _glossed(text: str, start: int, end: int) -> bool:
    """Whether the part at ``text[start:end]`` is explained by the message itself."""
    after = text[end:]
    # "水饺 shuǐjiǎo (…)" and "永远的神 yǒngyuǎn de shén = …": pinyin may sit between.
    pinyin = re.match(f"\\s*(?:[{LATIN_CHARS}]+\\s*)*", after)
    if pinyin is not None and _is_pinyin(pinyin.group().split()):
        after = after[pinyin.end() :]
    return bool(_GLOSS_AFTER.match(after) or _GLOSS_BEFORE.search(text[:start]))


def other_language_parts(text: str, lang: Lang) -> list[Part]:
    """The parts of a message (written in ``lang``) that are in the other language.

    Args:
        text: The message.
        lang: The language it is written in (its dominant language).

    Returns:
        The parts worth translating, in order (see the module docstring).
    """
    names = _names(text)
    parts: list[Part] = []
    if lang == "en":
        for match in _ZH_PART_RE.finditer(text):
            start, end = match.span()
            run = text[start:end].strip()
            if len(HAN.findall(run)) < MIN_HAN_RUN or _inside((start, end), names):
                continue
            if _glossed(text, start, end):
                continue
            parts.append(Part(start, end, "zh"))
        return parts
    for match in _EN_PART_RE.finditer(text):
        start, end = match.span()
        words = _LATIN_WORD_RE.findall(match.group())
        if len(words) < MIN_WORDS_RUN or _is_pinyin(words) or _inside((start, end), names):
            continue
        if _glossed(text, start, end):
            continue
        parts.append(Part(start, end, "en"))
    return parts


def mixes_languages(text: str, lang: Lang | None = None) -> bool:
    """Whether a message mixes the languages enough to need a second rendering.

    Args:
        text: The message.
        lang: The language it is written in; detected when None.

    Examples:
        >>> mixes_languages("I'm a 铲屎官 for two cats and a very dramatic chihuahua")
        True
        >>> mixes_languages("what's 大橘?? the translate button just says 'big orange'")
        False
        >>> mixes_languages("作业还没写完，但是我要陪你们一起等😭 my homework is not finished")
        True
        >>> mixes_languages("Dale你好！我是武汉的老周")
        False
    """
    lang = lang or detect_lang(text)
    if lang is None:
        return False
    parts = other_language_parts(text, lang)
    if lang == "en":
        return sum(len(HAN.findall(text, p.start, p.end)) for p in parts) >= MIXED_MIN_HAN
    words = sum(len(_LATIN_WORD_RE.findall(text, p.start, p.end)) for p in parts)
    return words >= MIXED_MIN_WORDS


_SENTENCE_ENDS = frozenset("。！？!?…")
_CLOSING = frozenset(".,!?;:)]}'\"”’，。！？；：）」』】》、…~～")


def fit_part(translated: str, text: str, part: Part, names: frozenset[str] = frozenset()) -> str:
    """A part's translation, fitted to where the part sits in the message.

    The model translates a part as if it were a sentence: "铲屎官" becomes "Shit
    shovel." In the middle of an English sentence the capital goes and so does the
    full stop the source did not have; a translation into Chinese loses a "。" the
    source part did not end with.

    Args:
        translated: The part's translation (into the message's language).
        text: The whole message.
        part: Where the part is.
        names: Words that keep their capital mid-sentence (the glossary's names:
            "Xiaoman", "Chengdu").

    Returns:
        The text to put in the part's place (its surrounding spaces come from the
        message, plus one where an English word would touch another).
    """
    source = text[part.start : part.end].rstrip()
    out = translated.strip()
    ends_sentence = source[-1:] in _SENTENCE_ENDS or source.endswith("...")
    if part.lang == "zh":  # a Chinese part, now English
        if not ends_sentence and out.endswith(".") and not out.endswith(".."):
            out = out[:-1]
        before = text[: part.start].rstrip(" \t\"'“‘(")
        first = out.split(" ", 1)[0].rstrip(".,!?;:")
        title = first[:1].isupper() and first[1:].islower() and first not in ("I", "I'm")
        if before and before[-1] not in ".!?…:：\n" and title and first not in names:
            out = out[:1].lower() + out[1:]  # mid-sentence; a known name keeps its capital
        if part.start > 0 and text[part.start - 1].isalnum():
            out = " " + out
        after = text[part.end : part.end + 1]
        if after and not after.isspace() and after not in _CLOSING:
            out += " "  # "帮我改改🥺" is "Help me fix it 🥺", "宝😭" is "babe 😭"
        return out
    if not ends_sentence and out.endswith("。"):
        out = out[:-1]
    return out


_ASCII = str.maketrans(
    {"，": ", ", "。": ". ", "！": "! ", "？": "? ", "；": "; ", "：": ": ", "、": ", "}
)


def rebuild(
    text: str,
    parts: Sequence[Part],
    translations: Sequence[str],
    names: frozenset[str] = frozenset(),
) -> str:
    """The message with each part replaced by its fitted translation.

    Rendered in English, the Chinese punctuation left around the parts becomes
    ASCII ("第一题：The meeting…" reads "Question 1: The meeting…").
    """
    out: list[str] = []
    pos = 0
    english = bool(parts) and parts[0].lang == "zh"
    for part, translated in zip(parts, translations, strict=True):
        kept = text[pos : part.start]
        out.append(kept.translate(_ASCII) if english else kept)
        out.append(fit_part(translated, text, part, names))
        pos = part.end
    kept = text[pos:]
    out.append(kept.translate(_ASCII) if english else kept)
    joined = re.sub(r"[ \t]{2,}", " ", "".join(out))
    return re.sub(r" +([,.!?;:])", r"\1", joined).strip() if english else joined
