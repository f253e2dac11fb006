"""A timeline of timed actions played through a :class:`VirtualClock`.

Live runs and replays both play through this: a sorted list of entries and a
cursor (how many have played). Live runs insert new entries while it plays (a
responder's answer to the user) and an earlier one pre-empts the wait for a
later one; replays move the cursor back to step or seek backwards.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from rednote_sim.sim.clock import VirtualClock

Action = Callable[[], Awaitable[None]]

SLICE = 0.05
"""Seconds :meth:`Timeline.play` runs entries in a row before letting the event loop run.

At max speed no entry waits, so without this a long recording would play
through without ever giving the loop (the UI, its keys) a turn; yielding after
every few entries instead would hand the UI hundreds of turns it spends redrawing.
"""


@dataclass(order=True)
class Entry:
    """One timed action; ``kind`` lets callers step to the next entry of a kind."""

    t: float
    order: int
    kind: str = field(compare=False)
    action: Action = field(compare=False)


class Timeline:
    """Timed actions in time order (ties keep insertion order), with a play cursor."""

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self.entries: list[Entry] = []
        self.position = 0
        """Number of entries already played."""
        self._order = itertools.count()
        self._added = asyncio.Event()
        self._closed = False
        self._idle_reported = False
        self._stepped_to: Entry | None = None
        """The entry the last :meth:`step` moved the clock to (it may not have played yet)."""

    def add(self, t: float, kind: str, action: Action) -> None:
        """Schedule ``action`` at scenario time ``t``; a time already past plays next."""
        entry = Entry(t, next(self._order), kind, action)
        index = bisect.bisect_right(self.entries, entry)
        if index < self.position:  # in the past: play it next rather than never
            entry = Entry(self.clock.now(), entry.order, kind, action)
            index = self.position
        self.entries.insert(index, entry)
        self._added.set()
        self.clock.nudge()

    def record(self, t: float, kind: str, action: Action) -> tuple[int, bool]:
        """Insert an entry for something that just happened at ``t`` (a marker dropped now).

        It goes in time order; before the cursor it counts as played (it is not
        run now: the caller has done it), after the cursor it plays in its turn.

        Returns:
            Its index in :attr:`entries`, and True if it counts as played.
        """
        entry = Entry(t, next(self._order), kind, action)
        index = bisect.bisect_right(self.entries, entry)
        self.entries.insert(index, entry)
        played = index <= self.position
        if played:
            self.position += 1
        else:
            self._added.set()
            self.clock.nudge()
        return index, played

    def extend(self, items: Iterable[tuple[float, str, Action]]) -> None:
        """Schedule many actions before playing starts (a recording: faster than :meth:`add`).

        Args:
            items: ``(t, kind, action)`` in any order; ties keep their order.

        Raises:
            RuntimeError: When something has played already (use :meth:`add` then).
        """
        if self.position:
            raise RuntimeError("extend() is for a timeline that has not started playing")
        self.entries += [Entry(t, next(self._order), kind, action) for t, kind, action in items]
        self.entries.sort(key=lambda e: (e.t, e.order))  # linear when already in order
        self._added.set()
        self.clock.nudge()

    @property
    def pending(self) -> int:
        """Entries not played yet."""
        return len(self.entries) - self.position

    def next_entry(self, kinds: tuple[str, ...] | None = None) -> Entry | None:
        """The next entry to play (of one of ``kinds``, if given)."""
        for entry in self.entries[self.position :]:
            if kinds is None or entry.kind in kinds:
                return entry
        return None

    def step(self, kinds: tuple[str, ...]) -> float | None:
        """Move the clock to the next entry of one of ``kinds`` so it plays, even when paused.

        Steps taken faster than the entries play (``]`` pressed three times at
        once) each go one entry further: the search starts after the entry the
        previous step went to if that one has not played yet.
        """
        start = self.position
        target = self._stepped_to
        if target is not None:
            index = bisect.bisect_left(self.entries, target)
            if index < len(self.entries) and self.entries[index] is target and index >= start:
                start = index + 1
        entry = next((e for e in self.entries[start:] if e.kind in kinds), None)
        if entry is None:
            return None
        self._stepped_to = entry
        if entry.t > self.clock.now():
            self.clock.seek(entry.t)
        return entry.t

    def rewind(self, position: int, t: float) -> None:
        """Move the cursor back (or forward, without playing) and the clock to ``t``."""
        self.position = max(0, min(position, len(self.entries)))
        self._stepped_to = None
        self.clock.seek(t)
        self._idle_reported = False  # running out again (e.g. a seek to the end) is reported
        self._added.set()  # a play() idling at the end must look again

    def close(self) -> None:
        """Make :meth:`play` return."""
        self._closed = True
        self._added.set()
        self.clock.nudge()

    async def play(self, *, keep_open: bool = False, on_idle: Action | None = None) -> None:
        """Run actions as the clock reaches them.

        Args:
            keep_open: Keep waiting for new entries when none are left (a live
                room where the user can still type, a replay that can be rewound);
                otherwise return when everything has played.
            on_idle: Awaited each time the timeline runs out of entries (again after
                an entry played or the cursor moved).
        """
        self._idle_reported = False
        loop = asyncio.get_running_loop()
        slice_end = loop.time() + SLICE
        while not self._closed:
            if self.position >= len(self.entries):
                if on_idle is not None and not self._idle_reported:
                    self._idle_reported = True
                    await on_idle()
                if not keep_open:
                    return
                self._added.clear()
                await self._added.wait()
                continue
            self._idle_reported = False
            entry = self.entries[self.position]
            if not await self.clock.wait_until(entry.t):
                continue  # woken early: pause, speed change, seek, or an earlier entry
            if self.position < len(self.entries) and self.entries[self.position] is entry:
                self.position += 1
                await entry.action()
                if loop.time() >= slice_end:
                    await asyncio.sleep(0)
                    slice_end = loop.time() + SLICE
