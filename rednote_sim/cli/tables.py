"""Plain tables for list commands (CJK- and emoji-width aware, never markup)."""

from __future__ import annotations

from collections.abc import Sequence


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]], title: str = "") -> None:
    """Print rows under headers; cell text is shown literally (no Rich markup)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from rednote_sim.textsafe import visible

    table = Table(title=title or None, title_justify="left", box=None, pad_edge=False)
    for header in headers:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*(Text(visible(str(cell))) for cell in row))

    class PipeAwareConsole(Console):
        def on_broken_pipe(self) -> None:
            # Rich would exit 1 on its own; the CLI has one policy for a closed pipe.
            raise BrokenPipeError

    console = PipeAwareConsole(markup=False, emoji=False, highlight=False, soft_wrap=False)
    if not console.is_terminal:
        console.width = 200  # piped output: keep one row per line for grep and friends
    console.print(table)
