"""The workshop aids in the room: pinyin, machine vs human, quiz, phrasebook, notes, markers.

The data and the non-screen logic (pinyin, segmentation, phrasebook entries,
exports) live in :mod:`rednote_sim.workshop` and :mod:`rednote_sim.store.workshop_repo`;
this package is only their Textual side.
"""

from rednote_sim.tui.workshop.feature import HELP_NOTES, HOW_REPLAY_AIDS, HOW_WORKSHOP, Workshop

__all__ = ["HELP_NOTES", "HOW_REPLAY_AIDS", "HOW_WORKSHOP", "Workshop"]
