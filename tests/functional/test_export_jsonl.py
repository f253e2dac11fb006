"""JSONL export/import with workshop data: lossless round trips, clear errors, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rednote_sim.errors import ContentError
from rednote_sim.export.formats import export_session
from rednote_sim.export.jsonl_io import export_jsonl, import_jsonl
from rednote_sim.store import Store
from rednote_sim.store.workshop_repo import WorkshopRepo
from tests.conftest import WorkshopSession


async def _export(db: Path, ref: str) -> str:
    async with await Store.open(db) as store:
        return await export_jsonl(store, (await store.get_session(ref)).id)


def _records(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


async def test_workshop_records_are_exported(workshop_session: WorkshopSession) -> None:
    records = _records(await _export(workshop_session.db, workshop_session.session_id))
    kinds = [r["type"] for r in records]
    assert kinds[0] == "session"
    assert kinds.count("vocab") == 6 and kinds.count("mt_error") == 2
    assert kinds.count("quiz_answer") == 2
    # Workshop records come after everything they point at.
    assert kinds.index("vocab") > max(i for i, k in enumerate(kinds) if k == "message")
    assert records[0]["note"] == workshop_session.note
    vocab = next(r for r in records if r["type"] == "vocab")
    assert vocab == {
        "type": "vocab",
        "session": workshop_session.session_id,
        "seq": 6,
        "author": "",
        "lang": "zh",
        "term": "救命",
        "pinyin": "jiùmìng",
        "translation": "help! / OMG",
        "translation_source": "user",
        "note": "",
        "created_at": "2025-01-14T10:00:00Z",
    }
    assert {"type": "marker", "kind": "user"}.items() <= next(
        r for r in records if r["type"] == "marker" and r["kind"] == "user"
    ).items()


async def test_export_import_export_is_identical(
    workshop_session: WorkshopSession, tmp_path: Path
) -> None:
    first = await _export(workshop_session.db, workshop_session.session_id)
    file = tmp_path / "session.jsonl"
    file.write_text(first, encoding="utf-8")
    async with await Store.open(tmp_path / "fresh.db") as store:
        imported = await import_jsonl(store, file)
        assert imported.id == workshop_session.session_id
        second = await export_jsonl(store, imported.id)
    assert second == first


async def test_importing_beside_the_original_repoints_workshop_records(
    workshop_session: WorkshopSession, tmp_path: Path
) -> None:
    text = await _export(workshop_session.db, workshop_session.session_id)
    file = tmp_path / "again.jsonl"
    file.write_text(text, encoding="utf-8")
    async with await Store.open(workshop_session.db) as store:
        copy = await import_jsonl(store, file)
        assert copy.id == f"{workshop_session.session_id}-imported"
        repo = WorkshopRepo.of(store)
        original = await repo.vocab(workshop_session.session_id)
        copied = await repo.vocab(copy.id)
        assert [v.model_copy(update={"session": "x"}) for v in copied] == [
            v.model_copy(update={"session": "x"}) for v in original
        ]
        assert len(await repo.mt_errors(copy.id)) == 2
        assert len(await repo.quiz_answers(copy.id)) == 2
        # The copy exports like the original, apart from its id.
        again = await export_jsonl(store, copy.id)
    assert again.replace(copy.id, workshop_session.session_id) == text


async def test_export_session_writes_jsonl_to_a_file(
    workshop_session: WorkshopSession, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    async with await Store.open(workshop_session.db) as store:
        summary, written = await export_session(store, "latest", "jsonl", out)
    assert written == out and summary.startswith(f"wrote {out}")
    assert _records(out.read_text(encoding="utf-8"))[0]["type"] == "session"


def _with(text: str, *extra: dict[str, object]) -> str:
    return text + "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in extra)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            {"type": "vocab", "seq": 999, "lang": "zh", "term": "猫", "created_at": "2025-01-14"},
            "a vocab entry names missing message 999",
        ),
        (
            {"type": "mt_error", "seq": 998, "created_at": "2025-01-14T00:00:00Z"},
            "an mt_error mark names missing message 998",
        ),
        (
            {"type": "quiz_answer", "seq": 1, "answer": "  ", "created_at": "2025-01-14"},
            "a quiz_answer record has a blank answer",
        ),
        (
            {"type": "vocab", "seq": 6, "lang": "zh", "term": "救命", "created_at": "2025-01-14"},
            "vocab entry '救命' (zh) appears more than once",
        ),
        (
            {"type": "mt_error", "seq": 6, "created_at": "2025-01-14T00:00:00Z"},
            "message 6 is marked as an mt_error more than once",
        ),
        (
            {"type": "vocab", "seq": 6, "lang": "fr", "term": "chat", "created_at": "2025-01-14"},
            "lang:",
        ),
    ],
)
async def test_bad_workshop_records_are_named_and_nothing_is_imported(
    workshop_session: WorkshopSession, tmp_path: Path, record: dict[str, object], message: str
) -> None:
    text = await _export(workshop_session.db, workshop_session.session_id)
    record = {"session": workshop_session.session_id, **record}
    file = tmp_path / "bad.jsonl"
    file.write_text(_with(text, record), encoding="utf-8")
    async with await Store.open(tmp_path / "fresh.db") as store:
        with pytest.raises(ContentError) as caught:
            await import_jsonl(store, file)
        assert message in str(caught.value)
        assert str(file) in str(caught.value)
        assert await store.list_sessions() == []


async def test_a_failure_while_writing_workshop_data_leaves_no_session(
    workshop_session: WorkshopSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "s.jsonl"
    file.write_text(await _export(workshop_session.db, "latest"), encoding="utf-8")

    async def broken(*_: object, **__: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("rednote_sim.export.jsonl_io.insert_workshop_records", broken)
    async with await Store.open(tmp_path / "fresh.db") as store:
        with pytest.raises(OSError, match="disk full"):
            await import_jsonl(store, file)
        assert await store.list_sessions() == []


async def test_files_without_workshop_records_still_import(
    workshop_session: WorkshopSession, tmp_path: Path
) -> None:
    text = await _export(workshop_session.db, "latest")
    plain = "".join(
        line + "\n"
        for line in text.splitlines()
        if json.loads(line)["type"] not in ("vocab", "mt_error", "quiz_answer")
    )
    file = tmp_path / "plain.jsonl"
    file.write_text(plain, encoding="utf-8")
    async with await Store.open(tmp_path / "fresh.db") as store:
        session = await import_jsonl(store, file)
        assert await WorkshopRepo.of(store).vocab(session.id) == []
        assert await export_jsonl(store, session.id) == plain
