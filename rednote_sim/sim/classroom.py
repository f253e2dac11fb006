"""The host side of the classroom: the heartbeat and the inbox watcher beside a live room.

The process playing a live session (``demo`` or ``workshop``, TUI or
``--headless``) is the host: it keeps a ``hosts`` row beating every
:data:`~rednote_sim.domain.guests.HEARTBEAT` seconds (finished when it stops),
and takes what guests put in the ``inbox``, in id order. Each request is
untrusted input: it is validated (name, kind, JSON payload, lengths, the
guest's rate), carried out through the room like the host's own user's input
(``room.say`` as the guest, ``room.classwork`` with the guest as author), and
resolved ``done`` (with the message's seq) or ``refused`` with one line the guest
is shown. Nothing a guest sends stops the host: every failure becomes a refusal.

Watching is cheap: ``PRAGMA data_version`` is polled every :data:`POLL` seconds
and the inbox read only when another connection committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rednote_sim.domain.guests import (
    HEARTBEAT,
    AnswerPayload,
    CorrectionPayload,
    GuestInputError,
    HostMode,
    InboxItem,
    InboxStatus,
    Payload,
    SayPayload,
    VocabDeletePayload,
    VocabPayload,
    parse_payload,
    validate_guest_name,
)
from rednote_sim.domain.workshop import VocabEntry
from rednote_sim.errors import UserError
from rednote_sim.store.classroom_repo import ClassroomRepo

if TYPE_CHECKING:
    from rednote_sim.sim.rooms import LiveRoom

POLL = 0.15
"""Seconds between two looks at ``PRAGMA data_version`` (a guest waits about half of it)."""

RATE_BURST = 5
"""Messages a guest may post at once…"""

RATE_WINDOW = 10.0
"""…and again within this many seconds (a token bucket: one more every 2 s)."""

WORK_BURST = 20
"""Other requests (answers, phrasebook, corrections) a guest may send in :data:`RATE_WINDOW`."""

Report = Callable[[str], None]
"""Told (one line) when the host itself has a problem (the database, not a guest)."""


@dataclass
class RateLimit:
    """A token bucket per guest: :data:`RATE_BURST` requests, refilled over :data:`RATE_WINDOW`.

    Args:
        burst: Bucket size.
        window: Seconds to refill a whole bucket.
        clock: Monotonic seconds (tests pass their own).
    """

    burst: int = RATE_BURST
    window: float = RATE_WINDOW
    clock: Callable[[], float] = time.monotonic
    what: str = "messages"
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def take(self, guest: str) -> float:
        """Spend one token of ``guest``'s; returns 0.0, or the seconds to wait when none is left."""
        now = self.clock()
        rate = self.burst / self.window
        tokens, then = self._buckets.get(guest.casefold(), (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - then) * rate)
        if tokens >= 1.0:
            self._buckets[guest.casefold()] = (tokens - 1.0, now)
            return 0.0
        self._buckets[guest.casefold()] = (tokens, now)
        return (1.0 - tokens) / rate

    def reason(self, wait: float) -> str:
        """What a guest over the limit is told."""
        return (
            f"slow down: at most {self.burst} {self.what} in {self.window:g} seconds; "
            f"try again in {max(1, round(wait))} s"
        )


class ClassroomHost:
    """The heartbeat and the inbox watcher of one live room (``room.attach`` runs it).

    Args:
        room: The live room guests post into.
        mode: What the host plays (``demo`` or ``workshop``), recorded in its row.
        report: Told about the host's own problems (a failed beat); guests' bad
            requests are refused, never reported here.
        poll: Seconds between looks at the inbox.
        heartbeat: Seconds between beats.
        rate: The per-guest limit on messages (they make the personas answer).
        work_rate: The per-guest limit on everything else (answers, phrasebook…).
    """

    def __init__(
        self,
        room: LiveRoom,
        *,
        mode: HostMode,
        report: Report | None = None,
        poll: float = POLL,
        heartbeat: float = HEARTBEAT,
        rate: RateLimit | None = None,
        work_rate: RateLimit | None = None,
    ) -> None:
        self.room = room
        self.mode = mode
        self.report = report or (lambda line: None)
        self.poll = poll
        self.heartbeat = heartbeat
        self.rate = rate or RateLimit()
        self.work_rate = work_rate or RateLimit(burst=WORK_BURST, what="requests")
        self.repo = ClassroomRepo.of(room.store)
        self.taken = 0
        """Inbox rows resolved so far (done or refused)."""
        self._tasks: list[asyncio.Task[None]] = []
        self._last_id = 0
        self._started = False
        self._stopped: asyncio.Future[None] | None = None

    @property
    def session(self) -> str:
        """The hosted session's id."""
        return self.room.session.id

    async def start(self) -> None:
        """Write the host row and start beating and watching (once).

        A database that refuses the row (locked for too long) does not stop the
        room: it plays without guests, and ``report`` says why.
        """
        if self._started:
            return
        self._started = True
        try:
            await self.repo.start_host(self.session, pid=os.getpid(), mode=self.mode)
        except Exception as exc:
            self.report(f"the class could not be opened to guests: {exc}")
            return
        self._tasks = [
            asyncio.create_task(self._beat_loop(), name="classroom-heartbeat"),
            asyncio.create_task(self._watch_loop(), name="classroom-inbox"),
        ]

    async def stop(self) -> None:
        """Stop watching and beating, and mark the host finished (idempotent, safe to race)."""
        if not self._started:
            return
        if self._stopped is None:
            self._stopped = asyncio.ensure_future(self._stop())
        await asyncio.shield(self._stopped)

    async def _stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        try:
            await self.repo.finish_host(self.session)
        except Exception as exc:  # the store may already be gone; the beat goes stale anyway
            self.report(f"could not mark the class host finished: {exc}")

    # --- loops ----------------------------------------------------------------------------

    async def _beat_loop(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat)
            try:
                await self.repo.beat(self.session)
            except Exception as exc:  # a busy database: the next beat tries again
                self.report(f"the class host's heartbeat failed: {exc}")

    async def _watch_loop(self) -> None:
        seen: int | None = None
        while True:
            try:
                version = await self.repo.data_version()
                if version != seen:
                    seen = version
                    await self.take_pending()
            except Exception as exc:  # never let the watcher die: report, look again
                self.report(f"the class inbox could not be read: {exc}")
            await asyncio.sleep(self.poll)

    async def take_pending(self) -> int:
        """Carry out (or refuse) every pending request, oldest first; returns how many."""
        count = 0
        while True:
            items = await self.repo.pending(self.session, after_id=self._last_id)
            if not items:
                return count
            for item in items:
                self._last_id = item.id
                status, seq, reason = await self._outcome(item)
                await self.repo.resolve(item.id, status=status, seq=seq, reason=reason)
                self.taken += 1
                count += 1

    async def _outcome(self, item: InboxItem) -> tuple[InboxStatus, int | None, str]:
        """(status, result seq, reason) for one request; never raises but cancellation."""
        try:
            name = validate_guest_name(item.guest)
            payload = parse_payload(item.kind, item.payload)
            limit = self.rate if isinstance(payload, SayPayload) else self.work_rate
            wait = limit.take(name)
            if wait > 0:
                return "refused", None, limit.reason(wait)
            seq = await self._carry_out(name, payload)
        except (GuestInputError, UserError) as exc:
            return "refused", None, " ".join(str(exc).split())
        except Exception as exc:  # a bug or the database: the guest is told, the host goes on
            self.report(f"a class request failed: {type(exc).__name__}: {exc}")
            return "refused", None, f"the host could not do this ({type(exc).__name__})"
        return "done", seq, ""

    async def _carry_out(self, name: str, payload: Payload) -> int | None:
        room, work = self.room, self.room.classwork
        if isinstance(payload, SayPayload):
            message = await room.say(payload.text, payload.lang, guest=name)
            if message is None:
                raise GuestInputError("the message is empty; type something first")
            return message.seq
        if isinstance(payload, AnswerPayload):
            await work.add_answer(payload.seq, payload.answer, author=name)
            return payload.seq
        if isinstance(payload, VocabPayload):
            entry = VocabEntry(
                session=self.session,
                author=name,
                created_at=datetime.now(UTC),
                **payload.model_dump(),
            )
            await work.save_vocab(entry)
            return payload.seq
        if isinstance(payload, VocabDeletePayload):
            if not await work.delete_vocab(payload.lang, payload.term, author=name):
                raise GuestInputError(f"your phrasebook has no {payload.term!r}")
            return None
        assert isinstance(payload, CorrectionPayload)
        await work.correct_line(payload.seq, payload.text, payload.note, author=name)
        return payload.seq
