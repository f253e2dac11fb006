"""The workshop without a screen: each change goes through the room, on disk before its event.

Real store on a SQLite file, real content; the translation service runs over
stub engines (these test the workshop, not the model).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from rednote_sim.content import load_cast
from rednote_sim.domain import Cast
from rednote_sim.sim import LiveRoom, ReplayRoom, VirtualClock
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.sim.events import (
    Answered,
    ClassworkLoaded,
    Marked,
    MarkerReached,
    NoteChanged,
    RoomEvent,
    Translated,
    VocabDeleted,
    VocabSaved,
)
from rednote_sim.store import Store
from rednote_sim.store.workshop_repo import WorkshopRepo
from rednote_sim.workshop.session import WorkshopSession
from tests.support.translate_stubs import StubTranslator, stub_service


def _drain(queue: asyncio.Queue[RoomEvent]) -> list[RoomEvent]:
    events = []
    while not queue.empty():
        events.append(queue.get_nowait())
    return events


async def _recorded(store: Store, cast: Cast) -> str:
    live = await LiveRoom.start(
        store=store,
        translator=stub_service(
            cast.glossary, StubTranslator("zh", "en"), StubTranslator("en", "zh")
        ),
        cast=cast,
        scenario=cast.scenarios["arrival"],
        clock=VirtualClock(MAX_SPEED),
        seed=2,
    )
    await live.run()
    return live.session.id


async def test_every_workshop_change_is_stored_then_published(
    tmp_path: Path, personas_dir: Path
) -> None:
    cast = load_cast(personas_dir)
    async with await Store.open(tmp_path / "w.db") as store:
        session_id = await _recorded(store, cast)
        room = await ReplayRoom.load(store, session_id, VirtualClock(MAX_SPEED))
        await room.run()
        _drain(room.events)
        workshop = WorkshopSession(room, glossary=cast.glossary)
        repo = WorkshopRepo.of(store)

        loaded = await workshop.load()
        assert _drain(room.events) == [ClassworkLoaded(session_id, loaded)]
        assert loaded.marks == {} and loaded.note == ""

        line = next(
            m
            for m in room.recorded
            if m.lang == "zh" and m.translation and m.translation.origin == "machine"
        )
        answer = await workshop.answer(line, "  my answer ")
        assert _drain(room.events) == [Answered(answer)]
        assert await repo.quiz_answers(session_id) == [answer]

        outcome = await workshop.mark(line, "en", "RedNote went wrong", "Help, RedNote!", "")
        assert outcome == "corrected"
        marked, translated = _drain(room.events)
        assert isinstance(marked, Marked) and marked.seq == line.seq
        assert marked.mark == await repo.mt_error(session_id, line.seq)
        assert isinstance(translated, Translated)
        stored = await store.message(session_id, line.seq)
        assert stored == translated.message
        assert stored.translation is not None and stored.translation.text == "Help, RedNote!"
        assert stored.translation.origin == "corrected"

        assert await workshop.unmark(line, "en") is True
        assert [type(e) for e in _drain(room.events)] == [Marked, Translated]
        assert await repo.mt_error(session_id, line.seq) is None

        entry = await workshop.save_vocab(
            line,
            "小红书",
            translation=None,
            machine=None,
            note="",
            pinyin=None,
            seg=workshop.segmenter(),
        )
        assert _drain(room.events) == [VocabSaved(entry)]
        assert await repo.vocab(session_id) == [entry]
        await workshop.delete_vocab(entry)
        assert _drain(room.events) == [VocabDeleted("zh", "小红书")]
        assert await repo.vocab(session_id) == []

        await workshop.set_note("group B")
        assert _drain(room.events) == [NoteChanged("group B")]
        assert (await store.get_session(session_id)).note == "group B"

        marker = await workshop.add_marker(workshop.marker_label())
        assert _drain(room.events) == [MarkerReached(marker)]
        assert marker in await store.markers(session_id)
        assert marker.label.startswith("Marker at ") and marker.t == room.clock.now()

        again = await WorkshopSession(room).load()  # what a later showing reads
        assert again.answers == {line.seq: [answer]} and again.note == "group B"
