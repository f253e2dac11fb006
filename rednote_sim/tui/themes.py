"""RedNote-red light and dark themes (Textual's theme system).

Everything on screen is styled through theme variables (``$primary``,
``$text-muted``…) in ``room.tcss`` and in card content, so switching the theme
(``d``, or "Theme" in the command palette for every other built-in theme)
restyles the whole room.
"""

from __future__ import annotations

from textual.theme import Theme

from rednote_sim.lang.tones import DARK_PALETTE, PLECO_PALETTE

REDNOTE_RED = "#FF2442"

TONES_LIGHT: dict[str, str] = {f"tone-{tone}": colour for tone, colour in PLECO_PALETTE.items()}
"""Pleco's tone colours as theme variables (``$tone-1`` … ``$tone-5``), on a light background."""

TONES_DARK: dict[str, str] = {f"tone-{tone}": colour for tone, colour in DARK_PALETTE.items()}
"""The same hues lightened for the dark theme (the same order, so the same meaning)."""

DARK = Theme(
    name="rednote-dark",
    primary=REDNOTE_RED,
    secondary="#6CB6FF",
    accent="#FFB347",
    warning="#FFB347",
    error="#FF5C6C",
    success="#4EBF71",
    foreground="#E6E6E6",
    background="#16161A",
    surface="#1F1F25",
    panel="#2A2A32",
    dark=True,
    variables=TONES_DARK,
)

LIGHT = Theme(
    name="rednote-light",
    primary="#D7132F",
    secondary="#1F5FA8",
    accent="#B35C00",
    warning="#A65F00",
    error="#C0152D",
    success="#1E7A3C",
    foreground="#1E1E24",
    background="#FAF7F5",
    surface="#FFFFFF",
    panel="#EFE8E4",
    dark=False,
    variables=TONES_LIGHT,
)

THEMES = (DARK, LIGHT)
