"""One message on screen (one widget per message, as in Textual's chat example)."""

from __future__ import annotations

from rich.cells import get_character_cell_size
from textual.content import Content
from textual.events import Click
from textual.message import Message as TextualMessage
from textual.widget import Widget

from rednote_sim.tui.render import CardRenderer, CardVisual


def char_at(line: str, cell: int) -> int | None:
    """The index of the character of ``line`` drawn at terminal cell ``cell`` (or None)."""
    at = 0
    for index, char in enumerate(line):
        at += get_character_cell_size(char)
        if cell < at:
            return index
    return None


class MessageCard(Widget):
    """A message card; its content comes from the shared :class:`CardRenderer`.

    A card draws from the model each time it is refreshed, so a translation
    or a reaction arriving only needs ``refresh(layout=True)`` on that card.
    """

    DEFAULT_CLASSES = "card"

    class Tapped(TextualMessage):
        """A click on the card's text: the line clicked and the character in it."""

        def __init__(self, seq: int, line: str, column: int) -> None:
            super().__init__()
            self.seq = seq
            self.line = line
            self.column = column

    def __init__(self, seq: int, renderer: CardRenderer) -> None:
        super().__init__(id=f"msg-{seq}")
        self.seq = seq
        self._renderer = renderer

    def render(self) -> Content | CardVisual:
        """The card's lines (see :meth:`CardRenderer.render`)."""
        return self._renderer.render(self.seq)

    @property
    def plain(self) -> str:
        """The card's text without styles (what a reader sees)."""
        return self._renderer.render(self.seq).plain

    def lines(self, width: int) -> list[str]:
        """The card's text as drawn at ``width`` cells, line by line."""
        visual = self._renderer.render(self.seq)
        content = visual.layout(width) if isinstance(visual, CardVisual) else visual
        return [line.plain for line in content.wrap(width)]

    def on_click(self, event: Click) -> None:
        """Say which character of which line was clicked (the room looks its word up)."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        lines = self.lines(self.content_region.width)
        if not 0 <= offset.y < len(lines):
            return
        column = char_at(lines[offset.y], offset.x)
        if column is not None:
            self.post_message(self.Tapped(self.seq, lines[offset.y], column))
