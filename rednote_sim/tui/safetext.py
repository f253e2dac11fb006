"""Message text made safe for the screen: text is data, never markup or control.

Everything a persona (or the user) wrote goes through
:func:`rednote_sim.textsafe.visible` before it becomes a
:class:`textual.content.Content`, the same function the headless printer uses.
``Content`` never parses markup when built from plain strings, so ``[bold red]``
stays literal; what ``Content`` does not do, ``visible`` does: ANSI escapes, other control
characters, bidi overrides and invisible format characters (zero-width space,
direction marks, BOM) become visible escapes, so a hidden character can be seen
and cannot reorder or hide the rest of a line.
"""

from __future__ import annotations

from rich.cells import cell_len

from rednote_sim.textsafe import visible


def one_line(text: str, cells: int) -> str:
    """The first line of ``text``, cut to ``cells`` terminal cells with an ellipsis.

    Used for reply quotes, which must stay on one line: a Chinese character
    takes two cells, so the cut is by cells, not characters.
    """
    lines = visible(text).strip().splitlines() or [""]
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
