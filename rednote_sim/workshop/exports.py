"""One entry point for every export format."""

from __future__ import annotations

from pathlib import Path

from rednote_sim.errors import UserError
from rednote_sim.store import Store


async def export_session(
    store: Store, ref: str, fmt: str, output: Path | None
) -> tuple[str, Path | None]:
    """Export a session.

    Args:
        store: The open store.
        ref: Session id, unique prefix or ``latest``.
        fmt: ``jsonl``, ``md``, ``html`` or ``anki``.
        output: Target file; None writes text formats to stdout.

    Returns:
        (text for stdout or a one-line summary, the file written or None).
    """
    from rednote_sim.workshop.jsonl_io import export_jsonl

    session = await store.get_session(ref)
    if fmt == "jsonl":
        text = await export_jsonl(store, session.id)
    else:
        raise UserError(f"--format {fmt}: not available yet; use --format jsonl")
    if output is None:
        return text, None
    output.write_text(text, encoding="utf-8")
    return f"wrote {output} ({session.id}, {session.message_count} messages)", output
