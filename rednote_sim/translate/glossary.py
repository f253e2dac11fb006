"""Reading just the glossary (``personas/glossary.toml``).

The full content loader validates the whole cast; ``rednote-sim translate``
needs only the term pairs, and should not fail because a scenario has a typo.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import ValidationError

from rednote_sim.domain import Glossary
from rednote_sim.errors import UserError
from rednote_sim.safefiles import MAX_CONTENT_BYTES, read_text


def load_glossary(path: Path) -> Glossary:
    """Load a glossary file; a missing file is an empty glossary.

    Raises:
        UserError: When the file is not valid TOML or not a valid glossary.
    """
    if not os.path.lexists(path):
        return Glossary()
    # A directory, FIFO or /dev/zero named glossary.toml is an error, not "no glossary".
    text = read_text(path, max_bytes=MAX_CONTENT_BYTES, what="glossary file")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML ({exc})") from None
    try:
        return Glossary.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UserError(
            f"{path}: {where}: {first['msg']} (fix: see `rednote-sim personas validate`)"
        ) from None
