"""The Anki deck: a real ``.apkg`` made with genanki.

Re-exporting must update cards in Anki, never duplicate them, so everything
Anki matches on is stable:

- the note type (model) id is a constant; its fields are Chinese, Pinyin,
  English, Example and Notes;
- the deck id is derived from the scenario id (every session of a scenario
  feeds one deck, ``rednote-sim::<scenario title>``);
- a note's GUID is derived from what the card teaches, not from the session:
  ``guid_for("rednote-sim", kind, chinese)``. The same word saved in two
  sessions is one card, updated by the later import.

Notes are tagged ``rednote-sim``, ``scenario::<id>``, ``rednote-sim::<kind>`` and,
when the Chinese has an HSK level, ``hsk::<level>`` (``hsk::7-9`` for the band).

The deck holds the phrasebook entries that have a Chinese side and, as sentence
cards, every Chinese line of the session and every English line that mixes in
Chinese, so a session nobody annotated still gives a useful deck. A sentence
card's English is the scenario's human reference when there is one in English,
else a class correction or the machine translation (labelled).

Anki fields are HTML: every piece of text is escaped.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from html import escape
from pathlib import Path

import genanki

from rednote_sim.domain.terms import format_when
from rednote_sim.domain.workshop import VocabEntry
from rednote_sim.export.handout import Handout, Line
from rednote_sim.lang.hsk import label as hsk_label
from rednote_sim.textsafe import visible

MODEL_ID = 1_736_812_807
"""The note type's id. Never change it: Anki matches existing notes to it."""

MODEL_NAME = "rednote-sim Chinese"
FIELDS = ("Chinese", "Pinyin", "English", "Example", "Notes")
GUID_SALT = "rednote-sim"

_CSS = """
.card { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
        font-size: 22px; text-align: center; color: #1d1d1f; background: #fff; }
.zh { font-size: 40px; }
.pinyin { color: #7a3e00; font-style: italic; }
.example, .notes { font-size: 18px; color: #444; margin-top: 12px; }
"""

_FRONT = '<div class="zh">{{Chinese}}</div>'
_BACK = (
    "{{FrontSide}}<hr id=answer>"
    '<div class="pinyin">{{Pinyin}}</div>'
    "<div>{{English}}</div>"
    '{{#Example}}<div class="example">{{Example}}</div>{{/Example}}'
    '{{#Notes}}<div class="notes">{{Notes}}</div>{{/Notes}}'
)


def note_model() -> genanki.Model:
    """The note type: Chinese on the front; pinyin, English and the example on the back."""
    return genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Chinese → English", "qfmt": _FRONT, "afmt": _BACK}],
        css=_CSS,
    )


def deck_id(scenario: str) -> int:
    """A stable deck id for a scenario, in the range genanki recommends (2**30 .. 2**31)."""
    digest = hashlib.sha256(f"rednote-sim deck {scenario}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def note_guid(kind: str, chinese: str) -> str:
    """A note's GUID: the same card whichever session (or export) it comes from."""
    return str(genanki.guid_for(GUID_SALT, kind, chinese))


def _h(text: str) -> str:
    return escape(visible(text), quote=False).replace("\n", "<br>")


@dataclass(frozen=True)
class Card:
    """One note's fields, before they become a genanki note."""

    kind: str
    key: str
    chinese: str
    pinyin: str
    english: str
    example: str
    notes: str

    @property
    def guid(self) -> str:
        """The stable note GUID (from the raw Chinese text, not its HTML)."""
        return note_guid(self.kind, self.key)


def _source(line: Line, title: str) -> str:
    m = line.message
    return f"{line.flag} {m.name} · {title} · {format_when(m)}"


def vocab_card(entry: VocabEntry, line: Line | None, title: str) -> Card | None:
    """A phrasebook entry as a card, or None when it has no Chinese side yet."""
    if not entry.chinese.strip():
        return None
    example = _h(entry.example)
    if entry.example_translation:
        example += f"<br>{_h(entry.example_translation)}"
    notes = [_h(entry.note)] if entry.note else []
    if line is not None:
        notes.append(_h(_source(line, title)))
    return Card(
        kind="vocab",
        key=entry.chinese.strip(),
        chinese=_h(entry.chinese),
        pinyin=_h(entry.pinyin),
        english=_h(entry.english),
        example=example,
        notes="<br>".join(notes),
    )


def sentence_card(line: Line, title: str) -> Card | None:
    """A line with Chinese in it as a card, or None for a line without Chinese.

    A Chinese line, and an English line that mixes in Chinese ("I'm a 铲屎官 for
    two cats"): its English is the human reference if there is one in English,
    else the machine's (labelled).
    """
    message = line.message
    if message.lang != "zh" and not (message.mixed and line.original.pinyin):
        return None
    found = line.english()
    english = found[0] if found else None
    notes = [_h(_source(line, title))]
    if found is not None and found[1] != "human reference":
        notes.append(_h(f"English: {found[1]}"))
    if line.cultural_note:
        notes.append(_h(line.cultural_note))
    return Card(
        kind="sentence",
        key=line.message.text.strip(),
        chinese=_h(line.message.text),
        pinyin=_h(line.original.pinyin),
        english=_h(english.text) if english else "",
        example="",
        notes="<br>".join(notes),
    )


def cards(handout: Handout) -> list[Card]:
    """The deck's cards: phrasebook first, then the Chinese lines; one per GUID."""
    lines = {line.message.seq: line for line in handout.lines}
    found = [vocab_card(e, lines.get(e.seq), handout.title) for e in handout.vocab]
    found += [sentence_card(line, handout.title) for line in handout.lines]
    unique: dict[str, Card] = {}
    for card in found:
        if card is not None:
            unique.setdefault(card.guid, card)
    return list(unique.values())


def hsk_tags(handout: Handout) -> dict[str, str]:
    """``hsk::3`` (``hsk::7-9`` for the band) by note GUID, for the notes whose Chinese has a level.

    A word's level is the phrasebook entry's, a sentence's its hardest word's
    (:mod:`rednote_sim.export.handout`); the first note with a GUID wins, as in :func:`cards`.
    """
    tags: dict[str, str] = {}
    for entry in handout.vocab:
        level = handout.hsk_of(entry)
        if level is not None and entry.chinese.strip():
            tags.setdefault(note_guid("vocab", entry.chinese.strip()), f"hsk::{hsk_label(level)}")
    for line in handout.lines:
        if line.hsk is not None:
            key = note_guid("sentence", line.message.text.strip())
            tags.setdefault(key, f"hsk::{hsk_label(line.hsk)}")
    return tags


def build_deck(handout: Handout) -> tuple[genanki.Deck, list[Card]]:
    """The genanki deck for a handout, and the cards in it."""
    session = handout.session
    scenario = session.scenario
    tag = "_".join(scenario.split()) or "unknown"  # Anki tags cannot contain spaces
    # Every session of a scenario feeds one deck; every import of a real chat, its own.
    key = f"{scenario}:{handout.title}" if session.imported_from else scenario
    deck = genanki.Deck(deck_id(key), f"rednote-sim::{handout.title}")
    deck.description = session.provenance
    tags = ["rednote-sim", f"scenario::{tag}"] + (
        ["rednote-sim::real-chat"] if session.imported_from else []
    )
    model = note_model()
    chosen = cards(handout)
    levels = hsk_tags(handout)
    for card in chosen:
        level = [levels[card.guid]] if card.guid in levels else []
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[card.chinese, card.pinyin, card.english, card.example, card.notes],
                guid=card.guid,
                tags=[*tags, f"rednote-sim::{card.kind}", *level],
            )
        )
    return deck, chosen


def write_apkg(handout: Handout, path: Path) -> int:
    """Write the deck to ``path``; returns the number of notes."""
    deck, chosen = build_deck(handout)
    genanki.Package(deck).write_to_file(str(path))
    return len(chosen)
