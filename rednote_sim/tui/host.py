"""What an added room feature (the workshop) sees of the room, and what it gives back.

A feature never holds the App or the screen: it is handed a :class:`RoomHost`
(the room screen implements it) for what it may do on screen, and the room's
events through the :class:`EventView` s it returns. Keys come from its
:class:`~rednote_sim.tui.actions.RoomAction` s, card lines from its
:class:`~rednote_sim.tui.view.CardExtension` s.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, runtime_checkable

from textual.screen import Screen

from rednote_sim.domain import Cast, Message
from rednote_sim.sim import Room
from rednote_sim.sim.events import RoomEvent
from rednote_sim.translate.api import Translator
from rednote_sim.tui.logmodel import LogModel
from rednote_sim.tui.render import CardRenderer
from rednote_sim.tui.view import ViewOptions

ResultT = TypeVar("ResultT")


@dataclass(frozen=True)
class GuestLine:
    """A guest as the member list shows them: name (data, never markup) and typing or not."""

    name: str
    typing: bool = False


Job = Coroutine[Any, Any, object]
"""Work a feature hands the room to run in a worker."""


class RoomHost(Protocol):
    """The room on screen, as a feature may use it."""

    @property
    def shown(self) -> LogModel:
        """Every message shown so far, with its reactions and markers (read it, never write)."""
        ...

    @property
    def renderer(self) -> CardRenderer:
        """Draws the cards (a feature may reuse its blocks: machine | human)."""
        ...

    @property
    def options(self) -> ViewOptions:
        """The view options in force."""
        ...

    def set_view(self, options: ViewOptions) -> None:
        """Show the cards with new view options."""

    @property
    def projector(self) -> bool:
        """True in the projector layout."""
        ...

    def set_projector(self, on: bool) -> None:
        """The projector layout on or off."""

    def notify(self, message: str) -> None:
        """A toast."""

    def redraw(self, seqs: Iterable[int] | None = None) -> None:
        """Redraw some cards (those of ``seqs``), or every mounted one."""

    def show_guests(self, guests: Sequence[GuestLine]) -> None:
        """The guests in the room now, for the member list (a classroom's)."""

    async def pick(self, fits: Callable[[Message], bool]) -> Message | None:
        """The selected message if it fits, else the newest that fits (selected and shown)."""

    async def go_to(self, seq: int) -> None:
        """Select message ``seq`` and bring it into view."""

    def open_dialog(self, screen: Screen[ResultT], done: Callable[[ResultT | None], None]) -> None:
        """Open a dialog over the room; the clock holds still until ``done`` gets its result."""

    def write(self, name: str, job: Job) -> None:
        """Run a write to the session in a worker (quitting waits for it)."""

    def background(self, name: str, job: Callable[[], Job]) -> None:
        """Run ``job()`` in a worker soon (safe to call while a card renders)."""


class EventView(Protocol):
    """Something a feature shows that follows the room's events."""

    def apply(self, event: RoomEvent) -> Iterable[int]:
        """Follow one event; returns the seqs of the cards to redraw."""
        ...


class RoomFeature(Protocol):
    """An added feature: what it shows follows the room's events; it opens with the room."""

    def views(self) -> Sequence[EventView]:
        """What follows the room's events (the room feeds them in order)."""
        ...

    async def open(
        self, host: RoomHost, room: Room, cast: Cast, translator: Translator | None
    ) -> None:
        """The room is open: load what the feature needs (runs in a worker)."""


@runtime_checkable
class TapFeature(Protocol):
    """A feature that answers a click on a card's text (the dictionary under a word)."""

    def tapped(self, host: RoomHost, message: Message, line: str, column: int) -> None:
        """``line`` of the card of ``message`` was clicked at character ``column``."""
