"""The join dialog: a guest without ``--as NAME`` (a browser tab) says who they are first."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Static

from rednote_sim.domain.guests import MAX_NAME, GuestInputError, validate_guest_name
from rednote_sim.textsafe import visible

STYLE_TITLE = "bold $text-primary"
STYLE_HINT = "italic $text-muted"


class NameScreen(ModalScreen[str | None]):
    """Ask for the guest's name: Enter joins (a valid name only), Esc leaves.

    Args:
        session: The session joined (shown; from the database, so shown as data).
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "leave", "leave")]

    def __init__(self, session: str) -> None:
        super().__init__(classes="workshop-modal", id="name-screen")
        self._session = session
        self.input = Input(placeholder="e.g. Ana", max_length=MAX_NAME * 2, id="name-input")
        self.error = Static("", id="name-error", markup=False)
        self.error.display = False

    def compose(self) -> Iterable[Widget]:
        """Title, what happens, the field, the keys."""
        with Vertical(classes="workshop-area"), Vertical(classes="workshop-box", id="name-box"):
            yield Static(Content.styled("Join the class · 加入课堂", STYLE_TITLE))
            yield Static(
                Content.assemble(
                    "You join the live room ",
                    (visible(self._session), "bold"),
                    " as a guest: everyone sees what you write under your name.",
                )
            )
            yield self.input
            yield self.error
            yield Static(
                Content.styled(
                    f"Your name (up to {MAX_NAME} characters) · Enter joins · Esc leaves",
                    STYLE_HINT,
                )
            )

    def on_mount(self) -> None:
        """Type at once."""
        self.input.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Join with a valid name; otherwise say what is wrong and stay."""
        event.stop()
        try:
            name = validate_guest_name(self.input.value)
        except GuestInputError as exc:
            # The reason names the CLI's --as; here the field is the place to fix it.
            self.error.update(str(exc).split("; ")[0] + "; type another name")
            self.error.display = True
            return
        self.dismiss(name)

    def action_leave(self) -> None:
        """Esc: leave without joining."""
        self.dismiss(None)
