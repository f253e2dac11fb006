"""SQLite storage through aiosqlite: one file, WAL, numbered migrations."""

from rednote_sim.store.store import Store, new_session_id, open_store

__all__ = ["Store", "new_session_id", "open_store"]
