"""The member list: who is in the room, grouped by country, and who is typing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import Widget

from rednote_sim.domain import USER_PERSONA_ID, Persona
from rednote_sim.glyphs import glyph_slot
from rednote_sim.sim.rooms import GUEST_AVATAR
from rednote_sim.textsafe import visible

TYPING_TIMEOUT = 12.0
"""Scenario seconds after which a typing indicator without a post goes away."""

GROUPS = ("US", "CN")

GUEST_LABEL = "guest"
"""What marks a guest (a person in another terminal or browser) in the member list."""

if TYPE_CHECKING:
    from rednote_sim.tui.host import GuestLine


class MemberList(VerticalScroll):
    """Members by country; a typing indicator shows before a persona posts."""

    can_focus = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._body = _MemberLines()

    def compose(self) -> Iterable[Widget]:
        """One text widget: 17 lines do not need a widget each."""
        yield self._body

    def set_members(self, personas: Iterable[Persona]) -> None:
        """Show these members."""
        self._body.members = list(personas)
        self._body.refresh(layout=True)

    def set_guests(self, guests: Sequence[GuestLine]) -> None:
        """Show these guests (under the cast), typing or not; redrawn only when they changed."""
        guests = list(guests)
        if guests != self._body.guests:
            self._body.guests = guests
            self._body.refresh(layout=True)

    def typing(self, persona_id: str, t: float) -> None:
        """``persona_id`` started typing at scenario time ``t``."""
        self._body.typing[persona_id] = t
        self._body.refresh()

    def posted(self, persona_id: str) -> None:
        """``persona_id`` posted: they are no longer typing."""
        if self._body.typing.pop(persona_id, None) is not None:
            self._body.refresh()

    def expire(self, now: float) -> None:
        """Drop typing indicators older than :data:`TYPING_TIMEOUT`."""
        stale = [p for p, t in self._body.typing.items() if now - t > TYPING_TIMEOUT or t > now]
        for persona_id in stale:
            del self._body.typing[persona_id]
        if stale:
            self._body.refresh()

    def clear_typing(self) -> None:
        """Nobody is typing (a replay jumped)."""
        self._body.typing.clear()
        self._body.refresh()

    @property
    def typing_names(self) -> list[str]:
        """Names of the members typing now, in the order they started."""
        by_id = {p.id: p for p in self._body.members}
        ordered = sorted(self._body.typing.items(), key=lambda item: item[1])
        names = [by_id[p].name for p, _ in ordered if p in by_id]
        return names + [guest.name for guest in self._body.guests if guest.typing]


class _MemberLines(Widget):
    def __init__(self) -> None:
        super().__init__()
        self.members: list[Persona] = []
        self.typing: dict[str, float] = {}
        self.guests: list[GuestLine] = []

    def render(self) -> Content:
        count = len(self.members) + len(self.guests)
        lines: list[Content] = [Content.styled(f"Members · 成员 {count}", "bold")]
        if self.guests:  # a class's people first: the teacher watches them
            lines += [self._guest_line(guest) for guest in self.guests]
            lines.append(Content.styled("─" * 6, "$text-muted"))
        you = [p for p in self.members if p.id == USER_PERSONA_ID]
        for country in GROUPS:
            group = [p for p in self.members if p.country == country and p not in you]
            lines += [self._line(p) for p in group]
        lines += [self._line(p, flag=False) for p in you]
        return Content("\n").join(lines)

    def _guest_line(self, guest: GuestLine) -> Content:
        return Content.assemble(
            f"{glyph_slot(GUEST_AVATAR)} ",
            (visible(guest.name), "bold" if guest.typing else ""),
            (f" {GUEST_LABEL}", "$text-muted"),
            (" ✎…" if guest.typing else "", "bold $text-accent"),
        )

    def _line(self, persona: Persona, *, flag: bool = True) -> Content:
        typing = persona.id in self.typing
        return Content.assemble(
            f"{visible(glyph_slot(persona.avatar))} ",
            (visible(persona.name), "bold" if typing else ""),
            f" {persona.flag}" if flag else "",
            (" ✎…" if typing else "", "bold $text-accent"),
        )
