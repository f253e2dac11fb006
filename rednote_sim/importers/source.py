"""Opening a chat export: a regular file (or the chat inside a WhatsApp .zip), as text.

The file is untrusted: it is opened with :func:`rednote_sim.safefiles.open_regular`
(no FIFOs, devices or endless symlinks; a size bound) and read in chunks, so a
100,000-message export never sits in memory whole. Text is decoded as UTF-8
incrementally; a bad byte is reported with its line. A byte-order mark is
skipped: editors on Windows add one, and the apps' exports are UTF-8 anyway.

WhatsApp on iPhone always shares a ``.zip`` (``_chat.txt`` inside, with the
media if they were included); Android does when media are included. The chat
text inside is read straight from the archive, with the same bounds.
"""

from __future__ import annotations

import codecs
import contextlib
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from rednote_sim.errors import UserError
from rednote_sim.importers.model import problem
from rednote_sim.safefiles import BOM, MIB, FileProblem, open_regular

MAX_CHAT_BYTES = 4096 * MIB
"""Largest chat export read (a 100,000-message DiscordChatExporter file is about 150 MiB)."""

CHUNK_BYTES = 256 * 1024
"""How much of the file is decoded at a time."""

HEAD_BYTES = 64 * 1024
"""How much of the start of a file format detection looks at."""

ZIP_MAGIC = b"PK\x03\x04"

WHAT = "chat export"


class Readable(Protocol):
    """What the decoder reads from: a file, or a member of an archive."""

    def read(self, size: int = -1, /) -> bytes:
        """Up to ``size`` bytes (all that is left when negative); b"" at the end."""
        ...


def chat_member(archive: zipfile.ZipFile, path: Path) -> zipfile.ZipInfo:
    """The chat text inside a WhatsApp archive: ``_chat.txt``, else its only ``.txt``.

    Raises:
        ContentError: When there is none, or several to choose from.
    """
    texts = [
        i for i in archive.infolist() if i.filename.lower().endswith(".txt") and not i.is_dir()
    ]
    named = [i for i in texts if i.filename.rsplit("/", 1)[-1] == "_chat.txt"]
    chosen = named or texts
    if len(chosen) != 1:
        found = "no .txt file" if not chosen else f"{len(chosen)} .txt files"
        raise problem(
            path,
            None,
            "",
            f"a .zip with {found} in it, not a WhatsApp chat export",
            "export the chat from WhatsApp again (Export chat), or unpack the archive and "
            "import the chat's .txt file",
        )
    return chosen[0]


@contextlib.contextmanager
def open_bytes(path: Path) -> Iterator[Readable]:
    """The export's bytes: the file itself, or the chat text inside a WhatsApp ``.zip``."""
    with open_regular(path, max_bytes=MAX_CHAT_BYTES, what=WHAT) as raw:
        magic = raw.read(len(ZIP_MAGIC))
        raw.seek(0)
        if magic != ZIP_MAGIC:
            yield raw
            return
        try:
            archive = zipfile.ZipFile(raw)
            member = chat_member(archive, path)
            if member.flag_bits & 0x1:
                raise problem(path, None, member.filename, "is encrypted", "export the chat again")
            with archive, archive.open(member) as inner:
                yield _Bounded(inner, MAX_CHAT_BYTES, path)
        except zipfile.BadZipFile as exc:
            raise problem(
                path, None, "", f"a damaged .zip archive ({exc})", "export the chat again"
            ) from None


class _Bounded:
    """A reader that stops a zip member at ``limit`` bytes (a zip bomb is refused)."""

    def __init__(self, inner: Readable, limit: int, path: Path) -> None:
        self._inner = inner
        self._left = limit
        self._path = path
        self._limit = limit

    def read(self, size: int = -1, /) -> bytes:
        """Up to ``size`` bytes of the member; more than the limit in all is an error."""
        data = self._inner.read(size if size >= 0 else self._left + 1)
        self._left -= len(data)
        if self._left < 0:
            raise FileProblem(
                self._path,
                f"unpacks to more than {self._limit // MIB:,} MiB",
                "check that this is the right chat export",
            )
        return data


def read_head(path: Path) -> tuple[bytes, bool]:
    """The first bytes of an export (of the chat inside a ``.zip``), and whether it is a zip."""
    with open_regular(path, max_bytes=MAX_CHAT_BYTES, what=WHAT) as raw:
        is_zip = raw.read(len(ZIP_MAGIC)) == ZIP_MAGIC
    with open_bytes(path) as data:
        return data.read(HEAD_BYTES), is_zip


def text_chunks(path: Path, data: Readable) -> Iterator[str]:
    """Decode ``data`` as UTF-8, a chunk at a time; a bad byte is an error naming its line."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    lines_before = 0
    first = True
    while True:
        try:
            raw = data.read(CHUNK_BYTES)
        except OSError as exc:
            raise FileProblem(
                path, f"cannot read ({exc.strerror or exc})", "check the file"
            ) from None
        if first:
            raw = raw.removeprefix(BOM)
            first = False
        try:
            text = decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            # exc.object is what this call decoded: a partial character left over from
            # the previous chunk (never a newline), then this chunk.
            line = lines_before + exc.object.count(b"\n", 0, exc.start) + 1
            raise problem(
                path,
                line,
                "",
                f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x})",
                "save or export the chat as UTF-8 (the apps' own exports are)",
            ) from None
        lines_before += raw.count(b"\n")
        if text:
            yield text
        if not raw:
            return


@contextlib.contextmanager
def open_text(path: Path) -> Iterator[Iterator[str]]:
    """The export's text in chunks (see :func:`text_chunks`)."""
    try:
        with open_bytes(path) as data:
            yield text_chunks(path, data)
    except UserError:
        raise
    except OSError as exc:
        raise FileProblem(path, f"cannot read ({exc.strerror or exc})", "check the file") from None
