"""WhatsApp "Export chat" text files (and the ``.zip`` an iPhone shares).

A message starts a line with its date and time, then the sender, and may go on
over more lines (a line without a date belongs to the message above)::

    1/14/25, 10:00 - Lena: Hi! 你好                     (Android, month first)
    14/01/2025, 10:00 - Lena: Hi! 你好                  (Android, day first)
    [14/01/2025, 10:00:00] Lena: Hi! 你好               (iPhone)
    [1/14/25, 10:00:00 AM] Lena: Hi! 你好               (iPhone, 12-hour clock)
    [2025/1/14 上午10:00:00] 小王: 你好                 (iPhone set to Chinese)

How parsers such as Pustur's whatsapp-chat-parser read them, and what this one
does the same way: the day/month order is not written anywhere, so it is worked
out from all the dates of the file (a number above 12 decides; else a first
number that goes down within a year is the day; else the number that changes
more often is the day). A file that cannot decide is read month first when it
uses a 12-hour clock (as the US locale writes it), else day first, and the
import says so. Newer Android exports put a narrow no-break space (U+202F)
before AM/PM; iPhone exports put a left-to-right mark (U+200E) before system
lines and attachments, and wrap @mentions in U+2068…U+2069: all handled.

System lines (encryption notices, "Lena added Wei", "You created group…") have
no sender, or on an iPhone a text that starts with U+200E: they are skipped, as
are deleted messages. Attachments (``IMG-20250114-WA0001.jpg (file attached)``,
``<attached: 00000012-PHOTO-….jpg>``, ``<Media omitted>``, ``image omitted``)
become their kind; a caption stays text. ``<This message was edited>`` is
dropped (the export has only the last text). WhatsApp exports have no message
ids, replies or reactions.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from rednote_sim.domain import ChatSource
from rednote_sim.importers.model import (
    Author,
    ChatMessage,
    ReadNotes,
    kind_of_file,
    problem,
    wall_seconds,
)
from rednote_sim.importers.source import open_text

FIX = "export the chat again in WhatsApp (⋮ → More → Export chat, or the chat's name → Export Chat)"

MAX_LINE_CHARS = 1 << 20
"""Longest line read (a WhatsApp message is at most 65,536 characters)."""

_SPACE = "[ \u00a0\u202f]"
_DATE = r"(?P<date>\d{1,4}[./-]\d{1,2}[./-]\d{1,4})"
_CLOCK = (
    rf"(?:(?P<daypart>上午|下午|凌晨|早上|中午|晚上){_SPACE}?)?"
    r"(?P<time>\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)"
    rf"(?:{_SPACE}?(?P<ampm>[AaPp]\.?{_SPACE}?[Mm]\.?))?"
)
ANDROID_LINE = re.compile(rf"{_DATE},?{_SPACE}{_CLOCK}{_SPACE}-{_SPACE}(?P<rest>.*)", re.DOTALL)
IOS_LINE = re.compile(rf"\[{_DATE},?{_SPACE}{_CLOCK}\]{_SPACE}(?P<rest>.*)", re.DOTALL)
_SENDER = re.compile(r"(?P<author>[^:\n]+?): (?P<text>.*)", re.DOTALL)

_MARKS = "\u200e\u200f"  # direction marks WhatsApp puts before lines
_ISOLATES = re.compile("[\u2066-\u2069]")  # around @mentions on an iPhone
_EDITED = re.compile(r"\s*\u200e?<This message was edited>\s*$")
_DELETED = frozenset({"This message was deleted", "You deleted this message"})
_ANDROID_FILE = re.compile(r"(?P<file>\S.*?) \(file attached\)")
_IOS_FILE = re.compile(r"<attached: (?P<file>[^>]+)>")
_OMITTED = re.compile(
    r"(?:.* )?(?P<kind>image|video|audio|sticker|GIF|document|Contact card) omitted"
)
_OMITTED_KINDS = {
    "image": "photo",
    "video": "video",
    "audio": "audio",
    "sticker": "sticker",
    "GIF": "GIF",
    "document": "file",
    "Contact card": "contact",
}
# Names WhatsApp gives media files: IMG-20250114-WA0001.jpg, 00000012-PHOTO-2025-….jpg
_FILE_KINDS = {
    "IMG": "photo",
    "PHOTO": "photo",
    "VID": "video",
    "VIDEO": "video",
    "PTT": "voice message",
    "AUD": "audio",
    "AUDIO": "audio",
    "STK": "sticker",
    "STICKER": "sticker",
    "GIF": "GIF",
    "DOC": "file",
}

DateOrder = Literal["dmy", "mdy", "ymd"]
_ORDER_NAMES = {"dmy": "day/month/year", "mdy": "month/day/year", "ymd": "year/month/day"}


@dataclass
class _Pending:
    """A message being read: its header line and the lines of its body."""

    line: int
    date: str
    clock: re.Match[str]
    author: str
    body: list[str] = field(default_factory=list)


def header(line: str) -> re.Match[str] | None:
    """The match of a line that starts a message or system line, else None."""
    stripped = line.lstrip(_MARKS)
    return IOS_LINE.match(stripped) or ANDROID_LINE.match(stripped)


def _numbers(date: str) -> list[str]:
    return re.split(r"[./-]", date)


def date_order(dates: list[str], twelve_hour: bool) -> tuple[DateOrder, bool]:
    """The order of day, month and year in a file's dates (distinct, in file order).

    Returns:
        The order, and whether it was a guess (nothing in the dates decided it).
    """
    parts = [[int(n) for n in _numbers(d)] for d in dates]
    if parts and all(len(_numbers(d)[0]) == 4 for d in dates):
        return "ymd", False
    if any(p[0] > 12 for p in parts):
        return "dmy", False
    if any(p[1] > 12 for p in parts):
        return "mdy", False
    by_year: dict[int, list[list[int]]] = {}
    for p in parts:
        by_year.setdefault(p[2], []).append(p)
    orders: tuple[tuple[int, DateOrder], ...] = ((0, "dmy"), (1, "mdy"))
    for position, order in orders:
        for same_year in by_year.values():
            # Within a year the month never goes down; a number that does is the day.
            if any(b[position] < a[position] for a, b in itertools.pairwise(same_year)):
                return order, False
    first = sum(abs(b[0] - a[0]) for a, b in itertools.pairwise(parts))
    second = sum(abs(b[1] - a[1]) for a, b in itertools.pairwise(parts))
    if first != second:
        return ("dmy" if first > second else "mdy"), False
    return ("mdy" if twelve_hour else "dmy"), True


def title_from_name(path: Path) -> str:
    """The chat's name from WhatsApp's file name ("WhatsApp Chat with Lena.txt" → "Lena")."""
    stem = path.stem
    for prefix in ("WhatsApp Chat with ", "WhatsApp Chat - ", "WhatsApp Chat "):
        if stem.startswith(prefix):
            return stem.removeprefix(prefix).strip()
    return "" if stem.startswith("_chat") else stem


class WhatsAppReader:
    """Reads a WhatsApp chat export (see the module docstring)."""

    source: ChatSource = "whatsapp"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.info = ReadNotes(title=title_from_name(path))
        self._order: DateOrder = "dmy"

    # --- lines ----------------------------------------------------------------------------

    def _lines(self) -> Iterator[tuple[int, str]]:
        with open_text(self.path) as chunks:
            number = 0
            rest = ""
            for chunk in chunks:
                rest += chunk
                lines = rest.split("\n")
                rest = lines.pop()
                if len(rest) > MAX_LINE_CHARS:
                    raise problem(
                        self.path, number + len(lines) + 1, "", "a line too long for a chat", FIX
                    )
                for text in lines:
                    number += 1
                    yield number, text.removesuffix("\r")
            if rest:
                yield number + 1, rest.removesuffix("\r")

    def _scan_dates(self) -> None:
        """First pass: which order the dates are written in."""
        dates: dict[str, None] = {}
        twelve_hour = False
        for _, text in self._lines():
            match = header(text)
            if match is not None:
                dates.setdefault(match["date"], None)
                twelve_hour = twelve_hour or bool(match["ampm"] or match["daypart"])
        self._order, guessed = date_order(list(dates), twelve_hour)
        if guessed:
            self.info.notes.append(
                f"no date in {self.path.name} says whether the day or the month comes first; "
                f"read them as {_ORDER_NAMES[self._order]} (check the dates shown in a replay)"
            )

    # --- messages -------------------------------------------------------------------------

    def messages(self) -> Iterator[ChatMessage]:
        """Every message people wrote, in file order."""
        self._scan_dates()
        pending: _Pending | None = None
        seen_header = False
        for number, text in self._lines():
            match = header(text)
            if match is None:
                if not seen_header:
                    if text.strip():
                        raise problem(
                            self.path,
                            number,
                            "",
                            "not a WhatsApp chat line (a message starts like "
                            "'14/01/2025, 10:00 - Name: text' or "
                            "'[14/01/2025, 10:00:00] Name: text')",
                            FIX,
                        )
                    continue
                if pending is not None:
                    pending.body.append(text)
                continue
            seen_header = True
            if pending is not None:
                message = self._finish(pending)
                if message is not None:
                    yield message
            pending = self._start(number, match)
        if pending is not None:
            message = self._finish(pending)
            if message is not None:
                yield message
        if not seen_header:
            raise problem(self.path, None, "", "no WhatsApp messages in this file", FIX)

    def _start(self, number: int, match: re.Match[str]) -> _Pending | None:
        sender = _SENDER.fullmatch(match["rest"])
        author = _ISOLATES.sub("", sender["author"]).strip(_MARKS + " ") if sender else ""
        text = sender["text"] if sender else ""
        system = (
            sender is None
            or not author
            or '"' in author
            or "“" in author
            or (text.startswith("\u200e") and not _is_attachment(text.lstrip(_MARKS)))
        )
        if system:
            self.info.skipped["system lines (joins, encryption notices…)"] += 1
            return None
        return _Pending(number, match["date"], match, author, [text])

    def _finish(self, pending: _Pending) -> ChatMessage | None:
        posted_at = self._when(pending)
        attachments: list[str] = []
        lines: list[str] = []
        for raw in pending.body:
            line = _ISOLATES.sub("", raw).lstrip(_MARKS)
            kind = _attachment_kind(line)
            if kind is not None:
                attachments.append(kind)
            else:
                lines.append(line)
        text = _EDITED.sub("", "\n".join(lines)).strip("\n")
        if text.strip() in _DELETED and not attachments:
            self.info.skipped["deleted messages"] += 1
            return None
        if not text.strip() and not attachments:
            self.info.skipped["empty messages"] += 1
            return None
        return ChatMessage(
            line=pending.line,
            source_id=str(pending.line),
            author=Author(key=pending.author, name=pending.author, handle=pending.author),
            posted_at=posted_at,
            instant=wall_seconds(posted_at),
            text=text,
            attachments=tuple(attachments),
        )

    def _when(self, pending: _Pending) -> datetime:
        numbers = [int(n) for n in _numbers(pending.date)]
        if self._order == "ymd":
            year, month, day = numbers
        elif self._order == "mdy":
            month, day, year = numbers
        else:
            day, month, year = numbers
        if year < 100:
            year += 2000
        clock = pending.clock
        hms = [int(n) for n in re.split(r"[:.]", clock["time"])]
        hour, minute, second = hms[0], hms[1], hms[2] if len(hms) > 2 else 0
        hour = _twenty_four(hour, clock["ampm"], clock["daypart"])
        try:
            return datetime(year, month, day, hour, minute, second)
        except ValueError:
            raise problem(
                self.path,
                pending.line,
                "",
                f"{pending.date!r} {clock['time']!r} is not a date and time read as "
                f"{_ORDER_NAMES[self._order]}, like the rest of the file",
                FIX,
            ) from None


def _twenty_four(hour: int, ampm: str | None, daypart: str | None) -> int:
    """A 12-hour clock's hour (AM/PM, 上午/下午…) on the 24-hour clock."""
    if ampm:
        afternoon = ampm[0] in "Pp"
    elif daypart:
        afternoon = daypart in ("下午", "晚上") or (daypart == "中午" and hour < 11)
    else:
        return hour
    if hour == 12:
        return 12 if afternoon else 0
    return hour + 12 if afternoon and hour < 12 else hour


def _is_attachment(line: str) -> bool:
    return _attachment_kind(line) is not None


def _attachment_kind(line: str) -> str | None:
    """The kind of an attachment line, or None for a line of text."""
    text = line.strip()
    if text == "<Media omitted>":
        return "media"
    omitted = _OMITTED.fullmatch(text)
    if omitted is not None:
        return _OMITTED_KINDS[omitted["kind"]]
    attached = _ANDROID_FILE.fullmatch(text) or _IOS_FILE.fullmatch(text)
    if attached is None:
        return None
    name = attached["file"].strip()
    for token in re.split(r"[-_.]", name):
        if token.upper() in _FILE_KINDS and not token.isdigit():
            return _FILE_KINDS[token.upper()]
    return kind_of_file(name)
