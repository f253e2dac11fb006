"""The search bar: find text, translations or names anywhere in the session."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static


class SearchBar(Horizontal):
    """An input and a match counter. Enter/↑ go to an older match, ↓ to a newer one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "step(-1)", "older match", show=False),
        Binding("down", "step(1)", "newer match", show=False),
        Binding("escape", "close", "close search", show=False),
    ]

    class Step(Message):
        """Go ``delta`` matches away (negative: older)."""

        def __init__(self, delta: int) -> None:
            super().__init__()
            self.delta = delta

    class Closed(Message):
        """The reader closed the search."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._input = Input(
            placeholder="search the log · Enter/↑ older · ↓ newer · Esc close", id="search-input"
        )
        self._count = Static("", id="search-count", markup=False)

    def compose(self) -> Iterable[Widget]:
        """The query input and the "2 / 7" counter."""
        yield Static("/", id="search-prompt", markup=False)
        yield self._input
        yield self._count

    @property
    def query_text(self) -> str:
        """The current query."""
        return self._input.value

    def open(self) -> None:
        """Show and focus the input."""
        self.display = True
        self._input.focus()

    def set_count(self, index: int | None, total: int, *, searching: bool = False) -> None:
        """``2 / 7``, ``7 found``, ``no match`` or ``searching…``."""
        if searching:
            text = "searching…"
        elif not self.query_text.strip():
            text = ""
        elif not total:
            text = "no match"
        elif index is None:
            text = f"{total} found"
        else:
            text = f"{index + 1} / {total}"
        self._count.update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: the next older match."""
        event.stop()
        self.post_message(self.Step(-1))

    def action_step(self, delta: int) -> None:
        """↑/↓ between matches."""
        self.post_message(self.Step(delta))

    def action_close(self) -> None:
        """Hide the bar; the selection stays on the last match."""
        self.display = False
        self.post_message(self.Closed())
