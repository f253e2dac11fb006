"""A host for classroom tests, in-process: a live room on its own connection, beating.

What a host process does for its guests is class-core's inbox watcher and
heartbeat; these tests of the guest side need only what a guest reads: the
session's rows written through the host's own :class:`Store` (a connection of
its own, as another process has) and a fresh ``hosts`` beat.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from rednote_sim.content import load_cast
from rednote_sim.sim import LiveRoom, VirtualClock
from rednote_sim.store import Store
from rednote_sim.store.classroom_repo import ClassroomRepo
from rednote_sim.translate import TranslationService

BEAT = 0.5
"""Seconds between the test host's beats (well inside the host timeout)."""


@dataclass
class Host:
    """The host's side: its room, store and classroom rows."""

    room: LiveRoom
    store: Store
    classroom: ClassroomRepo

    @property
    def session(self) -> str:
        """The live session's id."""
        return self.room.session.id


@asynccontextmanager
async def hosting(
    db: Path,
    personas: Path,
    translator: TranslationService,
    *,
    session_id: str | None = None,
    clock: VirtualClock | None = None,
) -> AsyncIterator[Host]:
    """A live room on ``db`` (its script not playing: the test posts or runs it), beating."""
    cast = load_cast(personas)
    scenario = cast.scenarios["arrival"]
    async with await Store.open(db) as store:
        session = await store.create_session(
            scenario.id, title=scenario.title, seed=1, session_id=session_id
        )
        room = LiveRoom(
            store=store,
            translator=translator,
            cast=cast,
            scenario=scenario,
            session=session,
            clock=clock or VirtualClock(),
            seed=1,
        )
        classroom = ClassroomRepo.of(store)
        await classroom.start_host(session.id, pid=os.getpid(), mode="workshop")
        stop = asyncio.Event()

        async def beat() -> None:
            while not stop.is_set():
                await classroom.beat(session.id)
                with suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), BEAT)

        task = asyncio.create_task(beat())
        try:
            yield Host(room, store, classroom)
        finally:
            stop.set()
            await task
            await room.drain()
            await translator.aclose()
