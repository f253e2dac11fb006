"""The composer: where the user types, in English or Chinese."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import TextArea

PLACEHOLDER = "Say something in English or 中文 · Enter sends · Esc: keys mode"


class Composer(TextArea):
    """A text box that wraps what is typed (or pasted, newlines included); Enter sends.

    Empty or whitespace-only input is not sent, and the box is not cleared, so
    an accidental Enter loses nothing. The box grows with the text up to a few
    lines (``room.tcss``), then scrolls.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, so Enter sends instead of TextArea inserting a newline.
        Binding("enter", "send", "send", show=False, priority=True),
    ]

    class Sent(Message):
        """The user sent ``text``."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            highlight_cursor_line=False,
            placeholder=PLACEHOLDER,
            id=id,
        )

    @property
    def value(self) -> str:
        """What is typed so far."""
        return self.text

    @value.setter
    def value(self, text: str) -> None:
        self.load_text(text)
        self.move_cursor(self.document.end)

    def action_send(self) -> None:
        """Post the text (unless blank) and clear the box."""
        if not self.text.strip():
            return
        self.post_message(self.Sent(self.text))
        self.clear()
