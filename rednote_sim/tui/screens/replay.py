"""A replay's screen: a recorded session played back; seek, step back, the idle cap."""

from __future__ import annotations

import gc
from dataclasses import replace
from typing import ClassVar

from rednote_sim.domain import USER_PERSONA_ID, Persona
from rednote_sim.domain.terms import format_time
from rednote_sim.sim import ReplayRoom, Room
from rednote_sim.textsafe import visible
from rednote_sim.tui.actions import Mode
from rednote_sim.tui.screens.room import RoomScreen, intro_content
from rednote_sim.tui.screens.seek import SeekScreen
from rednote_sim.tui.widgets.header import HeaderState

HOW_REPLAY = (
    "A recorded session, replayed with its stored translations. space pause · +/- speed · "
    "[ ] step · g go to · ? help."
)

IDLE_CAPS: tuple[float | None, ...] = (None, 2.0, 5.0, 10.0, 30.0)
"""What ``c`` cycles the replay's idle-time cap through."""


class ReplayRoomScreen(RoomScreen[ReplayRoom]):
    """A recorded session played back: seek, step back, idle cap; nothing to type."""

    mode: ClassVar[Mode] = "replay"

    def accept(self, room: Room) -> ReplayRoom:
        """A replay; its recording stays out of the garbage collector's passes."""
        assert isinstance(room, ReplayRoom)
        # A recording is loaded at once and lives as long as the room. Keep it out
        # of the cyclic garbage collector: each of its full passes over a
        # 50,000-message recording (about a million objects) stalls the screen
        # for a second. (The App's on_unmount hands it back.)
        gc.freeze()
        return room

    def own_people(self, room: ReplayRoom) -> dict[str, Persona]:
        """An imported chat's people."""
        return dict(room.participants)

    def members_of(self, room: ReplayRoom, personas: dict[str, Persona]) -> list[Persona]:
        """An imported chat: its own people; else the cast, and you if you posted."""
        if room.participants:
            return list(room.participants.values())
        members = [*self.source.cast.personas.values()] if self.source.cast else []
        if any(m.persona == USER_PERSONA_ID for m in room.recorded):
            members.append(personas[USER_PERSONA_ID])
        return members

    def introduce(self, room: ReplayRoom) -> None:
        """The session, its scenario (if known) and its idle cap."""
        cast = self.source.cast
        assert cast is not None
        session = room.session
        scenario_meta = cast.scenarios.get(session.scenario)
        title = session.title or (scenario_meta.title if scenario_meta else session.scenario)
        self.status.scenario = f"{visible(title)} · session {visible(session.id)}"
        how = self.looks.how
        self.intro.update(
            intro_content(
                title,
                scenario_meta.title_zh if scenario_meta else "",
                scenario_meta.description if scenario_meta else session.provenance,
                HOW_REPLAY if how is None else f"{HOW_REPLAY} {how}",
            )
        )
        self.status.models = "stored translations"
        self._show_idle_cap()

    def header_state(self) -> HeaderState:
        """REPLAY, the length, ENDED at the end."""
        room = self.room
        return replace(
            super().header_state(),
            mode="REPLAY",
            duration=room.length if room is not None else None,
            ended=self.ended,
        )

    def show_finished(self, finished: bool) -> None:
        """The end (space plays it again), or the idle cap again after a seek back."""
        if finished:
            self.status.note = "end of the recording · space plays it again"
        else:
            self._show_idle_cap()

    @property
    def ended(self) -> bool:
        """True when the replay has played to its end (its clock stopped at the length)."""
        return self.finished and self.room is not None

    def action_toggle_pause(self) -> None:
        """space: pause / resume; at the end, play the recording again."""
        if self.room is not None and self.ended:
            self.room.restart()
            self._tick()
        else:
            super().action_toggle_pause()

    def action_step_back(self) -> None:
        """[: un-show the last message (pauses)."""
        if self.room is not None and not self.room.step_back():
            self.notify("Already at the start.")
        self._tick()

    def action_seek_time(self) -> None:
        """g: ask for a time and jump there."""
        room = self.room
        if room is None:
            return

        def jump(seconds: float | None) -> None:
            if seconds is not None:
                room.seek(seconds)
                self._tick()

        now, length = format_time(self.clock.now()), format_time(room.length)
        self.app.push_screen(SeekScreen(now, length), jump)

    def action_cycle_idle_cap(self) -> None:
        """c: the idle-time cap (off, 2, 5, 10, 30 s)."""
        caps = IDLE_CAPS
        current = self.clock.idle_cap
        index = caps.index(current) if current in caps else 0
        self.clock.idle_cap = caps[(index + 1) % len(caps)]
        self.clock.nudge()  # a wait already under way re-checks with the new cap
        self._show_idle_cap()

    def _show_idle_cap(self) -> None:
        cap = self.clock.idle_cap
        self.status.note = f"idle cap {cap:g}s" if cap else "idle cap off"
