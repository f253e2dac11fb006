"""Looking words up: Chinese -> English and English -> Chinese, offline.

:class:`Dictionary` answers from its entry sources first (the glossary, the
slang lexicon: what the room itself says a word means), then from CC-CEDICT,
with the HSK levels of each word. The CC-CEDICT index is opened on the first
look-up (built once into the user cache dir, see :mod:`rednote_sim.lang.index`),
so creating a Dictionary costs nothing and later look-ups take milliseconds.

Chinese look-ups match the simplified or the traditional form. English
look-ups rank the matches (a learner who types "cat" wants 猫 first):

1. a sense that *is* the query ("cat"; "to eat" matches "eat");
2. a sense that contains the query as whole words ("test paper" in
   "test paper; examination paper");
3. entries whose definitions contain every word of the query;

and within each, words on an HSK list before others (lower level first), an
earlier sense before a later one, shorter words first.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from rednote_sim.domain.terms import HAN_RUN, has_han
from rednote_sim.lang.cedict import MeasureWord
from rednote_sim.lang.entry import CEDICT, Entry, EntrySource
from rednote_sim.lang.hsk import DEFAULT_STANDARD, Standard, word_levels
from rednote_sim.lang.index import COLUMNS, Index, sense_key
from rednote_sim.lang.tones import mark

Kind = Literal["chinese", "english"]

MAX_QUERY = 100
"""Longest query looked up (characters); longer ones are not words."""

ENGLISH_MATCHES = 5
"""How many English -> Chinese matches a look-up returns by default."""

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CROSS = ("variant of", "old variant", "see ")
_CANDIDATES = 600  # full-text candidates ranked per English look-up


@dataclass(frozen=True)
class Lookup:
    """What a query found: entries, best first (empty when nothing was found)."""

    query: str
    kind: Kind
    entries: tuple[Entry, ...]

    @property
    def found(self) -> bool:
        """True when there is at least one entry."""
        return bool(self.entries)

    def to_json(self) -> dict[str, Any]:
        """The ``lookup --json`` object: the best entry's fields, the others in ``also``.

        Keys: ``query``, ``kind``, ``found``, then :meth:`Entry.to_json`'s keys
        (``simplified`` … ``source``, ``note``; null/empty when not found) and
        ``also``, a list of further entries in the same shape.
        """
        best = self.entries[0].to_json() if self.entries else _EMPTY
        return {
            "query": self.query,
            "kind": self.kind,
            "found": self.found,
            **best,
            "also": [e.to_json() for e in self.entries[1:]],
        }


_EMPTY: dict[str, Any] = {
    "simplified": None,
    "traditional": None,
    "pinyin": None,
    "pinyin_numbered": None,
    "definitions": [],
    "measure_words": [],
    "hsk": {},
    "source": None,
    "note": "",
}


def _entry_from_row(row: tuple[object, ...]) -> Entry:
    _, simplified, traditional, numbered, definitions, measure, _rank, _freq = row
    senses = json.loads(str(definitions))
    words = json.loads(str(measure))
    return Entry(
        simplified=str(simplified),
        traditional=str(traditional),
        pinyin=mark(str(numbered)),
        numbered=str(numbered),
        definitions=tuple(str(s) for s in senses),
        measure_words=tuple(MeasureWord(str(s), str(t), str(p)) for s, t, p in words),
        source=CEDICT,
        hsk=word_levels(str(simplified)),
    )


class Dictionary:
    """Chinese <-> English look-ups over the entry sources and CC-CEDICT.

    Args:
        sources: Sources consulted first, in order (glossary, slang lexicon).
        index: The CC-CEDICT index (default: opened on first use from the cache).
    """

    def __init__(
        self,
        sources: Sequence[EntrySource] = (),
        index: Index | None = None,
        *,
        on_build: Callable[[Path], None] | None = None,
    ) -> None:
        self.sources = tuple(sources)
        self._index = index
        self._on_build = on_build
        self._lock = threading.Lock()

    @property
    def index(self) -> Index:
        """The CC-CEDICT index, opened (and built if needed) on first use."""
        with self._lock:
            if self._index is None:
                self._index = Index(on_build=self._on_build)
            return self._index

    @property
    def opened(self) -> bool:
        """True once the index is open (a look-up then takes milliseconds)."""
        return self._index is not None

    def close(self) -> None:
        """Close the index, if it was opened."""
        if self._index is not None:
            self._index.close()

    # --- queries --------------------------------------------------------------------------

    def lookup(self, query: str, *, limit: int = ENGLISH_MATCHES) -> Lookup:
        """Look ``query`` up: Chinese if it has a Chinese character, else English.

        Args:
            query: A word (``卷子``, ``貓``, ``TikTok难民``) or English (``cat``, ``test paper``).
            limit: Most English -> Chinese matches returned.
        """
        text = " ".join(query.split())
        if not text or len(text) > MAX_QUERY:
            return Lookup(query, "chinese" if has_han(text) else "english", ())
        if has_han(text):
            return Lookup(query, "chinese", tuple(self.chinese(text)))
        return Lookup(query, "english", tuple(self.english(text, limit=limit)))

    def chinese(self, word: str) -> list[Entry]:
        """Every entry for a Chinese word, sources first, then CC-CEDICT's best first."""
        dictionary = self._cedict(word)
        found = [self._complete(e, dictionary) for s in self.sources for e in s.chinese(word)]
        return found + dictionary

    def best(self, word: str) -> Entry | None:
        """The first entry for a Chinese word (what a phrasebook fills in), or None."""
        entries = self.chinese(word)
        return entries[0] if entries else None

    def english(self, text: str, *, limit: int = ENGLISH_MATCHES) -> list[Entry]:
        """Chinese words for an English word or phrase, best matches first."""
        key = sense_key(text)
        if not key:
            return []
        typed = [self._complete(e, self._cedict(e.simplified)) for e in self._sourced(key, False)]
        glossed = [self._complete(e, self._cedict(e.simplified)) for e in self._sourced(key, True)]
        room = max(0, limit - len(typed) - len(glossed))
        return (typed + self._english_cedict(key, room) + glossed)[:limit]

    def _sourced(self, key: str, glossed: bool) -> list[Entry]:
        """The sources' entries typed as ``key`` (or, ``glossed``, meaning it)."""
        return [e for s in self.sources for e in (s.glossed(key) if glossed else s.english(key))]

    # --- CC-CEDICT ------------------------------------------------------------------------

    def _cedict(self, word: str) -> list[Entry]:
        rows = self.index.query(
            f"SELECT {COLUMNS} FROM entries WHERE simplified = ? OR traditional = ? "
            "ORDER BY simplified != ?, rank, id",
            (word, word, word),
        )
        return [_entry_from_row(row) for row in rows]

    def _complete(self, entry: Entry, dictionary: list[Entry]) -> Entry:
        """A source's entry with pinyin, traditional form and HSK levels filled in."""
        match = next((d for d in dictionary if d.simplified == entry.simplified), None)
        # An English slang term (lol) has no pinyin; a Chinese word without any gets pypinyin's.
        computed = _computed_pinyin(entry.simplified) if has_han(entry.simplified) else ""
        pinyin = entry.pinyin or (match.pinyin if match else computed)
        return replace(
            entry,
            pinyin=pinyin,
            numbered=entry.numbered or (match.numbered if match and not entry.pinyin else ""),
            traditional=entry.traditional or (match.traditional if match else None),
            measure_words=entry.measure_words or (match.measure_words if match else ()),
            hsk=entry.hsk or word_levels(entry.simplified),
        )

    def _english_cedict(self, key: str, limit: int) -> list[Entry]:
        if limit <= 0:
            return []
        words = _WORD.findall(key)
        if not words:
            return []
        exact = self.index.query(
            f"SELECT {COLUMNS}, s.sense FROM senses s JOIN entries e ON e.id = s.entry "
            "WHERE s.key = ?",
            (key,),
        )
        match = " AND ".join('"' + w.replace('"', '""') + '"' for w in words)
        loose = self.index.query(
            f"SELECT {COLUMNS}, -1 FROM entries WHERE id IN "
            "(SELECT rowid FROM words WHERE words MATCH ? ORDER BY rank LIMIT ?)",
            (match, _CANDIDATES),
        )
        scored: dict[int, tuple[tuple[int, ...], tuple[object, ...]]] = {}
        phrase = re.compile(r"\b" + re.escape(key) + r"\b", re.IGNORECASE)
        for row in [*exact, *loose]:
            entry_id = int(str(row[0]))
            senses = json.loads(str(row[4]))
            sense = int(str(row[8]))
            if sense >= 0:
                klass = 0
            else:
                hits = [i for i, s in enumerate(senses) if phrase.search(sense_key(s) or s)]
                klass, sense = (1, hits[0]) if hits else (2, len(senses))
            levels = word_levels(str(row[1]))
            level = levels.get(DEFAULT_STANDARD, min(levels.values(), default=99))
            cross = (
                1
                if all(
                    str(s).casefold().startswith(("variant of", "old variant", "see "))
                    for s in senses
                )
                else 0
            )
            freq = -int(str(row[7]))
            score = (klass, cross, level, sense, freq, len(str(row[1])), int(str(row[6])), entry_id)
            if entry_id not in scored or score < scored[entry_id][0]:
                scored[entry_id] = (score, row[:8])
        ranked = sorted(scored.values(), key=lambda item: item[0])
        return [_entry_from_row(row) for _, row in ranked[:limit]]


def _computed_pinyin(word: str) -> str:
    """Pinyin for a term CC-CEDICT lacks (``TikTok难民``): pypinyin, non-Chinese kept."""
    from rednote_sim.lang.readings import hanzi_syllables
    from rednote_sim.lang.tones import join_syllables

    out, last = "", 0
    for match in HAN_RUN.finditer(word):
        before = word[last : match.start()].strip()
        if before:
            out += (" " if out else "") + before
        syllables = [s.text for s in hanzi_syllables(match.group())]
        out += (" " if out else "") + join_syllables(syllables)
        last = match.end()
    rest = word[last:].strip()
    if rest:
        out += (" " if out else "") + rest
    return out


def hsk_of(entry: Entry, standard: Standard = DEFAULT_STANDARD) -> int | None:
    """The entry's level on one list, or None."""
    return entry.hsk.get(standard)
