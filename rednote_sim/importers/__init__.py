"""Importing real conversations: Discord, Telegram and WhatsApp chat exports.

``rednote-sim import FILE`` finds out which export ``FILE`` is from its content
(:func:`detect_format`), reads it with that app's reader (one module each, all
producing :class:`~rednote_sim.importers.model.ChatMessage` values), and
:mod:`~rednote_sim.importers.chat_import` turns the messages into a session:
the people as personas stored with it, the times as its clock, every message
translated and stored, in one transaction. Nothing here imports Textual.
"""

from __future__ import annotations

from pathlib import Path

from rednote_sim.importers.chat_import import ChatImport, ImportOptions, read_chat
from rednote_sim.importers.detect import FORMATS, Format, detect_format
from rednote_sim.importers.discord import DiscordReader
from rednote_sim.importers.model import ChatReader
from rednote_sim.importers.telegram import TelegramReader
from rednote_sim.importers.whatsapp import WhatsAppReader

CHAT_FORMATS: tuple[Format, ...] = ("discord", "telegram", "whatsapp")
"""The formats of real chats (``rednote`` is rednote-sim's own JSONL)."""


def chat_reader(path: Path, fmt: str) -> ChatReader:
    """The reader for a chat export in format ``fmt`` (one of :data:`CHAT_FORMATS`)."""
    if fmt == "discord":
        return DiscordReader(path)
    if fmt == "telegram":
        return TelegramReader(path)
    if fmt == "whatsapp":
        return WhatsAppReader(path)
    raise ValueError(f"not a chat format: {fmt!r}")


__all__ = [
    "CHAT_FORMATS",
    "FORMATS",
    "ChatImport",
    "ChatReader",
    "Format",
    "ImportOptions",
    "chat_reader",
    "detect_format",
    "read_chat",
]
