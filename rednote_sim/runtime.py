"""Wiring the headless core together: content, store, translation and the room.

The CLI's headless commands and the TUI both start from here, so a room is
assembled the same way everywhere: :func:`open_runtime` (or the TUI's steps,
``tui/source.py``) opens what a room runs on, :func:`open_room` makes the room
a :class:`RoomRequest` names.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Literal

from rednote_sim.content import load_cast
from rednote_sim.domain import LATEST, Cast, Scenario
from rednote_sim.domain.guests import HostMode
from rednote_sim.errors import UserError
from rednote_sim.settings import DEFAULT_SCENARIO, Settings
from rednote_sim.sim import LiveRoom, ReplayRoom, VirtualClock
from rednote_sim.sim.classroom import ClassroomHost, Report
from rednote_sim.store import Store, open_store
from rednote_sim.store.connection import WaitNotice
from rednote_sim.translate import TranslationService
from rednote_sim.translate.api import Translator

Room = LiveRoom | ReplayRoom


@dataclass(frozen=True)
class RoomRequest:
    """What to open: a live scenario or the replay of a session.

    ``host`` makes a live room a classroom host (``demo`` or ``workshop``): guests
    can post into it through the database while it plays.
    """

    mode: Literal["live", "replay"]
    scenario: str = DEFAULT_SCENARIO
    seed: int = 1
    session: str = LATEST
    host: HostMode | None = None


@dataclass
class Runtime:
    """What a room needs: the cast, an open store and the translation service."""

    settings: Settings
    cast: Cast
    store: Store
    translator: TranslationService


def find_scenario(cast: Cast, scenario_id: str) -> Scenario:
    """The scenario ``scenario_id``.

    Raises:
        UserError: Naming the available scenarios.
    """
    try:
        return cast.scenarios[scenario_id]
    except KeyError:
        available = ", ".join(sorted(cast.scenarios)) or "none"
        raise UserError(
            f"unknown scenario {scenario_id!r} (available: {available}); "
            "see `rednote-sim scenarios list`"
        ) from None


def make_translator(settings: Settings, cast: Cast, store: Store | None) -> TranslationService:
    """The translation service configured from settings, using the store as memory."""
    return TranslationService(
        glossary=cast.glossary,
        slang=cast.slang,
        models_dir=settings.models_dir,
        memory=store,
        beam_size=settings.beam_size,
        threads=settings.translate_threads,
    )


@asynccontextmanager
async def open_runtime(
    settings: Settings, on_wait: WaitNotice | None = None
) -> AsyncIterator[Runtime]:
    """Load the content, open the store and start the translation service."""
    cast = load_cast(settings.personas_dir)
    store = await open_store(settings, on_wait)
    translator = make_translator(settings, cast, store)
    try:
        yield Runtime(settings=settings, cast=cast, store=store, translator=translator)
    finally:
        await translator.aclose()
        await store.close()


async def open_room(
    request: RoomRequest,
    *,
    store: Store,
    cast: Cast,
    clock: VirtualClock,
    translator: Translator | None = None,
    report: Report | None = None,
) -> Room:
    """The room ``request`` names, created but not started (``await room.run()`` plays it).

    Args:
        request: A live scenario (with its seed) or the replay of a session.
        store: The open store: a live room writes its session there, a replay reads it.
        cast: The personas and scenarios.
        clock: The room's virtual clock (its speed; a replay's idle cap).
        translator: What a live room translates with; a replay needs none.
        report: Told about a class host's own problems (``request.host``).

    Raises:
        UserError: For an unknown scenario or session.
    """
    if request.mode == "replay":
        return await ReplayRoom.load(store, request.session, clock)
    scenario = find_scenario(cast, request.scenario)
    if translator is None:
        raise ValueError("a live room needs a translator")
    room = await LiveRoom.start(
        store=store,
        translator=translator,
        cast=cast,
        scenario=scenario,
        clock=clock,
        seed=request.seed,
    )
    if request.host is not None:
        # Started and stopped by room.run(): it beats while the room plays.
        room.attachments.append(ClassroomHost(room, mode=request.host, report=report))
    return room
