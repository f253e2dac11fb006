"""From room events to the room on screen: the model at once, the cards in step.

The room publishes every message, translation, reaction and marker as an
event. :meth:`Feed.take` applies them to the :class:`LogModel` as they come
(cheap dictionary work) and adds up what the chat log must do about them
(:class:`Pending`); the app shows that (mounts cards, redraws) at once, except
during a flood (more than :data:`FLOOD` new messages at once), when it shows
them at most every :data:`FRAME` seconds and when the flood stops. A replay at
max speed publishes 150,000 events for 50,000 messages; this way they cost a
few window updates of the log, not one per batch, and the log keeps up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rednote_sim.sim.events import (
    Finished,
    MarkerReached,
    Posted,
    Reacted,
    RoomEvent,
    Snapshot,
    Translated,
    Typing,
)
from rednote_sim.tui.host import EventView
from rednote_sim.tui.logmodel import LogModel
from rednote_sim.tui.widgets.members import MemberList

EVENT_BATCH = 10_000
"""Most room events taken from the queue at once."""

FLOOD = 50
"""More new messages than this at once are a flood (speed max): the cards wait a little."""

FRAME = 0.1
"""Seconds at least between two updates of the cards during a flood."""


@dataclass
class Pending:
    """What the log has to catch up with since it was last updated.

    Attributes:
        new: Messages added at the end of the model.
        changed: Messages whose card must be redrawn (translation, reactions, marker).
        reset: The model was replaced (a replay seeked): remount the log.
        finished: True when the room reached its end, False when a snapshot
            took it back; None when neither happened.
    """

    new: int = 0
    changed: set[int] = field(default_factory=set)
    reset: bool = False
    finished: bool | None = None

    def __bool__(self) -> bool:
        return bool(self.new or self.changed or self.reset or self.finished is not None)


class Feed:
    """Applies room events to the model, the member list and the features' views.

    Collects what the log must redraw (:class:`Pending`).

    Args:
        model: Everything the room shows.
        members: The member list (typing indicators follow the events at once).
        views: What added features show (the workshop's state): they get the
            events the model does not take (the classwork).
    """

    def __init__(
        self, model: LogModel, members: MemberList, views: Sequence[EventView] = ()
    ) -> None:
        self.model = model
        self.members = members
        self.views = list(views)
        self.pending = Pending()
        self.events = 0
        """Events taken so far (for tests and the benchmark)."""

    def take(self, batch: Iterable[RoomEvent]) -> None:
        """Apply events to the model and the member list."""
        model, members, pending = self.model, self.members, self.pending
        for event in batch:
            self.events += 1
            if isinstance(event, Posted):
                if model.add(event.message):
                    pending.new += 1
                pending.changed.add(event.message.seq)
                members.posted(event.message.persona)
            elif isinstance(event, Translated):
                model.add(event.message)
                pending.changed.add(event.message.seq)
            elif isinstance(event, Reacted):
                model.react(event.seq, event.totals)
                pending.changed.add(event.seq)
            elif isinstance(event, Typing):
                members.typing(event.persona.id, event.t)
            elif isinstance(event, MarkerReached):
                seq = model.mark(event.marker)
                if seq is not None:
                    pending.changed.add(seq)  # the marker shows as a heading on its card
            elif isinstance(event, Snapshot):
                # Everything shown is replaced; what came before it is moot.
                model.replace(event.messages, event.reactions, event.markers)
                members.clear_typing()
                pending.new, pending.changed = 0, set()
                pending.reset, pending.finished = True, False
            elif isinstance(event, Finished):
                pending.finished = True
            else:
                for view in self.views:
                    pending.changed.update(view.apply(event))

    def flush(self) -> Pending:
        """What is pending, handed over (and forgotten here)."""
        pending, self.pending = self.pending, Pending()
        return pending
