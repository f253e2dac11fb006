"""Which of our two languages a chat message is written in.

Chat is often mixed ("我的English不好 sorry"), so the answer is the dominant
language by weight: each Han character counts 1, each Latin word counts
``LATIN_WORD_WEIGHT`` (a Chinese word is about 1.6 characters long, so a Latin
word and a Chinese word weigh about the same). Hashtags, @mentions and URLs are
names, not prose, and do not count. Ties go to Chinese: a tie means the Han part
is as long as the English one, and the zh->en model copes with Latin names better
than the en->zh one copes with Han.
"""

from __future__ import annotations

from rednote_sim.domain import Lang
from rednote_sim.translate.scripts import HAN_RE, HASHTAG_RE, LATIN_WORD_RE, MENTION_RE, URL_RE

LATIN_WORD_WEIGHT = 1.6
"""Weight of one Latin word against one Han character."""


def _strip_names(text: str) -> str:
    for pattern in (URL_RE, MENTION_RE, HASHTAG_RE):
        text = pattern.sub(" ", text)
    return text


def language_weights(text: str) -> tuple[float, float]:
    """The (Chinese, English) weights of a text, ignoring URLs, mentions and hashtags."""
    prose = _strip_names(text)
    han = len(HAN_RE.findall(prose))
    latin = len(LATIN_WORD_RE.findall(prose)) * LATIN_WORD_WEIGHT
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
        >>> detect_lang("🐱🐱 123") is None
        True
    """
    han, latin = language_weights(text)
    if han == 0 and latin == 0:
        return None
    return "zh" if han >= latin else "en"
