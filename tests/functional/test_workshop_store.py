"""Workshop data on a real SQLite file: the 0002 migration, phrasebook, marks, quiz answers."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rednote_sim.domain import Marker, Message
from rednote_sim.domain.workshop import VocabEntry
from rednote_sim.errors import UserError
from rednote_sim.store import Store
from rednote_sim.store.connection import migration_scripts
from rednote_sim.store.workshop_repo import WorkshopRepo

AT = datetime(2025, 1, 14, 9, 0, tzinfo=UTC)


async def _session(store: Store, count: int = 3) -> str:
    session = await store.create_session("arrival", session_id="arrival-1")
    for seq in range(1, count + 1):
        await store.add_message(
            Message(
                session=session.id,
                seq=seq,
                t=float(seq),
                persona="ating",
                name="阿婷",
                lang="zh",
                text=f"第{seq}条：救命",
                reference=f"Line {seq}: help",
            )
        )
    return session.id


def _entry(sid: str, seq: int, term: str, translation: str = "", **kw: object) -> VocabEntry:
    data: dict[str, object] = {
        "session": sid,
        "seq": seq,
        "lang": "zh",
        "term": term,
        "translation": translation,
        "created_at": AT,
    }
    data.update(kw)
    return VocabEntry.model_validate(data)


async def test_migration_0002_adds_the_workshop_tables(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    async with await Store.open(path) as store:
        assert await store.schema_version() == migration_scripts()[-1][0] >= 2
    with sqlite3.connect(path) as raw:
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"vocab", "mt_errors", "quiz_answers"} <= tables


async def test_a_version_1_file_with_data_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    first = migration_scripts()[0]
    with sqlite3.connect(path) as raw:
        raw.executescript(first[2])
        raw.execute("PRAGMA user_version = 1")
        raw.execute(
            "INSERT INTO sessions (id, scenario, created_at) VALUES ('old-1', 'arrival', ?)",
            (AT.isoformat(),),
        )
        raw.execute(
            "INSERT INTO messages (session_id, seq, t, persona, name, lang, text)"
            " VALUES ('old-1', 1, 0, 'lin', '林', 'zh', '你好')"
        )
    async with await Store.open(path) as store:
        repo = WorkshopRepo.of(store)
        await repo.save_vocab(_entry("old-1", 1, "你好", "hello"))
        assert [v.term for v in await repo.vocab("old-1")] == ["你好"]
        assert [m.text for m in await store.messages("old-1")] == ["你好"]


async def test_saving_a_term_twice_updates_it_and_keeps_its_place(tmp_path: Path) -> None:
    async with await Store.open(tmp_path / "v.db") as store:
        sid = await _session(store)
        repo = WorkshopRepo.of(store)
        await repo.save_vocab(_entry(sid, 1, "救命", "help", pinyin="jiùmìng"))
        await repo.save_vocab(_entry(sid, 2, "第二"))
        later = datetime(2025, 1, 15, tzinfo=UTC)
        again = await repo.save_vocab(
            _entry(sid, 3, "救命", "OMG", translation_source="user", created_at=later)
        )
        assert (again.seq, again.translation, again.translation_source) == (3, "OMG", "user")
        assert again.created_at == AT  # the first save's time: the phrasebook keeps its order
        assert again.example == "第3条：救命"
        assert again.example_translation == "Line 3: help"
        assert [v.term for v in await repo.vocab(sid)] == ["救命", "第二"]
        # Same text, other language: a different entry.
        await repo.save_vocab(_entry(sid, 1, "help", "救命", lang="en"))
        assert len(await repo.vocab(sid)) == 3
        assert await repo.delete_vocab(sid, "zh", "第二")
        assert not await repo.delete_vocab(sid, "zh", "第二")
        assert await repo.get_vocab(sid, "zh", "第二") is None


async def test_marks_are_one_per_line_and_answers_keep_every_attempt(tmp_path: Path) -> None:
    async with await Store.open(tmp_path / "m.db") as store:
        sid = await _session(store)
        repo = WorkshopRepo.of(store)
        await repo.mark_mt_error(sid, 2, "first", at=AT)
        mark = await repo.mark_mt_error(sid, 2, "dropped the joke")
        assert (mark.note, mark.created_at) == ("dropped the joke", AT)
        await repo.mark_mt_error(sid, 1)
        assert [(m.seq, m.note) for m in await repo.mt_errors(sid)] == [
            (1, ""),
            (2, "dropped the joke"),
        ]
        assert await repo.unmark_mt_error(sid, 1)
        assert not await repo.unmark_mt_error(sid, 1)
        assert await repo.mt_error(sid, 1) is None

        await repo.add_quiz_answer(sid, 3, "  Help!  ", at=AT)
        await repo.add_quiz_answer(sid, 3, "Save me")
        await repo.add_quiz_answer(sid, 1, "Line one")
        assert [(a.seq, a.answer) for a in await repo.quiz_answers(sid)] == [
            (3, "Help!"),
            (3, "Save me"),
            (1, "Line one"),
        ]
        with pytest.raises(UserError, match="empty"):
            await repo.add_quiz_answer(sid, 1, " \n ")


async def test_records_for_a_missing_message_are_refused_clearly(tmp_path: Path) -> None:
    async with await Store.open(tmp_path / "x.db") as store:
        sid = await _session(store, count=1)
        repo = WorkshopRepo.of(store)
        with pytest.raises(UserError, match="has no message #9"):
            await repo.save_vocab(_entry(sid, 9, "救命"))
        with pytest.raises(UserError, match="has no message #9"):
            await repo.mark_mt_error(sid, 9)
        with pytest.raises(UserError, match="has no message #9"):
            await repo.add_quiz_answer(sid, 9, "x")
        with pytest.raises(UserError, match="'nope' has no message"):
            await repo.mark_mt_error("nope", 1)
        # Nothing half-written, and the connection still works.
        assert await repo.vocab(sid) == []
        await repo.mark_mt_error(sid, 1)


async def test_deleting_a_session_deletes_its_workshop_data(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    async with await Store.open(path) as store:
        sid = await _session(store)
        repo = WorkshopRepo.of(store)
        await repo.save_vocab(_entry(sid, 1, "救命"))
        await repo.mark_mt_error(sid, 1)
        await repo.add_quiz_answer(sid, 1, "help")
        await store.delete_session(sid)
    with sqlite3.connect(path) as raw:
        for table in ("vocab", "mt_errors", "quiz_answers"):
            assert raw.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0


async def test_session_note_and_user_markers(tmp_path: Path) -> None:
    async with await Store.open(tmp_path / "n.db") as store:
        sid = await _session(store)
        await store.set_session_note(sid, "Group B: focus on slang")
        marker = await store.add_marker(Marker(session=sid, t=2.5, label="  discuss 救命 ", seq=2))
        blank = await store.add_marker(Marker(session=sid, t=3.0, label="   "))
        assert (marker.kind, marker.label, blank.label) == ("user", "discuss 救命", "marker")
        assert (await store.get_session(sid)).note == "Group B: focus on slang"
        assert [(m.label, m.kind, m.seq) for m in await store.markers(sid)] == [
            ("discuss 救命", "user", 2),
            ("marker", "user", None),
        ]


def test_the_text_check_constraints_hold_for_any_writer(tmp_path: Path) -> None:
    import asyncio

    path = tmp_path / "c.db"

    async def make() -> None:
        async with await Store.open(path) as store:
            await _session(store, count=1)

    asyncio.run(make())
    with sqlite3.connect(path) as raw, pytest.raises(sqlite3.IntegrityError):
        raw.execute(
            "INSERT INTO vocab (session_id, seq, lang, term, created_at)"
            " VALUES ('arrival-1', 1, 'zh', '   ', 'now')"
        )


async def test_a_version_5_phrasebook_survives_the_classroom_migration(tmp_path: Path) -> None:
    """Entries saved before guests existed become the host's, and guests get their own."""
    path = tmp_path / "v5.db"
    with sqlite3.connect(path) as raw:
        for version, _name, sql in migration_scripts()[:5]:
            raw.executescript(sql)
            raw.execute(f"PRAGMA user_version = {version}")
        raw.execute(
            "INSERT INTO sessions (id, scenario, created_at) VALUES ('old-5', 'arrival', ?)",
            (AT.isoformat(),),
        )
        raw.execute(
            "INSERT INTO messages (session_id, seq, t, persona, name, lang, text)"
            " VALUES ('old-5', 1, 0, 'lin', '林', 'zh', '你好')"
        )
        raw.execute(
            "INSERT INTO vocab (session_id, seq, lang, term, translation, translation_source,"
            " created_at) VALUES ('old-5', 1, 'zh', '你好', 'hello', 'user', ?)",
            (AT.isoformat(),),
        )
    async with await Store.open(path) as store:
        repo = WorkshopRepo.of(store)
        [kept] = await repo.vocab("old-5")
        assert (kept.author, kept.term, kept.translation) == ("", "你好", "hello")
        guest = _entry("old-5", 1, "你好", "hi there").model_copy(update={"author": "Ana"})
        await repo.save_vocab(guest)
        entries = {(v.author, v.translation) for v in await repo.vocab("old-5")}
        assert entries == {("", "hello"), ("Ana", "hi there")}
        assert await repo.delete_vocab("old-5", "zh", "你好", author="Ana")
        assert [v.author for v in await repo.vocab("old-5")] == [""]
