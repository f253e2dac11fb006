"""The header (room, members, mode, speed, clock) and the status line under it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from rednote_sim.domain.terms import format_time
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
    ended: bool = False
    """A replay played to its end."""
    view: str = ""
    """The reader's language and view mode, e.g. ``EN reader · bilingual``."""
    badges: tuple[str, ...] = ()
    """Short badges for state that changes what the cards show (``QUIZ``, ``REF``)."""
    compact: bool = False
    """Leave out the member count (the projector layout keeps the clock in view)."""
    where: str = ""
    """Whose room this is, for a guest: ``guest in SESSION as NAME`` (safe text)."""


STYLE_BADGE = "bold reverse"


class RoomHeader(Widget):
    """``TikTok Refugees · TikTok难民  👥 17 members  EN reader …   ● LIVE 1x  0:42 QUIZ``.

    Two parts: the room, its members and the view on the left, cut with … when
    the terminal is narrow; on the right, whole at any width (80 columns
    included), what must never be hidden: the mode (LIVE, REPLAY, PAUSED,
    ENDED), the speed, the clock and the badges.

    Only characters every terminal draws at the same width (no text-style emoji
    such as ⏱ or ▶, which some terminals draw two cells wide).
    """

    state: reactive[HeaderState] = reactive(HeaderState, layout=False)

    def right(self) -> Content:
        """Mode, speed, clock and badges."""
        state = self.state
        if state.ended:
            badge = (" ■ ENDED ", "bold $text-accent")
        elif state.paused:
            badge = (f" ❚❚ {state.mode} · PAUSED ", "bold $text-warning")
        elif state.mode == "REPLAY":
            badge = (" ► REPLAY ", "bold $text-accent")
        else:
            badge = (f" ● {state.mode} ", "bold $text-error")
        clock = format_time(state.now)
        if state.duration is not None:
            clock += f" / {format_time(state.duration)}"
        parts: list[str | tuple[str, str]] = [
            badge,
            (f" {format_speed(state.speed)}", "bold"),
            "  ",
            (clock, "bold"),
            " ",
        ]
        for name in state.badges:
            parts += [(f" {name} ", STYLE_BADGE), " "]
        return Content.assemble(*parts)

    def left(self) -> Content:
        """Room name, member count, view."""
        state = self.state
        parts: list[str | tuple[str, str]] = [(f" {ROOM_NAME}", "bold")]
        if state.where:  # a guest's header: whose room first (the rest is cut when narrow)
            parts = [(f" {state.where}", "bold $text-accent"), (f"   {ROOM_NAME}", "bold")]
        if not state.compact:
            members = f"{state.members} members" if state.members else "…"
            parts += [("   👥 ", ""), (members, "$text-muted")]
        if state.view:
            parts.append((f"   {state.view}", ""))
        return Content.assemble(*parts)

    def render(self) -> Content:
        """One line: the left part cut to what the right part leaves."""
        left, right = self.left(), self.right()
        width = self.size.width
        if not width:
            return Content.assemble(left, "  ", right)
        room = max(0, width - right.cell_length)
        if left.cell_length > room:
            left = left.truncate(room, ellipsis=True)
        return Content.assemble(left.pad_right(room - left.cell_length), right)


class StatusLine(Horizontal):
    """Scenario and a note (script ended, idle cap) on the left; translation models right.

    The right part keeps its width; the left is cut with … when the terminal is narrow.
    """

    scenario: reactive[str] = reactive("opening the room…")
    note: reactive[str] = reactive("")
    models: reactive[str] = reactive("")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._left = Static(id="status-left", markup=False)
        self._right = Static(id="status-right", markup=False)

    def compose(self) -> Iterable[Widget]:
        """Two labels."""
        yield self._left
        yield self._right

    def _refresh_labels(self, *_: object) -> None:
        left: list[str | tuple[str, str]] = [(f" {self.scenario}", "bold")]
        if self.note:
            left += [("  ·  ", "$text-muted"), (self.note, "$text-accent")]
        right = self.models
        self._left.update(Content.assemble(*left))
        self._right.update(Content.styled(f" {right} ", "$text-muted"))

    def on_mount(self) -> None:
        """Fill the labels, and refill them whenever one of the parts changes."""
        for name in ("scenario", "note", "models"):
            self.watch(self, name, self._refresh_labels, init=False)
        self._refresh_labels()
