"""Everything the room has shown so far, independent of what is mounted.

The chat log mounts only a window of cards (see ``widgets/chatlog.py``); this
model keeps every message, its reactions and markers, so scrolling back and
jumping work over the whole session at a cost that does not depend on how many
cards are on screen. Search goes to the store (``rednote_sim.store.search``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rednote_sim.domain import Marker, Message


class LogModel:
    """Messages in posting order, with reactions and markers by message."""

    def __init__(self) -> None:
        self.messages: dict[int, Message] = {}
        self.order: list[int] = []
        """Message seqs in display (posting) order."""
        self.reactions: dict[int, dict[str, int]] = {}
        self.markers: dict[int, list[Marker]] = {}
        self._position: dict[int, int] = {}
        self._pending: dict[int, list[Marker]] = {}
        """Markers that arrived before their message (a replay plays markers first)."""

    def __len__(self) -> int:
        return len(self.order)

    def __contains__(self, seq: object) -> bool:
        return seq in self.messages

    def add(self, message: Message) -> bool:
        """Add or update a message; returns True if it is new."""
        known = message.seq in self.messages
        self.messages[message.seq] = message
        if not known:
            self._position[message.seq] = len(self.order)
            self.order.append(message.seq)
            for marker in self._pending.pop(message.seq, []):
                self.mark(marker)
        return not known

    def react(self, seq: int, totals: Mapping[str, int]) -> None:
        """Replace a message's reaction totals."""
        self.reactions[seq] = dict(totals)

    def mark(self, marker: Marker) -> int | None:
        """Attach a marker to the message it belongs to; returns that seq.

        A marker naming a message not shown yet waits for it (and None is
        returned); one naming no message goes on the latest message.
        """
        if marker.seq is not None and marker.seq not in self.messages:
            self._pending.setdefault(marker.seq, []).append(marker)
            return None
        seq = marker.seq if marker.seq is not None else (self.order[-1] if self.order else None)
        if seq is not None and marker not in self.markers.get(seq, []):
            self.markers.setdefault(seq, []).append(marker)
        return seq

    def replace(
        self,
        messages: Iterable[Message],
        reactions: Mapping[int, Mapping[str, int]],
        markers: Iterable[Marker] = (),
    ) -> None:
        """Replace everything (a replay seeked or stepped back)."""
        self.messages, self.order, self._position = {}, [], {}
        self.reactions, self.markers, self._pending = {}, {}, {}
        for message in sorted(messages, key=lambda m: m.seq):
            self.add(message)
        for seq, totals in reactions.items():
            self.react(seq, totals)
        for marker in markers:
            self.mark(marker)

    def position(self, seq: int) -> int:
        """Index of a message in display order."""
        return self._position[seq]

    def seq_at(self, index: int) -> int:
        """The seq of the message at a display index."""
        return self.order[index]
