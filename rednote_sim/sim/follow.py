"""A guest's room: a live session followed from the database as its host writes it.

The host process (``demo`` or ``workshop``) is the one writer of the session
(docs/ARCHITECTURE.md, "The classroom"). A :class:`FollowRoom` in another
process reads what the host commits and publishes the same
:mod:`~rednote_sim.sim.events` a live room does (``Posted``, ``Translated``
including a class correction made later, ``Reacted`` with totals,
``MarkerReached``, this guest's own ``Answered`` and ``VocabSaved``, the
teacher's ``Marked`` and ``NoteChanged``, ``Finished`` when the host finishes),
so the TUI's room screen and the workshop's views draw it unchanged.

What the guest does goes to the host's inbox (``ClassroomRepo.send``), never
into the session tables: :meth:`FollowRoom.say` and ``room.classwork`` (a
:class:`GuestClasswork`, the same methods as the live room's
:class:`~rednote_sim.sim.classwork.ClassworkWriter`) insert inbox rows; the host
stores the real thing with the guest's name, and the follower sees it come back
through the database like everything else. A request the host refuses (a flood,
a bad payload) comes back as :class:`~rednote_sim.sim.events.Refused`.

Polling is cheap: ``PRAGMA data_version`` (changes only when another connection
commits) every :data:`POLL` seconds, and the tables are read only when it moved.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel

from rednote_sim.domain import Lang, Marker, Message, Persona, Session
from rednote_sim.domain.guests import (
    HEARTBEAT,
    AnswerPayload,
    CorrectionPayload,
    InboxKind,
    SayPayload,
    VocabDeletePayload,
    VocabPayload,
)
from rednote_sim.domain.workshop import (
    HOST_AUTHOR,
    LineCorrection,
    MtErrorMark,
    QuizAnswer,
    VocabEntry,
)
from rednote_sim.errors import UserError
from rednote_sim.sim.classwork import ClassworkWriter
from rednote_sim.sim.clock import VirtualClock
from rednote_sim.sim.events import (
    Answered,
    Classwork,
    ClassworkLoaded,
    HostPresence,
    LineCorrected,
    Marked,
    NoteChanged,
    Posted,
    Reacted,
    Refused,
    RoomEvent,
    Snapshot,
    Translated,
    VocabDeleted,
    VocabSaved,
)
from rednote_sim.sim.rooms import _RoomBase, guest_persona
from rednote_sim.store import Store
from rednote_sim.store.classroom_repo import ClassroomRepo, live_session
from rednote_sim.store.follow_repo import CorrectionsProbe, FollowRepo

POLL = 0.15
"""Seconds between two looks at ``PRAGMA data_version`` (a guest sees a change within a second)."""

TYPING_EVERY = 1.0
"""Seconds between two "typing" touches while the guest keeps typing."""

TEACHER_ONLY = "only the teacher can do that here (the host's room); you can answer and save words"
"""Why a guest's room refuses marks, corrections of translations, notes and markers."""


class GuestClasswork(ClassworkWriter):
    """A guest's classwork: requests to the host, the same calls as the room's writer.

    The workshop (``workshop/session.py``) calls these as it calls a live room's
    :class:`~rednote_sim.sim.classwork.ClassworkWriter` (mypy holds the two to
    the same signatures). An answer, a phrasebook entry or a line correction
    becomes an inbox row; the host stores it with the guest's name (whatever
    ``author`` says: a guest writes as themselves) and :class:`FollowRoom`
    publishes it when it reads it back. What only the host's room may do
    (marks, translation corrections, the note) raises a
    :class:`~rednote_sim.errors.UserError` saying so.

    Args:
        room: The guest's room (its session, name, inbox and reads).
    """

    def __init__(self, room: FollowRoom) -> None:
        super().__init__(lambda: room.store, room.session.id, room.publish, room.revise)
        self._room = room

    async def load(self) -> Classwork:
        """Read the teacher's marks and note and this guest's answers and words; publish them."""
        return await self._room.load_classwork()

    async def add_answer(self, seq: int, text: str, *, author: str = HOST_AUTHOR) -> QuizAnswer:
        """Send a quiz answer (the host stores it with this guest's name)."""
        room = self._room
        await room.send("answer", AnswerPayload(seq=seq, answer=text))
        return QuizAnswer(
            session=self.session,
            seq=seq,
            answer=text.strip() or text,
            created_at=datetime.now(UTC),
            author=room.name,
        )

    async def save_vocab(self, entry: VocabEntry) -> VocabEntry:
        """Send a phrasebook entry for this guest's own phrasebook."""
        room = self._room
        payload = VocabPayload(
            seq=entry.seq,
            lang=entry.lang,
            term=entry.term,
            pinyin=entry.pinyin,
            translation=entry.translation,
            translation_source=entry.translation_source,
            note=entry.note,
        )
        await room.send("vocab", payload)
        return entry.model_copy(update={"author": room.name})

    async def delete_vocab(self, lang: Lang, term: str, *, author: str = HOST_AUTHOR) -> bool:
        """Ask the host to delete one of this guest's phrasebook entries (True: asked)."""
        await self._room.send("vocab_delete", VocabDeletePayload(lang=lang, term=term))
        return True

    async def correct_line(
        self, seq: int, text: str, note: str = "", author: str = HOST_AUTHOR
    ) -> LineCorrection:
        """Send this guest's correction of line ``seq`` (the line as it should have been)."""
        room = self._room
        await room.send("correction", CorrectionPayload(seq=seq, text=text, note=note))
        return LineCorrection(
            session=self.session,
            seq=seq,
            text=text.strip() or text,
            note=note.strip(),
            author=room.name,
            created_at=datetime.now(UTC),
        )

    async def uncorrect_line(self, seq: int, author: str = HOST_AUTHOR) -> bool:
        """Not a guest's request (the inbox has no kind for it): refused here."""
        raise UserError(TEACHER_ONLY)

    async def mark(self, seq: int, note: str) -> MtErrorMark:
        """The teacher's (refused here)."""
        raise UserError(TEACHER_ONLY)

    async def unmark(self, seq: int) -> None:
        """The teacher's (refused here)."""
        raise UserError(TEACHER_ONLY)

    async def correct(self, seq: int, lang: Lang, text: str, note: str) -> Message:
        """The teacher's (refused here)."""
        raise UserError(TEACHER_ONLY)

    async def uncorrect(self, seq: int, lang: Lang) -> Message | None:
        """The teacher's (refused here)."""
        raise UserError(TEACHER_ONLY)

    async def set_note(self, note: str) -> None:
        """The teacher's (refused here)."""
        raise UserError(TEACHER_ONLY)


class FollowRoom(_RoomBase):
    """A live session another process hosts, followed from the database.

    Build it with :meth:`join`. :meth:`run` follows the session until the host
    finishes it (or the room is closed); :meth:`leave` says goodbye.

    Args:
        store: The open store (the same database file as the host's).
        session: The live session.
        name: The guest's name in the room (unique: "Ana (2)").
        clock: The guest's clock; it follows the times of what the host posts.
    """

    mode: Literal["live", "replay"] = "live"

    def __init__(self, store: Store, session: Session, name: str, clock: VirtualClock) -> None:
        super().__init__(session, clock, store)
        self.name = name
        self.classwork = GuestClasswork(self)
        self.host_present = True
        """False while the host's heartbeat is stale (the host process is gone)."""
        self._classroom = ClassroomRepo.of(store)
        self._reads = FollowRepo.of(store)
        self._read_lock = asyncio.Lock()
        self._closed = asyncio.Event()
        self._version: int | None = None
        self._last_seq = 0
        self._pending: set[int] = set()
        """Seqs whose translation has not landed yet."""
        self._corrections: CorrectionsProbe | None = None
        self._reaction_id = 0
        self._marker_id = 0
        self._sent: set[int] = set()
        """Inbox rows this room sent whose outcome was not seen yet."""
        self._classwork = False
        """True once the classwork was loaded (then its changes are followed)."""
        self._answer_id = 0
        self._marks: dict[int, MtErrorMark] = {}
        self._vocab: dict[tuple[Lang, str], VocabEntry] = {}
        self._note = ""
        self._lines: dict[tuple[int, str], LineCorrection] = {}
        """Line corrections by (seq, author): everyone's, as the class sees them."""
        self._typed_at = 0.0
        self._left = False

    @classmethod
    async def join(cls, store: Store, ref: str, wanted: str, clock: VirtualClock) -> FollowRoom:
        """Enter the live session ``ref`` as ``wanted`` (made unique by the host's rules).

        Raises:
            UserError: The session is unknown, finished or has no host; the name is invalid.
        """
        session = await live_session(store, ref)
        name = await ClassroomRepo.of(store).join(session.id, wanted)
        return cls(store, session, name, clock)

    @property
    def persona(self) -> Persona:
        """This guest as a member of the room."""
        return guest_persona(self.name, "en")

    # --- what the guest does ---------------------------------------------------------------

    async def send(self, kind: InboxKind, payload: BaseModel) -> int:
        """Put a request into the host's inbox; returns its id."""
        item_id = await self._classroom.send(self.session.id, self.name, kind, payload)
        self._sent.add(item_id)
        return item_id

    async def say(self, text: str, lang: Lang | None = None) -> int | None:
        """Send a message for the host to post as this guest (None when blank)."""
        if not text.strip():
            return None
        return await self.send("say", SayPayload(text=text, lang=lang))

    def typing_due(self) -> bool:
        """True when a keystroke now should be told (at most once per :data:`TYPING_EVERY`).

        The caller then runs :meth:`typing` (a write: in a worker); keystrokes in
        between cost nothing.
        """
        now = time.time()
        if self._left or now - self._typed_at < TYPING_EVERY:
            return False
        self._typed_at = now
        return True

    async def typing(self) -> None:
        """The guest is typing in the composer (the teacher's member list shows it)."""
        if not self._left:
            await self._classroom.touch(self.session.id, self.name, typing=True)

    async def add_marker(self, label: str) -> Marker:
        """The teacher's (refused here)."""
        raise UserError(TEACHER_ONLY)

    async def leave(self) -> None:
        """Leave the room: the name is free again (once; closing stops following)."""
        self.close()
        if not self._left:
            self._left = True
            await self._classroom.leave(self.session.id, self.name)

    def close(self) -> None:
        """Stop following."""
        self._closed.set()
        super().close()

    # --- following ------------------------------------------------------------------------

    async def run(self, *, keep_open: bool = False) -> None:
        """Follow the session until the host finishes it or the room closes.

        Args:
            keep_open: Accepted for the rooms' common signature; a follower always
                stops when the host finishes (there is nothing more to read).
        """
        await self._catch_up()
        next_touch = 0.0
        while not self._closed.is_set():
            now = time.time()
            if now >= next_touch and not self._left:
                next_touch = now + HEARTBEAT
                await self._classroom.touch(self.session.id, self.name)
            version = await self._classroom.data_version()
            if version != self._version:
                self._version = version
                await self._read()
            if await self._check_host(now):
                await self._read()  # what the host wrote before it finished
                await self._finish()
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closed.wait(), POLL)

    async def _check_host(self, now: float) -> bool:
        """Follow the host's heartbeat; True when the host has finished the session."""
        host = await self._classroom.host(self.session.id)
        if host is not None and host.finished:
            return True
        present = host is not None and host.live(now)
        if present != self.host_present:
            self.host_present = present
            self.publish(HostPresence(present))
        return False

    async def _catch_up(self) -> None:
        """Everything the session holds so far, as one snapshot."""
        async with self._read_lock:
            self._version = await self._classroom.data_version()
            reads, session = self._reads, self.session.id
            messages = await reads.messages_after(session, 0)
            reactions = await reads.reactions_after(session, 0)
            markers = await reads.markers_after(session, 0)
            self._corrections = await reads.corrections_probe(session)
            for message in messages:
                self._keep(message)
            for row_id, reaction in reactions:
                self._reaction_id = max(self._reaction_id, row_id)
                self._count(reaction.seq, reaction.emoji, reaction.count)
            for row_id, marker in markers:
                self._marker_id = max(self._marker_id, row_id)
                self.markers.append(marker)
            times = [m.t for m in messages] + [r.t for _, r in reactions]
            self._follow_clock(max(times, default=0.0))
            self.publish(
                Snapshot(
                    self.clock.now(),
                    [self.messages[s] for s in sorted(self.messages)],
                    {seq: dict(v) for seq, v in self.reactions.items()},
                    list(self.markers),
                )
            )

    def _keep(self, message: Message) -> None:
        self.messages[message.seq] = message
        self._last_seq = max(self._last_seq, message.seq)
        if message.translated:
            self._pending.discard(message.seq)
        else:
            self._pending.add(message.seq)

    def _follow_clock(self, t: float) -> None:
        """The guest's clock is never behind what the host posted."""
        if t > self.clock.now():
            self.clock.seek(t)

    async def _read(self) -> None:
        """Publish what the host committed since the last read."""
        async with self._read_lock:
            await self._read_messages()
            await self._read_reactions()
            await self._read_markers()
            await self._read_outcomes()
            if self._classwork:
                await self._read_classwork()

    async def _read_messages(self) -> None:
        reads, session = self._reads, self.session.id
        # Translations that landed, and messages a class correction changed.
        changed: list[Message] = []
        probe = await reads.corrections_probe(session)
        if probe != self._corrections:
            self._corrections = probe
            known = sorted(self.messages)
            changed = [
                m for m in await reads.messages_in(session, known) if m != self.messages.get(m.seq)
            ]
        elif self._pending:
            pending = sorted(self._pending)
            changed = [m for m in await reads.messages_in(session, pending) if m.translated]
        for message in changed:
            self._keep(message)
            self.publish(Translated(message))
        for message in await reads.messages_after(session, self._last_seq):
            self._keep(message)
            self._follow_clock(message.t)
            self.publish(Posted(message))
            if message.translated:
                self.publish(Translated(message))

    async def _read_reactions(self) -> None:
        for row_id, reaction in await self._reads.reactions_after(
            self.session.id, self._reaction_id
        ):
            self._reaction_id = row_id
            totals = self._count(reaction.seq, reaction.emoji, reaction.count)
            self._follow_clock(reaction.t)
            self.publish(Reacted(reaction.seq, reaction.emoji, reaction.count, totals, reaction.t))

    async def _read_markers(self) -> None:
        for row_id, marker in await self._reads.markers_after(self.session.id, self._marker_id):
            self._marker_id = row_id
            self._reach(marker)

    async def _read_outcomes(self) -> None:
        """Tell the guest what the host refused of what this room sent (a flood, a bad request).

        Another process under the same name (a guest who left and came back) has
        its own requests and hears of them itself.
        """
        if not self._sent:
            return
        after = min(self._sent) - 1
        for item in await self._classroom.resolved_for(self.session.id, self.name, after):
            if item.id not in self._sent:
                continue
            self._sent.discard(item.id)
            if item.status == "refused":
                self.publish(Refused(item.kind, item.reason))

    # --- classwork --------------------------------------------------------------------------

    async def load_classwork(self) -> Classwork:
        """Marks, note and line corrections (the class's), answers and words (this guest's)."""
        async with self._read_lock:
            reads, session = self._reads, self.session.id
            answers = await reads.answers_after(session, self.name, 0)
            self._answer_id = max([i for i, _ in answers] or [0])
            self._marks = {mark.seq: mark for mark in await reads.marks(session)}
            self._vocab = {(e.lang, e.term): e for e in await reads.vocab_of(session, self.name)}
            self._note = await reads.note(session)
            self._lines = {(c.seq, c.author): c for c in await reads.line_corrections(session)}
            corrections: dict[int, list[LineCorrection]] = {}
            for correction in self._lines.values():
                corrections.setdefault(correction.seq, []).append(correction)
            by_seq: dict[int, list[QuizAnswer]] = {}
            for _, answer in answers:
                by_seq.setdefault(answer.seq, []).append(answer)
            classwork = Classwork(
                marks=dict(self._marks),
                answers=by_seq,
                vocab=list(self._vocab.values()),
                note=self._note,
                corrections=corrections,
            )
            self._classwork = True
            self.publish(ClassworkLoaded(session, classwork))
            return classwork

    async def _read_classwork(self) -> None:
        reads, session = self._reads, self.session.id
        for row_id, answer in await reads.answers_after(session, self.name, self._answer_id):
            self._answer_id = row_id
            self.publish(Answered(answer))
        marks = {mark.seq: mark for mark in await reads.marks(session)}
        events: list[RoomEvent] = [Marked(seq, None) for seq in self._marks if seq not in marks]
        events += [Marked(seq, m) for seq, m in marks.items() if self._marks.get(seq) != m]
        self._marks = marks
        vocab = {(e.lang, e.term): e for e in await reads.vocab_of(session, self.name)}
        events += [
            VocabDeleted(e.lang, e.term, e.author) for k, e in self._vocab.items() if k not in vocab
        ]
        events += [VocabSaved(e) for k, e in vocab.items() if self._vocab.get(k) != e]
        self._vocab = vocab
        lines = {(c.seq, c.author): c for c in await reads.line_corrections(session)}
        events += [
            LineCorrected(seq, who, None) for seq, who in self._lines if (seq, who) not in lines
        ]
        events += [
            LineCorrected(seq, who, c)
            for (seq, who), c in lines.items()
            if self._lines.get((seq, who)) != c
        ]
        self._lines = lines
        note = await reads.note(session)
        if note != self._note:
            self._note = note
            events.append(NoteChanged(note))
        for event in events:
            self.publish(event)
