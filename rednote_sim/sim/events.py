"""What a room tells its viewers (the TUI, the headless printer) as it plays.

The room is the only writer of a session's data: it commits a change to the
store, then publishes one of these. A viewer changes what it shows only when
an event arrives, so every viewer (today the TUI's log and workshop state, the
headless printer; a guest reading the session from the database tomorrow) sees
what is on disk, in the order it was written. The promises (committed before
published, ``seq`` order, what a ``Snapshot`` means) are docs/ARCHITECTURE.md's
"The event contract".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rednote_sim.domain import Lang, Marker, Message, Persona
from rednote_sim.domain.workshop import LineCorrection, MtErrorMark, QuizAnswer, VocabEntry


@dataclass(frozen=True)
class Typing:
    """A persona started typing (shown before they post)."""

    persona: Persona
    t: float


@dataclass(frozen=True)
class Posted:
    """A message was committed to the store; its translation may still be pending."""

    message: Message


@dataclass(frozen=True)
class Translated:
    """A message's translation step finished (``message.translation`` or ``.translation_error``)."""

    message: Message


@dataclass(frozen=True)
class Reacted:
    """Reactions were added to message ``seq``; ``totals`` are its counts after the change."""

    seq: int
    emoji: str
    count: int
    totals: dict[str, int]
    t: float


@dataclass(frozen=True)
class MarkerReached:
    """Playback passed a chapter marker."""

    marker: Marker


@dataclass(frozen=True)
class Snapshot:
    """The whole visible state at time ``t`` (sent after a replay seeks or steps back).

    Viewers replace what they show with this: the messages, their reaction
    totals and the markers reached by ``t``.
    """

    t: float
    messages: list[Message]
    reactions: dict[int, dict[str, int]] = field(default_factory=dict)
    markers: list[Marker] = field(default_factory=list)


@dataclass(frozen=True)
class Finished:
    """The script (or the recording) has played to its end."""

    t: float


@dataclass(frozen=True)
class Classwork:
    """What the class has added to a session: marks, answers, phrasebook, line corrections, note.

    ``corrections`` are the corrected versions of lines (HelloTalk style), by
    seq, one per author, oldest first.
    """

    marks: dict[int, MtErrorMark] = field(default_factory=dict)
    answers: dict[int, list[QuizAnswer]] = field(default_factory=dict)
    vocab: list[VocabEntry] = field(default_factory=list)
    note: str = ""
    corrections: dict[int, list[LineCorrection]] = field(default_factory=dict)


@dataclass(frozen=True)
class ClassworkLoaded:
    """Everything the class added to session ``session`` before (read when the workshop opens)."""

    session: str
    classwork: Classwork


@dataclass(frozen=True)
class Marked:
    """Message ``seq`` was marked as an interesting MT error (``mark``), or unmarked (None)."""

    seq: int
    mark: MtErrorMark | None


@dataclass(frozen=True)
class Answered:
    """A learner's own translation of a line was saved."""

    answer: QuizAnswer


@dataclass(frozen=True)
class VocabSaved:
    """A phrasebook entry was saved (new, or the same language and term again)."""

    entry: VocabEntry


@dataclass(frozen=True)
class VocabDeleted:
    """A phrasebook entry of ``author`` (``""``: the host's; a guest's name) was deleted."""

    lang: Lang
    term: str
    author: str = ""


@dataclass(frozen=True)
class NoteChanged:
    """The session note was saved."""

    note: str


@dataclass(frozen=True)
class LineCorrected:
    """Line ``seq`` was corrected by ``author`` (``correction``), or that correction removed (None).

    Correcting again replaces the author's correction: viewers keep one per
    line and author (``""`` is the host, a persona's or a guest's name otherwise).
    """

    seq: int
    author: str
    correction: LineCorrection | None


ClassworkEvent = (
    ClassworkLoaded | Marked | Answered | VocabSaved | VocabDeleted | NoteChanged | LineCorrected
)
"""The workshop's events (a class correction of a translation is a :class:`Translated`)."""

RoomEvent = (
    Typing | Posted | Translated | Reacted | MarkerReached | Snapshot | Finished | ClassworkEvent
)
