"""``sessions``: one row per session, whatever its note holds (``--json`` keeps it all)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from click.testing import CliRunner

from rednote_sim.cli import cli
from rednote_sim.store import Store

NOTE = "Great class today.\nNext time: 早C晚A and the cat tax.\n\nAsk Maddie about Biscuit."


def test_a_note_of_several_lines_keeps_one_row(tmp_path: Path) -> None:
    db = tmp_path / "s.db"

    async def record() -> None:
        async with await Store.open(db) as store:
            for sid in ("arrival-1", "homework-1"):
                await store.create_session(sid.split("-")[0], session_id=sid)
            await store.set_session_note("arrival-1", NOTE)
            await store.set_session_note("homework-1", "x" * 200)

    asyncio.run(record())
    result = CliRunner().invoke(cli, ["sessions", "--db", str(db)])
    assert result.exit_code == 0, result.output
    rows = result.output.splitlines()
    assert len(rows) == 3  # the header and one row per session
    (arrival,) = [row for row in rows if row.startswith("arrival-1")]
    assert arrival.rstrip().endswith("Great class today. …")
    assert "Next time" not in result.output
    (homework,) = [row for row in rows if row.startswith("homework-1")]
    assert homework.rstrip().endswith("x" * 59 + "…")

    listed = CliRunner().invoke(cli, ["sessions", "--json", "--db", str(db)])
    assert {s["id"]: s["note"] for s in json.loads(listed.output)}["arrival-1"] == NOTE
