"""The simulation: virtual clock, seeded schedule, responders, live, replay and guest rooms."""

from rednote_sim.sim.clock import MAX_SPEED, VirtualClock, format_speed, parse_speed
from rednote_sim.sim.follow import FollowRoom
from rednote_sim.sim.rooms import LiveRoom, ReplayRoom

Room = LiveRoom | ReplayRoom | FollowRoom
"""A room of any kind: a live run, a replay, or a guest following a live run."""

__all__ = [
    "MAX_SPEED",
    "FollowRoom",
    "LiveRoom",
    "ReplayRoom",
    "Room",
    "VirtualClock",
    "format_speed",
    "parse_speed",
]
