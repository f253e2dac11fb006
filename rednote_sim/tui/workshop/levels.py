"""HSK levels on the cards: a badge per Chinese line, hard words underlined.

Every Chinese line gets a small ``HSK n`` tag at the end of its card's header
(the highest level among its words, :func:`rednote_sim.lang.hsk.line_level`;
``HSK 7-9`` for the top band; no tag for a line whose words are on no list).
``workshop --hsk N`` (or ``replay --hsk N``) also underlines, in every original
text with Chinese in it, the words above level N, and shows the tag of a line
above N in the warning colour. The underline is a style on the card's own text
(offsets from :func:`rednote_sim.lang.hsk.word_spans` on the text as shown), so
nothing in a message is ever read as markup.

Segmenting runs in a worker thread the first time a text is shown
(:class:`~rednote_sim.tui.workshop.lazy.LazyCache`); until then the card has no
tag and no underline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.content import Content

from rednote_sim.domain import Message
from rednote_sim.domain.terms import has_han
from rednote_sim.lang.hsk import DEFAULT_STANDARD, Standard, label, word_level, word_spans
from rednote_sim.lang.segment import Segmenter
from rednote_sim.textsafe import visible
from rednote_sim.tui.view import CardLine, ViewOptions
from rednote_sim.tui.workshop.lazy import LazyCache

HSK = "hsk"
"""The card extension (on by default in a workshop and a replay with the aids)."""

STYLE_LEVEL = "$text-muted"
STYLE_LEVEL_ABOVE = "bold $text-warning"
STYLE_ABOVE = "underline"

MIN_LEVEL = 1
MAX_LEVEL = 6
"""``--hsk N`` takes 1 … 6: above 6 is the 7-9 band, which nothing is above."""


@dataclass(frozen=True)
class Levels:
    """A text's HSK level and where its graded words are.

    Attributes:
        level: The line's level (its hardest graded word), None for none.
        spans: ``(start, end, level)`` of each graded Chinese word.
    """

    level: int | None
    spans: tuple[tuple[int, int, int], ...]

    def above(self, level: int) -> list[tuple[int, int]]:
        """Where the words above ``level`` are."""
        return [(start, end) for start, end, n in self.spans if n > level]


NO_LEVELS = Levels(None, ())


def hsk_tag(level: int | None) -> str:
    """``HSK 3``, ``HSK 7-9``; "" for no level."""
    return f"HSK {label(level)}" if level is not None else ""


class LevelCards:
    """The HSK tag and underline of cards.

    Args:
        segmenter: Returns the glossary-aware segmenter (小红书 stays one word).
        above: ``--hsk N``: underline words above level N (None: no underline).
        standard: Which HSK list (the 2025 syllabus by default).
    """

    def __init__(
        self,
        segmenter: Callable[[], Segmenter],
        above: int | None = None,
        standard: Standard = DEFAULT_STANDARD,
    ) -> None:
        self._segmenter = segmenter
        self.above = above
        self.standard = standard
        self.levels: LazyCache[str, Levels] = LazyCache("hsk-levels", self._levels, NO_LEVELS)

    def _levels(self, text: str) -> Levels:
        spans = [
            (s.start, s.end, s.word.level)
            for s in word_spans(text, self._segmenter(), self.standard)
            if s.word.level is not None
        ]
        return Levels(max((n for *_, n in spans), default=None), tuple(spans))

    def warm_up(self) -> None:
        """Load the HSK lists (call in a thread): the phrasebook reads them on the UI thread."""
        word_level("你", self.standard)

    def word(self, term: str) -> str:
        """``HSK n`` of a phrasebook term ("" when it is on no list)."""
        return hsk_tag(word_level(term.strip(), self.standard).level) if has_han(term) else ""

    def tag(self, message: Message, options: ViewOptions) -> Content | None:
        """``HSK 3`` at the end of a Chinese line's header (warning colour above ``--hsk``)."""
        if message.lang != "zh":
            return None
        levels = self.levels.get(visible(message.text))
        if levels is None or levels.level is None:
            return None
        above = self.above is not None and levels.level > self.above
        return Content.styled(hsk_tag(levels.level), STYLE_LEVEL_ABOVE if above else STYLE_LEVEL)

    def underline(
        self, message: Message, options: ViewOptions, lines: list[CardLine]
    ) -> list[CardLine]:
        """Underline the words above ``--hsk N`` in the original text (the section's first line)."""
        if self.above is None or not lines or not has_han(message.text):
            return lines
        first = lines[0]
        shown = visible(message.text)
        if not isinstance(first, Content) or first.plain != shown:
            return lines  # not the text as written (another extension reworked it)
        levels = self.levels.get(shown)
        if levels is None:
            return lines
        for start, end in levels.above(self.above):
            first = first.stylize(STYLE_ABOVE, start, end)
        return [first, *lines[1:]]
