"""The timeline: time order, insertion while playing, stepping and rewinding."""

from __future__ import annotations

import asyncio

from rednote_sim.sim.clock import MAX_SPEED, VirtualClock
from rednote_sim.sim.timeline import Action, Timeline


def _recorder(log: list[str], name: str) -> Action:
    async def action() -> None:
        log.append(name)

    return action


async def test_plays_in_time_order_with_ties_in_insertion_order() -> None:
    timeline = Timeline(VirtualClock(MAX_SPEED))
    log: list[str] = []
    for t, name in [(5, "c"), (1, "a"), (5, "d"), (2, "b")]:
        timeline.add(t, "post", _recorder(log, name))
    await timeline.play()
    assert log == ["a", "b", "c", "d"]


async def test_an_earlier_entry_added_while_waiting_plays_first() -> None:
    clock = VirtualClock(speed=1.0)
    timeline = Timeline(clock)
    log: list[str] = []
    timeline.add(30.0, "post", _recorder(log, "late"))
    player = asyncio.create_task(timeline.play(keep_open=True))
    await asyncio.sleep(0.01)
    timeline.add(clock.now() + 0.05, "post", _recorder(log, "early"))
    await asyncio.sleep(0.3)
    assert log == ["early"]
    timeline.close()
    await player


async def test_step_plays_the_next_message_while_paused() -> None:
    clock = VirtualClock(speed=1.0)
    clock.pause()
    timeline = Timeline(clock)
    log: list[str] = []
    timeline.add(10.0, "typing", _recorder(log, "typing"))
    timeline.add(12.0, "post", _recorder(log, "post"))
    timeline.add(40.0, "post", _recorder(log, "later"))
    player = asyncio.create_task(timeline.play(keep_open=True))
    await asyncio.sleep(0.01)
    assert log == []
    assert timeline.step(("post",)) == 12.0
    await asyncio.sleep(0.05)
    assert log == ["typing", "post"]
    assert clock.paused and clock.now() == 12.0
    timeline.close()
    await player


async def test_rewind_replays_entries_again() -> None:
    timeline = Timeline(VirtualClock(MAX_SPEED))
    log: list[str] = []
    for t, name in [(1, "a"), (2, "b"), (3, "c")]:
        timeline.add(t, "post", _recorder(log, name))
    await timeline.play()
    timeline.rewind(1, 1.0)
    await timeline.play()
    assert log == ["a", "b", "c", "b", "c"]


async def test_on_idle_runs_when_everything_has_played() -> None:
    timeline = Timeline(VirtualClock(MAX_SPEED))
    log: list[str] = []
    timeline.add(1, "post", _recorder(log, "a"))
    await timeline.play(on_idle=_recorder(log, "idle"))
    assert log == ["a", "idle"]


async def test_moving_the_cursor_to_the_end_reports_the_end_again() -> None:
    timeline = Timeline(VirtualClock(MAX_SPEED))
    log: list[str] = []
    timeline.add(1, "post", _recorder(log, "a"))
    timeline.add(2, "post", _recorder(log, "b"))
    player = asyncio.create_task(timeline.play(keep_open=True, on_idle=_recorder(log, "idle")))
    await asyncio.sleep(0.01)
    assert log == ["a", "b", "idle"]
    timeline.rewind(2, 5.0)  # a replay seeking past its end: nothing left to play
    await asyncio.sleep(0.01)
    assert log == ["a", "b", "idle", "idle"]
    timeline.close()
    await player


async def test_steps_faster_than_playing_each_go_one_further() -> None:
    clock = VirtualClock(speed=1.0)
    clock.pause()
    timeline = Timeline(clock)
    log: list[str] = []
    for t, name in [(5, "a"), (6, "typing"), (9, "b"), (12, "c"), (20, "d")]:
        kind = "typing" if name == "typing" else "post"
        timeline.add(t, kind, _recorder(log, name))
    player = asyncio.create_task(timeline.play(keep_open=True))
    # Three presses before anything plays: three messages, not one.
    assert [timeline.step(("post",)) for _ in range(3)] == [5, 9, 12]
    await asyncio.sleep(0.01)
    assert log == ["a", "typing", "b", "c"]
    assert timeline.step(("post",)) == 20  # after they played: the next one
    await asyncio.sleep(0.01)
    assert log[-1] == "d" and timeline.step(("post",)) is None
    timeline.close()
    await player
