"""Line corrections: the store table, the repository and the JSONL record, on real SQLite."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rednote_sim.errors import ContentError, UserError
from rednote_sim.export.jsonl_io import export_jsonl, import_jsonl
from rednote_sim.lang.diff import side, word_diff
from rednote_sim.store import Store
from rednote_sim.store.connection import migration_scripts
from rednote_sim.store.corrections_repo import CorrectionsRepo
from tests.conftest import WorkshopSession

AT = datetime(2025, 1, 14, 11, 0, tzinfo=UTC)


async def _correct(db: Path, session_id: str) -> None:
    async with await Store.open(db) as store:
        repo = CorrectionsRepo.of(store)
        await repo.correct(
            session_id, 6, "救命，我的小红书全是英文了！", note="了 at the end", at=AT
        )
        await repo.correct(session_id, 6, "救命！", author="Guest <b>", at=AT)
        await repo.correct(session_id, 1, "Hi everyone! I'm a TikTok refugee.", at=AT)


async def test_corrections_are_kept_per_line_and_author(workshop_session: WorkshopSession) -> None:
    sid = workshop_session.session_id
    await _correct(workshop_session.db, sid)
    async with await Store.open(workshop_session.db) as store:
        repo = CorrectionsRepo.of(store)
        again = await repo.correct(sid, 6, "  救命！！  ", note="second try", author="Guest <b>")
        assert again.text == "救命！！"
        line = await repo.for_line(sid, 6)
        assert [(c.author, c.text) for c in line] == [
            ("", "救命，我的小红书全是英文了！"),
            ("Guest <b>", "救命！！"),
        ]
        assert [c.seq for c in await repo.corrections(sid)] == [1, 6, 6]
        assert await repo.remove(sid, 6, "Guest <b>")
        assert not await repo.remove(sid, 6, "Guest <b>")
        with pytest.raises(UserError, match="empty"):
            await repo.correct(sid, 6, "   ")
        with pytest.raises(UserError, match="no message #999"):
            await repo.correct(sid, 999, "text")
        message = await store.message(sid, 6)
        assert message is not None
        diff = word_diff(message.text, line[0].text)
        assert side(diff, "original") == message.text
        assert {p.change for p in diff} >= {"same", "del"}


async def test_the_migration_is_additive_and_deleting_a_session_deletes_them(
    workshop_session: WorkshopSession,
) -> None:
    scripts = migration_scripts()
    assert (3, "0003_line_corrections.sql") in [(v, name) for v, name, _ in scripts]
    sid = workshop_session.session_id
    await _correct(workshop_session.db, sid)
    async with await Store.open(workshop_session.db) as store:
        assert await store.schema_version() == scripts[-1][0]
        await store.delete_session(sid)
    raw = sqlite3.connect(workshop_session.db)
    assert raw.execute("SELECT COUNT(*) FROM line_corrections").fetchone() == (0,)
    with pytest.raises(sqlite3.IntegrityError):
        raw.execute(
            "INSERT INTO line_corrections (session_id, seq, text, created_at)"
            " VALUES ('x', 1, ' ', '')"
        )
    raw.close()


async def test_jsonl_round_trip_with_corrections(
    workshop_session: WorkshopSession, tmp_path: Path
) -> None:
    sid = workshop_session.session_id
    await _correct(workshop_session.db, sid)
    async with await Store.open(workshop_session.db) as store:
        first = await export_jsonl(store, sid)
    records = [json.loads(line) for line in first.splitlines()]
    corrections = [r for r in records if r["type"] == "correction"]
    assert corrections[0] == {
        "type": "correction",
        "session": sid,
        "seq": 1,
        "text": "Hi everyone! I'm a TikTok refugee.",
        "note": "",
        "author": "",
        "created_at": "2025-01-14T11:00:00Z",
    }
    assert [c["author"] for c in corrections] == ["", "", "Guest <b>"]
    file = tmp_path / "s.jsonl"
    file.write_text(first, encoding="utf-8")
    async with await Store.open(tmp_path / "fresh.db") as store:
        copy = await import_jsonl(store, file)
        assert copy.id == sid
        assert await export_jsonl(store, copy.id) == first


def _with(first: str, *extra: dict[str, object]) -> str:
    return first + "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in extra)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            [{"type": "correction", "seq": 999, "text": "x", "created_at": "2025-01-14"}],
            "a correction names missing message 999",
        ),
        (
            [{"type": "correction", "seq": 6, "text": "  ", "created_at": "2025-01-14"}],
            "a correction record has a blank text",
        ),
        (
            [
                {"type": "correction", "seq": 6, "text": "a", "created_at": "2025-01-14"},
                {"type": "correction", "seq": 6, "text": "b", "created_at": "2025-01-14"},
            ],
            "message 6 has more than one correction without an author",
        ),
        (
            [
                {
                    "type": "correction",
                    "seq": 6,
                    "text": "a",
                    "author": "x" * 101,
                    "created_at": "2025",
                }
            ],
            "author",
        ),
    ],
)
async def test_bad_correction_records_are_refused_with_the_line(
    workshop_session: WorkshopSession,
    tmp_path: Path,
    extra: list[dict[str, object]],
    message: str,
) -> None:
    async with await Store.open(workshop_session.db) as store:
        first = await export_jsonl(store, workshop_session.session_id)
    lines = [{"session": workshop_session.session_id, **e} for e in extra]
    file = tmp_path / "bad.jsonl"
    file.write_text(_with(first, *lines), encoding="utf-8")
    async with await Store.open(tmp_path / "fresh.db") as store:
        with pytest.raises(ContentError) as caught:
            await import_jsonl(store, file)
        assert await store.list_sessions() == []  # nothing written
    assert message in str(caught.value)
    last = len(first.splitlines()) + len(extra)
    assert f"{file}:{last}:" in str(caught.value)  # the offending line of the file
