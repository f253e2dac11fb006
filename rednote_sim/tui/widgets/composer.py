"""The composer: where the user types, in English or Chinese."""

from __future__ import annotations

from textual import on
from textual.message import Message
from textual.widgets import Input

PLACEHOLDER = "Say something in English or 中文 · Enter sends · Esc: keys mode"


class Composer(Input):
    """A one-line input; long text scrolls here and wraps in the posted card.

    Empty or whitespace-only input is not sent (and the field is not cleared, so
    nothing the user typed is lost by an accidental Enter).
    """

    class Sent(Message):
        """The user sent ``text``."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id)

    @on(Input.Submitted)
    def _send(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            return
        self.post_message(self.Sent(event.value))
        self.clear()
