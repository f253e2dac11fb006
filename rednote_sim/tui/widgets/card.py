"""One message on screen (one widget per message, as in Textual's chat example)."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from rednote_sim.tui.render import CardRenderer, CardVisual


class MessageCard(Widget):
    """A message card; its content comes from the shared :class:`CardRenderer`.

    A card draws from the model each time it is refreshed, so a translation
    or a reaction arriving only needs ``refresh(layout=True)`` on that card.
    """

    DEFAULT_CLASSES = "card"

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
