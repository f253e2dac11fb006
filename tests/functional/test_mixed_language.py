"""Messages that mix the languages are readable by both readers (issue 8, item 2).

The English reader gets the Chinese parts machine-translated (real zh->en model),
the Chinese reader the English parts in Chinese (the tiny real en->zh package, or
the human reference when it is Chinese). Both renderings are stored, replayed,
exported (``translations`` in the JSONL record), labelled, and kept in the Anki deck.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rednote_sim.cli import cli
from rednote_sim.content import load_cast
from rednote_sim.domain import Cast, Message
from rednote_sim.domain.terms import HAN
from rednote_sim.export.anki import cards
from rednote_sim.export.formats import export_session
from rednote_sim.export.handout import collect
from rednote_sim.export.jsonl_io import export_jsonl, import_jsonl
from rednote_sim.headless import format_message
from rednote_sim.sim import LiveRoom, ReplayRoom, VirtualClock
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.store import Store
from rednote_sim.translate import TranslationService

pytestmark = pytest.mark.model

ZH_EN = "argos:translate-zh_en@1.9"
EN_ZH = "argos:translate-en_zh@0.1"


@pytest.fixture(scope="module")
def cast(personas_dir: Path) -> Cast:
    return load_cast(personas_dir)


async def test_an_english_line_gets_its_chinese_parts_translated(
    zh_en_models_dir: Path, cast: Cast
) -> None:
    service = TranslationService(glossary=cast.glossary, models_dir=zh_en_models_dir)
    try:
        text = "two apps, one heart ❤️ 我不走！"
        own = await service.translate(text, source="en", target="en")
        other = await service.translate(text, source="en", target="zh")
    finally:
        await service.aclose()
    assert own.parts and own.translation is not None and own.error is None
    assert own.translation.engine == ZH_EN and own.translation.origin == "machine"
    shown = own.translation.text
    assert shown.startswith("two apps, one heart ❤️ ")  # the English is kept as written
    assert not HAN.search(shown), shown  # and the Chinese part is English now
    assert "leav" in shown.lower() or "go" in shown.lower(), shown  # 我不走: I'm not leaving
    # No en->zh model: the Chinese reader's rendering says why.
    assert other.translation is None and other.error is not None and "en→zh" in other.error


async def test_a_chinese_line_gets_its_english_parts_in_chinese(
    both_models_dir: Path, cast: Cast
) -> None:
    service = TranslationService(glossary=cast.glossary, models_dir=both_models_dir)
    text = "作业还没写完😭 my homework is not finished but I stay with you"
    try:
        own = await service.translate(text, source="zh", target="zh")
    finally:
        await service.aclose()
    assert own.parts and own.translation is not None
    assert own.translation.engine == EN_ZH and own.translation.lang == "zh"
    shown = own.translation.text
    assert shown.startswith("作业还没写完😭")  # the Chinese is kept as written
    assert "homework" not in shown and "stay with you" not in shown, shown


async def _record(store: Store, cast: Cast, models_dir: Path, scenario: str) -> list[Message]:
    service = TranslationService(
        glossary=cast.glossary, models_dir=models_dir, memory=store, beam_size=2
    )
    try:
        room = await LiveRoom.start(
            store=store,
            translator=service,
            cast=cast,
            scenario=cast.scenarios[scenario],
            clock=VirtualClock(MAX_SPEED),
            seed=3,
        )
        await room.run()
    finally:
        await service.aclose()
    return await store.messages(room.session.id)


def _by_beat(messages: list[Message], beat: str) -> Message:
    return next(m for m in messages if m.beat == beat)


async def test_a_live_room_stores_both_renderings_and_replays_them(
    zh_en_models_dir: Path, cast: Cast, tmp_path: Path
) -> None:
    async with await Store.open(tmp_path / "m.db") as store:
        messages = await _record(store, cast, zh_en_models_dir, "homework")
        question = _by_beat(messages, "q1")  # 第一题：The meeting ___ by the time we arrived…
        assert question.lang == "en" and question.mixed
        # The English reader: the Chinese heading machine-translated, the English kept.
        english, error = question.rendering("en")
        assert error is None and english is not None and english.origin == "machine"
        assert english.text.endswith(
            "The meeting ___ by the time we arrived. A. had finished"
            " B. has finished C. finished D. was finishing"
        )
        assert not HAN.search(english.text)
        # The Chinese reader: its reference is English, so it is no translation for them.
        chinese, error = question.rendering("zh")
        assert chinese is None and error is not None and "en→zh" in error
        assert "Chinese parts translated" in question.rendering_label("en")

        room = ReplayRoom(
            await store.get_session(question.session),
            messages,
            await store.reactions(question.session),
            await store.markers(question.session),
            VirtualClock(MAX_SPEED),
        )
        assert [m for m in room.recorded if m.seq == question.seq] == [question]


async def test_jsonl_carries_both_renderings_and_round_trips(
    zh_en_models_dir: Path, cast: Cast, tmp_path: Path
) -> None:
    async with await Store.open(tmp_path / "j.db") as store:
        messages = await _record(store, cast, zh_en_models_dir, "deadline-night")
        text = await export_jsonl(store, messages[0].session)
    records = [json.loads(line) for line in text.splitlines()]
    by_beat = {r.get("beat"): r for r in records if r["type"] == "message"}
    mixed = by_beat["b32"]  # "two apps, one heart ❤️ 我不走！"
    assert mixed["lang"] == "en"
    assert set(mixed["translations"]) == {"en", "zh"}
    assert mixed["translations"]["en"]["origin"] == "machine"
    assert mixed["translations"]["en"]["engine"] == ZH_EN
    assert mixed["translations"]["zh"] == mixed["translation"]
    assert mixed["translations"]["zh"]["origin"] == "reference"  # its Chinese reference
    plain = by_beat["b27"]  # 欢迎留下。: one language, one rendering
    assert "translations" not in plain and plain["translation"]["origin"] == "machine"

    path = tmp_path / "s.jsonl"
    path.write_text(text, encoding="utf-8")
    async with await Store.open(tmp_path / "other.db") as other:
        imported = await import_jsonl(other, path)
        again = await export_jsonl(other, imported.id)
    assert again == text


async def test_printer_handouts_and_deck_show_both_renderings_labelled(
    zh_en_models_dir: Path, cast: Cast, tmp_path: Path
) -> None:
    db = tmp_path / "h.db"
    async with await Store.open(db) as store:
        messages = await _record(store, cast, zh_en_models_dir, "cat-tax")
        handout = await collect(store, messages[0].session, cast)
        session = messages[0].session
    servant = _by_beat(messages, "b19")  # I'm a 铲屎官 for two cats and a very dramatic chihuahua
    printed = format_message(servant, cast.personas[servant.persona], None)
    assert "⤷ zh: 我是两只猫加一只戏很多的吉娃娃的铲屎官" in printed
    assert "[human reference]" in printed
    assert "⤷ en: I'm a " in printed
    assert "[machine · Argos translate-zh_en 1.9 · Chinese parts translated]" in printed

    deck = cards(handout)
    card = next(c for c in deck if c.key == servant.text)  # an English line: kept in the deck
    assert "chihuahua" in card.english and "铲屎官" not in card.english
    assert "machine · Argos translate-zh_en 1.9 · Chinese parts translated" in card.notes

    async with await Store.open(db) as store:
        await export_session(store, session, "html", tmp_path / "h.html", cast=cast)
        await export_session(store, session, "md", tmp_path / "h.md", cast=cast)
    for name in ("h.md", "h.html"):
        exported = (tmp_path / name).read_text("utf-8")
        assert "Chinese parts translated" in exported and "human reference" in exported


def test_headless_demo_prints_both_readers_renderings(
    zh_en_models_dir: Path, tmp_path: Path
) -> None:
    env = {"RNSIM_MODELS_DIR": str(zh_en_models_dir), "RNSIM_DB": str(tmp_path / "d.db")}
    args = ["demo", "--headless", "--speed", "max", "--seed", "2", "--scenario", "deadline-night"]
    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    block = next(b for b in result.output.split("\n\n") if "two apps, one heart" in b)
    assert "⤷ zh: 两个App，一颗心❤️ 我不走！   [human reference]" in block
    assert "Chinese parts translated]" in block
