"""DiscordChatExporter JSON exports (``DiscordChatExporter.Core/Exporting/JsonMessageWriter.cs``).

The writer's shape, as far as a replay needs it::

    {"guild": {"id", "name", "iconUrl"},
     "channel": {"id", "type", "categoryId", "category", "name", "topic"},
     "dateRange": {...}, "exportedAt": "...",
     "messages": [{"id": "1328…", "type": "Default" | "Reply" | "GuildMemberJoin" | …,
                   "timestamp": "2025-01-14T10:00:00.123+08:00", "timestampEdited": … | null,
                   "isPinned": false, "content": "…",
                   "author": {"id", "name", "discriminator", "nickname", "color", "isBot", …},
                   "attachments": [{"id", "url", "fileName", "fileSizeBytes"}],
                   "embeds": [{"title", "description", …}], "stickers": [{"name", …}],
                   "reactions": [{"emoji": {"id", "name", "code", …}, "count", "users"}],
                   "mentions": [{"id", "name", "nickname", …}],
                   "reference": {"messageId", "channelId", "guildId"}}, …],
     "messageCount": 42}

``type`` is the name of Discord's message kind; kinds 1–18 (members joining,
pins, calls, renamed channels…) are system notifications whose ``content`` the
exporter makes up ("Joined the server."): they are skipped. ``content`` has
mentions already rendered as ``@Display Name``; timestamps carry the exporting
machine's UTC offset (or ``+00:00`` with ``--utc``). An edited message has only
its last text: that is what is imported.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from rednote_sim.domain import ChatSource
from rednote_sim.importers.jsonexport import JsonChatReader, count_field, text_field
from rednote_sim.importers.model import (
    Author,
    ChatMessage,
    kind_of_file,
    message_ref,
    problem,
    wall_seconds,
)

APP = "a DiscordChatExporter JSON export"
FIX = "export the channel again with DiscordChatExporter, format JSON"

HEADER_KEYS = frozenset({"guild", "channel"})
"""What DiscordChatExporter writes before the messages."""

MESSAGE_KINDS = frozenset(
    {"Default", "Reply", "ChatInputCommand", "ContextMenuCommand", "ThreadStarterMessage"}
)
"""Kinds that are things people (or bots) wrote; every other kind is a notification."""


class DiscordReader(JsonChatReader):
    """Reads a DiscordChatExporter JSON export (see the module docstring)."""

    source: ChatSource = "discord"
    app = APP
    fix = FIX
    header_keys = HEADER_KEYS

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._guild = ""
        self._channel = ""

    def header(self, key: str, value: Any, line: int) -> None:
        """The guild's and the channel's names make the title."""
        if isinstance(value, dict) and isinstance(value.get("name"), str):
            if key == "guild":
                self._guild = value["name"]
            elif key == "channel":
                self._channel = value["name"]
        # DiscordChatExporter calls the guild of direct messages "Direct Messages".
        guild = "" if self._guild == "Direct Messages" else self._guild
        channel = f"#{self._channel}" if guild and self._channel else self._channel
        self.info.title = " · ".join(p for p in (guild, channel) if p)

    def message(self, line: int, raw: dict[str, Any]) -> ChatMessage | None:
        """One exported message, or None for a notification or an empty one."""
        path = self.path
        source_id = raw.get("id")
        if not isinstance(source_id, str) or not source_id:
            raise problem(path, line, "id", "a message without an id", FIX)
        ref = message_ref(source_id)
        kind = raw.get("type", "Default")
        if kind not in MESSAGE_KINDS:
            self.info.skipped["notifications (joins, pins, calls…)"] += 1
            return None
        stamp = text_field(path, line, ref, raw, "timestamp", FIX)
        try:
            posted_at = datetime.fromisoformat(stamp)
        except ValueError:
            raise problem(
                path,
                line,
                f"{ref}: timestamp",
                f"{stamp!r} is not a date DiscordChatExporter writes "
                "(like 2025-01-14T10:00:00.000+08:00)",
                FIX,
            ) from None
        author = self._author(raw.get("author"))
        if author is None:
            raise problem(path, line, ref, "has no author", f"{FIX}; or remove that message")
        text = text_field(path, line, ref, raw, "content", FIX)
        attachments = self._attachments(raw)
        if not text.strip() and not attachments:
            text, attachments = self._embed_or_forward(raw)
        if not text.strip() and not attachments:
            self.info.skipped["empty messages"] += 1
            return None
        return ChatMessage(
            line=line,
            source_id=source_id,
            author=author,
            posted_at=posted_at,
            instant=wall_seconds(posted_at),
            text=text,
            attachments=attachments,
            reply_to=self._reply_to(raw),
            reactions=self._reactions(line, ref, raw),
            mentioned=tuple(
                a for a in (self._author(m) for m in _list(raw.get("mentions"))) if a is not None
            ),
        )

    @staticmethod
    def _author(raw: Any) -> Author | None:
        if not isinstance(raw, dict):
            return None
        key, name, nickname = raw.get("id"), raw.get("name"), raw.get("nickname")
        if not isinstance(key, str) or not key:
            return None
        username = name if isinstance(name, str) else ""
        shown = nickname if isinstance(nickname, str) and nickname.strip() else username
        if not shown.strip():
            return None
        return Author(
            key=key,
            name=shown,
            handle=f"@{username}" if username else "",
            aliases=tuple(a for a in (username,) if a and a != shown),
        )

    @staticmethod
    def _attachments(raw: dict[str, Any]) -> tuple[str, ...]:
        kinds = []
        for attachment in _list(raw.get("attachments")):
            name = attachment.get("fileName") if isinstance(attachment, dict) else None
            kinds.append(kind_of_file(name) if isinstance(name, str) else "file")
        kinds += ["sticker" for _ in _list(raw.get("stickers"))]
        return tuple(kinds)

    @staticmethod
    def _embed_or_forward(raw: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
        """A bot's embed, or a forwarded message, when the message has nothing else."""
        forwarded = raw.get("forwardedMessage")
        if isinstance(forwarded, dict) and isinstance(forwarded.get("content"), str):
            return forwarded["content"], ("forwarded",)
        for embed in _list(raw.get("embeds")):
            if isinstance(embed, dict):
                parts = [embed.get("title"), embed.get("description")]
                text = "\n".join(p for p in parts if isinstance(p, str) and p.strip())
                return text, ("embed",)
        return "", ()

    @staticmethod
    def _reply_to(raw: dict[str, Any]) -> str | None:
        reference = raw.get("reference")
        if not isinstance(reference, dict) or reference.get("type") == "Forward":
            return None
        target = reference.get("messageId")
        return target if isinstance(target, str) and target else None

    def _reactions(self, line: int, ref: str, raw: dict[str, Any]) -> tuple[tuple[str, int], ...]:
        found = []
        for reaction in _list(raw.get("reactions")):
            if not isinstance(reaction, dict) or not isinstance(reaction.get("emoji"), dict):
                continue
            emoji = reaction["emoji"]
            name = emoji.get("name")
            if not isinstance(name, str) or not name:
                continue
            # A server's own emoji has an id and no character: show it as :name:.
            shown = f":{name}:" if emoji.get("id") else name
            found.append((shown, count_field(self.path, line, ref, reaction.get("count"), FIX)))
        return tuple(found)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
