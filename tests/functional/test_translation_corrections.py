"""The memory that learns from the class (issue 12, item 5).

A teacher marks a machine translation as an MT error and writes the better one:
it is stored as a human translation ("human · corrected in class", the machine
output kept), and the next time the same text, or the same sentence, comes up
it is used again. Real SQLite files; the real zh->en model where a translation
is made.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rednote_sim.cli import cli
from rednote_sim.domain import Glossary, Message, Translation
from rednote_sim.errors import UserError
from rednote_sim.export.jsonl_io import export_jsonl, import_jsonl
from rednote_sim.store import Store
from rednote_sim.store.workshop_repo import WorkshopRepo
from rednote_sim.translate import TranslationService

ZH_EN = "argos:translate-zh_en@1.9"
AT = datetime(2025, 1, 20, 10, 0, tzinfo=UTC)


async def _session_with(store: Store, *messages: tuple[str, Translation | None]) -> str:
    session = await store.create_session("arrival", title="t")
    for seq, (text, translation) in enumerate(messages, start=1):
        await store.add_message(
            Message(
                session=session.id,
                seq=seq,
                t=float(seq),
                persona="ating",
                name="阿婷",
                lang="zh",
                text=text,
                translation=translation,
                reference="Help!" if seq == 1 else None,
            )
        )
    return session.id


MACHINE = Translation(lang="en", text="Family, don't panic.", engine=ZH_EN)


async def test_a_correction_replaces_the_rendering_and_keeps_the_machine_output(
    tmp_path: Path,
) -> None:
    async with await Store.open(tmp_path / "c.db") as store:
        sid = await _session_with(store, ("家人们别慌", MACHINE))
        repo = WorkshopRepo.of(store)
        correction, message = await repo.correct_translation(
            sid, 1, "en", " Folks, don't panic ", "fam!"
        )
        assert correction.text == "Folks, don't panic" and correction.machine == MACHINE.text
        stored = await store.message(sid, 1)
        assert stored == message
        assert stored.translation == Translation(
            lang="en",
            text="Folks, don't panic",
            engine=ZH_EN,
            origin="corrected",
            machine="Family, don't panic.",
        )
        assert stored.translation.label == "human · corrected in class"
        assert await store.tm_corrections() == [("en", "家人们别慌", "Folks, don't panic")]
        # Correcting again replaces the text; the machine output is still the model's.
        await repo.correct_translation(sid, 1, "en", "Don't panic, folks", at=AT)
        again = await store.message(sid, 1)
        assert again is not None and again.translation is not None
        assert (again.translation.text, again.translation.machine) == (
            "Don't panic, folks",
            MACHINE.text,
        )
        assert len(await repo.translation_corrections(sid)) == 1
        # Removing it shows the machine output again.
        restored = await repo.uncorrect_translation(sid, 1, "en")
        assert restored is not None and restored.translation == MACHINE
        assert await store.tm_corrections() == []
        assert await repo.uncorrect_translation(sid, 1, "en") is None


async def test_only_machine_renderings_can_be_corrected(tmp_path: Path) -> None:
    reference = Translation(lang="en", text="Help!", engine="script")
    async with await Store.open(tmp_path / "c.db") as store:
        sid = await _session_with(store, ("救命", reference), ("你好", None))
        repo = WorkshopRepo.of(store)
        with pytest.raises(UserError, match="human reference"):
            await repo.correct_translation(sid, 1, "en", "Save me")
        with pytest.raises(UserError, match="no translation into en"):
            await repo.correct_translation(sid, 2, "en", "Hi")
        with pytest.raises(UserError, match="no translation into zh"):
            await repo.correct_translation(
                sid, 2, "zh", "你好"
            )  # a Chinese line is read as written
        with pytest.raises(UserError, match="empty"):
            await repo.correct_translation(sid, 1, "en", "  ")
        with pytest.raises(UserError, match="no message #9"):
            await repo.correct_translation(sid, 9, "en", "x")
        assert await repo.translation_corrections(sid) == []


@pytest.mark.model
async def test_the_service_reuses_corrections_for_the_same_text_and_sentence(
    zh_en_models_dir: Path, tmp_path: Path
) -> None:
    async with await Store.open(tmp_path / "m.db") as store:
        sid = await _session_with(store, ("家人们别慌", MACHINE))
        await WorkshopRepo.of(store).correct_translation(sid, 1, "en", "Folks, don't panic")
        # A new service (a later session): it reads the class's corrections from the store.
        service = TranslationService(glossary=Glossary(), models_dir=zh_en_models_dir, memory=store)
        try:
            same = await service.translate("家人们别慌", source="zh")
            spaced = await service.translate(" 家人们别慌！", source="zh")
            longer = await service.translate("家人们别慌！我们都在这里。", source="zh")
            other = await service.translate("我们都在这里。", source="zh")
            service.learn("en", "我们都在这里。", "We're all right here.")
            learned = await service.translate("我们都在这里。", source="zh")
        finally:
            await service.aclose()
    for outcome in (same, spaced):
        assert outcome.translation is not None and outcome.translation.origin == "corrected"
        assert outcome.translation.text == "Folks, don't panic"
        assert outcome.translation.machine and outcome.translation.machine != "Folks, don't panic"
        assert outcome.translation.label == "human · corrected in class"
    # The corrected sentence is reused inside a longer message; the rest is machine.
    assert longer.translation is not None
    assert longer.translation.text.startswith("Folks, don't panic! ")
    assert longer.translation.origin == "machine" and longer.translation.machine
    assert "sentences corrected in class" in longer.translation.label
    assert other.translation is not None and other.translation.origin == "machine"
    assert other.translation.machine is None
    assert learned.translation is not None and learned.translation.origin == "corrected"


def _run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


@pytest.mark.model
def test_a_class_correction_is_used_in_the_next_session_and_exported(
    zh_en_models_dir: Path, tmp_path: Path
) -> None:
    db = tmp_path / "class.db"
    env = {"RNSIM_MODELS_DIR": str(zh_en_models_dir), "RNSIM_DB": str(db)}
    demo = ("demo", "--headless", "--jsonl", "--speed", "max", "--seed", "5")
    first = _run(env, *demo)
    assert first.exit_code == 0, first.output
    eyes = next(json.loads(r) for r in first.stdout.splitlines() if "救命，一觉醒来" in r)
    assert eyes["translation"]["origin"] == "machine"
    better = "Help! I woke up and my whole RedNote feed is in English?? My eyes!"

    async def teacher_corrects() -> None:
        async with await Store.open(db) as store:
            repo = WorkshopRepo.of(store)
            await repo.mark_mt_error(eyes["session"], eyes["seq"], "woke up")
            await repo.correct_translation(eyes["session"], eyes["seq"], "en", better, "woke up")

    asyncio.run(teacher_corrects())

    second = _run(env, *demo)  # the next class: same scenario, a new session
    assert second.exit_code == 0, second.output
    again = next(json.loads(r) for r in second.stdout.splitlines() if "救命，一觉醒来" in r)
    assert again["session"] != eyes["session"]
    assert again["translation"]["text"] == better
    assert again["translation"]["origin"] == "corrected"
    assert again["translation"]["machine"] == eyes["translation"]["text"]
    printed = _run(env, "replay", again["session"], "--headless", "--speed", "max")
    assert f"⤷ en: {better}   [human · corrected in class]" in printed.output
    assert f"machine said: {eyes['translation']['text']}" in printed.output
    handout = _run(env, "export", again["session"], "--format", "md")
    assert "human · corrected in class" in handout.output
    assert "*Machine said:*" in handout.output

    async def export() -> str:
        async with await Store.open(db) as store:
            return await export_jsonl(store, eyes["session"])

    exported = asyncio.run(export())
    records = [json.loads(line) for line in exported.splitlines()]
    (correction,) = [r for r in records if r["type"] == "translation_correction"]
    assert (correction["seq"], correction["lang"], correction["text"]) == (
        eyes["seq"],
        "en",
        better,
    )
    assert correction["machine"] == eyes["translation"]["text"] and correction["note"] == "woke up"
    path = tmp_path / "class.jsonl"
    path.write_text(exported, encoding="utf-8")

    async def import_elsewhere() -> None:
        async with await Store.open(tmp_path / "elsewhere.db") as other:
            imported = await import_jsonl(other, path)
            assert await export_jsonl(other, imported.id) == exported
            # The imported class's corrections teach this database's translator too.
            assert ("en", eyes["text"], better) in await other.tm_corrections()

    asyncio.run(import_elsewhere())


async def test_bad_translation_correction_records_are_named_and_nothing_is_imported(
    tmp_path: Path,
) -> None:
    from rednote_sim.errors import ContentError

    async with await Store.open(tmp_path / "a.db") as store:
        sid = await _session_with(store, ("家人们别慌", MACHINE))
        await WorkshopRepo.of(store).correct_translation(sid, 1, "en", "Folks, don't panic")
        exported = await export_jsonl(store, sid)
    lines = exported.splitlines()
    (record,) = [line for line in lines if '"translation_correction"' in line]
    orphan = record.replace('"seq": 1', '"seq": 7')
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join([*lines, record, orphan]) + "\n", encoding="utf-8")
    async with await Store.open(tmp_path / "b.db") as other:
        with pytest.raises(ContentError) as caught:
            await import_jsonl(other, path)
        assert await other.list_sessions() == []
    problems = str(caught.value)
    first = lines.index(record) + 1
    assert f"{path}:{len(lines) + 1}: seq: message 1 has more than one translation_correction" in (
        problems
    )
    assert f"(first on line {first})" in problems
    assert f"{path}:{len(lines) + 2}: seq: a translation_correction names" in problems
