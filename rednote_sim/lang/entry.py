"""A dictionary entry, whichever source it came from, and the protocol of a source."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from rednote_sim.lang.cedict import MeasureWord
from rednote_sim.lang.hsk import Standard, label
from rednote_sim.lang.tones import Syllable, ToneSpan, numbered_syllables, tone_spans

CEDICT = "cc-cedict"
GLOSSARY = "glossary"
SLANG = "slang"


@dataclass(frozen=True)
class Entry:
    """One meaning-bearing entry for a Chinese word.

    Attributes:
        simplified: The word in simplified characters (may hold Latin letters:
            ``TikTok难民``).
        traditional: In traditional characters; None when the source does not say.
        pinyin: Tone-marked, written as one word (``juànzi``).
        numbered: CC-CEDICT's numbered pinyin (``juan4 zi5``); ``""`` when the
            pinyin was computed rather than looked up.
        definitions: The meanings, most important first.
        measure_words: Classifiers, from CC-CEDICT's ``CL:`` notes.
        source: ``cc-cedict``, ``glossary`` or ``slang``.
        note: A note for learners (glossary and slang entries).
        hsk: The word's level on each HSK list that has it.
    """

    simplified: str
    traditional: str | None
    pinyin: str
    numbered: str = ""
    definitions: tuple[str, ...] = ()
    measure_words: tuple[MeasureWord, ...] = ()
    source: str = CEDICT
    note: str = ""
    hsk: dict[Standard, int] = field(default_factory=dict, compare=False)

    def syllables(self) -> list[ToneSpan]:
        """The pinyin split into syllables with tones (for colouring)."""
        if self.numbered:
            pieces = [p for p in numbered_syllables(self.numbered) if isinstance(p, Syllable)]
            return tone_spans(self.pinyin, expected=pieces)
        return tone_spans(self.pinyin)

    def hsk_label(self, standard: Standard) -> str:
        """``HSK 3``, ``HSK 7-9`` or ``""``."""
        level = self.hsk.get(standard)
        return f"HSK {label(level)}" if level is not None else ""

    def to_json(self) -> dict[str, Any]:
        """The entry as JSON (the ``lookup --json`` shape, without the query)."""
        return {
            "simplified": self.simplified,
            "traditional": self.traditional,
            "pinyin": self.pinyin,
            "pinyin_numbered": self.numbered or None,
            "definitions": list(self.definitions),
            "measure_words": [
                {"simplified": m.simplified, "traditional": m.traditional, "pinyin": m.pinyin}
                for m in self.measure_words
            ],
            "hsk": dict(self.hsk),
            "source": self.source,
            "note": self.note,
        }


class EntrySource(Protocol):
    """A source of entries that comes before CC-CEDICT (the glossary, the slang lexicon).

    Entries may leave ``pinyin`` and ``traditional`` empty: the dictionary
    fills them from CC-CEDICT (or pypinyin) and adds the HSK levels.
    """

    name: str

    def chinese(self, word: str) -> list[Entry]:
        """Entries whose Chinese is exactly ``word``."""
        ...

    def english(self, query: str) -> list[Entry]:
        """Entries whose English matches ``query`` (normal form, see ``index.sense_key``)."""
        ...

    def glossed(self, query: str) -> list[Entry]:
        """Entries with ``query`` among their senses, listed after CC-CEDICT's matches.

        Chinese slang glossed "to eat (with gusto)" (干饭) is worth finding from
        "eat", but after 吃.
        """
        ...
