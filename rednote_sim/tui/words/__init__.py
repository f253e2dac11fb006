"""Tap a word: the dictionary under every word of a message (``o`` or a click), tone colours."""

from rednote_sim.tui.words.feature import WordLookup

__all__ = ["WordLookup"]
