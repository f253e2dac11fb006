"""Errors a user can fix. The CLI prints them as one line each and exits 2."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class UserError(Exception):
    """Bad input from the user: a file, an option, an argument.

    The message is a single line that names what is wrong and how to fix it.
    """

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One problem found in a content file.

    Attributes:
        path: The file.
        line: 1-based line, when it could be located.
        field: Dotted field path, e.g. ``beats[3].persona``.
        message: What is wrong.
        fix: What to do about it.
        column: 1-based column, when known (TOML syntax errors).
    """

    path: Path
    line: int | None
    field: str
    message: str
    fix: str
    column: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        if self.line and self.column:
            where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message} (fix: {self.fix})"


class ContentError(UserError):
    """One or more problems in the ``personas/`` content."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
