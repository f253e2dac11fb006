"""What a room tells its viewers (the TUI, the headless printer) as it plays.

The promises (committed before published, ``seq`` order, what a ``Snapshot``
means) are docs/ARCHITECTURE.md's "The event contract".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rednote_sim.domain import Marker, Message, Persona


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


RoomEvent = Typing | Posted | Translated | Reacted | MarkerReached | Snapshot | Finished
