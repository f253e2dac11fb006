"""Which export a file is, from what it holds (its name only breaks a tie).

Only the start of the file is read (:data:`~rednote_sim.importers.source.HEAD_BYTES`):

* a ``.zip`` holding a ``.txt`` is a WhatsApp export (an iPhone always shares one);
* a JSON object whose top-level keys include ``guild`` and ``channel`` is
  DiscordChatExporter's; one with ``messages`` next to ``name``/``type``/``id``
  (or a whole-account ``chats``) is Telegram Desktop's;
* any other first line that is a whole JSON object is JSON lines: rednote-sim's
  own (an export, or ``demo --headless --jsonl``);
* text whose first line is a WhatsApp message (or system) line is a WhatsApp export.

The name counts only when the content matches none of these: a ``.jsonl`` file
is then read as rednote-sim JSONL, whose reader names the line that is wrong.

HTML exports (both tools can write them) are recognised so the error can say
which option gives JSON.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal

from rednote_sim.errors import UserError
from rednote_sim.importers.jsonstream import Field, JsonStream, JsonStreamError
from rednote_sim.importers.model import problem
from rednote_sim.importers.source import read_head
from rednote_sim.importers.whatsapp import header
from rednote_sim.safefiles import BOM

Format = Literal["rednote", "discord", "telegram", "whatsapp"]

FORMATS: tuple[Format, ...] = ("rednote", "discord", "telegram", "whatsapp")

_HTML = re.compile(rb"^\s*(<!doctype html|<html)", re.IGNORECASE)

HOW_TO_EXPORT = (
    "export a Discord channel with DiscordChatExporter (format JSON), a Telegram chat with "
    "Telegram Desktop (Export chat history, Machine-readable JSON), or a WhatsApp chat with "
    "Export chat; or pass --format"
)


def detect_format(path: Path) -> Format:
    """The format of the export at ``path``, judged by its content.

    Raises:
        ContentError: When it is none of the formats, naming the file and what to do.
        FileProblem: When the file cannot be read.
    """
    head, is_zip = read_head(path)
    head = head.removeprefix(BOM)
    if _HTML.match(head):
        raise problem(
            path,
            None,
            "",
            "an HTML export, which cannot be replayed",
            "export it as JSON instead (DiscordChatExporter: format JSON; Telegram Desktop: "
            "Format: Machine-readable JSON)",
        )
    text = head.decode("utf-8", errors="replace")
    found = _json_format(text) if text.lstrip().startswith("{") else None
    if found is None and _looks_like_whatsapp(text):
        found = "whatsapp"
    if found is None and not is_zip and path.suffix.lower() == ".jsonl":
        found = "rednote"  # nothing matched: its reader can point at the bad line
    if found is None:
        what = (
            "a .zip without a WhatsApp chat in it"
            if is_zip
            else "not a chat export rednote-sim reads"
        )
        raise problem(path, None, "", what, HOW_TO_EXPORT)
    return found


def _json_format(text: str) -> Format | None:
    first_line = text.lstrip().split("\n", 1)[0]
    try:
        record = json.loads(first_line)
    except ValueError:
        record = None
    if isinstance(record, dict) and "session" in record:
        return "rednote"
    keys = _top_level_keys(text)
    if {"guild", "channel"} <= keys:
        return "discord"
    if "chats" in keys or ("messages" in keys and keys & {"name", "type", "id"}):
        return "telegram"
    return None


def _top_level_keys(text: str) -> set[str]:
    """The top-level keys found in the head of a JSON object (the head may stop anywhere)."""
    keys: set[str] = set()
    try:
        for event in JsonStream(iter([text])).top_level("messages"):
            if isinstance(event, Field):
                keys.add(event.key)
            else:
                keys.add("messages")
                break  # one message is enough to know
    except (JsonStreamError, UserError):
        pass  # the head ends mid-value: what was seen so far decides
    return keys


def _looks_like_whatsapp(text: str) -> bool:
    """Whether the first line that is not blank is a WhatsApp message (or system) line."""
    for line in text.split("\n"):
        if line.strip():
            return header(line.removesuffix("\r")) is not None
    return False
