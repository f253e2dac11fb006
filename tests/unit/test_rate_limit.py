"""The class host's per-guest token bucket (sim/classroom.py RateLimit)."""

from __future__ import annotations

from rednote_sim.sim.classroom import RateLimit


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_one_more_every_two_seconds() -> None:
    clock = Clock()
    limit = RateLimit(burst=5, window=10.0, clock=clock)
    assert [limit.take("Ana") for _ in range(5)] == [0.0] * 5
    wait = limit.take("Ana")
    assert wait == 2.0
    assert limit.reason(wait) == ("slow down: at most 5 messages in 10 seconds; try again in 2 s")
    clock.now += 1.0
    assert limit.take("Ana") == 1.0  # half a token back: not yet
    clock.now += 1.0
    assert limit.take("Ana") == 0.0
    assert limit.take("ANA") > 0  # the same guest, whatever the case


def test_guests_have_their_own_buckets_and_idle_ones_refill_to_the_burst() -> None:
    clock = Clock()
    limit = RateLimit(burst=2, window=10.0, clock=clock, what="requests")
    assert limit.take("Ana") == 0.0 and limit.take("Ana") == 0.0
    assert limit.take("Ana") > 0
    assert limit.take("Bob") == 0.0
    clock.now += 3600
    takes = [limit.take("Ana") for _ in range(3)]
    assert takes[:2] == [0.0, 0.0] and takes[2] > 0  # the bucket holds two, not 720
    assert "at most 2 requests in 10 seconds" in limit.reason(5.0)
