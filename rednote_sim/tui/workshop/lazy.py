"""Values worked out off the UI thread the first time a card needs them, then kept.

Cards render on the UI thread; segmenting a line (jieba) or diffing it must not
happen there. :class:`LazyCache` answers None for a key it does not know yet,
computes the waiting keys in a worker thread in one batch, and redraws the
cards when they are in (the same pattern as the workshop's pinyin cache).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from rednote_sim.tui.host import RoomHost

log = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LazyCache(Generic[K, V]):
    """``key → value``, computed in a worker thread on first use.

    Args:
        name: The worker's name (``host.background``).
        compute: Works out one key's value (runs in a thread). A key whose
            computation raises gets ``fallback``: a card without the extra beats
            a failing card.
        fallback: The value for a key that failed.
    """

    def __init__(self, name: str, compute: Callable[[K], V], fallback: V) -> None:
        self._name = name
        self._compute = compute
        self._fallback = fallback
        self.host: RoomHost | None = None
        """The room the cards are in (set when it opens): runs the worker, redraws."""
        self.cache: dict[K, V] = {}
        self._pending: set[K] = set()
        self._running = False

    def get(self, key: K) -> V | None:
        """The value for ``key``, or None while it is being worked out (asked for now)."""
        if key in self.cache:
            return self.cache[key]
        self._pending.add(key)
        host = self.host
        if host is not None and not self._running:
            self._running = True
            host.background(self._name, self._run)
        return None

    @property
    def idle(self) -> bool:
        """True when nothing is waiting to be worked out (tests wait for it before a snapshot)."""
        return not self._pending and not self._running

    def now(self, key: K) -> V:
        """The value for ``key``, computed here if need be (call in a thread, or in tests)."""
        if key not in self.cache:
            self.cache.update(self._convert([key]))
        return self.cache[key]

    async def _run(self) -> None:
        try:
            while self._pending:
                batch = list(self._pending)
                self.cache.update(await asyncio.to_thread(self._convert, batch))
                self._pending.difference_update(batch)
                if self.host is not None:
                    self.host.redraw()
        finally:
            self._running = False

    def _convert(self, keys: list[K]) -> dict[K, V]:
        done: dict[K, V] = {}
        for key in keys:
            try:
                done[key] = self._compute(key)
            except Exception:  # a card without the extra beats a failing card
                log.exception("%s failed for %r", self._name, key)
                done[key] = self._fallback
        return done
