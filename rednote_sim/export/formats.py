"""One entry point for every export format.

``jsonl`` and ``md`` go to stdout unless ``-o`` names a file; ``html`` and
``anki`` are files, ``<session>.html`` / ``<session>.apkg`` in the current
directory by default. The handouts use the cast (flags, handles, the Chinese
title, cultural notes, glossary-aware word splitting) when ``personas/`` can be
loaded, and fall back to what the session recorded when it cannot, so an
imported session exports on any machine.
"""

from __future__ import annotations

import re
from pathlib import Path

from rednote_sim.domain import SESSION_ID_MAX_LENGTH, Cast
from rednote_sim.errors import UserError
from rednote_sim.store import Store
from rednote_sim.textsafe import visible

FORMATS = ("jsonl", "md", "html", "anki")
DEFAULT_SUFFIX = {"html": ".html", "anki": ".apkg"}
"""Formats written to a file even without ``-o``, and their file suffix."""


_NOT_IN_FILE_NAMES = re.compile(r"[^A-Za-z0-9._-]")


def default_file_name(session_id: str, suffix: str) -> Path:
    """``<session>.<ext>`` in the current directory, whatever the id holds.

    Ids are checked on import, but a database may hold older ones: every
    character outside ``A-Z a-z 0-9 . _ -`` becomes ``_`` and leading dots and
    dashes go, so the name is one plain file name (no ``/``, no ``..``, no
    control characters) and never leaves the working directory.
    """
    stem = _NOT_IN_FILE_NAMES.sub("_", session_id).lstrip(".-")[:SESSION_ID_MAX_LENGTH]
    return Path(f"{stem or 'session'}{suffix}")


def cast_if_any(personas_dir: Path) -> Cast | None:
    """The cast in ``personas_dir``, or None if it cannot be loaded (the handouts do without)."""
    from rednote_sim.content import load_cast

    try:
        return load_cast(personas_dir)
    except (UserError, OSError):
        return None


def _write(path: Path, data: str) -> None:
    try:
        path.write_text(data, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"{path}: cannot write ({exc.strerror or exc})") from None


async def export_session(
    store: Store,
    ref: str,
    fmt: str,
    output: Path | None,
    *,
    cast: Cast | None = None,
    tone_colours: bool = True,
) -> tuple[str, Path | None]:
    """Export a session.

    Args:
        store: The open store.
        ref: Session id, unique prefix or ``latest``.
        fmt: ``jsonl``, ``md``, ``html`` or ``anki``.
        output: Target file; None writes jsonl/md to stdout and html/anki to
            ``<session>.html`` / ``<session>.apkg``.
        cast: Personas and scenarios for the handouts (:func:`cast_if_any`); None
            uses what the session recorded.
        tone_colours: Pinyin coloured by tone in the HTML handout (where a
            checkbox flips it) and the Anki cards.

    Returns:
        (text for stdout or a one-line summary, the file written or None).
    """
    if fmt not in FORMATS:
        raise UserError(f"--format {fmt}: unknown; use one of {', '.join(FORMATS)}")
    session = await store.get_session(ref)
    if output is None and fmt in DEFAULT_SUFFIX:
        output = default_file_name(session.id, DEFAULT_SUFFIX[fmt])
    if fmt == "jsonl":
        from rednote_sim.export.jsonl_io import export_jsonl

        text = await export_jsonl(store, session.id)
        detail = f"{session.message_count} messages"
    else:
        from rednote_sim.export.handout import collect

        handout = await collect(store, session.id, cast)
        if fmt == "anki":
            from rednote_sim.export.anki import write_apkg
            from rednote_sim.lang.sources import room_dictionary

            assert output is not None
            # Measure words and HSK levels of the phrasebook's words (the index is
            # built the first time; later exports only open it).
            dictionary = room_dictionary(
                cast.glossary if cast else None, cast.slang if cast else None
            )
            try:
                notes = write_apkg(handout, output, tone_colours=tone_colours, find=dictionary.best)
            except OSError as exc:
                raise UserError(f"{output}: cannot write ({exc.strerror or exc})") from None
            finally:
                dictionary.close()
            return f"wrote {visible(str(output))} ({visible(session.id)}, {notes} notes)", output
        if fmt == "md":
            from rednote_sim.export.md_handout import render_markdown

            text = render_markdown(handout)
        else:
            from rednote_sim.export.html_handout import render_html

            text = render_html(handout, tone_colours=tone_colours)
        detail = f"{session.message_count} messages, {len(handout.vocab)} phrasebook entries"
    if output is None:
        return text, None
    _write(output, text)
    return f"wrote {visible(str(output))} ({visible(session.id)}, {detail})", output
