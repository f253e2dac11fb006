"""Entry sources that come before CC-CEDICT: the room's glossary (and the slang lexicon).

Each adapts a content file's model to :class:`~rednote_sim.lang.entry.EntrySource`;
the caller loads the file (``content``/``translate.glossary``) and hands the
model over, so this package never reads ``personas/`` itself.
"""

from __future__ import annotations

from rednote_sim.domain import Glossary, GlossaryTerm
from rednote_sim.lang.entry import GLOSSARY, Entry
from rednote_sim.lang.index import sense_key


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
