"""Ask for a time to jump to (``g`` in a replay)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Static

from rednote_sim.domain import parse_scenario_time


def parse_time(text: str) -> float:
    """``90``, ``1:30`` or ``0:01:30`` as scenario seconds.

    Raises:
        ValueError: For anything else (or a negative time).
    """
    text = text.strip()
    try:
        return parse_scenario_time(float(text))
    except ValueError:
        return parse_scenario_time(text)


class SeekScreen(ModalScreen[float | None]):
    """A small dialog: type ``1:30`` or ``90``; Enter jumps, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    def __init__(self, now: str, duration: str) -> None:
        super().__init__()
        self._hint = f"Go to time (m:ss or seconds) — now {now} of {duration}"

    def compose(self) -> Iterable[Widget]:
        """Prompt, input, error line."""
        with Vertical(id="seek-box"):
            yield Static(self._hint, markup=False)
            yield Input(placeholder="e.g. 1:30", id="seek-input")
            yield Static("", id="seek-error", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Parse and close, or say what is wrong."""
        event.stop()
        try:
            seconds = parse_time(event.value)
        except ValueError:
            self.query_one("#seek-error", Static).update("type a time like 1:30, or 90 seconds")
            return
        self.dismiss(seconds)

    def action_cancel(self) -> None:
        """Close without jumping."""
        self.dismiss(None)
