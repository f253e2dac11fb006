"""Which of our two languages a chat message is written in.

Chat is often mixed ("我的English不好 sorry"), so the answer is the dominant
language by weight: each Han character counts 1, each Latin word counts
``LATIN_WORD_WEIGHT`` (a Chinese word is about 1.6 characters long, so a Latin
word and a Chinese word weigh about the same). Hashtags, @mentions and URLs are
names, not prose, and do not count. A single letter or an acronym written against
Han characters ("早C晚A", "AI写的") is part of the Chinese text, not an English
word: it weighs ``EMBEDDED_WEIGHT``. Ties go to Chinese: a tie means the Han part
is as long as the English one, and the zh->en model copes with Latin names better
than the en->zh one copes with Han.
"""

from __future__ import annotations

from rednote_sim.domain import Lang
from rednote_sim.domain.terms import HAN, LATIN_WORD
from rednote_sim.translate.scripts import HASHTAG_RE, MENTION_RE, URL_RE

LATIN_WORD_WEIGHT = 1.6
"""Weight of one Latin word against one Han character."""

EMBEDDED_WEIGHT = 0.5
"""Weight of a single letter or an acronym touching a Han character ("早C晚A")."""

_ACRONYM_MAX = 5


def _strip_names(text: str) -> str:
    for pattern in (URL_RE, MENTION_RE, HASHTAG_RE):
        text = pattern.sub(" ", text)
    return text


def language_weights(text: str) -> tuple[float, float]:
    """The (Chinese, English) weights of a text, ignoring URLs, mentions and hashtags."""
    prose = _strip_names(text)
    han = len(HAN.findall(prose))
    latin = 0.0
    for match in LATIN_WORD.finditer(prose):
        word = match.group()
        touches_han = bool(
            (match.start() > 0 and HAN.match(prose[match.start() - 1]))
            or (match.end() < len(prose) and HAN.match(prose[match.end()]))
        )
        short = len(word) == 1 or (word.isupper() and len(word) <= _ACRONYM_MAX)
        latin += EMBEDDED_WEIGHT if touches_han and short else LATIN_WORD_WEIGHT
    return float(han), latin


def detect_lang(text: str) -> Lang | None:
    """Detect the language of a chat message.

    Args:
        text: The message.

    Returns:
        ``"zh"`` or ``"en"`` by dominant weight, or None when the text has no Han
        characters and no Latin letters (emoji only, numbers, punctuation).

    Examples:
        >>> detect_lang("Hi 你好 from Ohio")
        'en'
        >>> detect_lang("我的English不好 sorry")
        'zh'
        >>> detect_lang("早C晚A")
        'zh'
        >>> detect_lang("🐱🐱 123") is None
        True
    """
    han, latin = language_weights(text)
    if han == 0 and latin == 0:
        return None
    return "zh" if han >= latin else "en"


REFERENCE_MIN_HAN_SHARE = 0.3
"""Share of Chinese (by weight) that makes a text readable as a Chinese rendering."""


def written_in(text: str, lang: Lang) -> bool:
    """Whether ``text`` can stand as a rendering in ``lang`` (a human reference, say).

    A Chinese reference may quote a lot of English ("开头很好！改两个小地方：'My
    dream is TO become a doctor…'") and still be Chinese: it needs a share of at
    least ``REFERENCE_MIN_HAN_SHARE`` Chinese. An English one must not be mostly
    Chinese. A text with no words (an emoji) fits either. The reference of a
    mixed line may be in the line's own language ("第一题：The meeting ___ …" has
    an English one), so it is no translation for a Chinese reader.
    """
    han, latin = language_weights(text)
    if han + latin == 0:
        return True
    share = han / (han + latin)
    return share >= REFERENCE_MIN_HAN_SHARE if lang == "zh" else share < 0.5
