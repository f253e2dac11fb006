"""Entry sources that come before CC-CEDICT: the room's glossary and the slang lexicon.

Each adapts a content file's model to :class:`~rednote_sim.lang.entry.EntrySource`;
the caller loads the file (``content``/``translate.glossary``) and hands the
model over, so this package never reads ``personas/`` itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from rednote_sim.domain import Glossary, GlossaryTerm, SlangEntry, SlangLexicon
from rednote_sim.lang.entry import GLOSSARY, SLANG, Entry, EntrySource
from rednote_sim.lang.index import sense_key
from rednote_sim.lang.lookup import Dictionary


class GlossarySource:
    """The glossary's term pairs (``personas/glossary.toml``) as entries.

    Args:
        glossary: The loaded glossary.
    """

    name = GLOSSARY

    def __init__(self, glossary: Glossary) -> None:
        self._by_zh: dict[str, list[GlossaryTerm]] = {}
        self._by_en: dict[str, list[GlossaryTerm]] = {}
        for term in glossary.terms:
            self._by_zh.setdefault(term.zh.strip(), []).append(term)
            self._by_en.setdefault(sense_key(term.en), []).append(term)

    @staticmethod
    def _entry(term: GlossaryTerm) -> Entry:
        return Entry(
            simplified=term.zh.strip(),
            traditional=None,
            pinyin="",
            definitions=(term.en,),
            source=GLOSSARY,
            note=term.note,
        )

    def chinese(self, word: str) -> list[Entry]:
        """The glossary terms whose Chinese is ``word``."""
        return [self._entry(t) for t in self._by_zh.get(word.strip(), [])]

    def english(self, query: str) -> list[Entry]:
        """The glossary terms whose English, in normal form, is ``query``."""
        return [self._entry(t) for t in self._by_en.get(query, [])]

    def glossed(self, query: str) -> list[Entry]:
        """Nothing: a glossary term's English is the term itself (see :meth:`english`)."""
        return []


_GLOSS_SENSES = re.compile(r"[;；]")
"""Senses in a gloss (``the GOAT; the best ever``)."""


class SlangSource:
    """The slang lexicon (``personas/slang.toml``) as entries.

    A Chinese entry (笑死, 宝, yyds) is found by its term or a variant, and by
    English that is one of its gloss's senses ("the best ever" finds yyds, after
    CC-CEDICT's words for it); an English
    entry (lol, no cap) by its term or a variant. An English entry's
    ``simplified`` is the term itself and its definition the Chinese gloss: the
    word a learner typed, explained in the other language.

    Args:
        lexicon: The loaded lexicon.
    """

    name = SLANG

    def __init__(self, lexicon: SlangLexicon) -> None:
        self._by_zh: dict[str, list[SlangEntry]] = {}
        self._by_term: dict[str, list[SlangEntry]] = {}
        self._by_gloss: dict[str, list[SlangEntry]] = {}
        for entry in lexicon.slang:
            forms = [entry.term, *entry.variants]
            if entry.lang == "zh":
                for form in forms:
                    self._by_zh.setdefault(form.strip(), []).append(entry)
                for sense in _GLOSS_SENSES.split(entry.gloss):
                    _add(self._by_gloss, sense, entry)
            # Terms typed in Latin letters (lol, no cap, yyds) are found as typed.
            for form in forms:
                if entry.lang == "en" or form.isascii():
                    _add(self._by_term, form, entry)

    @staticmethod
    def _entry(entry: SlangEntry) -> Entry:
        return Entry(
            simplified=entry.term,
            traditional=None,
            pinyin=entry.pinyin,
            definitions=(entry.gloss,),
            source=SLANG,
            note=entry.note,
        )

    def chinese(self, word: str) -> list[Entry]:
        """The Chinese slang entries whose term (or a variant) is ``word``."""
        return [self._entry(e) for e in self._by_zh.get(word.strip(), [])]

    def english(self, query: str) -> list[Entry]:
        """Slang typed as ``query`` (in normal form): lol, no cap, yyds."""
        return [self._entry(e) for e in self._by_term.get(query, [])]

    def glossed(self, query: str) -> list[Entry]:
        """Chinese slang with ``query`` among its gloss's senses ("lol" finds 笑死)."""
        typed = self._by_term.get(query, [])
        return [self._entry(e) for e in self._by_gloss.get(query, []) if e not in typed]


def _add(table: dict[str, list[SlangEntry]], text: str, entry: SlangEntry) -> None:
    """File ``entry`` under ``text``'s normal form (once)."""
    key = sense_key(text)
    if key and entry not in table.get(key, []):
        table.setdefault(key, []).append(entry)


def room_dictionary(
    glossary: Glossary | None,
    lexicon: SlangLexicon | None,
    *,
    on_build: Callable[[Path], None] | None = None,
) -> Dictionary:
    """The dictionary a room (and ``lookup``) uses: glossary, then slang, then CC-CEDICT.

    Nothing is opened here: the CC-CEDICT index is opened (built the first
    time) on the first look-up.
    """
    sources: list[EntrySource] = []
    if glossary is not None:
        sources.append(GlossarySource(glossary))
    if lexicon is not None:
        sources.append(SlangSource(lexicon))
    return Dictionary(sources, on_build=on_build)
