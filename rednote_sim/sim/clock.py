"""The virtual clock shared by live runs and replays.

Scenario time advances at ``speed`` times real time (``math.inf`` = as fast as
possible), can be paused, resumed and moved (seek/step). Waiters are woken on
every change, so a pause or a speed change takes effect immediately rather
than after the current sleep.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable

MAX_SPEED = math.inf
SPEEDS: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, MAX_SPEED)
"""The speed ladder that +/- walk through."""


def parse_speed(value: str | float) -> float:
    """Parse a speed option: a positive number or ``max``.

    Raises:
        ValueError: With a message fit for the user.
    """
    if isinstance(value, str) and value.strip().lower() in ("max", "inf"):
        return MAX_SPEED
    try:
        speed = float(value)
    except ValueError:
        raise ValueError(
            f"speed must be a number like 2 or 0.5, or 'max' (got {value!r})"
        ) from None
    if not speed > 0 or math.isnan(speed):
        raise ValueError(f"speed must be greater than 0 (got {value!r})")
    return speed


def format_speed(speed: float) -> str:
    """``1x``, ``0.25x``, ``max``."""
    if math.isinf(speed):
        return "max"
    return f"{speed:g}x"


class VirtualClock:
    """Scenario seconds that run at a multiple of real time.

    Args:
        speed: Multiplier of real time, or ``MAX_SPEED``.
        start: Scenario time to start at.
        idle_cap: When set, a wait for a moment more than this many scenario
            seconds ahead first jumps to ``idle_cap`` seconds before it, so long
            silences do not stall a replay.
        time_source: Real-time source (monotonic seconds); injectable for tests.
    """

    def __init__(
        self,
        speed: float = 1.0,
        start: float = 0.0,
        *,
        idle_cap: float | None = None,
        time_source: Callable[[], float] = time.monotonic,
    ) -> None:
        self._time = time_source
        self._speed = speed
        self._base_scenario = start
        self._base_real = self._time()
        self._paused = False
        self.idle_cap = idle_cap
        self._changed = asyncio.Event()

    # --- reading --------------------------------------------------------------------------

    def now(self) -> float:
        """Current scenario time in seconds."""
        if self._paused or math.isinf(self._speed):
            return self._base_scenario
        return self._base_scenario + (self._time() - self._base_real) * self._speed

    @property
    def speed(self) -> float:
        """Current speed multiplier."""
        return self._speed

    @property
    def paused(self) -> bool:
        """True while paused."""
        return self._paused

    # --- control --------------------------------------------------------------------------

    def _rebase(self, scenario_time: float) -> None:
        self._base_scenario = scenario_time
        self._base_real = self._time()

    def _notify(self) -> None:
        # Wake every current waiter; later waiters get a fresh event.
        self._changed.set()
        self._changed = asyncio.Event()

    def set_speed(self, speed: float) -> None:
        """Change speed without jumping in scenario time."""
        if not speed > 0:
            raise ValueError("speed must be greater than 0")
        self._rebase(self.now())
        self._speed = speed
        self._notify()

    def faster(self) -> float:
        """Next speed up the ladder; returns the new speed."""
        higher = [s for s in SPEEDS if s > self._speed]
        self.set_speed(higher[0] if higher else self._speed)
        return self._speed

    def slower(self) -> float:
        """Next speed down the ladder; returns the new speed."""
        lower = [s for s in SPEEDS if s < self._speed]
        self.set_speed(lower[-1] if lower else self._speed)
        return self._speed

    def pause(self) -> None:
        """Stop scenario time."""
        if not self._paused:
            self._rebase(self.now())
            self._paused = True
            self._notify()

    def resume(self) -> None:
        """Let scenario time run again."""
        if self._paused:
            self._paused = False
            self._rebase(self._base_scenario)
            self._notify()

    def toggle(self) -> bool:
        """Pause or resume; returns True if now paused."""
        if self._paused:
            self.resume()
        else:
            self.pause()
        return self._paused

    def seek(self, scenario_time: float) -> None:
        """Jump to a scenario time (forward or back)."""
        self._rebase(max(0.0, scenario_time))
        self._notify()

    def nudge(self) -> None:
        """Wake waiters so they re-check (e.g. an earlier event was scheduled)."""
        self._notify()

    # --- waiting --------------------------------------------------------------------------

    async def wait_until(self, scenario_time: float) -> bool:
        """Wait until scenario time reaches ``scenario_time``.

        Returns:
            True when the time was reached; False when woken early by
            :meth:`nudge` or any other change, so the caller can re-check what it
            is waiting for.
        """
        changed = self._changed
        now = self.now()
        if now >= scenario_time:
            return True
        if self._paused:
            await changed.wait()
            return False
        if math.isinf(self._speed):
            self._rebase(scenario_time)
            return True
        if self.idle_cap is not None and scenario_time - now > self.idle_cap:
            self._rebase(scenario_time - self.idle_cap)
            now = self._base_scenario
        delay = (scenario_time - now) / self._speed
        try:
            await asyncio.wait_for(changed.wait(), timeout=delay)
        except TimeoutError:
            # Real time may have slightly undershot; pin the clock so callers agree.
            if self.now() < scenario_time:
                self._rebase(scenario_time)
            return True
        return self.now() >= scenario_time
