"""Opening and closing what the room runs on: content, store, translator, room.

This is the TUI's slice of :mod:`rednote_sim.runtime`, split in steps so the
app can show its first frame before any of it happens and open it in a worker;
the room itself comes from :func:`rednote_sim.runtime.open_room`, as for the
headless commands. Nothing here imports Textual.
"""

from __future__ import annotations

import asyncio
import contextlib

from rednote_sim.content import load_cast
from rednote_sim.domain import Cast, Lang, Session
from rednote_sim.runtime import RoomRequest, find_scenario, make_translator, open_room
from rednote_sim.settings import Settings
from rednote_sim.sim import FollowRoom, LiveRoom, Room, VirtualClock
from rednote_sim.store import Store, open_store
from rednote_sim.translate.api import Translator

CLOSE_TIMEOUT = 3.0
"""Seconds to wait for translations in flight when the room closes."""

DIRECTIONS: tuple[tuple[Lang, Lang], ...] = (("zh", "en"), ("en", "zh"))


def arrow(source: Lang, target: Lang) -> str:
    """``zh→en``."""
    return f"{source}→{target}"


def model_status(translator: Translator | None, *, loading: bool) -> str:
    """What the status line says about the translation models.

    ``Argos zh→en ✓ · en→zh: human ref`` once warm; ``loading…`` before; a model
    that is installed but failed to load says so (the service then falls back to
    the human reference, labelled).
    """
    if translator is None:
        return "translator ready"
    parts = []
    for source, target in DIRECTIONS:
        if not translator.has_model(source, target):
            parts.append(f"{arrow(source, target)}: human ref")
            continue
        loaded = translator.model_loaded(source, target)
        state = "loading…" if loading else "✓" if loaded else "failed, human ref"
        parts.append(f"Argos {arrow(source, target)} {state}")
    return " · ".join(parts)


class RoomSource:
    """Opens (in steps) and closes everything one room needs.

    Args:
        settings: Paths (database, personas, models).
        request: Live scenario or replay.
        translator: A translator to use instead of building the real service
            (tests pass a stub). Either way the room owns it: :meth:`aclose`
            closes it, on the loop it ran on.
        cast: Content to use instead of loading ``settings.personas_dir``.
    """

    def __init__(
        self,
        settings: Settings,
        request: RoomRequest,
        *,
        translator: Translator | None = None,
        cast: Cast | None = None,
    ) -> None:
        self.settings = settings
        self.request = request
        self.cast = cast
        self.store: Store | None = None
        self.translator = translator
        self.room: Room | None = None

    async def open(self, clock: VirtualClock) -> Room:
        """Load the content, open the store and create the room (not started)."""
        if self.cast is None:
            # Reading and validating ~30 TOML files is disk work: keep it off the loop.
            self.cast = await asyncio.to_thread(load_cast, self.settings.personas_dir)
        cast = self.cast
        if self.request.mode == "live":
            find_scenario(cast, self.request.scenario)
        self.store = await open_store(self.settings)
        if self.request.mode == "live" and self.translator is None:
            self.translator = make_translator(self.settings, cast, self.store)
        self.room = await open_room(
            self.request, store=self.store, cast=cast, clock=clock, translator=self.translator
        )
        return self.room

    @property
    def session(self) -> Session | None:
        """The session being played, once open."""
        return self.room.session if self.room else None

    async def warm_up(self) -> None:
        """Load the translation models (the service does it in a worker thread)."""
        if self.translator is not None:
            await self.translator.warm_up()

    async def aclose(self) -> None:
        """Stop the room, let translations in flight land, close what was opened."""
        room, self.room = self.room, None
        try:
            if room is not None:
                room.close()
                if isinstance(room, LiveRoom):
                    await room.detach()  # the class host is finished before the store closes
                    # A translation finishing after the store closes would be lost.
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(room.drain(), CLOSE_TIMEOUT)
            if self.translator is not None:
                await self.translator.aclose()
        finally:  # whatever failed above, the file is released (other processes write to it)
            if self.store is not None:
                store, self.store = self.store, None
                await store.close()


class GuestSource(RoomSource):
    """Opens a guest's room: the content, the store and a :class:`FollowRoom` of a live session.

    A guest has no translator (the host translates) and writes only its own
    presence and requests to the host's inbox.

    Args:
        settings: Paths (database, personas).
        session: The live session to join (an id, a unique prefix or ``latest``).
        name: The guest's name; None until the join dialog has asked for it.
        cast: Content to use instead of loading ``settings.personas_dir``.
    """

    def __init__(
        self, settings: Settings, session: str, name: str | None, *, cast: Cast | None = None
    ) -> None:
        super().__init__(settings, RoomRequest(mode="live", session=session), cast=cast)
        self.name = name
        self._joining: asyncio.Future[FollowRoom] | None = None

    async def open(self, clock: VirtualClock) -> FollowRoom:
        """Load the content, open the store, join the session as :attr:`name`.

        Raises:
            UserError: The session is not live, or the name is not valid.
        """
        if self.name is None:
            raise RuntimeError("the guest has no name yet")
        if self.cast is None:
            self.cast = await asyncio.to_thread(load_cast, self.settings.personas_dir)
        self.store = await open_store(self.settings)
        # Shielded: a guest quitting while it joins cancels this worker, but the join may
        # already be written; it finishes anyway, and aclose waits for it and leaves.
        self._joining = asyncio.ensure_future(
            FollowRoom.join(self.store, self.request.session, self.name, clock)
        )
        room = await asyncio.shield(self._joining)
        self.room, self.name = room, room.name
        return room

    async def aclose(self) -> None:
        """Leave the room (the name is free again), then close the store.

        A join still under way (the guest quit while entering) is waited for first, so
        a guest who quits at once does not stay listed in the room.
        """
        joining, self._joining = self._joining, None
        if joining is not None and not joining.cancelled() and self.room is None:
            with contextlib.suppress(Exception):  # a join that failed or hangs: nothing to leave
                self.room = await asyncio.wait_for(asyncio.shield(joining), CLOSE_TIMEOUT)
        room = self.room
        if isinstance(room, FollowRoom) and self.store is not None:
            with contextlib.suppress(Exception):  # leaving is a courtesy: the beat times out too
                await asyncio.wait_for(room.leave(), CLOSE_TIMEOUT)
        await super().aclose()
