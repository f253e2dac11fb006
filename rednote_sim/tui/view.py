"""What the reader chose to see: the view options and the card extension hook.

:class:`ViewOptions` is one immutable value held by the app; every card renders
from it, so a toggle is "replace the value, re-render the mounted cards".
Workshop features (pinyin, quiz) plug in without touching the card code: a
:class:`CardExtension` adds lines under a card's header, its original text or
its translation, or reworks one of those sections (the quiz hides the
translation), and is only asked when its name is in ``ViewOptions.extras``.
A line is :class:`~textual.content.Content`, or :class:`Columns` for two
blocks side by side (machine vs human), laid out when the card's width is known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from textual.content import Content

from rednote_sim.domain import Lang, Message, other_lang

ViewMode = Literal["both", "original", "translation"]

VIEW_MODES: tuple[ViewMode, ...] = ("both", "original", "translation")

VIEW_LABELS: dict[ViewMode, str] = {
    "both": "bilingual",
    "original": "original only",
    "translation": "translated only",
}

READER_LABELS: dict[Lang, str] = {"en": "EN reader", "zh": "中文读者"}


@dataclass(frozen=True)
class ViewOptions:
    """How cards are shown.

    Attributes:
        mode: ``both`` shows a foreign message and its translation under it;
            ``original`` hides translations; ``translation`` shows a foreign
            message only as its translation.
        reader: The reader's language. Messages in the other language are the
            "foreign" ones that get translated; messages in the reader's own
            language are shown as written.
        show_reference: Also show the scenario's human reference translation
            under a machine translation ("spot the MT error").
        side_by_side: Show a machine translation and the human reference in two
            columns (narrow cards stack them), instead of the machine one alone.
        quiet: Fewer details for a projector: card headers without handle and
            home town.
        tones: Colour pinyin by tone (Pleco's palette; ``T`` toggles it). The tone
            marks stay either way, so colour is never the only signal.
        extras: Names of enabled :class:`CardExtension` s (e.g. ``"pinyin"``).
    """

    mode: ViewMode = "both"
    reader: Lang = "en"
    show_reference: bool = False
    side_by_side: bool = False
    quiet: bool = False
    tones: bool = True
    extras: frozenset[str] = field(default_factory=frozenset)

    def is_foreign(self, message: Message) -> bool:
        """True when the message is in the language the reader does not read."""
        return message.lang != self.reader

    def shows_translation(self, message: Message) -> bool:
        """True when the card shows a translation (or its placeholder).

        A message in the reader's own language that mixes in the other one has a
        rendering too: its other-language parts translated.
        """
        return self.mode != "original" and (self.is_foreign(message) or message.mixed)

    def shows_original(self, message: Message) -> bool:
        """False only when the translation replaces a translated message."""
        if self.mode != "translation" or not self.shows_translation(message):
            return True
        return message.rendering(self.reader)[0] is None  # nothing to replace it with yet

    def next_mode(self) -> ViewOptions:
        """The next view mode in the cycle."""
        index = VIEW_MODES.index(self.mode)
        return replace(self, mode=VIEW_MODES[(index + 1) % len(VIEW_MODES)])

    def other_reader(self) -> ViewOptions:
        """The same view for a reader of the other language."""
        return replace(self, reader=other_lang(self.reader))

    def toggle_extra(self, name: str) -> ViewOptions:
        """Enable or disable one card extension."""
        return replace(self, extras=self.extras ^ {name})

    def describe(self) -> str:
        """A short label for the status line."""
        return f"{READER_LABELS[self.reader]} · {VIEW_LABELS[self.mode]}"


@dataclass(frozen=True)
class Columns:
    """Two blocks of lines side by side, e.g. machine translation | human reference.

    The card lays them out at its width: two columns with a rule between them,
    or one under the other when the card is too narrow for two readable columns.
    """

    left: Sequence[Content]
    right: Sequence[Content]

    @property
    def plain(self) -> str:
        """Both blocks as text, left first (for tests and search)."""
        return "\n".join(line.plain for line in [*self.left, *self.right])


CardLine = Content | Columns
"""One element of a card: a line (which may wrap), or two blocks side by side."""

Section = Literal["header", "original", "translation"]

CardLines = Callable[[Message, ViewOptions], Iterable[CardLine]]
"""Makes extra card lines for a message (may yield nothing)."""

SectionTransform = Callable[[Message, ViewOptions, list[CardLine]], list[CardLine]]
"""Reworks a section of a card: gets its lines (extension lines included), returns new ones."""


CardTag = Callable[[Message, ViewOptions], Content | None]
"""Makes a short tag for the end of a card's header line (``HSK 3``), or None."""


def _no_lines(message: Message, options: ViewOptions) -> Iterable[CardLine]:
    return ()


@dataclass(frozen=True)
class CardExtension:
    """Extra lines a feature adds to cards, e.g. pinyin under Chinese text.

    Attributes:
        name: Key in ``ViewOptions.extras`` that turns it on.
        after: The section it adds to: ``header`` (right under the card's header
            line), ``original`` (under the original text) or ``translation``
            (under the translation block).
        lines: The line maker; it gets the message and the current options.
        transform: Optionally reworks the whole ``after`` section once every
            extension added its lines (the quiz hides a translation with it).
            Sections a card does not show are not passed to it.
        label: Shown in the header's view label while enabled ("" for none); the
            label is cut first on a narrow terminal.
        badge: A short badge the header always shows while enabled (``QUIZ``):
            for state that changes what the cards show.
        tag: Optionally a short tag at the end of each card's header line (a
            line's HSK level), so a one-word badge costs no line of its own.
    """

    name: str
    after: Section
    lines: CardLines = _no_lines
    transform: SectionTransform | None = None
    label: str = ""
    badge: str = ""
    tag: CardTag | None = None
