"""The workshop aids in the room: pinyin, machine vs human, quiz, phrasebook, notes, markers.

What the workshop does to a session (answer, mark, correct, save a word, drop a
marker, the note) is :class:`rednote_sim.workshop.session.WorkshopSession`, which
writes through the room; pinyin and segmentation are :mod:`rednote_sim.lang`.
This package is only their Textual side.
"""

from rednote_sim.tui.workshop.feature import (
    HELP_NOTES,
    HOW_GUEST_AIDS,
    HOW_REPLAY_AIDS,
    HOW_WORKSHOP,
    Workshop,
)

__all__ = ["HELP_NOTES", "HOW_GUEST_AIDS", "HOW_REPLAY_AIDS", "HOW_WORKSHOP", "Workshop"]
