"""Chinese word segmentation with jieba: offline, quiet and initialised on first use.

jieba prints "Building prefix dict ..." to stderr and loads a 5 MB dictionary
when first used, so nothing happens at import time: the dictionary is loaded
the first time a text is cut, with jieba's logger turned down. Its cache (a
``marshal`` dump of the dictionary) goes to rednote-sim's own cache directory
rather than the shared system temp dir, so no other user can plant one.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rednote_sim.domain import Glossary
from rednote_sim.domain.terms import has_han

_JIEBA_QUIET = logging.WARNING
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


@dataclass(frozen=True)
class Word:
    """A word of a text that can be looked up, and where it is: ``text[start:end]``."""

    text: str
    start: int
    end: int

    @property
    def chinese(self) -> bool:
        """True for a Chinese word (looked up Chinese -> English)."""
        return has_han(self.text)


def _cache_dir() -> Path | None:
    import platformdirs

    path = Path(platformdirs.user_cache_dir("rednote-sim")) / "jieba"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # jieba falls back to the temp dir; segmentation still works
    return path


class Segmenter:
    """Cuts Chinese text into words; extra words (e.g. glossary terms) stay whole.

    Args:
        words: Terms jieba must keep in one piece, e.g. ``小红书``, ``TikTok难民``.
    """

    def __init__(self, words: Iterable[str] = ()) -> None:
        self.words = tuple(dict.fromkeys(w.strip() for w in words if w.strip()))
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def _ready(self) -> Any:
        with self._lock:
            if self._tokenizer is None:
                import jieba

                jieba.setLogLevel(_JIEBA_QUIET)
                tokenizer = jieba.Tokenizer()
                cache = _cache_dir()
                if cache is not None:
                    tokenizer.tmp_dir = str(cache)
                tokenizer.initialize()
                for word in self.words:
                    # A high frequency wins over the dictionary's own splits.
                    tokenizer.add_word(word, freq=10_000)
                self._tokenizer = tokenizer
            return self._tokenizer

    def cut(self, text: str) -> list[str]:
        """All tokens of ``text`` in order (words, punctuation, spaces); they join to ``text``."""
        if not text:
            return []
        if not has_han(text):
            return [text]  # nothing to segment: skip loading the dictionary
        tokens: list[str] = list(self._ready().cut(text))
        return tokens

    def word_spans(self, text: str) -> list[Word]:
        """The words of ``text`` a reader can look up, in order, with their positions.

        Chinese words are jieba's (the glossary's terms whole); Latin-letter words
        (English, ``lol``, ``yyds``) are split at what is not a letter. Punctuation,
        spaces, numbers and emoji are not words.
        """
        found: list[Word] = []
        at = 0
        for token in self.cut(text):
            if has_han(token):
                stripped = token.strip()
                start = at + token.index(stripped)
                found.append(Word(stripped, start, start + len(stripped)))
            else:
                for match in _LATIN_WORD.finditer(token):
                    found.append(Word(match.group(), at + match.start(), at + match.end()))
            at += len(token)
        return found

    def han_words(self, text: str) -> list[str]:
        """The distinct tokens of ``text`` that contain Chinese characters, in order."""
        return list(dict.fromkeys(t.strip() for t in self.cut(text) if has_han(t)))


@lru_cache(maxsize=8)
def segmenter(words: tuple[str, ...] = ()) -> Segmenter:
    """A shared segmenter for this set of extra words (one jieba dictionary per set)."""
    return Segmenter(words)


def glossary_segmenter(glossary: Glossary | None) -> Segmenter:
    """A segmenter that keeps the glossary's Chinese terms whole (小红书, TikTok难民)."""
    words = tuple(t.zh for t in glossary.terms) if glossary else ()
    return segmenter(words)
