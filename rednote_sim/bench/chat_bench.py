"""How fast a real chat imports, translation included, and in how little memory.

Two measurements in one run, on exports written here in Telegram Desktop's
format (or Discord's, or WhatsApp's):

1. **Speed.** An export of N messages (half Chinese, two fifths English, the rest
   photos and stickers; replies and reactions among them; every text different,
   so nothing comes from a cache) is imported with the real zh→en model:
   read and checked, translated, stored. Messages per second for each step and
   for the whole import.
2. **Memory.** An export of M messages (100,000 by default) is read, checked and
   stored without a model, under :mod:`tracemalloc`: the peak is what the import
   itself holds, next to the size of the file. Streaming keeps it flat.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from rednote_sim.domain import ENGINE_ARGOS, Glossary
from rednote_sim.importers import ImportOptions, chat_reader, read_chat
from rednote_sim.store import Store
from rednote_sim.translate import TranslationService
from rednote_sim.translate.engine import ArgosEngine
from rednote_sim.translate.packages import InstalledPackage

EN_LINES = (
    "Hi everyone! TikTok refugee here, learning Chinese",
    "My cat knocked my coffee off the table again",
    "Can someone explain what 早C晚A means?",
    "I'm from Ohio, it's freezing here today",
    "Thanks for helping with my homework, you're the best",
    "What should I cook tonight? Something spicy please",
    "Good morning from California!",
    "How do you say 'see you tomorrow' in Chinese?",
)

_START = datetime(2025, 1, 14, 9, 0, 0)
_PEOPLE = (("user6012345678", "Lena"), ("user5098765432", "小王"), ("user7011223344", "Maya"))


def synthetic_messages(count: int, zh_lines: list[str]) -> list[dict[str, object]]:
    """``count`` Telegram-format messages (see the module docstring)."""
    messages: list[dict[str, object]] = []
    for i in range(count):
        when = _START + timedelta(seconds=7 * i)
        from_id, name = _PEOPLE[i % len(_PEOPLE)]
        message: dict[str, object] = {
            "id": i + 1,
            "type": "message",
            "date": when.isoformat(),
            "date_unixtime": str(int((when - datetime(1970, 1, 1)).total_seconds())),
            "from": name,
            "from_id": from_id,
        }
        kind = i % 10
        if kind < 5:
            text = f"{zh_lines[i % len(zh_lines)]}（第{i}条）"
        elif kind < 9:
            text = f"{EN_LINES[i % len(EN_LINES)]} (#{i})"
        else:
            text = ""
            message["photo"] = f"photos/photo_{i}@14-01-2025_09-00-00.jpg"
        if i % 5 == 3:
            message["reply_to_message_id"] = i
        message["text"] = text
        message["text_entities"] = [{"type": "plain", "text": text}] if text else []
        if i % 10 == 1:
            message["reactions"] = [{"type": "emoji", "count": 1 + i % 4, "emoji": "👍"}]
        messages.append(message)
    return messages


def write_export(path: Path, count: int, zh_lines: list[str]) -> Path:
    """A Telegram Desktop ``result.json`` of ``count`` messages, written message by message."""
    with path.open("w", encoding="utf-8") as out:
        out.write('{\n "name": "Bench chat 基准",\n "type": "private_group",\n "id": 42,\n')
        out.write(' "messages": [')
        for i, message in enumerate(synthetic_messages(count, zh_lines)):
            out.write(("," if i else "") + "\n  " + json.dumps(message, ensure_ascii=False))
        out.write("\n ]\n}\n")
    return path


@dataclass(frozen=True)
class Speed:
    """Seconds for each step of one import with the model."""

    messages: int
    chinese: int
    read_seconds: float
    translate_seconds: float
    store_seconds: float
    service_alone_seconds: float

    @property
    def total_seconds(self) -> float:
        """The whole import."""
        return self.read_seconds + self.translate_seconds + self.store_seconds


@dataclass(frozen=True)
class Memory:
    """Peak memory of an import without a model."""

    messages: int
    file_mib: float
    peak_mib: float
    seconds: float


async def _import(db: Path, file: Path, service: TranslationService) -> tuple[float, float, float]:
    """(read + check, translate, store) seconds of one import."""
    start = time.perf_counter()
    translated_at = start
    with read_chat(chat_reader(file, "telegram"), ImportOptions()) as chat:
        read_at = time.perf_counter()

        def progress(done: int, total: int) -> None:
            nonlocal translated_at
            translated_at = time.perf_counter()

        async with await Store.open(db) as store:
            service.memory = store
            await chat.store(store, service, on_progress=progress)
    return read_at - start, translated_at - read_at, time.perf_counter() - translated_at


def _chinese_texts(db: Path) -> list[str]:
    with sqlite3.connect(db) as raw:
        # What the model translated on import (not the photos, which need no model).
        sql = "SELECT text FROM messages WHERE translation_engine LIKE ?"
        return [r[0] for r in raw.execute(sql, (f"{ENGINE_ARGOS}%",))]


def run_speed(package: InstalledPackage, count: int, zh_lines: list[str], beam: int) -> Speed:
    """Import ``count`` messages with the real model (step 1 of the module docstring).

    Then the same Chinese texts go through a fresh service on their own, in the
    same run: the ratio says what the import costs on top of translating.
    """
    engine = ArgosEngine(package, beam_size=beam)
    engine.load()  # the model loads once per process; it is not part of an import
    with tempfile.TemporaryDirectory(prefix="rnsim-bench-chat-") as tmp:
        file = write_export(Path(tmp) / "result.json", count, zh_lines)
        db = Path(tmp) / "speed.db"

        async def go() -> tuple[float, float, float, float, int]:
            service = TranslationService(glossary=Glossary(), engines={("zh", "en"): engine})
            try:
                read, translate, store = await _import(db, file, service)
            finally:
                await service.aclose()
            texts = _chinese_texts(db)
            alone = TranslationService(glossary=Glossary(), engines={("zh", "en"): engine})
            start = time.perf_counter()
            await alone.translate_many(texts, source="zh")
            await alone.aclose()
            return read, translate, store, time.perf_counter() - start, len(texts)

        read, translate, store, alone, chinese = asyncio.run(go())
    return Speed(count, chinese, read, translate, store, alone)


def run_memory(count: int, zh_lines: list[str]) -> Memory:
    """Import ``count`` messages without a model, under tracemalloc (step 2)."""
    with tempfile.TemporaryDirectory(prefix="rnsim-bench-chat-") as tmp:
        file = write_export(Path(tmp) / "result.json", count, zh_lines)
        service = TranslationService(glossary=Glossary(), engines={})
        tracemalloc.start()
        start = time.perf_counter()
        try:
            asyncio.run(_import(Path(tmp) / "memory.db", file, service))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        seconds = time.perf_counter() - start
        size = file.stat().st_size
    return Memory(count, size / (1 << 20), peak / (1 << 20), seconds)


def report(speed: Speed | None, memory: Memory | None) -> str:
    """The measurements as lines for people."""
    lines = []
    if speed is not None:
        n, zh = speed.messages, speed.chinese
        lines += [
            f"speed: {n:,} messages ({zh:,} translated by the real zh→en model):",
            f"  read + check   {n / speed.read_seconds:9,.0f} msg/s  {speed.read_seconds:7.2f} s",
            f"  translate      {n / speed.translate_seconds:9,.1f} msg/s  "
            f"{speed.translate_seconds:7.2f} s",
            f"  store          {n / speed.store_seconds:9,.0f} msg/s  {speed.store_seconds:7.2f} s",
            f"  whole import   {n / speed.total_seconds:9,.1f} msg/s  "
            f"{speed.total_seconds:7.2f} s  (translation included)",
            f"  the same {zh:,} texts through the service alone: "
            f"{zh / speed.service_alone_seconds:,.1f} msg/s; the import's translate step: "
            f"{zh / speed.translate_seconds:,.1f} msg/s "
            f"({speed.service_alone_seconds / speed.translate_seconds:.2f}x)",
        ]
    if memory is not None:
        lines.append(
            f"memory: {memory.messages:,} messages ({memory.file_mib:,.1f} MiB file) read, checked "
            f"and stored without a model in {memory.seconds:.1f} s (under tracemalloc); "
            f"peak traced memory {memory.peak_mib:,.1f} MiB"
        )
    return "\n".join(lines)
