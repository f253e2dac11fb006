"""The chat export fixtures (tests/fixtures/chats) and helpers to make variants of them.

The fixtures are written in each tool's own format: DiscordChatExporter's JSON
(2-space indent, as its Utf8JsonWriter writes it), Telegram Desktop's
``result.json`` (1-space indent, ``date`` plus ``date_unixtime``, text as parts)
and WhatsApp's text exports (Android month-first with U+202F before AM/PM, an
iPhone's ``_chat.txt`` with U+200E marks and U+2068 mention isolates, an iPhone
set to Chinese with 上午/下午).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

CHATS = Path(__file__).resolve().parent.parent / "fixtures" / "chats"

DISCORD = CHATS / "discord-chinese-practice.json"
TELEGRAM = CHATS / "telegram-result.json"
WHATSAPP_ANDROID = CHATS / "WhatsApp Chat with Wei Zhang.txt"
WHATSAPP_IOS = CHATS / "_chat.txt"
WHATSAPP_CHINESE = CHATS / "whatsapp-ios-chinese.txt"

ALL_CHATS = (DISCORD, TELEGRAM, WHATSAPP_ANDROID, WHATSAPP_IOS, WHATSAPP_CHINESE)

REAL_NAMES = ("Lena", "lena_l", "小王", "wei_zh", "Maya", "mayabakes", "周老师", "Wei Zhang")
"""Names and handles of the fixtures' people: none may survive an anonymized import."""


def load(path: Path) -> Any:
    """A JSON fixture as Python data."""
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(path: Path, data: Any, indent: int = 2) -> Path:
    """Write an export the way the tools do (UTF-8, non-ASCII as is, indented)."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=indent) + "\n", encoding="utf-8")
    return path


def iphone_zip(
    folder: Path, chat: Path = WHATSAPP_IOS, name: str = "WhatsApp Chat - 中英交换群.zip"
) -> Path:
    """The archive an iPhone shares: ``_chat.txt`` and the media next to it."""
    archive = folder / name
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("_chat.txt", chat.read_bytes())
        z.writestr("00000005-PHOTO-2025-01-14-10-02-03.jpg", b"\xff\xd8\xff\xe0 not really a jpeg")
    return archive
