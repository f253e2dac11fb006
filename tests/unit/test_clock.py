"""The virtual clock: speed, pause, seek, step waits, idle cap."""

from __future__ import annotations

import asyncio
import math

import pytest

from rednote_sim.sim.clock import MAX_SPEED, SPEEDS, VirtualClock, format_speed, parse_speed


class FakeTime:
    """A real-time source the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_scenario_time_runs_at_speed_and_stops_when_paused() -> None:
    real = FakeTime()
    clock = VirtualClock(speed=2.0, time_source=real)
    real.now += 3
    assert clock.now() == pytest.approx(6.0)
    clock.pause()
    real.now += 10
    assert clock.now() == pytest.approx(6.0)
    clock.resume()
    real.now += 1
    assert clock.now() == pytest.approx(8.0)


def test_changing_speed_does_not_jump_in_time() -> None:
    real = FakeTime()
    clock = VirtualClock(speed=1.0, time_source=real)
    real.now += 4
    clock.set_speed(8.0)
    assert clock.now() == pytest.approx(4.0)
    real.now += 1
    assert clock.now() == pytest.approx(12.0)


def test_speed_ladder_walks_from_quarter_speed_to_max_and_back() -> None:
    clock = VirtualClock(speed=1.0)
    seen = [clock.faster() for _ in range(len(SPEEDS))]
    assert seen[-1] == MAX_SPEED and seen[-2] == MAX_SPEED  # stays at the top
    down = [clock.slower() for _ in range(len(SPEEDS) + 1)]
    assert down[-1] == 0.25


@pytest.mark.parametrize(("text", "expected"), [("2", 2.0), ("0.5", 0.5), ("max", math.inf)])
def test_parse_speed_accepts_numbers_and_max(text: str, expected: float) -> None:
    assert parse_speed(text) == expected


@pytest.mark.parametrize("text", ["0", "-1", "fast", "nan", ""])
def test_parse_speed_rejects_nonsense_with_a_message(text: str) -> None:
    with pytest.raises(ValueError, match="speed"):
        parse_speed(text)


def test_format_speed() -> None:
    assert [format_speed(s) for s in (0.25, 1.0, 16.0, MAX_SPEED)] == ["0.25x", "1x", "16x", "max"]


async def test_max_speed_reaches_any_time_at_once() -> None:
    clock = VirtualClock(speed=MAX_SPEED)
    assert await clock.wait_until(3600.0)
    assert clock.now() == 3600.0


async def test_a_paused_wait_is_released_by_seek() -> None:
    clock = VirtualClock(speed=1.0)
    clock.pause()
    waiter = asyncio.create_task(clock.wait_until(50.0))
    await asyncio.sleep(0.02)
    assert not waiter.done()
    clock.seek(50.0)
    assert await waiter is False  # woken to re-check ...
    assert await clock.wait_until(50.0)  # ... and the time has been reached


async def test_pause_interrupts_a_running_wait() -> None:
    clock = VirtualClock(speed=1.0)
    waiter = asyncio.create_task(clock.wait_until(30.0))
    await asyncio.sleep(0.01)
    clock.pause()
    assert await waiter is False
    assert clock.paused


async def test_idle_cap_skips_long_silences() -> None:
    clock = VirtualClock(speed=50.0, idle_cap=1.0)
    # 600 scenario seconds at 50x would be 12 real seconds; the cap leaves 1 s (0.02 real).
    assert await asyncio.wait_for(clock.wait_until(600.0), timeout=2.0)
    assert clock.now() >= 600.0
