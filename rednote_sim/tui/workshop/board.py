"""The answer board on screen: a line, its machine and human translations, everyone's answers.

The teacher's view of the quiz (``A`` on a selected line): what the machine
said, the class's correction if there is one, the human reference, then one row
per person (each guest by name, "You" for the host's terminal) with their latest
answer. Everything shown is data (names and answers come from guests): built
from plain strings through ``visible``, never markup. The box scrolls when a big
class answers; it fits 80x24.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from rednote_sim.textsafe import visible
from rednote_sim.tui.render import STYLE_META
from rednote_sim.tui.safetext import one_line
from rednote_sim.workshop.board import Board

STYLE_TITLE = "bold $text-primary"
STYLE_HINT = "italic $text-muted"
STYLE_LABEL = "bold $text-secondary"

NAME_CELLS = 14
"""Width of the name column (longer names are cut with …)."""


def board_rows(board: Board) -> list[tuple[Content, Content]]:
    """(label, text) pairs: the translations, a gap, then one per person."""
    rows: list[tuple[Content, Content]] = []

    def row(label: str, text: str, style: str = STYLE_LABEL, extra: str = "") -> None:
        body = Content(visible(text))
        if extra:
            body = Content.assemble(body, (extra, STYLE_META))
        rows.append((Content.styled(one_line(label, NAME_CELLS), style), body))

    if board.machine is not None:
        row("machine", board.machine.text)
    if board.corrected:
        row("corrected", board.corrected)
    if board.human:
        row("human", board.human)
    if not rows:
        rows.append((Content(""), Content.styled("(no translation of this line)", STYLE_META)))
    rows.append((Content(""), Content("")))
    if not board.rows:
        rows.append(
            (Content(""), Content.styled("No answers yet (a guest answers with a).", STYLE_HINT))
        )
    for answer in board.rows:
        tries = f"  ({answer.tries} tries)" if answer.tries > 1 else ""
        row(answer.who, answer.answer, "bold", tries)
    return rows


class AnswerBoardScreen(ModalScreen[None]):
    """The answer board of one line: Esc or Enter closes it.

    Args:
        context: The line (who, when, what), as safe content.
        board: What to show.
        target: The language the answers are in (the line's other language), by name.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,A", "close", "close"),
    ]

    def __init__(self, context: Content, board: Board, target: str) -> None:
        super().__init__(classes="workshop-modal", id="answer-board")
        self._about = context
        self._board = board
        self._target = target

    def compose(self) -> Iterable[Widget]:
        """Title, the line, the board, the keys."""
        count = len(self._board.rows)
        title = f"Answer board · into {self._target} · {count} answered · Esc closes"
        with Vertical(classes="workshop-area"), Vertical(classes="workshop-box"):
            yield Static(Content.styled(title, STYLE_TITLE))
            yield Static(self._about, classes="workshop-context")
            with Grid(id="board-rows"):
                for label, text in board_rows(self._board):
                    yield Static(label, classes="board-label")
                    yield Static(text, classes="board-text")

    def action_close(self) -> None:
        """Close the board."""
        self.dismiss(None)
