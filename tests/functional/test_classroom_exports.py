"""Exports of a class: participants listed, each guest credited (JSONL, Markdown, HTML).

A live room on a real SQLite file gets a class's work the way the host writes
it (``room.say`` as a guest, ``room.classwork`` with the guest as author).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from rednote_sim.content import load_cast
from rednote_sim.domain.workshop import VocabEntry
from rednote_sim.export.handout import collect
from rednote_sim.export.html_handout import render_html
from rednote_sim.export.jsonl_io import export_jsonl, import_jsonl
from rednote_sim.export.md_handout import render_markdown
from rednote_sim.sim import LiveRoom, VirtualClock
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.store import Store
from rednote_sim.store.classroom_repo import ClassroomRepo
from rednote_sim.store.workshop_repo import WorkshopRepo
from tests.support.translate_stubs import StubTranslator, stub_service

EVE = "<b>Eve</b> & co"
"""A guest name that looks like markup (valid: text is data)."""


async def _class_session(db: Path, personas_dir: Path) -> str:
    cast = load_cast(personas_dir)
    async with await Store.open(db) as store:
        room = await LiveRoom.start(
            store=store,
            translator=stub_service(
                cast.glossary, StubTranslator("zh", "en"), StubTranslator("en", "zh")
            ),
            cast=cast,
            scenario=cast.scenarios["arrival"],
            clock=VirtualClock(MAX_SPEED),
            seed=2,
        )
        await room.run()
        sid = room.session.id
        classroom = ClassroomRepo.of(store)
        assert await classroom.join(sid, "Ana") == "Ana"
        assert await classroom.join(sid, "Cleo") == "Cleo"  # joined, did nothing
        hello = await room.say("hello, I'm Ana 你好", guest="Ana")
        bob = await room.say("我是Bob", guest="Bob")  # `say` only: no guests row
        eve = await room.say("hi", guest=EVE)
        assert hello and bob and eve
        await room.drain()
        work = room.classwork
        await work.add_answer(1, "Ana's own translation", author="Ana")
        await work.add_answer(1, "the host's translation")
        await work.save_vocab(
            VocabEntry(
                session=sid,
                seq=1,
                author="Ana",
                lang="zh",
                term="你好",
                translation="hello",
                created_at=datetime(2025, 1, 14, tzinfo=UTC),
            )
        )
        await work.save_vocab(
            VocabEntry(
                session=sid,
                seq=1,
                lang="zh",
                term="你好",
                translation="hi (host)",
                created_at=datetime(2025, 1, 14, tzinfo=UTC),
            )
        )
        await work.correct_line(bob.seq, "我是Bob！", "an exclamation", author=EVE)
        return sid


async def test_jsonl_lists_participants_and_round_trips(tmp_path: Path, personas_dir: Path) -> None:
    sid = await _class_session(tmp_path / "class.db", personas_dir)
    async with await Store.open(tmp_path / "class.db") as store:
        first = await export_jsonl(store, sid)
    records = [json.loads(line) for line in first.splitlines()]
    participants = [r for r in records if r["type"] == "participant"]
    assert [(p["name"], p["joined_at"] is not None) for p in participants] == [
        ("Ana", True),
        ("Cleo", True),
        ("Bob", False),
        (EVE, False),
    ]
    authors = {(r["type"], r["author"]) for r in records if "author" in r}
    assert {("vocab", "Ana"), ("vocab", ""), ("quiz_answer", "Ana"), ("correction", EVE)} <= authors
    guest_lines = [
        r for r in records if r["type"] == "message" and r["persona"].startswith("guest:")
    ]
    assert [r["name"] for r in guest_lines] == ["Ana", "Bob", EVE]

    file = tmp_path / "class.jsonl"
    file.write_text(first, encoding="utf-8")
    async with await Store.open(tmp_path / "fresh.db") as store:
        imported = await import_jsonl(store, file)
        second = await export_jsonl(store, imported.id)
        answers = await WorkshopRepo.of(store).quiz_answers(imported.id)
    assert second == first
    assert [a.author for a in answers] == ["Ana", ""]


async def test_a_file_without_participants_still_imports(
    tmp_path: Path, personas_dir: Path
) -> None:
    sid = await _class_session(tmp_path / "class.db", personas_dir)
    async with await Store.open(tmp_path / "class.db") as store:
        text = await export_jsonl(store, sid)
    older = "".join(
        line + "\n" for line in text.splitlines() if json.loads(line)["type"] != "participant"
    )
    file = tmp_path / "older.jsonl"
    file.write_text(older, encoding="utf-8")
    async with await Store.open(tmp_path / "fresh.db") as store:
        imported = await import_jsonl(store, file)
        names = [p.name for p in await ClassroomRepo.of(store).participants(imported.id)]
    # Those who did something are found from what they did; Cleo only joined.
    assert names == ["Ana", "Bob", EVE]


async def test_handouts_credit_each_guest(tmp_path: Path, personas_dir: Path) -> None:
    sid = await _class_session(tmp_path / "class.db", personas_dir)
    cast = load_cast(personas_dir)
    async with await Store.open(tmp_path / "class.db") as store:
        handout = await collect(store, sid, cast)
    summaries = {p.name: p.summary for p in handout.participants}
    assert summaries == {
        "Ana": "1 message · 1 quiz answer · 1 phrasebook entry",
        "Cleo": "joined",
        "Bob": "1 message",
        EVE: "1 message · 1 correction",
    }
    md = render_markdown(handout)
    assert "## Participants" in md
    assert "- **Ana** (guest) — 1 message · 1 quiz answer · 1 phrasebook entry" in md
    assert "- **\\<b\\>Eve\\</b\\> \\& co** (guest) — 1 message · 1 correction" in md
    assert "✎ **Ana's translation:** Ana's own translation" in md
    assert "✎ **Learner's translation:** the host's translation" in md
    assert "*Saved by:* Ana" in md
    assert "Ana** (guest) ·" in md  # on her message
    html = render_html(handout)
    assert '<section class="participants"><h2>Participants</h2>' in html
    assert "<b>Eve</b>" not in html and "&lt;b&gt;Eve&lt;/b&gt; &amp; co" in html
    assert "<b>Ana's translation:</b>" in html
    assert "<b>Saved by:</b> Ana" in html
    assert '<span class="handle guest">guest</span>' in html


async def test_a_session_without_guests_has_no_participants_section(
    tmp_path: Path, personas_dir: Path
) -> None:
    cast = load_cast(personas_dir)
    async with await Store.open(tmp_path / "solo.db") as store:
        room = await LiveRoom.start(
            store=store,
            translator=stub_service(cast.glossary, StubTranslator("zh", "en")),
            cast=cast,
            scenario=cast.scenarios["arrival"],
            clock=VirtualClock(MAX_SPEED),
            seed=2,
        )
        await room.run()
        await room.say("hello")
        await room.drain()
        handout = await collect(store, room.session.id, cast)
        records = await export_jsonl(store, room.session.id)
    assert handout.participants == []
    assert "Participants" not in render_markdown(handout)
    assert '"type":"participant"' not in records.replace(" ", "")
