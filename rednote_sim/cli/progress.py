"""A progress bar on stderr for long work, shown only when stderr is a terminal.

On a pipe or in a log file nothing is written: a bar redrawn with carriage
returns is noise there, and the summary line says what happened.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

import click

Report = Callable[[int, int], None]
"""Told (done, total) as the work goes on."""


@contextlib.contextmanager
def progress_reporter(total: int, label: str) -> Iterator[Report]:
    """A :data:`Report` that draws a bar of ``total`` steps on a terminal, else does nothing."""
    stream = sys.stderr
    if total <= 0 or not stream.isatty():
        yield _nothing
        return
    with click.progressbar(
        length=total, label=label, file=stream, show_pos=True, show_eta=True
    ) as bar:
        shown = 0

        def report(done: int, total: int) -> None:
            nonlocal shown
            bar.update(done - shown)
            shown = done

        yield report


def _nothing(done: int, total: int) -> None:
    return None
