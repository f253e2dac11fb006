"""One-line bars: typing and new messages under the log, the key bar at the bottom."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.containers import Horizontal
from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from rednote_sim.textsafe import visible


def _hint_content(entries: Sequence[tuple[str, str]]) -> Content:
    parts: list[str | tuple[str, str]] = []
    for keys, label in entries:
        parts += [(f" {keys}", "bold $text-accent"), (f" {label} ", "$text-muted")]
    return Content.assemble(*parts)


def fitting(entries: Sequence[tuple[str, str]], width: int) -> list[tuple[str, str]]:
    """The first entries whose hints fit in ``width`` cells (the rest are dropped whole)."""
    kept: list[tuple[str, str]] = []
    used = 0
    for entry in entries:
        cells = _hint_content([entry]).cell_length
        if used + cells > width:
            break
        kept.append(entry)
        used += cells
    return kept


class _Hints(Widget):
    """Key hints in priority order: as many as fit, none of them cut."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[tuple[str, str]] = []

    def render(self) -> Content:
        width = self.size.width
        return _hint_content(fitting(self.entries, width) if width else self.entries)


class KeyBar(Horizontal):
    """The footer: the keys that work where the focus is, help and quit pinned right.

    The hints come in priority order; on a narrow terminal the last ones are
    left out whole (``?`` lists every key), never cut in the middle of a word.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # Held, not queried: the app may update a bar before it is composed.
        self._hints = _Hints(id="hints")
        self._pinned = Static(id="pinned", markup=False)

    def compose(self) -> Iterable[Widget]:
        """Hints on the left, pinned keys on the right."""
        yield self._hints
        yield self._pinned

    def show(self, entries: Sequence[tuple[str, str]], pinned: Sequence[tuple[str, str]]) -> None:
        """Replace the hints."""
        self._hints.entries = list(entries)
        self._hints.refresh()
        self._pinned.update(_hint_content(pinned))

    @property
    def text(self) -> str:
        """What the bar shows now (hints that fit, then the pinned keys)."""
        return f"{self._hints.render().plain}{self._pinned.render()}"


class ActivityBar(Horizontal):
    """Who is typing (left) and the "N new messages" jump (right)."""

    class JumpToNewest(Message):
        """The reader clicked the new-messages marker."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._typing = Static(id="typing", markup=False)
        self._unseen = _UnseenLabel(id="unseen", markup=False)
        self._typing_text: str | None = None

    def compose(self) -> Iterable[Widget]:
        """Two labels."""
        yield self._typing
        yield self._unseen

    def set_typing(self, names: Sequence[str]) -> None:
        """``✎ Maddie, 小王 typing…``."""
        text = ""
        if names:
            shown = ", ".join(visible(n) for n in names[:3])
            more = f" +{len(names) - 3}" if len(names) > 3 else ""
            text = f"✎ {shown}{more} typing…"
        if text != self._typing_text:  # called on every clock tick: repaint only on change
            self._typing_text = text
            self._typing.update(Content.styled(text, "italic $text-muted"))

    def set_unseen(self, count: int) -> None:
        """``↓ 3 new messages (n)``; hidden at 0."""
        label = self._unseen
        label.display = count > 0
        noun = "message" if count == 1 else "messages"
        label.update(Content.styled(f" ↓ {count} new {noun} · n ", "bold"))


class _UnseenLabel(Static):
    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(ActivityBar.JumpToNewest())
