"""rednote-sim: the January 2025 "TikTok Refugees" room on RedNote, in a terminal."""

__version__ = "0.1.0"
