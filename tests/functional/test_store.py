"""The SQLite store on a real file: migrations, round trips, two processes at once."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rednote_sim.domain import Marker, Message, Reaction, Translation
from rednote_sim.errors import UserError
from rednote_sim.store import Store
from rednote_sim.store.connection import migration_scripts


def _message(session: str, seq: int, **kw: object) -> Message:
    base: dict[str, object] = {
        "session": session,
        "seq": seq,
        "t": float(seq),
        "persona": "lin",
        "name": "林晓",
        "lang": "zh",
        "text": f"第{seq}条消息",
    }
    base.update(kw)
    return Message.model_validate(base)


async def test_migrates_an_empty_file_to_the_latest_schema(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    async with await Store.open(path) as store:
        assert await store.schema_version() == migration_scripts()[-1][0]
    with sqlite3.connect(path) as raw:
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"sessions", "messages", "reactions", "markers", "translations"} <= tables
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_reopening_keeps_data_and_does_not_reapply_migrations(tmp_path: Path) -> None:
    path = tmp_path / "re.db"
    async with await Store.open(path) as store:
        session = await store.create_session("arrival", seed=7)
        await store.add_message(_message(session.id, 1))
    async with await Store.open(path) as store:
        assert [m.text for m in await store.messages(session.id)] == ["第1条消息"]
        assert (await store.get_session("latest")).seed == 7


async def test_a_file_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA user_version = 999")
    with pytest.raises(UserError, match="written by a newer rednote-sim"):
        await Store.open(path)


async def test_a_file_that_is_not_sqlite_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes, not a database\n" * 50)
    with pytest.raises(UserError, match="not an SQLite database"):
        await Store.open(path)


async def test_message_translation_reactions_and_markers_round_trip(tmp_path: Path) -> None:
    async with await Store.open(tmp_path / "rt.db") as store:
        session = await store.create_session("cat-tax", title="Cat tax")
        original = _message(session.id, 1, reference="This is message 1", beat="b1")
        await store.add_message(original)
        reply = _message(session.id, 2, reply_to=1, text="[bold red]not markup[/]", lang="en")
        await store.add_message(reply)
        translation = Translation(lang="en", text="Message 1", engine="argos:translate-zh_en@1.9")
        await store.set_translation(session.id, 1, translation, None)
        await store.set_translation(session.id, 2, None, "no en→zh model installed")
        await store.add_reaction(Reaction(session=session.id, seq=1, emoji="❤️", count=3, t=2.5))
        await store.add_marker(Marker(session=session.id, t=1.0, label="Intro", kind="scenario"))

        first, second = await store.messages(session.id)
        assert first == original.model_copy(update={"translation": translation})
        assert second.text == "[bold red]not markup[/]"
        assert second.translation is None
        assert second.translation_error == "no en→zh model installed"
        assert second.reply_to == 1
        assert [(r.emoji, r.count) for r in await store.reactions(session.id)] == [("❤️", 3)]
        assert [m.label for m in await store.markers(session.id)] == ["Intro"]
        listed = await store.list_sessions()
        # The length runs to the last event: the reaction after the last message.
        assert (listed[0].message_count, listed[0].duration) == (2, 2.5)


async def test_session_references_resolve_latest_prefix_and_report_misses(tmp_path: Path) -> None:
    async with await Store.open(tmp_path / "refs.db") as store:
        with pytest.raises(UserError, match="no recorded sessions yet"):
            await store.get_session("latest")
        a = await store.create_session("arrival", session_id="arrival-1")
        b = await store.create_session("homework", session_id="homework-1")
        assert (await store.get_session("latest")).id == b.id
        assert (await store.get_session("arr")).id == a.id
        with pytest.raises(UserError, match="not found"):
            await store.get_session("nope")
        await store.create_session("arrival", session_id="arrival-2")
        with pytest.raises(UserError, match="ambiguous"):
            await store.get_session("arrival-")


async def test_duplicate_seq_is_rejected_and_nothing_half_written(tmp_path: Path) -> None:
    async with await Store.open(tmp_path / "dup.db") as store:
        session = await store.create_session("arrival")
        await store.add_message(_message(session.id, 1))
        with pytest.raises(sqlite3.IntegrityError):
            await store.add_message(_message(session.id, 1, text="again"))
        # The connection is still usable and the first message untouched.
        await store.add_message(_message(session.id, 2))
        assert [m.text for m in await store.messages(session.id)] == ["第1条消息", "第2条消息"]


async def test_translation_memory_lookup_is_keyed_by_engine_and_direction(tmp_path: Path) -> None:
    async with await Store.open(tmp_path / "tm.db") as store:
        await store.tm_remember("argos:a@1", "zh", "en", [("你好", "Hello"), ("猫", "Cat")])
        assert await store.tm_lookup("argos:a@1", "zh", "en", ["你好", "狗"]) == {"你好": "Hello"}
        assert await store.tm_lookup("argos:b@1", "zh", "en", ["你好"]) == {}
        assert await store.tm_lookup("argos:a@1", "en", "zh", ["你好"]) == {}
        many = [f"句子{i}" for i in range(1200)]
        await store.tm_remember("argos:a@1", "zh", "en", [(s, s.upper()) for s in many])
        assert len(await store.tm_lookup("argos:a@1", "zh", "en", many)) == 1200


_WRITER = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from rednote_sim.domain import Message, Translation
    from rednote_sim.store import Store

    async def main(path, name, count):
        async with await Store.open(Path(path)) as store:
            session = await store.create_session("arrival", session_id=name)
            for seq in range(1, count + 1):
                await store.add_message(Message(session=name, seq=seq, t=seq, persona="p",
                                                name="P", lang="en", text=f"{name} {seq}"))
                await store.set_translation(name, seq, Translation(lang="zh", text="译",
                                            engine="script"), None)
                await store.tm_remember("e", "en", "zh", [(f"{name} {seq}", "译")])

    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
    """
)

_READER = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from rednote_sim.store import Store

    async def main(path, rounds):
        async with await Store.open(Path(path)) as store:
            for _ in range(rounds):
                for session in await store.list_sessions():
                    await store.messages(session.id)
                await asyncio.sleep(0.005)

    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
    """
)


def test_two_writer_processes_and_a_reader_share_one_file(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    count = 150
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), name, str(count)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("alpha", "beta")
    ]
    procs.append(
        subprocess.Popen(
            [sys.executable, "-c", _READER, str(path), "200"], stderr=subprocess.PIPE, text=True
        )
    )
    errors = []
    for proc in procs:
        _, stderr = proc.communicate(timeout=240)
        if proc.returncode != 0:
            errors.append(stderr)
    assert not errors, "\n".join(errors)
    with sqlite3.connect(path) as raw:
        rows = raw.execute(
            "SELECT session_id, COUNT(*), COUNT(translation_text) FROM messages GROUP BY session_id"
        ).fetchall()
    assert sorted(rows) == [("alpha", count, count), ("beta", count, count)]


async def test_a_write_cancelled_while_waiting_does_not_break_the_next_one(tmp_path: Path) -> None:
    """A room quitting while its heartbeat waits for the lock still gets its last write in."""
    path = tmp_path / "busy.db"
    waiting = asyncio.Event()
    async with await Store.open(path, on_wait=lambda _: waiting.set(), lock_timeout=30) as store:
        session = await store.create_session("arrival")
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process is writing

        async def heartbeat() -> None:
            async with store.connection.write() as db:
                await db.execute("UPDATE sessions SET note = 'beat' WHERE id = ?", (session.id,))

        beat = asyncio.create_task(heartbeat())
        await asyncio.wait_for(waiting.wait(), 10)  # its BEGIN is on the database thread
        beat.cancel()
        last = asyncio.create_task(store.set_session_note(session.id, "finished"))
        await asyncio.sleep(0)  # the last write is queued behind the cancelled BEGIN
        other.execute("COMMIT")
        other.close()
        with pytest.raises(asyncio.CancelledError):
            await beat
        await asyncio.wait_for(last, 10)
        assert (await store.get_session(session.id)).note == "finished"


async def test_a_write_cancelled_twice_while_waiting_leaves_no_transaction_open(
    tmp_path: Path,
) -> None:
    """Shutdown may cancel a waiting write more than once: the file is still free after."""
    path = tmp_path / "busy.db"
    waiting = asyncio.Event()
    async with await Store.open(path, on_wait=lambda _: waiting.set(), lock_timeout=30) as store:
        session = await store.create_session("arrival")
        other = sqlite3.connect(path, isolation_level=None, timeout=5)
        other.execute("BEGIN IMMEDIATE")

        async def heartbeat() -> None:
            async with store.connection.write() as db:
                await db.execute("UPDATE sessions SET note = 'beat' WHERE id = ?", (session.id,))

        beat = asyncio.create_task(heartbeat())
        await asyncio.wait_for(waiting.wait(), 10)
        beat.cancel()
        await asyncio.sleep(0.05)
        beat.cancel()  # again, while it waits for its BEGIN to come back
        await asyncio.sleep(0.05)
        other.execute("COMMIT")
        with pytest.raises(asyncio.CancelledError):
            await beat
        # Another process can write at once: nothing was left holding the lock.
        other.execute("UPDATE sessions SET note = 'other' WHERE id = ?", (session.id,))
        other.close()
        await store.set_session_note(session.id, "finished")
        assert (await store.get_session(session.id)).note == "finished"
