"""The quiz's answer board, without a screen: each person's answer to one line.

In a class, every guest (and the person at the host's terminal) may answer the
same line, some of them more than once. The board shows one row per person:
their latest answer and how many tries it took, in the order people first
answered, next to the machine translation and the human one
(``tui/workshop/board.py`` draws it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rednote_sim.domain import Message, Translation, other_lang
from rednote_sim.domain.workshop import HOST_AUTHOR, QuizAnswer

HOST_NAME = "You"
"""How the board names the host's own answers (author ``''``)."""


@dataclass(frozen=True)
class BoardRow:
    """One person's answer: who, their latest answer, how many tries."""

    author: str
    answer: str
    tries: int

    @property
    def who(self) -> str:
        """The person's name as shown ("You" for the host's own answers)."""
        return HOST_NAME if self.author == HOST_AUTHOR else self.author


@dataclass(frozen=True)
class Board:
    """What the board shows for a line."""

    machine: Translation | None
    """The machine's translation of the line (what it said before a class correction)."""
    corrected: str
    """The class's correction of the machine translation, or ""."""
    human: str
    """The human reference translation, or ""."""
    rows: list[BoardRow]


def board_rows(answers: Iterable[QuizAnswer]) -> list[BoardRow]:
    """One row per author: the latest answer and the number of tries, by first answer."""
    latest: dict[str, QuizAnswer] = {}
    tries: dict[str, int] = {}
    for answer in answers:  # oldest first: a later try replaces the answer, keeps the place
        latest[answer.author] = answer
        tries[answer.author] = tries.get(answer.author, 0) + 1
    return [BoardRow(author, a.answer, tries[author]) for author, a in latest.items()]


def answer_board(message: Message, answers: Iterable[QuizAnswer]) -> Board:
    """The board of ``message``: its translations into the answers' language and the rows."""
    translation, _ = message.rendering(other_lang(message.lang))
    machine: Translation | None = None
    corrected = ""
    if translation is not None and translation.origin == "corrected":
        corrected = translation.text
        if translation.machine is not None:
            machine = translation.model_copy(update={"text": translation.machine})
    elif translation is not None and translation.origin == "machine":
        machine = translation
    return Board(machine, corrected, message.reference or "", board_rows(answers))
