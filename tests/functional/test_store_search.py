"""Searching a session's messages in the store (the TUI's ``/``), on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from rednote_sim.domain import Translation
from rednote_sim.store import Store
from rednote_sim.store.search import search_messages
from tests.functional.test_store import _message


async def test_search_finds_author_text_translation_and_reference_literally(
    tmp_path: Path,
) -> None:
    async with await Store.open(tmp_path / "search.db") as store:
        session = await store.create_session("arrival")
        other = await store.create_session("homework")
        hello = _message(session.id, 1, text="你好", reference="Hi there")
        await store.add_message(hello)
        await store.set_translation(
            session.id, 1, Translation(lang="en", text="Hello", engine="script"), None
        )
        await store.add_message(_message(session.id, 2, text="100% real_cat tax", lang="en"))
        await store.add_message(_message(other.id, 1, text="Hello from another session"))
        assert await search_messages(store, session.id, "HELLO") == [1]  # translation, any case
        assert await search_messages(store, session.id, "hi there") == [1]  # reference
        assert await search_messages(store, session.id, "你好") == [1]
        assert await search_messages(store, session.id, _message(session.id, 1).name) == [1, 2]
        assert await search_messages(store, session.id, "0% r") == [2]  # % and _ are literal
        assert await search_messages(store, session.id, "l_c") == [2]
        assert await search_messages(store, session.id, "l%c") == []
        assert await search_messages(store, session.id, "  ") == []
