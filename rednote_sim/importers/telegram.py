"""Telegram Desktop "Export chat history" JSON (``export/output/export_output_json.cpp``).

One chat exported as "Machine-readable JSON" is ``result.json``::

    {"name": "Language exchange 🇨🇳🇺🇸", "type": "private_group", "id": 4012345678,
     "messages": [
       {"id": 11, "type": "service", "date": "2025-01-14T09:58:00",
        "date_unixtime": "1736819880", "actor": "Lena", "actor_id": "user6012345678",
        "action": "invite_members", "members": ["Wei"], "text": "", "text_entities": []},
       {"id": 12, "type": "message", "date": "2025-01-14T10:00:05",
        "date_unixtime": "1736820005", "edited": "…", "edited_unixtime": "…",
        "from": "Lena", "from_id": "user6012345678", "reply_to_message_id": 11,
        "photo": "photos/photo_1@14-01-2025_10-00-05.jpg", "width": 1280, "height": 960,
        "text": ["Look ", {"type": "mention", "text": "@wei_zh"}, " 你好"],
        "text_entities": [...],
        "reactions": [{"type": "emoji", "count": 2, "emoji": "👍", "recent": [...]}]}, …]}

``date`` is the exporting computer's local time without an offset, as Telegram
showed it; ``date_unixtime`` is the same moment as a Unix time (older exports
lack it). ``text`` is a string, or a list of strings and entity objects whose
``text`` joined is the message. ``from`` is null for a deleted account. Media
are keys of their own (``photo``, ``file`` with ``media_type``, ``poll``,
``location_information``…). Service messages (``"type": "service"``: joins,
pins, calls, title changes) are skipped. A whole-account export (``result.json``
with ``"chats"``) is refused with how to export one chat.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rednote_sim.domain import ChatSource
from rednote_sim.importers.jsonexport import JsonChatReader, count_field
from rednote_sim.importers.model import (
    Author,
    ChatMessage,
    message_ref,
    problem,
    wall_seconds,
)

APP = "a Telegram Desktop chat export (JSON)"
FIX = (
    "export the chat again in Telegram Desktop: open the chat, ⋮ → Export chat history, "
    "Format: Machine-readable JSON"
)

DELETED_ACCOUNT = "Deleted Account"
"""What Telegram itself shows for a sender whose account is gone (``"from": null``)."""

_MEDIA_TYPES = {
    "sticker": "sticker",
    "video_message": "video message",
    "voice_message": "voice message",
    "animation": "GIF",
    "video_file": "video",
    "audio_file": "audio",
}

HEADER_KEYS = frozenset({"name", "type", "id"})
"""What Telegram Desktop writes before a chat's messages (a saved-messages chat has no name)."""

_ACCOUNT_KEYS = frozenset({"about", "chats", "left_chats", "personal_information", "contacts"})
"""Top-level keys of a whole-account export, which holds many chats."""


class TelegramReader(JsonChatReader):
    """Reads a Telegram Desktop single-chat JSON export (see the module docstring)."""

    source: ChatSource = "telegram"
    app = APP
    fix = FIX
    header_keys = HEADER_KEYS
    x_escapes = True

    def header(self, key: str, value: Any, line: int) -> None:
        """The chat's name is the title; a whole-account export is refused."""
        if key in _ACCOUNT_KEYS:
            raise problem(
                self.path,
                line,
                key,
                "this is a whole-account export, which holds many chats",
                "export the one chat to import instead (in Telegram Desktop: open the chat, "
                "⋮ → Export chat history, Format: Machine-readable JSON)",
            )
        if key == "name" and isinstance(value, str):
            self.info.title = value
        elif key == "type" and value == "saved_messages" and not self.info.title:
            self.info.title = "Saved Messages"

    def message(self, line: int, raw: dict[str, Any]) -> ChatMessage | None:
        """One exported message, or None for a service message or an empty one."""
        path = self.path
        source_id = raw.get("id")
        if isinstance(source_id, bool) or not isinstance(source_id, int | str):
            raise problem(path, line, "id", "a message without an id", FIX)
        ref = message_ref(str(source_id))
        kind = raw.get("type", "message")
        if kind == "service":
            self.info.skipped["service messages (joins, pins, calls…)"] += 1
            return None
        if kind != "message":
            self.info.skipped[f"messages Telegram could not export ({kind})"] += 1
            return None
        posted_at = self._date(line, ref, raw)
        author = self._author(raw)
        if author is None:
            raise problem(
                path, line, ref, "has no author (no from_id)", f"{FIX}; or remove that message"
            )
        text, mentioned = self._text(line, ref, raw.get("text", ""))
        attachments, caption = self._media(raw)
        if caption and not text.strip():
            text = caption
        if not text.strip() and not attachments:
            self.info.skipped["empty messages"] += 1
            return None
        reply = raw.get("reply_to_message_id")
        return ChatMessage(
            line=line,
            source_id=str(source_id),
            author=author,
            posted_at=posted_at,
            instant=self._instant(raw, posted_at),
            text=text,
            attachments=attachments,
            reply_to=str(reply) if isinstance(reply, int) and not isinstance(reply, bool) else None,
            reactions=self._reactions(line, ref, raw),
            mentioned=mentioned,
        )

    def _date(self, line: int, ref: str, raw: dict[str, Any]) -> datetime:
        stamp = raw.get("date")
        try:
            if not isinstance(stamp, str):
                raise ValueError
            return datetime.fromisoformat(stamp)
        except ValueError:
            raise problem(
                self.path,
                line,
                f"{ref}: date",
                f"{stamp!r} is not a date Telegram writes (like 2025-01-14T10:00:05)",
                FIX,
            ) from None

    @staticmethod
    def _instant(raw: dict[str, Any], posted_at: datetime) -> float:
        unix = raw.get("date_unixtime")
        if isinstance(unix, str) and unix.isdigit():
            return float(unix)
        return wall_seconds(posted_at)

    @staticmethod
    def _author(raw: dict[str, Any]) -> Author | None:
        key = raw.get("from_id")
        if not isinstance(key, str) or not key:
            return None
        name = raw.get("from")
        shown = name if isinstance(name, str) and name.strip() else DELETED_ACCOUNT
        return Author(key=key, name=shown, handle=key)

    def _text(self, line: int, ref: str, value: Any) -> tuple[str, tuple[Author, ...]]:
        """The message text (a string, or parts joined) and who it mentions by name."""
        if isinstance(value, str):
            return value, ()
        if not isinstance(value, list):
            raise problem(
                self.path, line, f"{ref}: text", "is neither text nor a list of parts", FIX
            )
        parts: list[str] = []
        mentioned: list[Author] = []
        for part in value:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
                user = part.get("user_id")
                if part.get("type") == "mention_name" and isinstance(user, int):
                    mentioned.append(Author(key=f"user{user}", name=part["text"]))
        return "".join(parts), tuple(mentioned)

    @staticmethod
    def _media(raw: dict[str, Any]) -> tuple[tuple[str, ...], str]:
        """Attachment kinds, and text that stands in for an empty caption (a poll's question)."""
        if "photo" in raw:
            return ("photo",), ""
        media_type = raw.get("media_type")
        if isinstance(media_type, str):
            return (_MEDIA_TYPES.get(media_type, "file"),), ""
        if "file" in raw:
            return ("file",), ""
        poll = raw.get("poll")
        if isinstance(poll, dict):
            question = poll.get("question")
            return ("poll",), question if isinstance(question, str) else ""
        if "contact_information" in raw:
            return ("contact",), ""
        if "location_information" in raw or "place_name" in raw:
            return ("location",), ""
        return (), ""

    def _reactions(self, line: int, ref: str, raw: dict[str, Any]) -> tuple[tuple[str, int], ...]:
        found = []
        for reaction in raw.get("reactions") or []:
            if not isinstance(reaction, dict):
                continue
            emoji = reaction.get("emoji")
            if reaction.get("type") == "paid":
                emoji = "⭐"
            # A custom emoji is only a document id in the export: nothing to show.
            if isinstance(emoji, str) and emoji:
                found.append((emoji, count_field(self.path, line, ref, reaction.get("count"), FIX)))
        return tuple(found)
