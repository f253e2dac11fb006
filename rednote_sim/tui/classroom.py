"""Who else is in the room: the guests of a live session, from the database.

A classroom's guests are other processes (``rednote-sim join``, a browser
through ``serve``); each keeps its row in the ``guests`` table fresh and marks
its keystrokes there (``store/classroom_repo.py``). :class:`Classroom` is a room
feature that reads those rows every :data:`REFRESH` seconds in a worker and
hands the member list who is present and who is typing
(:meth:`~rednote_sim.tui.host.RoomHost.show_guests`). The teacher's workshop and
every guest's room have it. The screen never waits for the read.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Sequence

from rednote_sim.domain import Cast
from rednote_sim.sim import Room
from rednote_sim.store.classroom_repo import ClassroomRepo
from rednote_sim.translate.api import Translator
from rednote_sim.tui.host import EventView, GuestLine, RoomHost

REFRESH = 0.5
"""Seconds between two reads of the guests (typing shows within about a second)."""


class Classroom:
    """The guests in the member list, with typing indicators (a :class:`RoomFeature`)."""

    def views(self) -> Sequence[EventView]:
        """Nothing follows the room's events: the guests come from their own table."""
        return ()

    async def open(
        self, host: RoomHost, room: Room, cast: Cast, translator: Translator | None
    ) -> None:
        """Follow the guests until the room closes (this worker ends with the screen)."""
        repo, session = ClassroomRepo.of(room.store), room.session.id
        shown: list[GuestLine] | None = None
        while True:
            try:
                guests = await repo.guests(session)
            except (sqlite3.Error, ValueError):
                return  # the store closed under us: the room is closing
            now = time.time()
            lines = [GuestLine(g.name, g.typing(now)) for g in guests if g.present(now)]
            if lines != shown:
                shown = lines
                host.show_guests(lines)
            await asyncio.sleep(REFRESH)
