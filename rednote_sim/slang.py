"""The slang lexicon: ``personas/slang.toml``, loaded, checked and looked up.

Chat is full of slang the translation model cannot do (宝, 笑死, 家人们, 错峰, 刷,
踩雷, yyds…). Each entry of the lexicon has the term, its language, a gloss in the
other language and a note for learners (see :class:`~rednote_sim.domain.SlangEntry`);
a Chinese entry may also give ``plain``: the same meaning in plain Chinese, which
the translator uses instead of the term (``translate/paraphrase.py``).

This module only reads and looks up: :func:`load_slang` (file:line errors, like
the rest of the content) and :class:`SlangIndex` (by term, and every entry found
in a text). Nothing here translates or imports the translator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from rednote_sim.domain import Lang, SlangEntry, SlangLexicon
from rednote_sim.errors import ContentError

SLANG_FILE = "slang.toml"
"""The lexicon's file name in a ``personas/`` directory."""


def load_slang(path: Path) -> SlangLexicon:
    """Load a slang file; a missing file is an empty lexicon.

    Raises:
        ContentError: Every problem, one per line: ``file:line: field: what (fix: how)``.
    """
    from rednote_sim.content import validate_slang

    lexicon, problems = validate_slang(path)
    if lexicon is None:
        raise ContentError(problems)
    return lexicon


def _pattern(forms: Iterable[tuple[str, Lang]]) -> re.Pattern[str]:
    alternatives = []
    for form, lang in sorted(set(forms), key=lambda f: len(f[0]), reverse=True):
        body = re.escape(form)
        if lang == "en" or form[:1].isascii():
            # Latin forms are whole words, any case: "lol" but not "lollipop".
            body = rf"(?<![A-Za-z0-9']){body}(?![A-Za-z0-9'])"
        alternatives.append(body)
    return re.compile("|".join(alternatives) or r"(?!x)x", re.IGNORECASE)


class SlangIndex:
    """Fast look-ups in a lexicon.

    Args:
        lexicon: The entries.
    """

    def __init__(self, lexicon: SlangLexicon) -> None:
        self.lexicon = lexicon
        self._by_form: dict[tuple[Lang, str], SlangEntry] = {}
        for entry in lexicon.slang:
            for form in entry.forms:
                self._by_form.setdefault((entry.lang, _fold(form, entry.lang)), entry)
        self._patterns = {
            lang: _pattern(
                (form, lang)
                for entry in lexicon.slang
                if entry.lang == lang
                for form in entry.forms
            )
            for lang in ("zh", "en")
        }

    def __len__(self) -> int:
        return len(self.lexicon.slang)

    def lookup(self, term: str, lang: Lang | None = None) -> SlangEntry | None:
        """The entry for a term (or one of its variants), in ``lang`` or either language."""
        for candidate in (lang,) if lang else ("zh", "en"):
            found = self._by_form.get((candidate, _fold(term.strip(), candidate)))
            if found is not None:
                return found
        return None

    def find(self, text: str, lang: Lang) -> list[tuple[int, int, SlangEntry]]:
        """Every entry of ``lang`` used in ``text``: (start, end, entry), longest first.

        Matches do not overlap; the longest form wins ("笑死我了" over "笑死").
        """
        found = []
        for match in self._patterns[lang].finditer(text):
            entry = self.lookup(match.group(), lang)
            if entry is not None:
                found.append((match.start(), match.end(), entry))
        return found


def _fold(form: str, lang: str) -> str:
    return form if lang == "zh" and not form.isascii() else form.casefold()
