"""The TUI's live workshop room is a class host: `say` from another process reaches it.

The room runs in-process (Pilot) on a real database file; `say` is a real
subprocess on the same file.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import sys

from rednote_sim.settings import Settings
from rednote_sim.tui import RoomApp
from tests.functional.tui.helpers import card_lines, cards, settle, wait_for, workshop_app


def _shown(app: RoomApp, text: str) -> bool:
    return any(text in "\n".join(card_lines(card)) for card in cards(app))


async def test_a_guest_posts_into_the_teachers_room(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        say = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "rednote_sim",
            "say",
            "--db",
            str(tui_settings.db),
            "--as",
            "Ana",
            "hello from Ana",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(say.communicate(), 120)
        assert say.returncode == 0, err.decode()
        assert out.decode().startswith("posted #")
        await wait_for(pilot, lambda: _shown(app, "hello from Ana"))
        # The personas answer her by name (in the teacher's room, at max speed).
        await wait_for(pilot, lambda: _shown(app, "Ana!") or _shown(app, "welcome Ana"))
        session = app.session_id
        await pilot.press("q")
    with contextlib.closing(sqlite3.connect(tui_settings.db)) as raw:
        rows = raw.execute(
            "SELECT mode, finished FROM hosts WHERE session_id = ?", (session,)
        ).fetchall()
    assert rows == [("workshop", 1)]  # quitting finished the host
