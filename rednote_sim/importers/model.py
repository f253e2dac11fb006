"""What every chat reader produces, one message at a time, and how readers fail.

A reader (Discord, Telegram, WhatsApp) turns its app's export into
:class:`ChatMessage` values, in file order, without keeping them: the importer
streams them. Everything app-specific stops here: attachments are already kinds
(``"photo"``), reactions are (emoji, count) pairs, replies name the export's own
message id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from rednote_sim.domain import ChatSource
from rednote_sim.errors import ContentError, Problem


@dataclass(frozen=True, slots=True)
class Author:
    """Someone in a chat, as the export names them.

    Attributes:
        key: What identifies them in the export (a user id; WhatsApp: the name).
        name: The name shown next to their messages.
        handle: Their handle as the app shows it (``@lena``, ``user6012…``), or "".
        aliases: Other names the export uses for them (a username, a nickname):
            an anonymized import replaces these in the text too.
    """

    key: str
    name: str
    handle: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One message of an export, normalized.

    Attributes:
        line: Line of the file where the message starts (for errors).
        source_id: The export's id of the message (WhatsApp has none: the line).
        author: Who wrote it.
        posted_at: When, as the export wrote it (with its UTC offset if it has one).
        instant: The same moment in seconds on one scale, for the gaps between messages.
        text: What they wrote (a caption, for an attachment); may be empty.
        attachments: Kinds of what was attached, in order: ``photo``, ``voice message``…
        reply_to: The export id of the message this one answers.
        reactions: (emoji, count) pairs.
        mentioned: People named in the text through the app's mention feature.
    """

    line: int
    source_id: str
    author: Author
    posted_at: datetime
    instant: float
    text: str
    attachments: tuple[str, ...] = ()
    reply_to: str | None = None
    reactions: tuple[tuple[str, int], ...] = ()
    mentioned: tuple[Author, ...] = ()


@dataclass
class ReadNotes:
    """What a reader learned besides the messages (filled in while it reads).

    Attributes:
        title: The chat's name (a Telegram chat, a Discord server and channel).
        skipped: Messages left out, by reason ("service messages", "deleted messages").
        notes: Other things the user should know (how ambiguous dates were read).
    """

    title: str = ""
    skipped: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)


class ChatReader(Protocol):
    """A chat export being read."""

    source: ChatSource
    path: Path
    info: ReadNotes

    def messages(self) -> Iterator[ChatMessage]:
        """The messages in file order (raises :class:`ContentError` on bad input)."""
        ...


def problem(path: Path, line: int | None, where: str, message: str, fix: str) -> ContentError:
    """The error for one problem in a chat export: ``file:line: where: message (fix: …)``."""
    return ContentError([Problem(path, line, where, message, fix)])


def message_ref(source_id: str) -> str:
    """How an error names a message of a JSON export: ``message 12345``."""
    return f"message {source_id}"


EPOCH = datetime(1970, 1, 1)


def wall_seconds(when: datetime) -> float:
    """Seconds since 1970 of a time; a time without offset is taken as it reads (UTC)."""
    if when.tzinfo is not None:
        return when.timestamp()
    return (when - EPOCH).total_seconds()


ATTACHMENT_KINDS = (
    "photo",
    "video",
    "GIF",
    "sticker",
    "voice message",
    "video message",
    "audio",
    "file",
    "contact",
    "location",
    "poll",
    "embed",
    "forwarded",
    "media",
)
"""Every attachment kind a reader reports; each becomes a ``[kind]`` placeholder."""

_EXTENSIONS = {
    "photo": ("jpg", "jpeg", "png", "heic", "heif", "bmp", "tif", "tiff"),
    "GIF": ("gif",),
    "sticker": ("webp", "tgs"),
    "video": ("mp4", "mov", "webm", "mkv", "avi", "3gp", "m4v"),
    "voice message": ("opus",),
    "audio": ("mp3", "m4a", "ogg", "oga", "wav", "flac", "aac"),
    "contact": ("vcf",),
}


def kind_of_file(name: str) -> str:
    """The attachment kind of a file name, by its extension (``file`` when unknown)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    for kind, extensions in _EXTENSIONS.items():
        if extension in extensions:
            return kind
    return "file"
