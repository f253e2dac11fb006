"""The header (room, members, mode, speed, clock) and the status line under it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from rednote_sim.headless import format_time
from rednote_sim.sim.clock import format_speed

ROOM_NAME = "TikTok Refugees · TikTok难民"


@dataclass(frozen=True)
class HeaderState:
    """What the header shows; the app replaces it on every clock tick."""

    members: int = 0
    mode: str = "LIVE"
    paused: bool = False
    speed: float = 1.0
    now: float = 0.0
    duration: float | None = None
    """Length of a replay (``now / duration``); None in a live room."""


class RoomHeader(Widget):
    """``TikTok Refugees · TikTok难民   👥 17   ● LIVE 1x   ⏱ 0:42``."""

    state: reactive[HeaderState] = reactive(HeaderState, layout=False)

    def render(self) -> Content:
        """One line; the mode badge carries a class-free style per mode."""
        state = self.state
        if state.paused:
            badge = (f" ❚❚ {state.mode} · PAUSED ", "bold $text-warning")
        elif state.mode == "REPLAY":
            badge = (" ▶ REPLAY ", "bold $text-accent")
        else:
            badge = (" ● LIVE ", "bold $text-error")
        clock = format_time(state.now)
        if state.duration is not None:
            clock += f" / {format_time(state.duration)}"
        return Content.assemble(
            (f" {ROOM_NAME}", "bold"),
            ("   👥 ", ""),
            (f"{state.members} members", "$text-muted"),
            "   ",
            badge,
            (f" {format_speed(state.speed)}", "bold"),
            ("   ⏱ ", ""),
            (clock, "bold"),
        )


class StatusLine(Widget):
    """Scenario title, translation model status and the view, on one line."""

    scenario: reactive[str] = reactive("opening the room…")
    models: reactive[str] = reactive("")
    view: reactive[str] = reactive("")
    note: reactive[str] = reactive("")

    def render(self) -> Content:
        """``Arrival … · EN reader · both · ✦ Introductions · Argos zh→en ✓ · en→zh: human ref``."""
        parts: list[str | tuple[str, str]] = [(f" {self.scenario}", "bold")]
        for text in (self.view, self.note, self.models):
            if text:
                parts += [("  ·  ", "$text-muted"), (text, "$text-muted")]
        return Content.assemble(*parts)
