"""A guest's FollowRoom on a real SQLite file, with a host writing through its own connection.

The host here is a real :class:`LiveRoom` on its own :class:`Store` (its own
connection, as another process would have) plus the heartbeat row a host keeps;
the guest opens the same file separately. Waits poll with a generous timeout:
nothing asserts on timing.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from rednote_sim.domain import Reaction
from rednote_sim.domain.guests import HOST_TIMEOUT, AnswerPayload, SayPayload
from rednote_sim.errors import UserError
from rednote_sim.sim import FollowRoom, VirtualClock
from rednote_sim.sim.events import (
    Answered,
    ClassworkLoaded,
    Finished,
    HostPresence,
    LineCorrected,
    Marked,
    MarkerReached,
    Posted,
    Reacted,
    Refused,
    RoomEvent,
    Snapshot,
    Translated,
)
from rednote_sim.store import Store
from rednote_sim.store.classroom_repo import ClassroomRepo, live_session
from rednote_sim.store.workshop_repo import WorkshopRepo
from tests.functional.tui.fakes import stub_translator
from tests.support.classroom import Host
from tests.support.classroom import hosting as classroom_host

TIMEOUT = 20.0


@asynccontextmanager
async def hosting(db: Path, personas: Path) -> AsyncIterator[Host]:
    """The shared test host, on the fast stub translator."""
    async with classroom_host(db, personas, stub_translator()) as host:
        yield host


class Guest:
    """A FollowRoom running, and every event it published."""

    def __init__(self, room: FollowRoom) -> None:
        self.room = room
        self.events: list[RoomEvent] = []
        self._task = asyncio.create_task(room.run())
        self._drain = asyncio.create_task(self._take())

    async def _take(self) -> None:
        while True:
            self.events.append(await self.room.events.get())

    async def until(self, predicate: Callable[[list[RoomEvent]], bool]) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not predicate(self.events):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; events: {self.events}")
            await asyncio.sleep(0.02)

    async def stop(self) -> None:
        await self.room.leave()
        await self._task
        self._drain.cancel()


@asynccontextmanager
async def joined(db: Path, ref: str, name: str) -> AsyncIterator[Guest]:
    async with await Store.open(db) as store:
        guest = Guest(await FollowRoom.join(store, ref, name, VirtualClock()))
        try:
            yield guest
        finally:
            await guest.stop()


def posted_texts(events: list[RoomEvent]) -> list[str]:
    texts = [e.message.text for e in events if isinstance(e, Posted)]
    for event in events:
        if isinstance(event, Snapshot):
            texts += [m.text for m in event.messages]
    return texts


def translated(events: list[RoomEvent], text: str) -> str | None:
    for event in reversed(events):
        if isinstance(event, Translated) and event.message.text == text:
            translation = event.message.translation
            return translation.text if translation else None
    return None


async def test_guest_sees_messages_translations_reactions_and_markers(
    tmp_path: Path, personas_dir: Path
) -> None:
    db = tmp_path / "class.db"
    async with hosting(db, personas_dir) as host:
        await host.room.say("before the guest came")
        async with joined(db, host.session, "Ana") as guest:
            await guest.until(lambda ev: "before the guest came" in posted_texts(ev))
            message = await host.room.say("你好大家")
            assert message is not None
            await guest.until(lambda ev: translated(ev, "你好大家") is not None)
            # A later class correction of the translation comes as a Translated again.
            await host.room.classwork.correct(message.seq, "en", "Hello, everyone", "better")
            await guest.until(lambda ev: translated(ev, "你好大家") == "Hello, everyone")
            # Reactions with totals, markers.
            for count in (2, 3):
                await host.store.add_reaction(
                    Reaction(session=host.session, seq=message.seq, emoji="👍", count=count, t=1.0)
                )
            await guest.until(
                lambda ev: any(isinstance(e, Reacted) and e.totals == {"👍": 5} for e in ev)
            )
            await host.room.add_marker("Chapter two")
            await guest.until(
                lambda ev: any(
                    isinstance(e, MarkerReached) and e.marker.label == "Chapter two" for e in ev
                )
            )
    posts = [e.message.seq for e in guest.events if isinstance(e, Posted)]
    assert posts == sorted(posts)


async def test_guest_say_goes_to_the_inbox_with_the_guests_name(
    tmp_path: Path, personas_dir: Path
) -> None:
    db = tmp_path / "class.db"
    async with hosting(db, personas_dir) as host:
        async with joined(db, "latest", "Ana") as first, joined(db, "latest", "ana") as second:
            assert (first.room.name, second.room.name) == ("Ana", "ana (2)")
            item_id = await second.room.say("[bold]hi[/bold] from the back row")
            assert item_id is not None
            assert await second.room.say("   ") is None
            pending = await host.classroom.pending(host.session)
            assert [(i.guest, i.kind) for i in pending] == [("ana (2)", "say")]
            assert SayPayload.model_validate_json(pending[0].payload).text == (
                "[bold]hi[/bold] from the back row"
            )
            names = [g.name for g in await host.classroom.guests(host.session)]
            assert names == ["Ana", "ana (2)"]
        left = {g.name: g.left_at for g in await host.classroom.guests(host.session)}
        assert all(at is not None for at in left.values())


async def test_a_refused_request_comes_back_to_its_guest(
    tmp_path: Path, personas_dir: Path
) -> None:
    db = tmp_path / "class.db"
    async with hosting(db, personas_dir) as host, joined(db, host.session, "Ana") as guest:
        item_id = await guest.room.say("one too many")
        assert item_id is not None
        await host.classroom.resolve(item_id, status="refused", reason="slow down: 5 a minute")
        await guest.until(
            lambda ev: any(
                isinstance(e, Refused) and e.reason == "slow down: 5 a minute" for e in ev
            )
        )


async def test_classwork_comes_back_for_its_own_author(tmp_path: Path, personas_dir: Path) -> None:
    db = tmp_path / "class.db"
    async with hosting(db, personas_dir) as host, joined(db, host.session, "Ana") as guest:
        message = await host.room.say("我们学中文")
        assert message is not None
        await guest.until(lambda ev: "我们学中文" in posted_texts(ev))
        await guest.room.classwork.load()
        await guest.room.classwork.add_answer(message.seq, "We study Chinese")
        pending = await host.classroom.pending(host.session)
        assert AnswerPayload.model_validate_json(pending[-1].payload).answer == "We study Chinese"
        # The host stores it with the guest's name (as class-core's inbox watcher does);
        # another guest's answer and the host's own are not this guest's.
        repo = WorkshopRepo.of(host.store)
        await repo.add_quiz_answer(host.session, message.seq, "someone else's", author="Bo")
        await repo.add_quiz_answer(host.session, message.seq, "We study Chinese", author="Ana")
        await host.room.classwork.mark(message.seq, "the teacher's mark")
        await guest.until(lambda ev: any(isinstance(e, Answered) for e in ev))
        await guest.until(lambda ev: any(isinstance(e, Marked) for e in ev))
        answers = [e.answer for e in guest.events if isinstance(e, Answered)]
        assert [(a.author, a.answer) for a in answers] == [("Ana", "We study Chinese")]
        # Line corrections are the class's: everyone's come through, and their removal.
        await host.room.classwork.correct_line(message.seq, "我们在学中文", author="Bo")
        await guest.until(
            lambda ev: any(
                isinstance(e, LineCorrected) and e.author == "Bo" and e.correction for e in ev
            )
        )
        await host.room.classwork.uncorrect_line(message.seq, author="Bo")
        await guest.until(
            lambda ev: any(isinstance(e, LineCorrected) and e.correction is None for e in ev)
        )
        await guest.room.classwork.correct_line(message.seq, "我们学习中文", "a better verb")
        pending = await host.classroom.pending(host.session)
        assert [(i.guest, i.kind) for i in pending][-1] == ("Ana", "correction")
        with pytest.raises(UserError, match="only the teacher"):
            await guest.room.classwork.set_note("a guest's note")
    assert any(isinstance(e, ClassworkLoaded) for e in guest.events)


async def test_finished_and_vanished_hosts(tmp_path: Path, personas_dir: Path) -> None:
    db = tmp_path / "class.db"
    async with hosting(db, personas_dir) as host:
        async with joined(db, host.session, "Ana") as guest:
            await host.classroom.finish_host(host.session)
            await guest.until(lambda ev: any(isinstance(e, Finished) for e in ev))
        async with await Store.open(db) as store:
            with pytest.raises(UserError, match="has finished"):
                await live_session(store, host.session)
            with pytest.raises(UserError, match="not found"):
                await live_session(store, "no-such-session")
            # A host whose beat is older than the timeout is gone, whatever its row says.
            await host.classroom.start_host(
                host.session, pid=1, mode="demo", now=time.time() - 10 * HOST_TIMEOUT
            )
            with pytest.raises(UserError, match="no host running"):
                await live_session(store, host.session, now=time.time() + 10 * HOST_TIMEOUT)


async def test_guest_notices_a_host_that_stopped_beating(
    tmp_path: Path, personas_dir: Path
) -> None:
    db = tmp_path / "class.db"
    async with await Store.open(db) as host_store:
        session = await host_store.create_session("arrival", title="t", seed=1)
        classroom = ClassroomRepo.of(host_store)
        await classroom.start_host(session.id, pid=1, mode="workshop")
        async with joined(db, session.id, "Ana") as guest:
            # The host's last beat now lies well in the past: it has stopped beating.
            await classroom.start_host(
                session.id, pid=1, mode="workshop", now=time.time() - 10 * HOST_TIMEOUT
            )
            await guest.until(
                lambda ev: any(isinstance(e, HostPresence) and not e.present for e in ev)
            )
            await classroom.beat(session.id)
            await guest.until(lambda ev: any(isinstance(e, HostPresence) and e.present for e in ev))
            assert not guest.room.finished
