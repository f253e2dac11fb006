"""The composer: where the user types, in English or Chinese."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import TextArea

PLACEHOLDER = "Say something in English or 中文 · Enter sends · Esc: keys mode"


def _line_endings(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


class Composer(TextArea):
    """A text box that wraps what is typed (or pasted, newlines included); Enter sends.

    Empty or whitespace-only input is not sent, and the box is not cleared, so
    an accidental Enter loses nothing. The box grows with the text up to a few
    lines (``room.tcss``), then scrolls.

    Enter is handled here, in the order keys arrive, not by a priority binding:
    a priority binding runs when the app *receives* the key, before the keys
    typed just ahead of it (a fast typist, an unbracketed paste, ``tmux
    send-keys``) have reached the text box, and would send half of them.
    """

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

    # Textual calls the handlers of every class in the MRO; prevent_default()
    # keeps TextArea's own (newline on Enter, the raw paste) from running after these.

    async def _on_key(self, event: events.Key) -> None:
        """Enter sends what the box holds now (every key before it included)."""
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.action_send()

    async def _on_paste(self, event: events.Paste) -> None:
        """Insert a paste without the line ending it finishes with (it is not a send)."""
        event.stop()
        event.prevent_default()
        text = _line_endings(event.text).rstrip("\n")
        if text and not self.read_only:
            result = self.replace(text, *self.selection, maintain_selection_offset=False)
            self.move_cursor(result.end_location)

    def action_send(self) -> None:
        """Post the text (unless blank) and clear the box."""
        text = self.text.strip()
        if not text:
            return
        self.post_message(self.Sent(text))
        self.clear()
