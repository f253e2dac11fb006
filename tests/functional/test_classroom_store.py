"""The classroom tables on a real SQLite file: heartbeat, guests, inbox (classroom_repo.py)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from rednote_sim.domain.guests import HOST_TIMEOUT, AnswerPayload, SayPayload
from rednote_sim.errors import UserError
from rednote_sim.store import Store
from rednote_sim.store.classroom_repo import ClassroomRepo


async def _session(store: Store) -> str:
    return (await store.create_session("arrival", session_id="arrival-1")).id


async def test_host_heartbeat_decides_liveness(tmp_path: Path) -> None:
    async with await Store.open(tmp_path / "c.db") as store:
        sid = await _session(store)
        repo = ClassroomRepo.of(store)
        assert await repo.host(sid) is None
        await repo.start_host(sid, pid=4242, mode="workshop", now=1000.0)
        host = await repo.host(sid)
        assert host is not None and host.pid == 4242 and host.mode == "workshop"
        assert host.live(1000.0 + HOST_TIMEOUT) and not host.live(1000.0 + HOST_TIMEOUT + 1)
        await repo.beat(sid, now=1010.0)
        host = await repo.host(sid)
        assert host is not None and host.live(1012.0)
        await repo.finish_host(sid, now=1011.0)
        await repo.beat(sid, now=1012.0)  # a late beat does not revive a finished host
        host = await repo.host(sid)
        assert host is not None and host.finished and not host.live(1012.0)


async def test_another_process_sees_the_beat(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    async with await Store.open(path) as store:
        sid = await _session(store)
        await ClassroomRepo.of(store).start_host(sid, pid=7, mode="demo")
    with sqlite3.connect(path) as raw:
        pid, finished, beat_at = raw.execute(
            "SELECT pid, finished, beat_at FROM hosts WHERE session_id = ?", (sid,)
        ).fetchone()
    assert (pid, finished) == (7, 0) and abs(beat_at - time.time()) < 60


async def test_join_gives_unique_names_and_frees_them(tmp_path: Path) -> None:
    async with await Store.open(tmp_path / "c.db") as store:
        sid = await _session(store)
        repo = ClassroomRepo.of(store)
        now = time.time()
        assert await repo.join(sid, " Ana ", now=now) == "Ana"
        assert await repo.join(sid, "ana", now=now) == "ana (2)"
        assert await repo.join(sid, "Ana", now=now) == "Ana (3)"
        await repo.leave(sid, "Ana", now=now)
        assert await repo.join(sid, "Ana", now=now) == "Ana"
        # A guest whose process stopped touching frees the name too.
        assert await repo.join(sid, "Bob", now=now - 3 * HOST_TIMEOUT) == "Bob"
        assert await repo.join(sid, "Bob", now=now) == "Bob"
        with pytest.raises(UserError, match="empty"):
            await repo.join(sid, "  ")
        with pytest.raises(UserError, match="not found"):
            await repo.join("nope", "Ana")
        names = {g.name: g for g in await repo.guests(sid)}
        assert set(names) == {"Ana", "ana (2)", "Ana (3)", "Bob"}
        assert all(g.present(now) for g in names.values())


async def test_touch_and_typing(tmp_path: Path) -> None:
    async with await Store.open(tmp_path / "c.db") as store:
        sid = await _session(store)
        repo = ClassroomRepo.of(store)
        await repo.join(sid, "Ana", now=100.0)
        assert await repo.touch(sid, "Ana", typing=True, now=101.0)
        (ana,) = await repo.guests(sid)
        assert ana.seen_at == 101.0 and ana.typing(102.0)
        assert await repo.touch(sid, "Ana", now=110.0)
        (ana,) = await repo.guests(sid)
        assert ana.present(110.0) and not ana.typing(110.0)
        await repo.leave(sid, "Ana")
        assert not await repo.touch(sid, "Ana")
        assert not await repo.touch(sid, "Zed")


async def test_inbox_send_pending_resolve(tmp_path: Path) -> None:
    async with await Store.open(tmp_path / "c.db") as store:
        sid = await _session(store)
        repo = ClassroomRepo.of(store)
        first = await repo.send(sid, "Ana", "say", SayPayload(text="hello"))
        second = await repo.send(sid, "Bob", "answer", AnswerPayload(seq=1, answer="hi"))
        assert second > first
        pending = await repo.pending(sid)
        assert [(i.id, i.guest, i.kind) for i in pending] == [
            (first, "Ana", "say"),
            (second, "Bob", "answer"),
        ]
        assert SayPayload.model_validate_json(pending[0].payload).text == "hello"
        assert [i.id for i in await repo.pending(sid, after_id=first)] == [second]
        assert await repo.resolve(first, status="done", seq=12)
        assert not await repo.resolve(first, status="refused", reason="again")  # once only
        assert await repo.resolve(second, status="refused", reason="slow down: x" * 100)
        assert await repo.pending(sid) == []
        done = await repo.item(first)
        assert done is not None and (done.status, done.result_seq) == ("done", 12)
        assert [i.id for i in await repo.resolved_for(sid, "Bob")] == [second]
        refused = await repo.item(second)
        assert refused is not None and refused.reason.startswith("slow down")
        assert len(refused.reason) <= 300
        assert await repo.item(999) is None
        with pytest.raises(TypeError):
            await repo.send(sid, "Ana", "answer", SayPayload(text="x"))


async def test_hostile_rows_are_read_without_raising(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    async with await Store.open(path) as store:
        sid = await _session(store)
    with sqlite3.connect(path) as raw:
        raw.execute(
            "INSERT INTO inbox (session_id, guest, kind, payload, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (sid, b"\xff\xfe", 12, b"\x00\xff{", "not a time"),
        )
    async with await Store.open(path) as store:
        (item,) = await ClassroomRepo.of(store).pending(sid)
    assert item.kind == "12" and item.created_at.year == 1970 and "\ufffd" in item.guest


async def test_data_version_moves_when_another_connection_commits(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    async with await Store.open(path) as host, await Store.open(path) as guest:
        sid = await _session(host)
        repo = ClassroomRepo.of(host)
        before = await repo.data_version()
        await repo.beat(sid)  # its own commit does not move it
        assert await repo.data_version() == before
        await ClassroomRepo.of(guest).send(sid, "Ana", "say", SayPayload(text="hi"))
        assert await repo.data_version() != before
