"""Snapshots of the teacher's view at 80x24: the guests in the member list, the answer board.

Deterministic like the other snapshots (seed 3, speed max, the stub translator,
taken once the script has played). The guests are rows another connection
writes, as ``join`` processes do; their presence and typing are stamped an hour
ahead so the wall clock cannot change what shows. Their answers go through the
inbox and the host's watcher, as a guest's do.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from rednote_sim.content import load_cast
from rednote_sim.domain.guests import AnswerPayload
from rednote_sim.settings import Settings
from rednote_sim.sim import LiveRoom, VirtualClock
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.store import Store
from rednote_sim.store.classroom_repo import ClassroomRepo
from rednote_sim.tui import RoomApp, make_app
from rednote_sim.tui.workshop import Workshop
from rednote_sim.tui.workshop.board import AnswerBoardScreen
from tests.functional.tui.fakes import stub_translator
from tests.functional.tui.helpers import find, screen_lines, settle_before, wait_for

SnapCompare = Callable[..., bool]

GUEST_ANSWERS = {
    "Ana": "Help! I woke up and RedNote is all in English",
    "Bo": "[bold]Save me[/bold], my Xiaohongshu became English overnight",
}
"""Ana's answer, and Bo's, which looks like markup (it must show as typed)."""


def workshop(settings: Settings) -> RoomApp:
    return make_app(
        settings, mode="workshop", seed=3, speed=MAX_SPEED, translator=stub_translator()
    )


def feature(app: RoomApp) -> Workshop:
    return next(f for f in app.room_features if isinstance(f, Workshop))


async def ready(pilot: Pilot[Any]) -> None:
    """The workshop loaded the session's data; Esc: keys mode."""
    app = pilot.app
    assert isinstance(app, RoomApp)
    await wait_for(pilot, lambda: feature(app).state.session == app.session_id)
    await pilot.press("escape")
    await pilot.pause()


async def guests_arrive(pilot: Pilot[Any]) -> None:
    """Ana (typing) and Bo join from another connection; the member list shows them."""
    app = pilot.app
    assert isinstance(app, RoomApp) and app.session_id is not None
    async with await Store.open(app.room_screen.source.settings.db) as store:
        repo = ClassroomRepo.of(store)
        later = time.time() + 3600
        for name in GUEST_ANSWERS:
            await repo.join(app.session_id, name)
            await repo.touch(app.session_id, name, typing=name == "Ana", now=later)
    await pilot.press("m")  # at 80 columns the member list starts hidden
    await wait_for(pilot, lambda: "Bo" in str(app.room_screen.members._body.render()))
    # The header's count is drawn a refresh after the list: wait for it on the screen.
    count = f"👥 {app.room_screen.member_count} members"
    await wait_for(pilot, lambda: count in "\n".join(screen_lines(app)))
    await pilot.pause()


def test_teacher_sees_guests_typing_80x24(
    snap_compare: SnapCompare, tui_settings: Settings
) -> None:
    """WORKSHOP at 80x24, member list on (m): two guests under the cast, Ana typing."""
    assert snap_compare(
        workshop(tui_settings),
        terminal_size=(80, 24),
        run_before=settle_before(ready, guests_arrive),
    )


def test_answer_board_80x24(snap_compare: SnapCompare, tui_settings: Settings) -> None:
    """The answer board (A) of 阿婷's line: machine, human, the teacher's and 2 guests' answers."""

    async def answered(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, RoomApp) and app.session_id is not None
        seq = await find(pilot, "救命")
        assert seq is not None
        await pilot.press("a", *"Help me", "enter")  # the teacher's own answer
        await wait_for(pilot, lambda: bool(app.screen.query("Toast")))  # "Answer saved."
        app.clear_notifications()
        await wait_for(pilot, lambda: not app.screen.query("Toast"))
        async with await Store.open(app.room_screen.source.settings.db) as store:
            repo = ClassroomRepo.of(store)
            for name, answer in GUEST_ANSWERS.items():
                await repo.join(app.session_id, name)
                await repo.send(
                    app.session_id, name, "answer", AnswerPayload(seq=seq, answer=answer)
                )
        answers = feature(app).state.answers
        await wait_for(pilot, lambda: len(answers.get(seq, [])) == 3)
        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, AnswerBoardScreen))
        await pilot.pause()

    assert snap_compare(
        workshop(tui_settings),
        terminal_size=(80, 24),
        run_before=settle_before(ready, answered),
    )


# --- the guest's room ---------------------------------------------------------------------


async def record_class(settings: Settings) -> str:
    """A class played at max speed (fixed times) with a guest's line, its host beating "later".

    The beat is stamped an hour ahead, so the session counts as live for the whole
    test without a host process whose timing could change what shows.
    """
    cast = load_cast(settings.personas_dir)
    scenario = cast.scenarios["arrival"]
    async with await Store.open(settings.db) as store:
        session = await store.create_session(
            scenario.id, title=scenario.title, seed=1, session_id="class-fixture"
        )
        room = LiveRoom(
            store=store,
            translator=stub_translator(),
            cast=cast,
            scenario=scenario,
            session=session,
            clock=VirtualClock(MAX_SPEED),
            seed=1,
        )
        await room.run()
        await room.say("Bo here, hi everyone from the back row", guest="Bo")
        await room.drain()
        await room.translator.aclose()
        await ClassroomRepo.of(store).start_host(
            session.id, pid=1, mode="workshop", now=time.time() + 3600
        )
    return session.id


def test_guest_room_80x24(snap_compare: SnapCompare, tui_settings: Settings) -> None:
    """A guest's room at 80x24: the header says whose room and as whom; another guest's line."""
    session = asyncio.run(record_class(tui_settings))
    app = make_app(tui_settings, mode="guest", session=session, name="Ana")

    async def joined(pilot: Pilot[Any]) -> None:
        screen = app.room_screen
        model = screen.model

        def bo_translated() -> bool:
            return any(m.persona == "guest:Bo" and m.translated for m in model.messages.values())

        await wait_for(pilot, lambda: bool(app.screen.query("Toast")))  # "Joined"
        await wait_for(pilot, bo_translated)
        await wait_for(pilot, lambda: not screen.feed.pending)
        last = max(m.t for m in model.messages.values())
        screen.clock.pause()  # the guest's clock runs on from the host's last line
        screen.clock.seek(last)
        app.clear_notifications()
        await wait_for(pilot, lambda: not app.screen.query("Toast"))
        for widget in app.query("Input, TextArea"):
            widget.cursor_blink = False  # type: ignore[attr-defined]
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=joined)
