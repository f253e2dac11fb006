"""The guest's room (``join``) and the teacher's view, driven with Pilot on a real database.

The host is in-process (``tests/support/classroom.py``: a live room on its own
connection, with a heartbeat); the guest's app opens the same file through its
own store, as a ``join`` process does. Every wait polls with a timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.pilot import Pilot

from rednote_sim.cli.join_cmds import COMMANDS
from rednote_sim.domain.guests import SayPayload
from rednote_sim.settings import Settings
from rednote_sim.sim import FollowRoom, VirtualClock
from rednote_sim.sim.classroom import RATE_BURST
from rednote_sim.store import Store
from rednote_sim.store.classroom_repo import ClassroomRepo
from rednote_sim.tui import RoomApp, make_app
from rednote_sim.tui.screens.guest import GuestRoomScreen
from rednote_sim.tui.screens.name import NameScreen
from rednote_sim.tui.source import GuestSource
from rednote_sim.tui.workshop.screens import PromptScreen
from tests.functional.tui.fakes import stub_translator
from tests.functional.tui.helpers import burst, screen_lines, wait_for, workshop_of
from tests.support.classroom import hosting
from tests.support.cli import root_group, stand_in_tui
from tests.support.files import one_error_line, run_cli

TIMEOUT = 30.0


async def wait_until(pilot: Pilot[int], check: Callable[[], Awaitable[bool]]) -> None:
    """Let the app run until the async ``check()`` holds (a read of the database)."""
    deadline = time.monotonic() + TIMEOUT
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {check}")
        await pilot.pause(0.05)


def guest_app(settings: Settings, session: str, name: str | None) -> RoomApp:
    return make_app(settings, mode="guest", session=session, name=name)


def shown(app: RoomApp) -> dict[str, str | None]:
    """Each message text on the guest's screen → its translation (None while pending)."""
    messages = app.room_screen.model.messages.values()
    return {m.text: (m.translation.text if m.translation else None) for m in messages}


def screen_text(app: RoomApp) -> str:
    return "\n".join(screen_lines(app))


async def test_guest_sees_the_host_and_posts_to_its_inbox(tui_settings: Settings) -> None:
    db = tui_settings.db
    async with hosting(db, tui_settings.personas_dir, stub_translator()) as host:
        await host.room.say("大家好，我是老师")  # before the guest joins
        app = guest_app(tui_settings, host.session, "Ana")
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: shown(app).get("大家好，我是老师") is not None)
            await host.room.say("今天我们学习翻译")  # while the guest watches
            await wait_for(pilot, lambda: shown(app).get("今天我们学习翻译") is not None)
            await pilot.pause()
            text = screen_text(app)
            assert f"guest in {host.session} as Ana" in text
            assert "今天我们学习翻译" in text
            assert "GUEST" in text
            typed_from = time.time()
            burst(app, "hello from Ana\r")
            pending = host.classroom.pending

            async def landed() -> bool:
                return any(
                    i.guest == "Ana" and i.kind == "say" for i in await pending(host.session)
                )

            await wait_until(pilot, landed)
            (item,) = await pending(host.session)
            assert SayPayload.model_validate_json(item.payload).text == "hello from Ana"
            screen = app.room_screen
            assert isinstance(screen, GuestRoomScreen)
            assert screen.composer.text == ""
            # Keystrokes tell the teacher who is typing: the guest's row carries the time
            # of a keystroke typed since (whether the window of TYPING_FOR seconds is still
            # open when this looks depends on the machine's load, so it is not asserted).
            burst(app, "and")

            async def typing() -> bool:
                guests = await host.classroom.guests(host.session)
                return any(g.typing_at is not None and g.typing_at >= typed_from for g in guests)

            await wait_until(pilot, typing)
            # The guest's own keys cannot move the host's clock, and the teacher's keys
            # (mark an MT error, the note, the answer board) say where they work.
            await pilot.press("escape", "space")
            assert not app.room_screen.clock.paused
            await pilot.press("e")
            await wait_for(
                pilot,
                lambda: any("only in the teacher's room" in n.message for n in app._notifications),
            )
        # Quitting left the room: the name is free again.
        (guest,) = await host.classroom.guests(host.session)
        assert guest.left_at is not None


async def test_the_name_dialog_asks_validates_and_makes_the_name_unique(
    tui_settings: Settings,
) -> None:
    db = tui_settings.db
    async with hosting(db, tui_settings.personas_dir, stub_translator()) as host:
        assert await host.classroom.join(host.session, "Ana") == "Ana"

        async def first_ana_stays() -> None:  # the other Ana's process keeps touching
            while True:
                await host.classroom.touch(host.session, "Ana")
                await asyncio.sleep(0.5)

        present = asyncio.create_task(first_ana_stays())
        app = guest_app(tui_settings, host.session, None)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, NameScreen))
            dialog = app.screen
            assert isinstance(dialog, NameScreen)
            burst(app, "\r")
            await wait_for(pilot, lambda: dialog.error.display)
            assert "the name is empty" in str(dialog.error.render())
            burst(app, "You\r")
            await wait_for(pilot, lambda: "host's own name" in str(dialog.error.render()))
            dialog.input.value = ""
            burst(app, "Ana\r")
            screen = app.room_screen
            await wait_for(pilot, lambda: isinstance(screen.room, FollowRoom))
            assert isinstance(screen.room, FollowRoom)
            assert screen.room.name == "Ana (2)"
            await wait_for(pilot, lambda: "as Ana (2)" in screen_text(app))
            names = [g.name for g in await host.classroom.guests(host.session)]
            assert names == ["Ana", "Ana (2)"]
        present.cancel()


async def test_a_guest_who_quits_while_joining_still_leaves_the_room(
    tui_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Quitting cancels the open; if the join was already written, the guest leaves anyway."""
    real_join = ClassroomRepo.join
    opening: list[asyncio.Task[object]] = []

    async def join_then_quit(self: ClassroomRepo, session_id: str, wanted: str) -> str:
        name = await real_join(self, session_id, wanted)  # the row is written ...
        opening[0].cancel()  # ... and the guest quits (its open is cancelled) right then
        await asyncio.sleep(0)
        return name

    monkeypatch.setattr(ClassroomRepo, "join", join_then_quit)
    async with hosting(tui_settings.db, tui_settings.personas_dir, stub_translator()) as host:
        source = GuestSource(tui_settings, host.session, "Ana")
        opening.append(asyncio.create_task(source.open(VirtualClock())))
        with pytest.raises(asyncio.CancelledError):
            await opening[0]
        await source.aclose()
        guests = await host.classroom.guests(host.session)
    assert [(g.name, g.left_at is not None) for g in guests] == [("Ana", True)]


async def test_a_finished_session_cannot_be_joined(tui_settings: Settings) -> None:
    db = tui_settings.db
    async with hosting(db, tui_settings.personas_dir, stub_translator()) as host:
        await host.classroom.finish_host(host.session)
        app = guest_app(tui_settings, host.session, "Ana")
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: app.startup_error is not None)
        assert app.return_code == 2
        assert "has finished" in str(app.startup_error)


def test_join_exits_2_when_the_session_is_not_live(tmp_path: Path, personas_dir: Path) -> None:
    db = tmp_path / "class.db"
    missing = one_error_line(run_cli("join", "latest", "--as", "Ana", "--db", str(db)))
    assert "no database" in missing

    async def set_up() -> str:
        async with await Store.open(db) as store:
            finished = await store.create_session("arrival", title="t", seed=1)
            repo = ClassroomRepo.of(store)
            await repo.start_host(finished.id, pid=1, mode="workshop")
            await repo.finish_host(finished.id)
            never = await store.create_session("arrival", title="t", seed=2)
            return f"{finished.id} {never.id}"

    finished, never = asyncio.run(set_up()).split()
    unknown = one_error_line(run_cli("join", "no-such", "--as", "Ana", "--db", str(db)))
    assert "not found" in unknown
    ended = one_error_line(run_cli("join", finished, "--as", "Ana", "--db", str(db)))
    assert "has finished" in ended
    hostless = one_error_line(run_cli("join", never, "--as", "Ana", "--db", str(db)))
    assert "has no class host" in hostless
    bad_name = one_error_line(run_cli("join", never, "--as", "\x1b[31mAna", "--db", str(db)))
    assert "control character" in bad_name


# --- the teacher's view -------------------------------------------------------------------


async def guests_arrive(settings: Settings, session: str) -> None:
    """Ana (typing) and Bo join the session from another connection, as guests do."""
    async with await Store.open(settings.db) as store:
        repo = ClassroomRepo.of(store)
        for name in ("Ana", "Bo"):
            await repo.join(session, name)
        # Touched "in the future": present and typing for the whole test, whatever the load.
        later = time.time() + 3600
        await repo.touch(session, "Ana", typing=True, now=later)
        await repo.touch(session, "Bo", now=later)


async def test_teacher_sees_guests_with_typing_indicators(tui_settings: Settings) -> None:
    app = make_app(tui_settings, mode="workshop", seed=3, translator=stub_translator())
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session_id is not None)
        assert app.session_id is not None
        await guests_arrive(tui_settings, app.session_id)
        await wait_for(pilot, lambda: "Bo guest" in screen_text(app))
        text = screen_text(app)
        cast = len(app.room_screen.source.cast.personas) if app.room_screen.source.cast else 0
        assert f"Members · 成员 {cast + 1 + 2}" in text  # the cast, You, two guests
        assert "Ana guest ✎…" in text
        assert "Bo guest" in text
        assert "Bo guest ✎" not in text
        await wait_for(pilot, lambda: "✎ Ana typing…" in screen_text(app))


# --- a real host process ------------------------------------------------------------------


class HostProcess:
    """``rednote-sim demo --headless --keep-open`` on ``db`` (no model: human references)."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "rednote_sim", "demo", "--headless", "--keep-open"),
                *("--seed", "4", "--speed", "4", "--db", str(db)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    async def session(self) -> str:
        """The session it hosts, once its heartbeat row is there."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.proc.stderr.read() if self.proc.stderr else ""
            if self.db.exists():
                with contextlib.suppress(sqlite3.OperationalError):  # not migrated yet
                    with contextlib.closing(sqlite3.connect(self.db, timeout=30)) as raw:
                        rows = list(
                            raw.execute(
                                "SELECT session_id FROM hosts WHERE pid = ? AND finished = 0",
                                (self.proc.pid,),
                            )
                        )
                    if rows:
                        return str(rows[0][0])
            await asyncio.sleep(0.1)
        raise AssertionError("the host never started beating")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
        self.proc.communicate(timeout=TIMEOUT)


async def test_a_guest_in_a_real_class(tmp_path: Path, personas_dir: Path) -> None:
    """A host process plays; the guest's app follows it and its composer posts as the guest."""
    settings = Settings(
        db=tmp_path / "class.db", personas_dir=personas_dir, models_dir=tmp_path / "no-models"
    )
    host = HostProcess(settings.db)
    try:
        session = await host.session()
        app = guest_app(settings, session, "Ana")
        async with app.run_test(size=(100, 30)) as pilot:
            model = app.room_screen.model
            # The host's scripted lines arrive with their (human reference) translations.
            await wait_for(
                pilot, lambda: any(m.translated for m in model.messages.values()), timeout=60
            )
            burst(app, "hello from Ana\r")
            await wait_for(
                pilot,
                lambda: any(
                    m.persona == "guest:Ana" and m.text == "hello from Ana"
                    for m in model.messages.values()
                ),
                timeout=60,
            )
            mine = next(m for m in model.messages.values() if m.persona == "guest:Ana")
            await wait_for(pilot, lambda: model.messages[mine.seq].translated, timeout=60)
            await wait_for(pilot, lambda: "hello from Ana" in screen_text(app))
            # A quiz answer (the workshop's a) goes to the host and comes back as Ana's.
            answers = workshop_of(app).state.answers
            await pilot.press("escape", "a")
            await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
            burst(app, "my own translation\r")
            await wait_for(
                pilot,
                lambda: any(
                    a.author == "Ana" and a.answer == "my own translation"
                    for line in answers.values()
                    for a in line
                ),
                timeout=60,
            )
            # A flood is refused by the host, and the guest is told why.
            await pilot.press("i")
            burst(app, "".join(f"line {n}\r" for n in range(RATE_BURST + 10)))
            await wait_for(
                pilot,
                lambda: any(
                    "Your message was not posted: slow down" in n.message
                    for n in app._notifications
                ),
                timeout=60,
            )
            # The teacher stops the room: the guest is told the class has ended.
            host.stop()
            await wait_for(pilot, lambda: app.room_screen.finished, timeout=60)
            await wait_for(pilot, lambda: "the class has ended" in screen_text(app))
    finally:
        if host.proc.poll() is None:
            host.proc.kill()
            host.proc.wait(timeout=TIMEOUT)


def test_join_opens_the_guest_room_of_the_session_it_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`join latest` resolves the live session once and hands the TUI its id and the name."""
    db = tmp_path / "class.db"

    async def live() -> str:
        async with await Store.open(db) as store:
            session = await store.create_session("arrival", title="t", seed=1)
            await ClassroomRepo.of(store).start_host(
                session.id, pid=1, mode="workshop", now=time.time() + 3600
            )
            return session.id

    session = asyncio.run(live())
    calls = stand_in_tui(monkeypatch)
    runner = CliRunner()
    group = root_group(COMMANDS)
    named = runner.invoke(group, ["join", "latest", "--as", "  Ana  ", "--db", str(db)])
    assert named.exit_code == 0, named.output
    asked = runner.invoke(group, ["join", session[:12], "--db", str(db)])
    assert asked.exit_code == 0, asked.output
    assert [(c["mode"], c["session"], c["name"]) for c in calls] == [
        ("guest", session, "Ana"),
        ("guest", session, None),  # the room asks for the name
    ]
