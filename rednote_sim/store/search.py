"""Searching a session's messages in SQLite (the TUI's ``/``).

The query runs in the database (aiosqlite's thread), so searching 50,000
messages never holds up the screen, and it covers the whole session whatever
part of it is on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rednote_sim.store.store import Store

_SEARCH = """
    SELECT seq FROM messages
    WHERE session_id = :session AND (
        name LIKE :pattern ESCAPE '\\'
        OR text LIKE :pattern ESCAPE '\\'
        OR COALESCE(translation_text, '') LIKE :pattern ESCAPE '\\'
        OR COALESCE(reference, '') LIKE :pattern ESCAPE '\\'
    )
    ORDER BY seq
"""


def like_pattern(text: str) -> str:
    """``text`` as a LIKE pattern matching it anywhere (``%`` and ``_`` literal)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def search_messages(store: Store, session_id: str, query: str) -> list[int]:
    """Seqs of the messages whose author, text, translation or reference contain ``query``.

    Case does not matter for the letters A-Z (SQLite's ``LIKE``); everything
    else, Chinese included, matches as written. Surrounding spaces are ignored;
    an empty query finds nothing.

    Args:
        store: The open store.
        session_id: An exact session id.
        query: What to look for (taken literally: ``%`` and ``_`` are not wildcards).

    Returns:
        Matching seqs, oldest first.
    """
    needle = query.strip()
    if not needle:
        return []
    params = {"session": session_id, "pattern": like_pattern(needle)}
    async with store.connection.db.execute(_SEARCH, params) as cursor:
        return [int(row[0]) for row in await cursor.fetchall()]
