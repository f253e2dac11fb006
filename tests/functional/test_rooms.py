"""Live and replay rooms on a real SQLite file (translator stubbed: these test the rooms)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rednote_sim.content import load_cast
from rednote_sim.domain import Cast, Message
from rednote_sim.sim import LiveRoom, ReplayRoom, VirtualClock
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.sim.events import Posted, RoomEvent, Snapshot, Translated
from rednote_sim.sim.rooms import UNFINISHED_TRANSLATION
from rednote_sim.store import Store
from rednote_sim.translate import TranslationService
from tests.support.translate_stubs import StubTranslator


def _drain(queue: asyncio.Queue[RoomEvent]) -> list[RoomEvent]:
    events = []
    while not queue.empty():
        events.append(queue.get_nowait())
    return events


async def _live_room(store: Store, cast: Cast, scenario: str, seed: int) -> LiveRoom:
    """A live room at max speed with stub engines both ways."""
    return await LiveRoom.start(
        store=store,
        translator=_service(cast),
        cast=cast,
        scenario=cast.scenarios[scenario],
        clock=VirtualClock(MAX_SPEED),
        seed=seed,
    )


def _service(cast: Cast) -> TranslationService:
    return TranslationService(
        glossary=cast.glossary,
        engines={
            ("zh", "en"): StubTranslator("zh", "en"),
            ("en", "zh"): StubTranslator("en", "zh"),
        },
    )


async def test_every_message_is_committed_before_its_event(
    tmp_path: Path, personas_dir: Path
) -> None:
    cast = load_cast(personas_dir)
    async with await Store.open(tmp_path / "r.db") as store:
        room = await _live_room(store, cast, "arrival", 1)
        log: list[tuple[str, int]] = []
        add_message, publish = store.add_message, room.publish

        async def logged_add(message: Message) -> None:
            await add_message(message)
            log.append(("committed", message.seq))

        def logged_publish(event: RoomEvent) -> None:
            if isinstance(event, Posted):
                log.append(("published", event.message.seq))
            publish(event)

        store.add_message = logged_add  # type: ignore[method-assign]
        room.publish = logged_publish  # type: ignore[method-assign]
        await room.run()
        stored = await store.messages(room.session.id)
        assert len(stored) == len(cast.scenarios["arrival"].beats)
        for message in stored:
            assert log.index(("committed", message.seq)) < log.index(("published", message.seq))
        assert all(m.translated for m in stored)


async def test_user_input_is_stored_translated_and_answered(
    tmp_path: Path, personas_dir: Path
) -> None:
    cast = load_cast(personas_dir)
    async with await Store.open(tmp_path / "u.db") as store:
        room = await _live_room(store, cast, "arrival", 2)
        room.timeline.entries.clear()  # no script: only the user and the responders
        assert await room.say("   ") is None
        mine = await room.say("Hello! Here is my cat 🐱")
        assert mine is not None and mine.persona == "you" and mine.lang == "en"
        await room.run()
        stored = await store.messages(room.session.id)
        assert stored[0].text == "Hello! Here is my cat 🐱"
        answers = [m for m in stored if m.reply_to == mine.seq]
        assert 1 <= len(answers) <= 2
        assert all(m.translated for m in stored)
        chinese = await room.say("你好，我来自成都")
        assert chinese is not None and chinese.lang == "zh"


async def test_replay_marks_messages_left_untranslated(tmp_path: Path) -> None:
    async with await Store.open(tmp_path / "cut.db") as store:
        session = await store.create_session("arrival")
        message = Message(
            session=session.id, seq=1, t=1.0, persona="p", name="P", lang="zh", text="你好"
        )
        await store.add_message(message)  # the process stopped before translating
        room = await ReplayRoom.load(store, session.id, VirtualClock(MAX_SPEED))
        await room.run()
        translated = [e for e in _drain(room.events) if isinstance(e, Translated)]
        assert [e.message.translation_error for e in translated] == [UNFINISHED_TRANSLATION]
        assert (await store.messages(session.id))[0].translation_error is None  # not rewritten


async def test_replay_step_back_and_seek_publish_snapshots(
    tmp_path: Path, personas_dir: Path
) -> None:
    cast = load_cast(personas_dir)
    async with await Store.open(tmp_path / "s.db") as store:
        live = await _live_room(store, cast, "cat-tax", 3)
        await live.run()
        total = len(live.messages)
        room = await ReplayRoom.load(store, "latest", VirtualClock(MAX_SPEED))
        await room.run()
        _drain(room.events)
        assert room.step_back()
        (snapshot,) = [e for e in _drain(room.events) if isinstance(e, Snapshot)]
        assert len(snapshot.messages) == total - 1
        assert room.clock.paused
        room.seek(60.0)
        (snapshot,) = [e for e in _drain(room.events) if isinstance(e, Snapshot)]
        assert snapshot.messages and all(m.t <= 60.0 for m in snapshot.messages)
        assert len(snapshot.messages) == sum(1 for m in live.messages.values() if m.t <= 60.0)
        assert room.jump_to_next("marker") is not None


async def test_a_marker_added_to_a_replay_is_part_of_the_recording(
    tmp_path: Path, personas_dir: Path
) -> None:
    cast = load_cast(personas_dir)
    async with await Store.open(tmp_path / "m.db") as store:
        live = await _live_room(store, cast, "cat-tax", 3)
        await live.run()
        room = await ReplayRoom.load(store, "latest", VirtualClock(MAX_SPEED))
        room.seek(40.0)
        marker = await room.add_marker("discuss this")
        assert (marker.t, marker.seq) == (40.0, max(room.messages))
        assert marker in await store.markers(room.session.id)
        _drain(room.events)
        room.seek(room.length)  # past it: the snapshot carries it
        (snapshot,) = [e for e in _drain(room.events) if isinstance(e, Snapshot)]
        assert marker in snapshot.markers
        room.seek(0.0)
        stops = []
        while (t := room.jump_to_next("marker")) is not None and t <= marker.t:
            stops.append(t)
        assert stops[-1] == marker.t
        snapshots = [e for e in _drain(room.events) if isinstance(e, Snapshot)]
        assert marker in snapshots[-1].markers
