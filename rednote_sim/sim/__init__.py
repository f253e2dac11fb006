"""The simulation: virtual clock, seeded schedule, responders, live and replay rooms."""

from rednote_sim.sim.clock import MAX_SPEED, VirtualClock, format_speed, parse_speed
from rednote_sim.sim.rooms import LiveRoom, ReplayRoom, Room

__all__ = [
    "MAX_SPEED",
    "LiveRoom",
    "ReplayRoom",
    "Room",
    "VirtualClock",
    "format_speed",
    "parse_speed",
]
