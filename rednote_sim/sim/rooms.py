"""Rooms: a live run of a scenario, and the replay of a recorded session.

Both play through a :class:`Timeline` on a :class:`VirtualClock` and publish
:mod:`rednote_sim.sim.events` on ``room.events`` for whoever shows them (the TUI,
the headless printer). A room is the only writer of its session's data:
every message, translation, reaction, marker and (through ``room.classwork``)
everything the class adds is committed to the store before its event is
published, so what a viewer sees is on disk.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Mapping, Sequence
from typing import Literal, Protocol

from rednote_sim.domain import (
    USER_PERSONA_ID,
    Cast,
    Lang,
    Marker,
    Message,
    Persona,
    Reaction,
    Scenario,
    Session,
    Translation,
)
from rednote_sim.domain.guests import guest_persona_id
from rednote_sim.sim.classwork import ClassworkWriter
from rednote_sim.sim.clock import VirtualClock
from rednote_sim.sim.events import (
    Finished,
    MarkerReached,
    Posted,
    Reacted,
    RoomEvent,
    Snapshot,
    Translated,
    Typing,
)
from rednote_sim.sim.responders import Fix, Responders
from rednote_sim.sim.schedule import PlannedPost, PlannedReaction, PlannedTyping, plan
from rednote_sim.sim.timeline import Action, Timeline
from rednote_sim.store import Store
from rednote_sim.translate.api import Translator
from rednote_sim.translate.langid import detect_lang
from rednote_sim.translate.mixed import mixes_languages

USER_NAME = "You"

UNFINISHED_TRANSLATION = "the session ended before its translation finished"
"""Why a replayed message has no translation (shown after "⚠ not translated: ")."""

MESSAGE_KINDS = ("post", "reply")
"""Timeline kinds that publish a message (what "step" moves between)."""

Ahead = Literal["marker", "reply"]
"""What ``>`` (the next chapter marker) and ``}`` (the next reply) jump to."""

Fact = Message | Reaction | Marker
"""One recorded thing a replay plays."""

ANSWER_DELAY = (1.5, 4.0)
"""Seconds a responder 'reads' the user's message before starting to type."""


def message_lang(text: str, persona: Persona) -> Lang:
    """The language a message is written in: detected, else the persona's own.

    People write in the other language too (an American trying "你好！我叫Jaylen"),
    and the translation must go from what was written, not who wrote it.
    """
    return detect_lang(text) or persona.language


def user_persona(lang: Lang) -> Persona:
    """The person at the keyboard, shown like any member."""
    return Persona(
        id=USER_PERSONA_ID,
        name=USER_NAME,
        handle="@you",
        language=lang,
        country="US" if lang == "en" else "CN",
        home="here",
        avatar="🙂",
        bio="That's you.",
    )


GUEST_AVATAR = "🙋"
"""A guest's avatar: one wide emoji every terminal measures alike (``glyphs.wide_emoji``)."""


def guest_persona(name: str, lang: Lang) -> Persona:
    """A classroom guest, shown like any member: id ``guest:NAME``, named NAME.

    Built without validation: a guest's id is not a content identifier (it holds
    the name as typed, checked by ``domain.guests.validate_guest_name``).
    """
    return Persona.model_construct(
        id=guest_persona_id(name),
        name=name,
        handle=name,  # the same as the name, so no handle is shown
        language=lang,
        country="US" if lang == "en" else "CN",
        home="guest",
        avatar=GUEST_AVATAR,
        bio="A guest in this class.",
        bio_translation="",
        age_range="",
        interests=[],
        habits=[],
        typing_speed=5.0,
    )


class Attachment(Protocol):
    """Something that runs beside a live room while it plays (the classroom host)."""

    async def start(self) -> None:
        """Begin (the room starts playing)."""

    async def stop(self) -> None:
        """End; called once the room stops, and again by whoever closes it (idempotent)."""


class _RoomBase:
    """State and publishing shared by live and replay rooms."""

    mode: Literal["live", "replay"]

    def __init__(self, session: Session, clock: VirtualClock, store: Store | None) -> None:
        self.session = session
        self.clock = clock
        self._store = store
        self.timeline = Timeline(clock)
        self.events: asyncio.Queue[RoomEvent] = asyncio.Queue()
        self.messages: dict[int, Message] = {}
        self.reactions: dict[int, dict[str, int]] = {}
        self.markers: list[Marker] = []
        self.finished = False
        self.classwork = ClassworkWriter(lambda: self.store, session.id, self.publish, self.revise)
        """Writes what the class adds (marks, answers, phrasebook, corrections, note)."""

    def publish(self, event: RoomEvent) -> None:
        """Hand an event to viewers."""
        self.events.put_nowait(event)

    @property
    def store(self) -> Store:
        """Where the room writes the session's data (a replay built without one has none).

        Raises:
            RuntimeError: When the room was built without a store.
        """
        if self._store is None:
            raise RuntimeError("this room was built without a store: it cannot write")
        return self._store

    def _user_marker(self, label: str) -> Marker:
        """A marker at the current time, on the newest message shown."""
        last = max(self.messages) if self.messages else None
        return Marker(
            session=self.session.id, t=self.clock.now(), label=label, seq=last, kind="user"
        )

    def _reach(self, marker: Marker) -> None:
        self.markers.append(marker)
        self.publish(MarkerReached(marker))

    def _count(self, seq: int, emoji: str, count: int) -> dict[str, int]:
        totals = self.reactions.setdefault(seq, {})
        totals[emoji] = totals.get(emoji, 0) + count
        return dict(totals)

    async def _finish(self) -> None:
        self.finished = True
        self.publish(Finished(self.clock.now()))

    def revise(self, message: Message) -> None:
        """A shown message changed after the fact (a class correction): publish it again."""
        if message.seq in self.messages:
            self.messages[message.seq] = message
        self.publish(Translated(message))

    def step_forward(self) -> float | None:
        """Play the next message now (works while paused)."""
        return self.timeline.step(MESSAGE_KINDS)

    def next_time(self, what: Ahead) -> float | None:
        """Time of the next chapter marker (``>``) or reply (``}``) ahead, if any."""
        entry = self.timeline.next_entry((what,))
        return entry.t if entry else None

    def next_marker_time(self) -> float | None:
        """Time of the next marker ahead, if any."""
        return self.next_time("marker")

    def jump_to_next(self, what: Ahead) -> float | None:
        """Move on to the next marker or reply so it plays now; returns its time."""
        t = self.next_time(what)
        if t is not None:
            self.clock.seek(t)
        return t

    def close(self) -> None:
        """Stop playing."""
        self.timeline.close()


class LiveRoom(_RoomBase):
    """A scenario playing live into a new session.

    Args:
        store: Where every message, translation, reaction and marker is committed.
        translator: The translation service.
        cast: All personas and room-wide responders.
        scenario: The scenario to play.
        session: The session created for this run.
        clock: The shared clock.
        seed: Seeds jitter, reaction bursts and responder choices.
    """

    mode: Literal["live", "replay"] = "live"

    def __init__(
        self,
        *,
        store: Store,
        translator: Translator,
        cast: Cast,
        scenario: Scenario,
        session: Session,
        clock: VirtualClock,
        seed: int,
    ) -> None:
        super().__init__(session, clock, store)
        self.translator = translator
        self.cast = cast
        self.scenario = scenario
        self.seed = seed
        self.personas = dict(cast.personas)
        self._next_seq = 1
        self._beat_seq: dict[str, int] = {}
        self._translations: set[asyncio.Task[None]] = set()
        self._responders = Responders(
            [*scenario.responders, *cast.responders], random.Random(f"{seed}:responders")
        )
        self._answer_rng = random.Random(f"{seed}:answers")
        self._post_lock = asyncio.Lock()
        self.attachments: list[Attachment] = []
        """Run beside the room while it plays (``runtime.open_room`` adds the class host)."""
        self._schedule()

    @classmethod
    async def start(
        cls,
        *,
        store: Store,
        translator: Translator,
        cast: Cast,
        scenario: Scenario,
        clock: VirtualClock,
        seed: int,
    ) -> LiveRoom:
        """Create the session in the store and return a room ready to :meth:`run`."""
        session = await store.create_session(scenario.id, title=scenario.title, seed=seed)
        return cls(
            store=store,
            translator=translator,
            cast=cast,
            scenario=scenario,
            session=session,
            clock=clock,
            seed=seed,
        )

    # --- scheduling -----------------------------------------------------------------------

    def _schedule(self) -> None:
        for event in plan(self.scenario, self.personas, self.seed):
            if isinstance(event, PlannedTyping):
                persona = self.personas[event.persona]
                self.timeline.add(event.t, "typing", self._typing_action(persona, event.t))
            elif isinstance(event, PlannedPost):
                kind = "reply" if event.beat.reply_to else "post"
                self.timeline.add(event.t, kind, self._beat_action(event))
                if event.beat.marker:
                    # Only a signpost for "seek to next marker"; the post publishes it.
                    self.timeline.add(event.t, "marker", _noop)
            elif isinstance(event, PlannedReaction):
                self.timeline.add(event.t, "reaction", self._reaction_action(event))

    def _typing_action(self, persona: Persona, t: float) -> Action:
        async def action() -> None:
            self.publish(Typing(persona, t))

        return action

    def _beat_action(self, planned: PlannedPost) -> Action:
        async def action() -> None:
            beat = planned.beat
            persona = self.personas[beat.persona]
            reply_to = self._beat_seq.get(beat.reply_to) if beat.reply_to else None
            message = await self._post(
                persona,
                beat.text,
                message_lang(beat.text, persona),
                reply_to=reply_to,
                reference=beat.reference or None,
                beat=beat.key,
            )
            self._beat_seq[beat.key or ""] = message.seq
            if beat.marker:
                marker = Marker(
                    session=self.session.id,
                    t=message.t,
                    label=beat.marker,
                    seq=message.seq,
                    kind="scenario",
                )
                self._reach(await self.store.add_marker(marker))

        return action

    def _reaction_action(self, planned: PlannedReaction) -> Action:
        async def action() -> None:
            seq = self._beat_seq.get(planned.beat_key)
            if seq is None:
                return
            t = self.clock.now()
            await self.store.add_reaction(
                Reaction(
                    session=self.session.id, seq=seq, emoji=planned.emoji, count=planned.count, t=t
                )
            )
            totals = self._count(seq, planned.emoji, planned.count)
            self.publish(Reacted(seq, planned.emoji, planned.count, totals, t))

        return action

    # --- posting --------------------------------------------------------------------------

    async def _post(
        self,
        persona: Persona,
        text: str,
        lang: Lang,
        *,
        reply_to: int | None = None,
        reference: str | None = None,
        beat: str | None = None,
    ) -> Message:
        """Commit a message, publish it, and start translating it in the background."""
        async with self._post_lock:  # seq order == commit order == publish order
            message = Message(
                session=self.session.id,
                seq=self._next_seq,
                t=self.clock.now(),
                persona=persona.id,
                name=persona.name,
                lang=lang,
                text=text,
                reply_to=reply_to,
                reference=reference,
                beat=beat,
                mixed=mixes_languages(text, lang),
            )
            await self.store.add_message(message)
            self._next_seq += 1
            self.messages[message.seq] = message
            self.publish(Posted(message))
        task = asyncio.create_task(self._translate(message))
        self._translations.add(task)
        task.add_done_callback(self._translations.discard)
        return message

    async def _translate(self, message: Message) -> None:
        """Translate a message for both readers, store the renderings, publish.

        Every message gets a rendering in the other language; one that mixes the
        languages also gets one in its own language (its other-language parts
        translated).
        """
        jobs = [self._render(message, None)]
        if message.mixed:
            jobs.append(self._render(message, message.lang))
        rendered = await asyncio.gather(*jobs)
        update: dict[str, object] = {
            "translation": rendered[0][0],
            "translation_error": rendered[0][1],
        }
        if message.mixed:
            update |= {"mixed_translation": rendered[1][0], "mixed_error": rendered[1][1]}
        done = message.model_copy(update=update)
        await self.store.set_translations(done)
        self.messages[message.seq] = done
        self.publish(Translated(done))

    async def _render(
        self, message: Message, target: Lang | None
    ) -> tuple[Translation | None, str | None]:
        try:
            outcome = await self.translator.translate(
                message.text, source=message.lang, target=target, reference=message.reference
            )
            return outcome.translation, outcome.error
        except Exception as exc:  # the message must survive whatever the engine does
            return None, f"translation failed: {type(exc).__name__}: {exc}"

    async def say(
        self, text: str, lang: Lang | None = None, *, guest: str | None = None
    ) -> Message | None:
        """Post what the user (or a classroom guest) typed and schedule the responders' answers.

        Args:
            text: The text; empty or whitespace-only input is ignored.
            lang: The language, if known; detected otherwise.
            guest: A guest's (validated) name: posted as that guest
                (:func:`guest_persona`), and responders may answer by name.

        Returns:
            The committed message, or None when the input was empty.
        """
        if not text.strip():
            return None
        user_lang: Lang = lang or message_lang(text, user_persona("en"))
        speaker = user_persona(user_lang) if guest is None else guest_persona(guest, user_lang)
        message = await self._post(speaker, text, user_lang)
        for answer in self._responders.answer(text, name=guest):
            persona = self.personas.get(answer.persona)
            if persona is None:
                continue
            start = self.clock.now() + self._answer_rng.uniform(*ANSWER_DELAY)
            typing = len(answer.reply.text) / persona.typing_speed
            post_at = start + min(6.0, max(0.8, typing))
            self.timeline.add(start, "typing", self._typing_action(persona, start))
            self.timeline.add(
                post_at,
                "post",
                self._answer_action(
                    persona, answer.reply.text, answer.reply.reference, message.seq, answer.fix
                ),
            )
        return message

    def _answer_action(
        self, persona: Persona, text: str, reference: str, reply_to: int, fix: Fix | None = None
    ) -> Action:
        async def action() -> None:
            await self._post(
                persona,
                text,
                message_lang(text, persona),
                reply_to=reply_to,
                reference=reference or None,
            )
            if fix is not None:
                # The persona's reply explains; the correction shows the fix under the line.
                await self.classwork.correct_line(reply_to, fix.text, fix.note, author=persona.name)

        return action

    async def add_marker(self, label: str) -> Marker:
        """Drop a user marker at the current time (a replay can seek to it)."""
        marker = await self.store.add_marker(self._user_marker(label))
        self._reach(marker)
        return marker

    # --- running --------------------------------------------------------------------------

    async def run(self, *, keep_open: bool = False) -> None:
        """Play the scenario.

        Args:
            keep_open: Keep the room open after the script ends (the TUI, where
                the user may keep chatting); headless runs return at the end.
        """
        for attachment in self.attachments:
            await attachment.start()
        try:
            await self.timeline.play(keep_open=keep_open, on_idle=self._finish)
            await self.drain()
        finally:  # also when cancelled (Ctrl-C, SIGTERM): the class host says it stopped
            await self.detach()

    async def detach(self) -> None:
        """Stop what runs beside the room (the class host marks itself finished)."""
        for attachment in self.attachments:
            await attachment.stop()

    async def drain(self) -> None:
        """Wait until every started translation has been stored and published."""
        while self._translations:
            await asyncio.gather(*list(self._translations), return_exceptions=True)


class ReplayRoom(_RoomBase):
    """A recorded session played back through the clock; nothing is re-translated.

    What the reader adds during a replay (a marker, a class correction) is written
    to the store and becomes part of the recording at once: a seek keeps it and
    ``>`` stops at a marker dropped here.

    Args:
        session: The recorded session.
        messages: Its messages (with their stored translations).
        reactions: Its reaction events.
        markers: Its markers.
        clock: The shared clock.
        participants: The personas stored with the session (the people of an
            imported chat); empty for a session played from the cast.
        store: Where what the reader adds is written (:meth:`load` passes it); a
            replay built without one only plays.
    """

    mode: Literal["live", "replay"] = "replay"

    def __init__(
        self,
        session: Session,
        messages: Sequence[Message],
        reactions: Sequence[Reaction],
        markers: Sequence[Marker],
        clock: VirtualClock,
        participants: Mapping[str, Persona] | None = None,
        *,
        store: Store | None = None,
    ) -> None:
        super().__init__(session, clock, store)
        self.participants: dict[str, Persona] = dict(participants or {})
        # A live run closed mid-translation leaves messages with neither a
        # translation nor an error; say so instead of showing "translating…" forever.
        self.recorded = [_finished(m) for m in sorted(messages, key=lambda m: m.seq)]
        self._latest = {m.seq: m for m in self.recorded}
        """Each recorded message as it is now (a correction revises it while playing)."""
        self.recorded_reactions = list(reactions)
        self.recorded_markers = list(markers)
        # Build the timeline in (t, kind) order; entry i and self._facts[i] match
        # (a marker added later is inserted into both at the same place).
        facts: list[tuple[float, int, str, Fact]] = []
        for message in self.recorded:
            facts.append((message.t, 1, "reply" if message.reply_to else "post", message))
        for reaction in self.recorded_reactions:
            facts.append((reaction.t, 2, "reaction", reaction))
        for marker in self.recorded_markers:
            facts.append((marker.t, 0, "marker", marker))
        facts.sort(key=lambda f: (f[0], f[1]))
        self._facts: list[Fact] = [fact for _, _, _, fact in facts]
        self.timeline.extend((t, kind, self._fact_action(fact)) for t, _, kind, fact in facts)

    @classmethod
    async def load(cls, store: Store, ref: str, clock: VirtualClock) -> ReplayRoom:
        """Load a session (``latest``, an id, or a unique id prefix) from the store."""
        session = await store.get_session(ref)
        return cls(
            session,
            await store.messages(session.id),
            await store.reactions(session.id),
            await store.markers(session.id),
            clock,
            await store.session_personas(session.id),
            store=store,
        )

    def revise(self, message: Message) -> None:
        """A recorded message changed (a class correction during the replay): keep it."""
        if message.seq in self._latest:
            self._latest[message.seq] = message
            self.recorded = [message if m.seq == message.seq else m for m in self.recorded]
        super().revise(message)

    async def add_marker(self, label: str) -> Marker:
        """Drop a user marker at the current time: stored, and part of the recording now."""
        marker = await self.store.add_marker(self._user_marker(label))
        self.recorded_markers.append(marker)
        index, played = self.timeline.record(marker.t, "marker", self._fact_action(marker))
        self._facts.insert(index, marker)
        if played:
            self._reach(marker)
        return marker

    def _message(self, fact: Message) -> Message:
        return self._latest.get(fact.seq, fact)

    def _fact_action(self, fact: Fact) -> Action:
        async def action() -> None:
            if isinstance(fact, Message):
                message = self._message(fact)  # looked up now: it may have been revised
                self.messages[message.seq] = message
                self.publish(Posted(message))
                if message.translated:
                    self.publish(Translated(message))
            elif isinstance(fact, Reaction):
                totals = self._count(fact.seq, fact.emoji, fact.count)
                self.publish(Reacted(fact.seq, fact.emoji, fact.count, totals, fact.t))
            else:
                self._reach(fact)

        return action

    def personas(self, cast: Mapping[str, Persona]) -> dict[str, Persona]:
        """Who to show for each persona id: the session's own people, else the cast."""
        return {**cast, **self.participants}

    async def run(self, *, keep_open: bool = False) -> None:
        """Play the recording (``keep_open`` lets a viewer rewind after the end)."""
        await self.timeline.play(keep_open=keep_open, on_idle=self._finish)

    def _restore(self, position: int, t: float) -> None:
        """Show the state after the first ``position`` facts, at time ``t``."""
        self.messages, self.reactions, self.markers = {}, {}, []
        for fact in self._facts[:position]:
            if isinstance(fact, Message):
                self.messages[fact.seq] = self._message(fact)
            elif isinstance(fact, Reaction):
                self._count(fact.seq, fact.emoji, fact.count)
            else:
                self.markers.append(fact)
        self.finished = False
        self.timeline.rewind(position, t)
        self.publish(
            Snapshot(
                t,
                [self.messages[s] for s in sorted(self.messages)],
                {seq: dict(v) for seq, v in self.reactions.items()},
                list(self.markers),
            )
        )

    @property
    def length(self) -> float:
        """The recording's length: its last message, reaction or marker (reactions come last).

        ``sessions`` reports the same (``Session.duration``).
        """
        entries = self.timeline.entries
        return entries[-1].t if entries else 0.0

    async def _finish(self) -> None:
        """The end: the clock stops at the length (a viewer shows "ended")."""
        self.clock.pause()
        self.clock.seek(self.length)
        await super()._finish()

    def seek(self, t: float) -> None:
        """Jump to scenario time ``t`` (forward or back; past the end means the end)."""
        t = min(max(0.0, t), self.length)
        position = sum(1 for entry in self.timeline.entries if entry.t <= t)
        self._restore(position, t)

    def restart(self) -> None:
        """Play the recording again from the beginning."""
        self.seek(0.0)
        self.clock.resume()

    def step_back(self) -> bool:
        """Un-show the last shown message (and pause). Returns False at the start."""
        posts = [
            i for i, f in enumerate(self._facts[: self.timeline.position]) if isinstance(f, Message)
        ]
        if not posts:
            return False
        self.clock.pause()
        last = posts[-1]
        previous_t = self._facts[posts[-2]].t if len(posts) > 1 else 0.0
        self._restore(last, previous_t)
        return True

    def jump_to_next(self, what: Ahead) -> float | None:
        """Seek to the next marker or reply ahead; returns its time (None: none ahead)."""
        t = self.next_time(what)
        if t is not None:
            self.seek(t)
        return t


Room = LiveRoom | ReplayRoom
"""A room of either kind."""


async def _noop() -> None:
    return None


def _finished(message: Message) -> Message:
    """A recorded message whose translation never finished says so (each rendering)."""
    if message.translated:
        return message
    update: dict[str, object] = {}
    if message.translation is None and message.translation_error is None:
        update["translation_error"] = UNFINISHED_TRANSLATION
    if message.mixed and message.mixed_translation is None and message.mixed_error is None:
        update["mixed_error"] = UNFINISHED_TRANSLATION
    return message.model_copy(update=update)
