"""``demo`` and ``replay``: open the room (TUI) or print it (``--headless``)."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rednote_sim.cli.common import (
    choose_seed,
    db_option,
    ended,
    hsk_option,
    parse_speed_option,
    run_async,
    scenario_option,
    seed_option,
    settings_from,
    speed_option,
    tell_waiting,
)
from rednote_sim.errors import UserError
from rednote_sim.settings import DEFAULT_IDLE_CAP, Settings
from rednote_sim.textsafe import visible

if TYPE_CHECKING:
    from rednote_sim.domain import Persona
    from rednote_sim.sim.rooms import LiveRoom, ReplayRoom


def _output_options(func: click.decorators.FC) -> click.decorators.FC:
    func = click.option(
        "--jsonl", is_flag=True, help="With --headless: one JSON object per message (implies it)."
    )(func)
    return click.option(
        "--headless", is_flag=True, help="Print the conversation instead of opening the TUI."
    )(func)


async def _print_room(
    room: LiveRoom | ReplayRoom,
    personas: dict[str, Persona],
    jsonl: bool,
    *,
    keep_open: bool = False,
) -> None:
    """Run a room and print its messages as they complete (``keep_open``: until stopped)."""
    from rednote_sim.headless import HeadlessPrinter

    printer = HeadlessPrinter(personas, jsonl=jsonl, write=click.echo)

    async def consume() -> None:
        while True:
            printer.handle(await room.events.get())

    consumer = asyncio.create_task(consume())
    try:
        await room.run(keep_open=keep_open)
    finally:
        consumer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await consumer
    while not room.events.empty():  # what was published after the consumer's last turn
        printer.handle(room.events.get_nowait())
    printer.finish()  # whatever is stored is printed, even a recording with a gap


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _host_problem(line: str) -> None:
    click.echo(f"class host: {visible(line)}", err=True)


async def _demo_headless(
    settings: Settings, scenario_id: str, seed: int, speed: float, jsonl: bool, keep_open: bool
) -> None:
    from rednote_sim.runtime import RoomRequest, open_room, open_runtime
    from rednote_sim.sim import VirtualClock

    async with open_runtime(settings, tell_waiting) as rt:
        room = await open_room(
            RoomRequest("live", scenario=scenario_id, seed=seed, host="demo"),
            store=rt.store,
            cast=rt.cast,
            clock=VirtualClock(speed),
            translator=rt.translator,
            report=_host_problem,
        )
        try:
            await _print_room(room, dict(rt.cast.personas), jsonl, keep_open=keep_open)
        finally:
            # Also when stopped (Ctrl-C, SIGTERM): what was saved can be replayed.
            sid = visible(room.session.id)
            ended = "" if room.finished else ", stopped before the end"
            click.echo(
                f"session {sid} saved to {rt.store.path} "
                f"({_count(len(room.messages), 'message')}{ended}, seed {seed}); "
                f"replay it with: rednote-sim replay {sid}",
                err=True,
            )


@click.command()
@scenario_option
@seed_option
@speed_option("1")
@db_option
@_output_options
@click.option(
    "--keep-open",
    is_flag=True,
    help="With --headless: keep the room open after the script ends (a class host; "
    "stop it with Ctrl-C).",
)
def demo(
    scenario_id: str,
    seed: int | None,
    speed: str,
    db: Path | None,
    headless: bool,
    jsonl: bool,
    keep_open: bool,
) -> None:
    """Open the 'TikTok Refugees' room and play a scenario live.

    The live room is a class host: others can post into it with `rednote-sim say`.
    """
    settings = settings_from(db)
    chosen_seed = choose_seed(seed)
    if keep_open and not (headless or jsonl):
        raise UserError("--keep-open is for --headless runs (the TUI stays open anyway)")
    if headless or jsonl:
        run_async(
            _demo_headless(
                settings, scenario_id, chosen_seed, parse_speed_option(speed), jsonl, keep_open
            )
        )
        return
    from rednote_sim.content import load_cast
    from rednote_sim.runtime import find_scenario

    # Check what can be checked before the terminal switches to the full-screen app.
    find_scenario(load_cast(settings.personas_dir), scenario_id)
    from rednote_sim.tui import run_tui

    ran = run_tui(
        settings,
        mode="live",
        scenario=scenario_id,
        seed=chosen_seed,
        speed=parse_speed_option(speed),
    )
    ended(settings, ran, chosen_seed)


async def _replay_headless(
    settings: Settings, ref: str, speed: float, idle_cap: float, jsonl: bool
) -> None:
    from rednote_sim.content import load_cast
    from rednote_sim.runtime import RoomRequest, open_room
    from rednote_sim.sim import ReplayRoom, VirtualClock
    from rednote_sim.store import open_store

    cast = load_cast(settings.personas_dir)
    async with await open_store(settings, tell_waiting) as store:
        room = await open_room(
            RoomRequest("replay", session=ref),
            store=store,
            cast=cast,
            clock=VirtualClock(speed, idle_cap=idle_cap),
        )
        assert isinstance(room, ReplayRoom)
        if not room.recorded:
            raise UserError(
                f"session {visible(room.session.id)} has no messages (its run was stopped "
                "before the first one); `rednote-sim sessions` lists the others"
            )
        await _print_room(room, room.personas(cast.personas), jsonl)


async def _find_session(settings: Settings, ref: str) -> None:
    """Fail (one line, exit 2) when ``ref`` names no recorded session."""
    from rednote_sim.store import Store

    async with await Store.open(settings.db) as store:
        await store.get_session(ref)


@click.command()
@click.argument("session", default="latest")
@speed_option("1")
@click.option(
    "--idle-cap",
    type=click.FloatRange(min=0.5),
    default=DEFAULT_IDLE_CAP,
    show_default=True,
    help="Longest silence (scenario seconds) before skipping ahead.",
)
@hsk_option
@db_option
@_output_options
def replay(
    session: str,
    speed: str,
    idle_cap: float,
    hsk: int | None,
    db: Path | None,
    headless: bool,
    jsonl: bool,
) -> None:
    """Replay a recorded SESSION (an id, a unique id prefix, or 'latest')."""
    settings = settings_from(db)
    if hsk is not None and (headless or jsonl):
        raise UserError("--hsk underlines words in the room; leave it out with --headless/--jsonl")
    if headless or jsonl:
        run_async(_replay_headless(settings, session, parse_speed_option(speed), idle_cap, jsonl))
        return
    playback = parse_speed_option(speed)
    # Before the terminal switches to the full-screen app: is there such a session?
    run_async(_find_session(settings, session))
    from rednote_sim.tui import run_tui

    ended(
        settings,
        run_tui(
            settings,
            mode="replay",
            session=session,
            speed=playback,
            idle_cap=idle_cap,
            hsk=hsk,
        ),
        0,
    )


COMMANDS: list[click.Command] = [demo, replay]
