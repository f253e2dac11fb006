"""One-line bars: typing and new messages under the log, the key bar at the bottom."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.containers import Horizontal
from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from rednote_sim.tui.safetext import display_text


def _hint_content(entries: Sequence[tuple[str, str]]) -> Content:
    parts: list[str | tuple[str, str]] = []
    for keys, label in entries:
        parts += [(f" {keys}", "bold $text-accent"), (f" {label} ", "$text-muted")]
    return Content.assemble(*parts)


class KeyBar(Horizontal):
    """The footer: the keys that work where the focus is, help and quit pinned right."""

    def compose(self) -> Iterable[Widget]:
        """Hints on the left (cut with … when narrow), pinned keys on the right."""
        yield Static(id="hints", markup=False)
        yield Static(id="pinned", markup=False)

    def show(self, entries: Sequence[tuple[str, str]], pinned: Sequence[tuple[str, str]]) -> None:
        """Replace the hints."""
        self.query_one("#hints", Static).update(_hint_content(entries))
        self.query_one("#pinned", Static).update(_hint_content(pinned))


class ActivityBar(Horizontal):
    """Who is typing (left) and the "N new messages" jump (right)."""

    class JumpToNewest(Message):
        """The reader clicked the new-messages marker."""

    def compose(self) -> Iterable[Widget]:
        """Two labels."""
        yield Static(id="typing", markup=False)
        yield _UnseenLabel(id="unseen", markup=False)

    def set_typing(self, names: Sequence[str]) -> None:
        """``✎ Maddie, 小王 typing…``."""
        text = ""
        if names:
            shown = ", ".join(display_text(n) for n in names[:3])
            more = f" +{len(names) - 3}" if len(names) > 3 else ""
            text = f"✎ {shown}{more} typing…"
        self.query_one("#typing", Static).update(Content.styled(text, "italic $text-muted"))

    def set_unseen(self, count: int) -> None:
        """``↓ 3 new messages (n)``; hidden at 0."""
        label = self.query_one("#unseen", Static)
        label.display = count > 0
        noun = "message" if count == 1 else "messages"
        label.update(Content.styled(f" ↓ {count} new {noun} · n ", "bold"))


class _UnseenLabel(Static):
    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(ActivityBar.JumpToNewest())
