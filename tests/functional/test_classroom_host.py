"""The class host in-process: a live room on a real SQLite file, guests on a second connection.

The guests write only inbox rows (as another process would); the host's room
writes the session data. Hostile rows are inserted with raw sqlite3.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from rednote_sim.content import load_cast
from rednote_sim.domain import Cast
from rednote_sim.domain.guests import (
    MAX_TEXT,
    AnswerPayload,
    CorrectionPayload,
    InboxItem,
    SayPayload,
    VocabDeletePayload,
    VocabPayload,
)
from rednote_sim.runtime import RoomRequest, open_room
from rednote_sim.sim import LiveRoom, VirtualClock
from rednote_sim.sim.classroom import ClassroomHost, RateLimit
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.sim.events import Answered, LineCorrected, RoomEvent, VocabDeleted, VocabSaved
from rednote_sim.store import Store
from rednote_sim.store.classroom_repo import ClassroomRepo
from rednote_sim.store.corrections_repo import CorrectionsRepo
from rednote_sim.store.workshop_repo import WorkshopRepo
from tests.conftest import HOSTILE_TEXT
from tests.support.files import WriteLockHolder
from tests.support.translate_stubs import StubTranslator, stub_service

TIMEOUT = 20.0


async def _until(check: Callable[[], Awaitable[bool]], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


@dataclass
class Class:
    room: LiveRoom
    host: ClassroomHost
    store: Store
    guest: ClassroomRepo
    path: Path
    events: list[RoomEvent]

    async def resolved(self, item_id: int) -> InboxItem:
        found: list[InboxItem] = []

        async def done() -> bool:
            item = await self.guest.item(item_id)
            if item is not None and item.status != "pending":
                found.append(item)
                return True
            return False

        await _until(done, f"inbox row {item_id}")
        return found[0]

    async def say(self, name: str, text: str) -> InboxItem:
        return await self.resolved(
            await self.guest.send(self.session, name, "say", SayPayload(text=text))
        )

    @property
    def session(self) -> str:
        return self.room.session.id


@asynccontextmanager
async def _class(
    tmp_path: Path, cast: Cast, *, rate: RateLimit | None = None
) -> AsyncIterator[Class]:
    path = tmp_path / "class.db"
    async with await Store.open(path) as store, await Store.open(path) as guest_store:
        translator = stub_service(
            cast.glossary, StubTranslator("zh", "en"), StubTranslator("en", "zh")
        )
        room = await open_room(
            RoomRequest("live", scenario="arrival", seed=3, host="workshop"),
            store=store,
            cast=cast,
            clock=VirtualClock(1.0),
            translator=translator,
        )
        assert isinstance(room, LiveRoom)
        (host,) = room.attachments
        assert isinstance(host, ClassroomHost)
        if rate is not None:
            host.rate = rate
        events: list[RoomEvent] = []

        async def consume() -> None:
            while True:
                events.append(await room.events.get())

        consumer = asyncio.create_task(consume())
        play = asyncio.create_task(room.run(keep_open=True))
        guest = ClassroomRepo.of(guest_store)

        async def hosting() -> bool:
            state = await guest.host(room.session.id)
            return state is not None and state.live(time.time())

        await _until(hosting, "the host row")
        try:
            yield Class(room, host, store, guest, path, events)
        finally:
            room.close()
            await play
            consumer.cancel()
            await translator.aclose()


async def test_a_guest_message_is_posted_as_the_guest_and_answered_by_name(
    tmp_path: Path, personas_dir: Path
) -> None:
    cast = load_cast(personas_dir)
    async with _class(tmp_path, cast) as c:
        item = await c.say("Ana", "hello everyone!")
        assert item.status == "done" and item.result_seq is not None
        message = await c.store.message(c.session, item.result_seq)
        assert message is not None
        assert (message.persona, message.name, message.text) == (
            "guest:Ana",
            "Ana",
            "hello everyone!",
        )

        async def answered() -> bool:
            messages = await c.store.messages(c.session)
            return any(m.reply_to == item.result_seq for m in messages)

        await _until(answered, "a responder's answer")
        await _until(lambda: _replies_name(c, item.result_seq or 0, "Ana"), "an answer naming Ana")


async def _replies_name(c: Class, seq: int, name: str) -> bool:
    replies = [m for m in await c.store.messages(c.session) if m.reply_to == seq]
    return any(name in m.text and m.reference and name in m.reference for m in replies)


async def test_hostile_rows_are_refused_and_the_host_goes_on(
    tmp_path: Path, personas_dir: Path
) -> None:
    cast = load_cast(personas_dir)
    async with _class(tmp_path, cast) as c:
        rows = [
            ("Ana", "say", "{not json"),
            ("Ana", "say", json.dumps({"text": "x" * (MAX_TEXT + 1)})),
            ("Ana", "say", json.dumps({"text": "   "})),
            ("Ana", "shout", json.dumps({"text": "hi"})),
            ("Ana", "answer", json.dumps({"seq": 99999, "answer": "hi"})),
            ("Ana\x1b[2J", "say", json.dumps({"text": "hi"})),
            ("Ana", "say", "[" * 50_000),
            ("Ana", "say", json.dumps({"text": "hi", "lang": "fr"})),
            ("Ana", "say", json.dumps({"text": HOSTILE_TEXT + "\x1b[31m\u202e"})),
        ]
        with sqlite3.connect(c.path) as raw:
            ids = [
                raw.execute(
                    "INSERT INTO inbox (session_id, guest, kind, payload, created_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (c.session, guest, kind, payload, "2025-01-01T00:00:00+00:00"),
                ).lastrowid
                for guest, kind, payload in rows
            ]
        outcomes = [await c.resolved(i or 0) for i in ids]
        reasons = [o.reason for o in outcomes]
        assert [o.status for o in outcomes] == ["refused"] * 8 + ["done"]
        assert "not valid JSON" in reasons[0]
        assert f"at most {MAX_TEXT}" in reasons[1]
        assert "empty" in reasons[2]
        assert "unknown request kind" in reasons[3]
        assert "no message #99999" in reasons[4]
        assert "U+001B" in reasons[5]
        assert "too long" in reasons[6]
        assert "lang" in reasons[7]
        stored = await c.store.message(c.session, outcomes[8].result_seq or 0)
        assert (
            stored is not None and stored.text == HOSTILE_TEXT + "\x1b[31m\u202e"
        )  # data, kept as is
        assert not c.room.finished or c.room.timeline  # still playing
        after = await c.say("Bob", "still there?")
        assert after.status == "done"


async def test_a_flood_is_rate_limited_with_a_reason(tmp_path: Path, personas_dir: Path) -> None:
    cast = load_cast(personas_dir)
    async with _class(tmp_path, cast, rate=RateLimit(clock=lambda: 100.0)) as c:
        ids = [
            await c.guest.send(c.session, "Ana", "say", SayPayload(text=f"spam {n}"))
            for n in range(7)
        ]
        other = await c.guest.send(c.session, "Bob", "say", SayPayload(text="me too"))
        outcomes = [await c.resolved(i) for i in ids]
        assert [o.status for o in outcomes] == ["done"] * 5 + ["refused"] * 2
        assert outcomes[5].reason.startswith("slow down: at most 5 messages in 10 seconds")
        assert (await c.resolved(other)).status == "done"  # the limit is per guest
        refused = await c.guest.resolved_for(c.session, "Ana")
        assert [o.id for o in refused] == ids


async def test_classwork_from_a_guest_carries_their_name(
    tmp_path: Path, personas_dir: Path
) -> None:
    cast = load_cast(personas_dir)
    async with _class(tmp_path, cast) as c:
        said = await c.say("Ana", "猫 cat")
        seq = said.result_seq or 0
        sends = [
            ("answer", AnswerPayload(seq=seq, answer="cat, in Chinese")),
            ("vocab", VocabPayload(seq=seq, lang="zh", term="猫", translation="cat")),
            ("correction", CorrectionPayload(seq=seq, text="猫！cat", note="punctuation")),
            ("vocab_delete", VocabDeletePayload(lang="zh", term="猫")),
            ("vocab_delete", VocabDeletePayload(lang="zh", term="猫")),
        ]
        outcomes = [
            await c.resolved(await c.guest.send(c.session, "Ana", kind, payload))  # type: ignore[arg-type]
            for kind, payload in sends
        ]
        assert [o.status for o in outcomes] == ["done"] * 4 + ["refused"]
        assert "no '猫'" in outcomes[4].reason
        answers = await WorkshopRepo.of(c.store).quiz_answers(c.session)
        assert [(a.author, a.answer) for a in answers] == [("Ana", "cat, in Chinese")]
        assert await WorkshopRepo.of(c.store).vocab(c.session) == []
        (correction,) = await CorrectionsRepo.of(c.store).corrections(c.session)
        assert (correction.author, correction.text) == ("Ana", "猫！cat")
        kinds = [
            e
            for e in c.events
            if isinstance(e, Answered | VocabSaved | VocabDeleted | LineCorrected)
        ]
        assert [type(e).__name__ for e in kinds] == [
            "Answered",
            "VocabSaved",
            "LineCorrected",
            "VocabDeleted",
        ]
        assert isinstance(kinds[0], Answered) and kinds[0].answer.author == "Ana"
        assert isinstance(kinds[1], VocabSaved) and kinds[1].entry.author == "Ana"
        assert isinstance(kinds[3], VocabDeleted) and kinds[3].author == "Ana"


async def test_the_host_row_is_finished_when_the_room_stops(
    tmp_path: Path, personas_dir: Path
) -> None:
    cast = load_cast(personas_dir)
    async with _class(tmp_path, cast) as c:
        state = await c.guest.host(c.session)
        assert state is not None and state.mode == "workshop" and state.live(time.time())
        session = c.session
        guest = c.guest
    # The guest's connection is closed with the context; read the file directly.
    with sqlite3.connect(tmp_path / "class.db") as raw:
        (finished,) = raw.execute(
            "SELECT finished FROM hosts WHERE session_id = ?", (session,)
        ).fetchone()
    assert finished == 1
    del guest


async def test_a_host_row_that_cannot_be_written_does_not_stop_the_room(
    tmp_path: Path, personas_dir: Path
) -> None:
    cast = load_cast(personas_dir)
    path = tmp_path / "locked.db"
    problems: list[str] = []
    async with await Store.open(path, lock_timeout=0.3) as store:
        room = await open_room(
            RoomRequest("live", scenario="arrival", seed=3, host="demo"),
            store=store,
            cast=cast,
            clock=VirtualClock(MAX_SPEED),
            translator=stub_service(cast.glossary, StubTranslator("zh", "en")),
            report=problems.append,
        )
        assert isinstance(room, LiveRoom)
        with WriteLockHolder(path) as holder:
            host = room.attachments[0]
            await host.start()  # waits for the lock, gives up, says so
            holder.release()
        await room.run()
        assert room.finished and room.messages
    assert problems and "could not be opened to guests" in problems[0]
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT COUNT(*) FROM hosts").fetchone() == (0,)
