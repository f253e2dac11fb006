"""Line corrections on the cards, HelloTalk style: the line as it should have been written.

Under a corrected line, each author's correction is one line of word diff
(:func:`rednote_sim.lang.diff.word_diff`): the words struck out in strike-through
red, the words put in bold green, and the note under it. Strike-through and
colour are styles on plain text (never markup), and the pieces keep their
order, so a terminal without strike-through still reads "old new" in place.
The diff segments Chinese with jieba, so it is worked out in a worker thread
(:class:`~rednote_sim.tui.workshop.lazy.LazyCache`); until then the card shows
the corrected line whole.

The dialog (``C`` on the selected line) opens with the line's text (or the
reader's earlier correction) to edit, and an optional note; saving it goes
through the room (``room.classwork.correct_line``), which stores it and
publishes the event the cards follow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.content import Content

from rednote_sim.domain import Message
from rednote_sim.domain.workshop import HOST_AUTHOR, LineCorrection
from rednote_sim.lang.diff import DiffPiece, word_diff
from rednote_sim.lang.segment import Segmenter
from rednote_sim.textsafe import visible
from rednote_sim.tui.view import CardLine, ViewOptions
from rednote_sim.tui.workshop.lazy import LazyCache
from rednote_sim.tui.workshop.screens import ExtraField, PromptScreen
from rednote_sim.tui.workshop.state import WorkshopState

CORRECTIONS = "corrections"
"""The card extension (on by default in a workshop and a replay with the aids)."""

STYLE_CORRECTED = "$text-success"
STYLE_DEL = "strike $text-error"
STYLE_INS = "bold $text-success"
STYLE_SAME = ""
STYLE_NOTE = "italic $text-muted"

YOU = "you"
"""How the cards name the host's own corrections (author ``""``)."""

_STYLES = {"same": STYLE_SAME, "del": STYLE_DEL, "ins": STYLE_INS}


def author_label(author: str) -> str:
    """``you`` for the host, else the author's name (made visible)."""
    return YOU if author == HOST_AUTHOR else visible(author)


def diff_content(pieces: Iterable[DiffPiece]) -> Content:
    """The diff as styled content: struck-out words, then the inserted ones, in reading order."""
    return Content.assemble(*((visible(p.text), _STYLES[p.change]) for p in pieces))


class CorrectionCards:
    """The card lines of line corrections, from the workshop state.

    Args:
        state: The workshop state (its ``corrections`` follow the room's events).
        segmenter: Returns the glossary-aware segmenter (diffs keep 小红书 whole).
    """

    def __init__(self, state: WorkshopState, segmenter: Callable[[], Segmenter]) -> None:
        self.state = state
        self._segmenter = segmenter
        self.diffs: LazyCache[tuple[str, str], tuple[DiffPiece, ...]] = LazyCache(
            "correction-diffs", self._diff, ()
        )

    def _diff(self, texts: tuple[str, str]) -> tuple[DiffPiece, ...]:
        original, corrected = texts
        return tuple(word_diff(original, corrected, self._segmenter()))

    def lines(self, message: Message, options: ViewOptions) -> Iterable[CardLine]:
        """``✓ you: 我~~是~~很高兴`` and the note, for each author's correction of the line."""
        lines: list[CardLine] = []
        for correction in self.state.corrections.get(message.seq, []):
            pieces = self.diffs.get((message.text, correction.text))
            body = (
                diff_content(pieces)
                if pieces  # still working it out (or it failed): the corrected line whole
                else Content.styled(visible(correction.text), STYLE_INS)
            )
            head = Content.styled(f"✓ {author_label(correction.author)}: ", STYLE_CORRECTED)
            lines.append(Content.assemble(head, body))
            if correction.note:
                lines.append(Content.styled(f"  {visible(correction.note)}", STYLE_NOTE))
        return lines


def correction_dialog(
    message: Message, context: Content, existing: LineCorrection | None
) -> PromptScreen:
    """The dialog: the line (or the reader's earlier correction) to edit, an optional note."""
    return PromptScreen(
        "Correct this line: write it as it should be (the room shows the difference)",
        context,
        placeholder="the corrected line",
        value=existing.text if existing else message.text,
        required=True,
        removable="removes your correction" if existing else "",
        extra=ExtraField(
            "Note (optional): why, for the writer",
            placeholder="e.g. no 是 before an adjective",
            value=existing.note if existing else "",
        ),
    )
