"""The live room's screen: a scenario playing, the composer, you taking part."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual import on
from textual.widget import Widget

from rednote_sim.domain import USER_PERSONA_ID, Persona
from rednote_sim.domain.terms import format_time
from rednote_sim.sim import LiveRoom, Room
from rednote_sim.textsafe import visible
from rednote_sim.tui.actions import Mode
from rednote_sim.tui.screens.room import RoomScreen, intro_content
from rednote_sim.tui.widgets.composer import Composer

HOW_LIVE = (
    "Americans and Chinese chat here; each message is translated offline and labelled "
    "(machine: Argos, or human reference). Type below in English or 中文 to join. "
    "Esc → keys mode · ? help."
)


class LiveRoomScreen(RoomScreen[LiveRoom]):
    """A scenario playing live, with the composer: the reader takes part."""

    mode: ClassVar[Mode] = "live"

    def compose_input(self) -> Iterable[Widget]:
        """The composer."""
        self.composer = Composer(id="composer")
        yield self.composer

    def focus_start(self) -> None:
        """Typing types: the composer has focus."""
        self.composer.focus()

    def accept(self, room: Room) -> LiveRoom:
        """A live room."""
        assert isinstance(room, LiveRoom)
        return room

    def members_of(self, room: LiveRoom, personas: dict[str, Persona]) -> list[Persona]:
        """The cast, and you."""
        return [*room.cast.personas.values(), personas[USER_PERSONA_ID]]

    def introduce(self, room: LiveRoom) -> None:
        """The scenario; the models start loading."""
        scenario = room.scenario
        self.status.scenario = visible(scenario.title)
        how = self.looks.how or HOW_LIVE
        self.intro.update(
            intro_content(scenario.title, scenario.title_zh, scenario.description, how)
        )
        self.warm_up()

    def show_finished(self, finished: bool) -> None:
        """The script ended; the room stays open."""
        if finished:
            self.status.note = "script ended · chat on"

    def action_focus_composer(self) -> None:
        """Back to typing (i or Enter in keys mode)."""
        self.composer.focus()

    @on(Composer.Sent)
    async def _said(self, event: Composer.Sent) -> None:
        room = self.room
        if room is None:
            self.notify("The room is still opening; try again in a moment.")
            return
        await self.log_view.newest()  # you see your own message arrive
        await room.say(event.text)

    async def action_add_marker(self) -> None:
        """Drop a marker at the current time (a replay can seek to it)."""
        if self.room is not None:
            await self.room.add_marker(f"Marker at {format_time(self.clock.now())}")
