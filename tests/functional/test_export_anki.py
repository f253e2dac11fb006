"""The Anki deck as a real .apkg: its SQLite notes, fields, GUIDs, model and deck ids."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest

from rednote_sim.content import load_cast
from rednote_sim.domain import Message, Translation
from rednote_sim.domain.terms import has_han
from rednote_sim.export.anki import FIELDS, MODEL_ID, deck_id
from rednote_sim.export.formats import export_session
from rednote_sim.lang.pinyin import pinyin
from rednote_sim.lang.segment import glossary_segmenter
from rednote_sim.lang.sources import room_dictionary
from rednote_sim.store import Store
from rednote_sim.store.workshop_repo import WorkshopRepo
from rednote_sim.workshop.vocab import make_entry
from tests.conftest import LONG_ZH, WorkshopSession, build_workshop_session


class Apkg:
    """What an .apkg holds: notes (guid -> fields), tags, note types and decks."""

    def __init__(self, path: Path, tmp: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            assert "media" in names
            name = next(n for n in ("collection.anki21", "collection.anki2") if n in names)
            archive.extract(name, tmp)
        with sqlite3.connect(tmp / name) as db:
            rows = db.execute("SELECT guid, mid, flds, tags FROM notes ORDER BY id").fetchall()
            models, decks = db.execute("SELECT models, decks FROM col").fetchone()
            self.cards = db.execute("SELECT COUNT(*) FROM cards").fetchone()[0]
        self.guids = [r[0] for r in rows]
        self.model_ids = {r[1] for r in rows}
        self.notes = {r[0]: dict(zip(FIELDS, r[2].split("\x1f"), strict=True)) for r in rows}
        self.tags = {r[0]: set(r[3].split()) for r in rows}
        self.models = json.loads(models)
        self.decks = json.loads(decks)

    def by_chinese(self, chinese: str, kind: str) -> dict[str, str]:
        matches = [
            fields
            for guid, fields in self.notes.items()
            if fields["Chinese"] == chinese and f"rednote-sim::{kind}" in self.tags[guid]
        ]
        assert len(matches) == 1, (chinese, kind, len(matches))
        return matches[0]


async def _export(db: Path, out: Path | None, personas_dir: Path, ref: str = "latest") -> Path:
    async with await Store.open(db) as store:
        summary, written = await export_session(
            store, ref, "anki", out, cast=load_cast(personas_dir)
        )
    assert written is not None and written.is_file()
    assert summary.startswith(f"wrote {written}")
    return written


async def test_the_deck_holds_the_phrasebook_and_every_chinese_line(
    workshop_session: WorkshopSession, personas_dir: Path, tmp_path: Path
) -> None:
    deck = Apkg(await _export(workshop_session.db, tmp_path / "d.apkg", personas_dir), tmp_path)
    cast = load_cast(personas_dir)
    scenario = cast.scenarios["arrival"]
    zh_beats = [b for b in scenario.beats if cast.personas[b.persona].language == "zh"]
    sentences = list(dict.fromkeys([b.text for b in zh_beats] + [LONG_ZH]))
    # Phrasebook: five entries with Chinese; "hilarious" has none yet, so no card.
    assert len(deck.notes) == 5 + len(sentences)
    assert deck.cards == len(deck.notes)  # one card (Chinese -> English) per note
    assert deck.model_ids == {MODEL_ID}

    jiuming = deck.by_chinese("救命", "vocab")
    assert (jiuming["Pinyin"], jiuming["English"]) == ("jiùmìng", "help! / OMG")
    assert jiuming["Example"].startswith("救命，一觉醒来我的小红书怎么全是英文？？")
    assert "<br>Help, I woke up" in jiuming["Example"]
    assert "阿婷" in jiuming["Notes"]
    assert deck.by_chinese("笑死", "vocab")["English"] == "lmfaooo"
    # Fields are HTML: text that looks like markup is escaped.
    assert deck.by_chinese("&lt;i&gt;粗&lt;/i&gt;", "vocab")["English"] == "&lt;b&gt;bold&lt;/b&gt;"

    seg = glossary_segmenter(cast.glossary)
    eyes = next(b for b in zh_beats if b.key == "eyes")
    line = deck.by_chinese(eyes.text, "sentence")
    assert line["Pinyin"] == pinyin(eyes.text, seg)
    assert line["English"] == eyes.reference  # the human reference before the machine
    assert "阿婷" in line["Notes"] and "jiùmìng" in line["Notes"]  # the cultural note
    long_line = deck.by_chinese(LONG_ZH, "sentence")
    assert long_line["English"].startswith("HaHa")
    assert "machine · Argos translate-zh_en 1.9" in long_line["Notes"]
    for guid, fields in deck.notes.items():
        assert has_han(fields["Chinese"]), fields
        assert {"rednote-sim", "scenario::arrival"} <= deck.tags[guid]


async def test_model_and_deck_ids_are_stable(
    workshop_session: WorkshopSession, personas_dir: Path, tmp_path: Path
) -> None:
    deck = Apkg(await _export(workshop_session.db, tmp_path / "d.apkg", personas_dir), tmp_path)
    model = deck.models[str(MODEL_ID)]
    # The first five fields keep their places (existing notes); the later ones follow.
    assert [f["name"] for f in model["flds"]] == [
        "Chinese",
        "Pinyin",
        "English",
        "Example",
        "Notes",
        "HanziTones",
        "PinyinTones",
        "MeasureWords",
        "HSK",
        "Scenario",
        "Previous",
        "Next",
    ]
    assert deck.decks[str(deck_id("arrival"))]["name"] == (
        "rednote-sim::Arrival: day one of the migration"
    )
    assert deck_id("arrival") == deck_id("arrival") != deck_id("cat-tax")
    assert 1 << 30 <= deck_id("arrival") < 1 << 31


async def test_guids_are_stable_across_exports_and_sessions(
    workshop_session: WorkshopSession, personas_dir: Path, tmp_path: Path
) -> None:
    first = Apkg(await _export(workshop_session.db, tmp_path / "1.apkg", personas_dir), tmp_path)
    (tmp_path / "again").mkdir()
    second = Apkg(
        await _export(workshop_session.db, tmp_path / "2.apkg", personas_dir), tmp_path / "again"
    )
    assert second.guids == first.guids
    assert len(set(first.guids)) == len(first.guids)
    guid = genanki.guid_for("rednote-sim", "vocab", "救命")
    assert first.notes[guid]["Chinese"] == "救命"

    # Editing an entry keeps its card: the re-export updates it in Anki.
    async with await Store.open(workshop_session.db) as store:
        repo = WorkshopRepo.of(store)
        entry = await repo.get_vocab(workshop_session.session_id, "zh", "救命")
        assert entry is not None
        await repo.save_vocab(entry.model_copy(update={"translation": "save me!"}))
    (tmp_path / "edited").mkdir()
    edited = Apkg(
        await _export(workshop_session.db, tmp_path / "3.apkg", personas_dir), tmp_path / "edited"
    )
    assert edited.guids == first.guids
    assert edited.notes[guid]["English"] == "save me!"

    # Another session of the same scenario: the same sentences are the same notes.
    other_db = tmp_path / "other.db"
    await build_workshop_session(other_db, personas_dir)
    (tmp_path / "other").mkdir()
    other = Apkg(await _export(other_db, tmp_path / "4.apkg", personas_dir), tmp_path / "other")
    assert set(other.guids) == set(first.guids)


async def test_an_unannotated_session_still_gives_sentence_cards(
    personas_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "plain.db"
    async with await Store.open(db) as store:
        session = await store.create_session("homework", title="Homework", session_id="hw-1")
        lines = [
            ("en", "can someone check my homework"),
            ("zh", "发过来我看看"),
            ("zh", "发过来我看看"),
        ]
        for seq, (lang, text) in enumerate(lines, start=1):
            await store.add_message(
                Message(
                    session=session.id,
                    seq=seq,
                    t=float(seq),
                    persona="p",
                    name="P",
                    lang=lang,
                    text=text,
                )
            )
        await store.set_translation(
            session.id, 2, Translation(lang="en", text="Send it over", engine="argos:x@1"), None
        )
    monkeypatch.chdir(tmp_path)
    written = await _export(db, None, personas_dir, ref="hw-1")
    assert written == Path("hw-1.apkg")  # the default name, in the current directory
    deck = Apkg(tmp_path / written, tmp_path)
    # One card for the repeated Chinese line; the English line makes none.
    assert [n["Chinese"] for n in deck.notes.values()] == ["发过来我看看"]
    (note,) = deck.notes.values()
    assert (note["Pinyin"], note["English"]) == (pinyin("发过来我看看"), "Send it over")
    assert note["Pinyin"].endswith("wǒ kànkàn")


async def _export_with(
    workshop_session: WorkshopSession, personas_dir: Path, out: Path, *, tone_colours: bool
) -> Path:
    async with await Store.open(workshop_session.db) as store:
        _, written = await export_session(
            store, "latest", "anki", out, cast=load_cast(personas_dir), tone_colours=tone_colours
        )
    assert written is not None
    return written


async def test_cards_carry_tone_colours_measure_words_hsk_scenario_and_context(
    workshop_session: WorkshopSession, personas_dir: Path, tmp_path: Path
) -> None:
    cast = load_cast(personas_dir)
    dictionary = room_dictionary(cast.glossary, cast.slang)
    async with await Store.open(workshop_session.db) as store:
        messages = await store.messages(workshop_session.session_id)
        eyes = next(m for m in messages if m.text.startswith("救命，一觉醒来"))
        await WorkshopRepo.of(store).save_vocab(
            make_entry(eyes, "猫", glossary=cast.glossary, entry=dictionary.best("猫"))
        )
    deck = Apkg(
        await _export_with(workshop_session, personas_dir, tmp_path / "t.apkg", tone_colours=True),
        tmp_path,
    )
    model = deck.models[str(MODEL_ID)]
    assert [f["name"] for f in model["flds"]] == list(FIELDS)
    assert list(FIELDS[:5]) == ["Chinese", "Pinyin", "English", "Example", "Notes"]
    assert ".tone1 { color: #E30000; }" in model["css"]
    assert ".nightMode .tone3" in model["css"]

    jiuming = deck.by_chinese("救命", "vocab")
    assert jiuming["HanziTones"] == '<span class="tone4">救</span><span class="tone4">命</span>'
    assert jiuming["PinyinTones"] == '<span class="tone4">jiù</span><span class="tone4">mìng</span>'
    best = dictionary.best("救命")
    assert best is not None and jiuming["HSK"] == best.hsk_label("2025") == "HSK 6"
    assert jiuming["Scenario"] == cast.scenarios["arrival"].title
    at = [m.seq for m in messages].index(eyes.seq)
    before, after = messages[at - 1], messages[at + 1]
    assert jiuming["Previous"].startswith(f"{before.name}: ")
    assert jiuming["Next"].startswith(f"{after.name}: ")

    cat = deck.by_chinese("猫", "vocab")
    assert cat["MeasureWords"] == "measure word: 只 (隻) zhī"
    assert cat["HSK"] == "HSK 1"
    assert cat["PinyinTones"] == '<span class="tone1">māo</span>'

    line = deck.by_chinese(eyes.text, "sentence")
    assert line["HanziTones"].startswith(
        '<span class="tone4">救</span><span class="tone4">命</span>，'
    )
    assert '<span class="tone3">wǒ</span>' in line["PinyinTones"]
    assert line["HSK"] == ""  # a line's level is the HSK feature's to fill
    assert line["Previous"] == jiuming["Previous"] and line["Next"] == jiuming["Next"]


async def test_without_tone_colours_the_fields_hold_plain_text_and_guids_stay(
    workshop_session: WorkshopSession, personas_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    coloured = Apkg(
        await _export_with(workshop_session, personas_dir, tmp_path / "a.apkg", tone_colours=True),
        out,
    )
    again = Apkg(
        await _export_with(workshop_session, personas_dir, tmp_path / "b.apkg", tone_colours=True),
        tmp_path,
    )
    assert again.guids == coloured.guids  # re-exporting updates the same notes
    plain = Apkg(
        await _export_with(workshop_session, personas_dir, tmp_path / "c.apkg", tone_colours=False),
        tmp_path / "out",
    )
    assert plain.guids == coloured.guids
    jiuming = plain.by_chinese("救命", "vocab")
    assert (jiuming["HanziTones"], jiuming["PinyinTones"]) == ("救命", "jiùmìng")
    assert all("<span" not in f["PinyinTones"] for f in plain.notes.values())
