"""Message text made safe for the screen: text is data, never markup or control.

Everything a persona (or the user) wrote goes through :func:`display_text`
before it becomes a :class:`textual.content.Content`. ``Content`` never parses
markup when built from plain strings, so ``[bold red]`` stays literal; this
module adds what ``Content`` does not do: ANSI escapes, other control characters
and bidi overrides become visible escapes (via :func:`rednote_sim.textsafe.visible`),
and invisible format characters (zero-width space, direction marks, BOM) are
shown as escapes too, so a hidden character can be seen and cannot reorder or
hide the rest of a line.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

from rednote_sim.textsafe import visible

# Zero-width and direction *marks* are not overrides, so textsafe keeps them;
# on screen they are invisible yet change cursor movement or reading order in
# some terminals. ZWJ/ZWNJ (U+200D/U+200C) are left alone: emoji sequences and
# Persian spelling need them.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b\u200e\u200f\u2060-\u2064\ufeff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def display_text(text: str) -> str:
    r"""Text fit to print literally: controls, bidi and invisible marks become ``\uXXXX``.

    Examples:
        >>> display_text("a\u200bb")
        'a\\u200bb'
        >>> display_text("\x1b[31mred")
        '\\x1b[31mred'
        >>> display_text("[bold]x[/]")
        '[bold]x[/]'
    """
    return _INVISIBLE.sub(_escape, visible(text))


def one_line(text: str, cells: int) -> str:
    """The first line of ``text``, cut to ``cells`` terminal cells with an ellipsis.

    Used for reply quotes, which must stay on one line: a Chinese character
    takes two cells, so the cut is by cells, not characters.
    """
    lines = display_text(text).strip().splitlines() or [""]
    first, more = lines[0], len(lines) > 1
    if cell_len(first) > cells:
        kept = []
        used = 0
        for char in first:
            used += cell_len(char)
            if used > cells - 1:
                break
            kept.append(char)
        first, more = "".join(kept).rstrip(), True
    return first + "…" if more else first
