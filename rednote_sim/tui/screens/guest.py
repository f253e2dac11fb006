"""A guest's screen: a live class followed from another process, the composer posting as NAME.

The room is a :class:`~rednote_sim.sim.FollowRoom` (``sim/follow.py``): it reads
what the host commits and publishes the room's events, so the cards, the
workshop's aids and the member list work as in the host's room. What differs
lives here: the name (asked first when ``--as`` was not given: ``serve`` relies
on it), the header saying whose room this is, the composer sending to the
host's inbox, the host's clock (a guest cannot pause, speed up or seek a live
class) and what the host tells this guest (a refused request, a host gone).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import ClassVar

from textual import on
from textual.widget import Widget
from textual.widgets import TextArea

from rednote_sim.domain import Persona
from rednote_sim.domain.guests import HOST_TIMEOUT
from rednote_sim.sim import FollowRoom, Room
from rednote_sim.sim.events import HostPresence, Refused, RoomEvent
from rednote_sim.textsafe import visible
from rednote_sim.tui.actions import Mode
from rednote_sim.tui.host import EventView
from rednote_sim.tui.screens.name import NameScreen
from rednote_sim.tui.screens.room import RoomScreen, intro_content
from rednote_sim.tui.source import GuestSource
from rednote_sim.tui.widgets.composer import Composer
from rednote_sim.tui.widgets.header import HeaderState

HOW_GUEST = (
    "You are a guest in a live class: the teacher's room plays it, translates it and posts "
    "what you write under your name. Type below in English or 中文. "
    "Esc → keys mode · ? help."
)

THE_HOST_PLAYS = "The teacher's room sets the pace: a guest follows it live."

HOST_GONE = f"the host is gone (no heartbeat for {HOST_TIMEOUT:g} s): nothing new will come"

CLASS_ENDED = "the class has ended · q leaves"

REFUSED = {
    "say": "Your message was not posted",
    "answer": "Your answer was not saved",
    "vocab": "Your word was not saved",
    "vocab_delete": "Your word was not deleted",
    "correction": "Your correction was not saved",
}
"""The first half of the toast about a request the host refused (its reason follows)."""


class GuestRoomScreen(RoomScreen[FollowRoom]):
    """A live class as a guest sees it: the host's room, followed, and the composer."""

    mode: ClassVar[Mode] = "live"

    source: GuestSource

    def own_views(self) -> Sequence[EventView]:
        """The screen follows the host's news for this guest (refused requests, the host)."""
        return [_GuestNews(self)]

    def compose_input(self) -> Iterable[Widget]:
        """The composer."""
        self.composer = Composer(id="composer")
        yield self.composer

    def focus_start(self) -> None:
        """Typing types: the composer has focus."""
        self.composer.focus()

    def start(self) -> None:
        """Join with the name given, or ask for one first."""
        if self.source.name is not None:
            self.open_room()
            return

        def named(name: str | None) -> None:
            if name is None:
                self.app.exit(return_code=0)
                return
            self.source.name = name
            self.composer.focus()
            self.open_room()

        self.app.push_screen(NameScreen(self.source.request.session), named)

    def accept(self, room: Room) -> FollowRoom:
        """A guest's room."""
        assert isinstance(room, FollowRoom)
        return room

    def members_of(self, room: FollowRoom, personas: dict[str, Persona]) -> list[Persona]:
        """The cast (the guests, this one too, come from the classroom's table)."""
        return list(room_cast(self))

    def introduce(self, room: FollowRoom) -> None:
        """Whose room, as whom; the scenario if the content knows it."""
        cast = self.source.cast
        assert cast is not None
        session = room.session
        scenario = cast.scenarios.get(session.scenario)
        title = session.title or (scenario.title if scenario else session.scenario)
        self.status.scenario = f"{visible(title)} · guest as {visible(room.name)}"
        self.status.models = "translated by the host"
        self.intro.update(
            intro_content(
                title,
                scenario.title_zh if scenario else "",
                scenario.description if scenario else "",
                self.looks.how or HOW_GUEST,
            )
        )
        self.notify(f"You are in the class as {visible(room.name)}.", title="Joined", markup=False)

    def header_state(self) -> HeaderState:
        """GUEST, and where: ``guest in SESSION as NAME``."""
        room = self.room
        where = (
            f"guest in {visible(room.session.id)} as {visible(room.name)}"
            if room is not None
            else "joining…"
        )
        return replace(super().header_state(), mode="GUEST", paused=False, where=where)

    def show_finished(self, finished: bool) -> None:
        """The host finished the session."""
        if finished:
            self.status.note = CLASS_ENDED

    def show_host(self, present: bool) -> None:
        """The host's heartbeat stopped, or came back."""
        if not self.finished:
            self.status.note = "" if present else HOST_GONE

    def show_refused(self, kind: str, reason: str) -> None:
        """The host refused something this guest sent: say so (the reason is data)."""
        what = REFUSED.get(kind, "Your request was refused")
        self.notify(
            f"{what}: {visible(reason) or 'refused'}",
            title="From the host",
            severity="warning",
            timeout=8,
            markup=False,
        )

    # --- typing and sending -------------------------------------------------------------

    def action_focus_composer(self) -> None:
        """Back to typing (i or Enter in keys mode)."""
        self.composer.focus()

    @on(TextArea.Changed, "#composer")
    def _typed(self) -> None:
        room = self.room
        if room is not None and self.composer.text.strip() and room.typing_due():
            self.write("typing", room.typing())

    @on(Composer.Sent)
    async def _said(self, event: Composer.Sent) -> None:
        room = self.room
        if room is None:
            self.notify("The room is still opening; try again in a moment.")
            return
        if self.finished:
            self.notify("The class has ended: nothing more is posted.", title="Not sent")
            return
        if not room.host_present:
            self.notify("The host is not answering; your message waits for it.")
        await self.log_view.newest()  # you see your own message arrive
        self.write("say", room.say(event.text))

    # --- the host's clock ---------------------------------------------------------------

    def action_toggle_pause(self) -> None:
        """The host plays the room."""
        self.notify(THE_HOST_PLAYS)

    def action_faster(self) -> None:
        """The host plays the room."""
        self.notify(THE_HOST_PLAYS)

    def action_slower(self) -> None:
        """The host plays the room."""
        self.notify(THE_HOST_PLAYS)

    def action_step_forward(self) -> None:
        """The host plays the room."""
        self.notify(THE_HOST_PLAYS)

    def action_seek_next(self) -> None:
        """The host plays the room."""
        self.notify(THE_HOST_PLAYS)

    def action_seek_reply(self) -> None:
        """The host plays the room."""
        self.notify(THE_HOST_PLAYS)

    def action_add_marker(self) -> None:
        """Markers are the teacher's."""
        self.notify("Markers are the teacher's: the host's room drops them.")


def room_cast(screen: GuestRoomScreen) -> Iterable[Persona]:
    """The cast's personas (the guest's screen shows the same cast as the host's)."""
    cast = screen.source.cast
    return cast.personas.values() if cast is not None else ()


class _GuestNews:
    """Hands the guest's own events (the host refused something, the host's presence) over."""

    def __init__(self, screen: GuestRoomScreen) -> None:
        self._screen = screen

    def apply(self, event: RoomEvent) -> Iterable[int]:
        if isinstance(event, Refused):
            self._screen.show_refused(event.kind, event.reason)
        elif isinstance(event, HostPresence):
            self._screen.show_host(event.present)
        return ()
