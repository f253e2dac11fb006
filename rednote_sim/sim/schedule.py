"""Turning a scenario into a concrete, seeded plan of what happens when.

The plan is a pure function of (scenario, cast, seed): the same seed gives the
same times, the same reaction bursts, the same session. Jitter makes a run feel
live — nobody posts exactly on the second the author wrote — without ever
reordering beats, so a reply always comes after what it answers.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from rednote_sim.domain import Beat, Persona, Scenario

JITTER = (-0.4, 1.6)
"""Seconds added to each authored time (uniformly drawn)."""

MIN_GAP = 0.3
"""Seconds kept between consecutive posts so they never land on the same instant."""

TYPING_BOUNDS = (0.8, 6.0)
"""Shortest and longest typing indicator, in seconds."""


@dataclass(frozen=True)
class PlannedTyping:
    """A persona shows as typing from ``t`` until their post."""

    t: float
    persona: str


@dataclass(frozen=True)
class PlannedPost:
    """A beat posted at ``t``."""

    t: float
    beat: Beat
    index: int


@dataclass(frozen=True)
class PlannedReaction:
    """``count`` reactions of ``emoji`` added to the beat ``beat_key`` at ``t``."""

    t: float
    beat_key: str
    emoji: str
    count: int


PlannedEvent = PlannedTyping | PlannedPost | PlannedReaction


def typing_seconds(text: str, persona: Persona) -> float:
    """How long ``persona`` types ``text`` (bounded so indicators stay readable)."""
    low, high = TYPING_BOUNDS
    return min(high, max(low, len(text) / persona.typing_speed))


def _split_count(total: int, rng: random.Random) -> list[int]:
    """Split a reaction count into 1–4 bursts that add up to it."""
    bursts = min(total, rng.randint(1, 4))
    cuts = sorted(rng.sample(range(1, total), bursts - 1)) if bursts > 1 else []
    edges = [0, *cuts, total]
    return [b - a for a, b in itertools.pairwise(edges)]


def plan(scenario: Scenario, personas: dict[str, Persona], seed: int) -> list[PlannedEvent]:
    """The full plan of a live run, sorted by time.

    Args:
        scenario: The scenario to play.
        personas: The cast by id (every beat's persona must be in it).
        seed: Random seed; the same seed gives the same plan.

    Returns:
        Typing indicators, posts and reaction bursts in time order.
    """
    rng = random.Random(seed)
    events: list[PlannedEvent] = []
    previous = -MIN_GAP
    for index, beat in enumerate(scenario.beats):
        t = max(previous + MIN_GAP, beat.at + rng.uniform(*JITTER), 0.0)
        previous = t
        persona = personas[beat.persona]
        typing_start = max(0.0, t - typing_seconds(beat.text, persona))
        events.append(PlannedTyping(typing_start, beat.persona))
        events.append(PlannedPost(t, beat, index))
        for emoji, total in beat.reactions.items():
            for burst in _split_count(total, rng):
                delay = rng.uniform(0.6, 9.0)
                events.append(PlannedReaction(t + delay, beat.key or "", emoji, burst))
    # Stable sort: at equal times typing < post < reaction as appended above.
    order = {PlannedTyping: 0, PlannedPost: 1, PlannedReaction: 2}
    events.sort(key=lambda e: (e.t, order[type(e)]))
    return events
