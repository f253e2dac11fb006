"""Importing real chats through the real CLI: real SQLite, the real zh→en model.

Each fixture is an export in its tool's own format (tests/fixtures/chats). The
imports run as subprocesses, like a user runs them; what they stored is read
back through the Store and through replay and the exports.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import pty
import re
import sqlite3
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from rednote_sim.domain import Message, Persona, Session
from rednote_sim.store import Store
from tests.support.chats import (
    DISCORD,
    REAL_NAMES,
    TELEGRAM,
    WHATSAPP_ANDROID,
    WHATSAPP_IOS,
    iphone_zip,
    load,
    write_json,
)
from tests.support.files import cli_command, one_error_line, run_cli

ARGOS = "argos:translate-zh_en@1.9"
NO_EN_ZH = "no en→zh model installed"


@dataclass
class Stored:
    """One imported chat as the database holds it."""

    db: Path
    session: Session
    messages: list[Message]
    personas: dict[str, Persona]
    reactions: list[tuple[int, str, int]]
    markers: list[tuple[float, str, int | None]]
    stdout: str
    stderr: str


async def _load(db: Path) -> Stored:
    async with await Store.open(db) as store:
        session = await store.get_session("latest")
        return Stored(
            db,
            session,
            await store.messages(session.id),
            await store.session_personas(session.id),
            [(r.seq, r.emoji, r.count) for r in await store.reactions(session.id)],
            [(m.t, m.label, m.seq) for m in await store.markers(session.id)],
            "",
            "",
        )


def import_chat(db: Path, models: Path, file: Path, *args: str) -> Stored:
    proc = run_cli(
        "import", str(file), "--db", str(db), *args, env={"RNSIM_MODELS_DIR": str(models)}
    )
    assert proc.returncode == 0, proc.stderr
    stored = asyncio.run(_load(db))
    stored.stdout, stored.stderr = proc.stdout, proc.stderr
    return stored


@pytest.fixture(scope="module")
def imported(zh_en_models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Stored]:
    """Each fixture imported (as a user would) into a database of its own."""
    folder = tmp_path_factory.mktemp("imported")
    zipped = iphone_zip(folder)
    return {
        name: import_chat(folder / f"{name}.db", zh_en_models_dir, file)
        for name, file in (
            ("discord", DISCORD),
            ("telegram", TELEGRAM),
            ("android", WHATSAPP_ANDROID),
            ("iphone", zipped),
        )
    }


def by_text(messages: list[Message], start: str) -> Message:
    return next(m for m in messages if m.text.startswith(start))


# --- what an import stores ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "source", "count", "people"),
    [
        ("discord", "discord", 9, ["Lena", "小王", "Maya"]),
        ("telegram", "telegram", 9, ["Lena", "小王", "周老师", "Deleted Account"]),
        ("android", "whatsapp", 10, ["Lena", "Wei Zhang"]),
        ("iphone", "whatsapp", 10, ["Lena", "小王", "+86 138 0013 8000"]),
    ],
)
def test_each_export_becomes_a_session_of_its_people(
    imported: dict[str, Stored], name: str, source: str, count: int, people: list[str]
) -> None:
    chat = imported[name]
    assert chat.session.imported_from == source and not chat.session.anonymized
    assert chat.session.scenario == f"{source}-chat"
    assert len(chat.messages) == count
    assert [p.name for p in chat.personas.values()] == people
    assert [p.id for p in chat.personas.values()] == [f"p{i + 1}" for i in range(len(people))]
    # Every message names one of the session's own personas, with that persona's name.
    for message in chat.messages:
        assert chat.personas[message.persona].name == message.name
    assert f"imported {chat.session.id} ({count} messages from {len(people)} people" in chat.stdout
    assert f"replay it with: rednote-sim replay {chat.session.id}" in chat.stdout


def test_people_get_the_language_they_write_and_its_flag(imported: dict[str, Stored]) -> None:
    people = {p.name: p for p in imported["telegram"].personas.values()}
    assert (people["Lena"].language, people["Lena"].flag) == ("en", "🇺🇸")
    assert (people["小王"].language, people["小王"].flag) == ("zh", "🇨🇳")
    assert people["小王"].handle == "user5098765432" and people["小王"].home == "Telegram"


def test_times_become_the_session_clock_with_long_gaps_capped(imported: dict[str, Stored]) -> None:
    messages = imported["android"].messages
    assert messages[0].t == 0
    gaps = [b.t - a.t for a, b in itertools.pairwise(messages)]
    assert max(gaps) == 5.0  # the night between the two days: at most the idle cap
    assert 0.0 in gaps  # two messages in the same minute stay together
    assert [str(m.posted_at) for m in messages][-1] == "2025-01-15 20:30:00"
    discord = imported["discord"].messages
    assert str(discord[1].posted_at) == "2025-01-14 10:00:53.417000+08:00"
    # One marker per day, heading its first message.
    assert [(label, seq) for _, label, seq in imported["discord"].markers] == [
        ("Tue 14 Jan 2025", 1),
        ("Wed 15 Jan 2025", 8),
    ]


def test_replies_and_reactions_carry_over(imported: dict[str, Stored]) -> None:
    discord = imported["discord"]
    welcome = by_text(discord.messages, "欢迎欢迎")
    assert welcome.reply_to == by_text(discord.messages, "Hi everyone").seq
    assert (1, "❤️", 3) in discord.reactions and (1, ":wave_cat:", 1) in discord.reactions
    telegram = imported["telegram"]
    assert (
        by_text(telegram.messages, "Good morning!").reply_to
        == by_text(telegram.messages, "早上好 everyone").seq
    )
    assert (by_text(telegram.messages, "[photo]").seq, "❤", 3) in telegram.reactions


def test_attachments_become_one_line_placeholders(imported: dict[str, Stored]) -> None:
    texts = [m.text for m in imported["telegram"].messages]
    assert "[photo] My cat Biscuit 🐱 she says 喵" in texts
    assert "[voice message]" in texts and "[sticker]" in texts
    assert "[poll] 你们周末想练口语吗？" in texts
    android = [m.text for m in imported["android"].messages]
    assert "[photo] My cat Biscuit 🐱" in android and "[media]" in android
    assert by_text(imported["iphone"].messages, "[photo]").text == "[photo]"


def test_every_message_was_translated_on_import(imported: dict[str, Stored]) -> None:
    for chat in imported.values():
        for message in chat.messages:
            assert message.translated, message
            if message.translation is not None and message.translation.engine.startswith("argos"):
                assert message.lang == "zh"
    discord = imported["discord"].messages
    welcome = by_text(discord, "欢迎欢迎")
    assert welcome.translation is not None and welcome.translation.engine == ARGOS
    assert "Chengdu" in welcome.translation.text
    hello = by_text(discord, "Hi everyone")
    assert hello.translation is None and NO_EN_ZH in (hello.translation_error or "")
    sticker = discord[-1]
    assert sticker.translation is not None and sticker.translation.engine == "passthrough"
    poll = by_text(imported["telegram"].messages, "[poll]")
    assert poll.translation is not None and poll.translation.text.startswith("[poll] ")
    assert poll.translation.engine == ARGOS and "weekend" in poll.translation.text
    # Maya's "@小王 can you recommend…? 小红书上有什么好的账号吗" is English with a Chinese
    # clause (a handle in Chinese characters is a name, not Chinese prose): its Chinese
    # reader has no en→zh model either.
    assert "4 messages not translated: no en→zh model installed" in imported["discord"].stderr
    assert "left out: 2 notifications" in imported["discord"].stderr


def test_a_line_that_mixes_the_languages_is_rendered_for_both_readers(
    imported: dict[str, Stored],
) -> None:
    hello = by_text(imported["telegram"].messages, "Hi 大家好!")  # … my Chinese is still 很差
    assert hello.lang == "en" and hello.mixed
    english, error = hello.rendering("en")
    assert error is None and english is not None and english.engine == ARGOS
    assert english.text.startswith("Hi ") and "I'm Lena 👋 my Chinese is still" in english.text
    assert not re.search("[\u4e00-\u9fff]", english.text), english.text
    chinese, error = hello.rendering("zh")
    assert chinese is None and NO_EN_ZH in (error or "")


def test_links_and_mentions_survive_translation(imported: dict[str, Stored]) -> None:
    discord = imported["discord"].messages
    link = by_text(discord, "你可以看看这个")
    assert link.translation is not None
    assert "https://www.xiaohongshu.com/explore" in link.translation.text
    asks = by_text(discord, "哈哈哈")
    assert asks.translation is not None and "@Lena" in asks.translation.text
    maya = by_text(discord, "@小王 can you")
    english, _ = maya.rendering("en")  # a mixed line: its Chinese clause in English
    assert english is not None and english.text.startswith("@小王 can you recommend")
    telegram = by_text(imported["telegram"].messages, "推荐")
    assert telegram.translation is not None and "@english_daily" in telegram.translation.text


def test_replay_shows_the_people_and_original_times_and_never_translates(
    imported: dict[str, Stored], tmp_path: Path
) -> None:
    chat = imported["discord"]
    exported = run_cli("export", chat.session.id, "--format", "jsonl", "--db", str(chat.db))
    assert exported.returncode == 0, exported.stderr
    file = tmp_path / "s.jsonl"
    file.write_text(exported.stdout, encoding="utf-8")
    db = tmp_path / "copy.db"
    assert run_cli("import", str(file), "--db", str(db)).returncode == 0
    # No model is installed for these runs: everything shown was stored on import.
    replay = run_cli("replay", "latest", "--headless", "--speed", "max", "--db", str(db))
    assert replay.returncode == 0, replay.stderr
    assert "[0:05 · 2025-01-14 10:00] #2 🇨🇳 小王 (@wei_zh · Discord)" in replay.stdout
    assert "  ↪ replying to #1 Lena" in replay.stdout
    assert "⤷ en: Welcome! I'm Xiao Wang, in Chengdu." in replay.stdout
    assert "[0:40 · 2025-01-15 08:08] #9 🇨🇳 小王 (@wei_zh · Discord)\n  [sticker]" in replay.stdout


def test_jsonl_export_and_import_of_a_chat_is_lossless(
    imported: dict[str, Stored], tmp_path: Path
) -> None:
    chat = imported["telegram"]
    first = run_cli("export", chat.session.id, "--format", "jsonl", "--db", str(chat.db)).stdout
    records = [json.loads(line) for line in first.splitlines()]
    assert records[0]["imported_from"] == "telegram" and records[0]["anonymized"] is False
    personas = [r for r in records if r["type"] == "persona"]
    assert [r["name"] for r in personas] == ["Lena", "小王", "周老师", "Deleted Account"]
    assert all("posted_at" in r for r in records if r["type"] == "message")
    file = tmp_path / "chat.jsonl"
    file.write_text(first, encoding="utf-8")
    db = tmp_path / "other.db"
    assert run_cli("import", str(file), "--db", str(db)).returncode == 0
    again = run_cli("export", chat.session.id, "--format", "jsonl", "--db", str(db)).stdout
    assert again == first


def test_exports_say_the_session_is_a_real_chat_and_show_original_times(
    imported: dict[str, Stored], tmp_path: Path
) -> None:
    chat = imported["discord"]
    sid, db = chat.session.id, str(chat.db)
    md = run_cli("export", sid, "--format", "md", "--db", db).stdout
    assert "- **Source:** Imported from a real Discord chat; the people in it are real." in md
    assert "**#2 · 🇨🇳 小王** (@wei\\_zh) · 0:05 · 2025-01-14 10:00 · ↪ #1 Lena" in md
    assert "### ▸ Wed 15 Jan 2025" in md
    html_file = tmp_path / "h.html"
    assert (
        run_cli("export", sid, "--format", "html", "-o", str(html_file), "--db", db).returncode == 0
    )
    html = html_file.read_text(encoding="utf-8")
    assert '<li class="provenance">Imported from a real Discord chat;' in html
    assert "<time>0:05 · 2025-01-14 10:00</time>" in html
    deck = _anki(sid, db, tmp_path)
    assert deck.description == "Imported from a real Discord chat; the people in it are real."
    assert any("2025-01-14 10:00" in fields for fields in deck.notes)
    assert all("rednote-sim::real-chat" in tags for tags in deck.tags)


@dataclass
class Deck:
    """What an exported .apkg holds that the tests look at."""

    description: str
    notes: list[str]
    tags: list[str]


def _anki(sid: str, db: str, folder: Path) -> Deck:
    apkg = folder / "deck.apkg"
    proc = run_cli("export", sid, "--format", "anki", "-o", str(apkg), "--db", db)
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(apkg) as z:
        (folder / "collection.anki2").write_bytes(z.read("collection.anki2"))
    with sqlite3.connect(folder / "collection.anki2") as raw:
        decks = json.loads(raw.execute("SELECT decks FROM col").fetchone()[0])
        notes = [row[0] for row in raw.execute("SELECT flds FROM notes")]
        tags = [row[0] for row in raw.execute("SELECT tags FROM notes")]
    ours = next(d for d in decks.values() if d["name"].startswith("rednote-sim::"))
    return Deck(ours["desc"], notes, tags)


# --- --me and --anonymize ----------------------------------------------------------------------


def test_me_makes_that_participant_the_user(zh_en_models_dir: Path, tmp_path: Path) -> None:
    chat = import_chat(tmp_path / "me.db", zh_en_models_dir, DISCORD, "--me", "lena_l")
    lena = chat.personas["you"]
    assert (lena.name, lena.avatar) == ("Lena", "🙂")
    mine = [m for m in chat.messages if m.persona == "you"]
    assert [m.name for m in mine] == ["Lena"] * 4
    proc = run_cli("import", str(DISCORD), "--db", str(tmp_path / "x.db"), "--me", "Bob")
    assert "--me 'Bob': nobody of that name wrote in discord-chinese-practice.json" in (
        one_error_line(proc)
    )


def _everything_stored(db: Path) -> str:
    """Every text value of every table, as one string."""
    with sqlite3.connect(db) as raw:
        tables = [r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        values = [
            str(value)
            for table in tables
            for row in raw.execute(f"SELECT * FROM {table}")
            for value in row
            if isinstance(value, str)
        ]
    return "\n".join(values)


def _leaks(text: str) -> list[str]:
    found = []
    for name in (*REAL_NAMES, "Wei", "6012345678", "5098765432", "138 0013 8000"):
        pattern = (
            re.escape(name)
            if not name.isascii()
            else rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])"
        )
        if re.search(pattern, text, re.IGNORECASE):
            found.append(name)
    return found


@pytest.mark.parametrize("fixture", [DISCORD, TELEGRAM, WHATSAPP_ANDROID, WHATSAPP_IOS])
def test_anonymize_leaves_no_real_name_or_handle_in_the_database_or_exports(
    zh_en_models_dir: Path, tmp_path: Path, fixture: Path
) -> None:
    db = tmp_path / "anon.db"
    chat = import_chat(db, zh_en_models_dir, fixture, "--anonymize")
    assert chat.session.anonymized and "anonymized" in chat.stdout
    assert _leaks(_everything_stored(db)) == []
    sid = chat.session.id
    md = run_cli("export", sid, "--format", "md", "--db", str(db)).stdout
    jsonl = run_cli("export", sid, "--format", "jsonl", "--db", str(db)).stdout
    html_file = tmp_path / "h.html"
    run_cli("export", sid, "--format", "html", "-o", str(html_file), "--db", str(db))
    html = html_file.read_text(encoding="utf-8")
    for text in (md, jsonl, html):
        assert _leaks(text) == []
    assert "names and handles are pseudonyms" in md and "names and handles are pseudonyms" in html
    assert json.loads(jsonl.splitlines()[0])["anonymized"] is True
    deck = _anki(sid, str(db), tmp_path)
    assert "pseudonyms" in deck.description
    assert _leaks("\n".join(deck.notes)) == []


def test_anonymized_names_are_stable_and_replaced_in_the_text_too(
    zh_en_models_dir: Path, tmp_path: Path
) -> None:
    chat = import_chat(tmp_path / "a.db", zh_en_models_dir, DISCORD, "--anonymize")
    again = import_chat(tmp_path / "b.db", zh_en_models_dir, DISCORD, "--anonymize")
    names = [(p.name, p.handle) for p in chat.personas.values()]
    # Maya writes English (her "@小王 …" is a handle, not Chinese): an English pseudonym.
    assert names == [("Alex", "@alex"), ("小安", "@xiaoan"), ("Avery", "@avery")]
    assert names == [(p.name, p.handle) for p in again.personas.values()]
    asks = by_text(chat.messages, "哈哈哈")
    assert asks.text == "哈哈哈 好可爱！@Alex 你的猫叫什么名字？"
    assert asks.translation is not None and "@Alex" in asks.translation.text
    assert by_text(chat.messages, "Hi everyone").text.startswith("Hi everyone! I'm Alex from Ohio")
    assert chat.session.title == "Language Exchange 语言交换 · #chinese-practice"
    android = import_chat(tmp_path / "c.db", zh_en_models_dir, WHATSAPP_ANDROID, "--anonymize")
    assert [m.text for m in android.messages[:2]] == [
        "Hi 小安! 你好 😊",
        "你好Alex！你的中文很好！",
    ]
    assert android.session.title == "小安"  # from "WhatsApp Chat with Wei Zhang.txt"


def test_a_message_longer_than_a_chat_allows_is_refused(tmp_path: Path) -> None:
    data = load(TELEGRAM)
    data["messages"][1]["text"] = "哈" * 100_001
    file = write_json(tmp_path / "result.json", data, indent=1)
    line = one_error_line(run_cli("import", str(file), "--db", str(tmp_path / "d.db")))
    assert re.search(r"result.json:\d+: message 2: is longer than 100,000 characters", line), line


# --- bad input: one line, exit 2, nothing written -----------------------------------------------


def _telegram_with(tmp_path: Path, change: str) -> Path:
    data = load(TELEGRAM)
    if change == "date":
        data["messages"][2]["date"] = "14.01.2025 10:00"
    elif change == "author":
        del data["messages"][3]["from_id"]
    elif change == "name":
        data["messages"][3]["from"] = "L" * 300
    elif change == "emoji":
        data["messages"][1]["reactions"][0]["emoji"] = "👍" * 1000
    return write_json(tmp_path / "result.json", data, indent=1)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (
            lambda tmp: _write(tmp / "notes.txt", "Shopping list\n- 鸡蛋\n"),
            r"notes.txt: not a chat export rednote-sim reads \(fix: export a Discord channel",
        ),
        (
            lambda tmp: _write(tmp / "cut.json", DISCORD.read_text("utf-8")[:6000]),
            r"cut.json:\d+: the file ends early after message 13287\d+: the export was cut off "
            r"\(fix: export the chat again",
        ),
        (
            lambda tmp: _telegram_with(tmp, "date"),
            r"result.json:\d+: message 3: date: '14.01.2025 10:00' is not a date Telegram writes",
        ),
        (
            lambda tmp: _telegram_with(tmp, "author"),
            r"result.json:\d+: message 4: has no author \(no from_id\) "
            r"\(fix: export the chat again",
        ),
        (
            lambda tmp: _telegram_with(tmp, "name"),
            r"result.json:\d+: message 4: its author's name or handle is longer than 200",
        ),
        (
            lambda tmp: _telegram_with(tmp, "emoji"),
            r"result.json:\d+: message 2: reactions: a reaction of 1,000 characters "
            r"is not an emoji",
        ),
        (
            lambda tmp: _write(
                tmp / "chat.txt", "14/01/2025, 10:00 - Lena: hi\n31/02/2025, 10:01 - Wei: 你好\n"
            ),
            r"chat.txt:2: '31/02/2025' '10:01' is not a date and time read as day/month/year",
        ),
    ],
)
def test_bad_exports_exit_2_with_one_line_before_the_database_is_touched(
    tmp_path: Path, make: object, expected: str
) -> None:
    file = make(tmp_path)  # type: ignore[operator]
    db = tmp_path / "never.db"
    line = one_error_line(run_cli("import", str(file), "--db", str(db)))
    assert re.search(expected, line), line
    assert line.startswith(f"error: {file}")
    assert not db.exists()


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_chat_options_on_a_rednote_jsonl_file_are_refused(tmp_path: Path) -> None:
    file = _write(tmp_path / "s.jsonl", '{"session": "s", "seq": 1, "t": 0}\n')
    line = one_error_line(
        run_cli("import", str(file), "--anonymize", "--db", str(tmp_path / "d.db"))
    )
    assert "--anonymize: " in line and "is a rednote-sim JSONL file, not a chat export" in line


def test_nothing_is_half_imported_when_the_write_fails(tmp_path: Path) -> None:
    """A failure in the middle of storing (here: a trigger refusing message 5) leaves nothing."""
    from rednote_sim.domain import Glossary
    from rednote_sim.importers import ImportOptions, chat_reader, read_chat
    from rednote_sim.translate import TranslationService
    from tests.support.translate_stubs import StubTranslator

    db = tmp_path / "db.db"

    async def run() -> None:
        async with await Store.open(db) as store:
            await store.connection.db.execute(
                "CREATE TRIGGER refuse AFTER INSERT ON messages WHEN NEW.seq = 5 "
                "BEGIN SELECT RAISE(ABORT, 'disk full, say'); END"
            )
            service = TranslationService(
                glossary=Glossary(), engines={("zh", "en"): StubTranslator()}
            )
            with (
                read_chat(chat_reader(DISCORD, "discord"), ImportOptions()) as chat,
                pytest.raises(sqlite3.IntegrityError, match="disk full"),
            ):
                await chat.store(store, service)
            await service.aclose()

    asyncio.run(run())
    with sqlite3.connect(db) as raw:
        for table in ("sessions", "messages", "session_personas", "reactions", "markers"):
            assert raw.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,), table


# --- the progress bar ---------------------------------------------------------------------------


def test_a_terminal_gets_a_progress_bar_and_a_pipe_gets_none(
    zh_en_models_dir: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "RNSIM_MODELS_DIR": str(zh_en_models_dir)}
    piped = subprocess.run(
        cli_command("import", str(TELEGRAM), "--db", str(tmp_path / "p.db")),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert piped.returncode == 0 and "translating" not in piped.stderr
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        cli_command("import", str(TELEGRAM), "--db", str(tmp_path / "t.db")),
        stdout=subprocess.PIPE,
        stderr=follower,
        env=env,
        text=True,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait(timeout=300) == 0
    os.close(leader)
    shown = b"".join(chunks).decode("utf-8", errors="replace")
    assert "translating" in shown and "9/9" in shown
