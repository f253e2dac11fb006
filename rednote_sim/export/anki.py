"""The Anki deck: a real ``.apkg`` made with genanki.

Re-exporting must update cards in Anki, never duplicate them, so everything
Anki matches on is stable:

- the note type (model) id is a constant; its fields are Chinese, Pinyin,
  English, Example and Notes, then (added later, at the end, so the first five
  keep their places) the tone-coloured Hanzi and pinyin, measure words, the HSK
  level, the scenario and the previous and next message as context;
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

Tone colours: ``HanziTones`` and ``PinyinTones`` hold a ``<span class="toneN">``
per syllable (Pleco's palette in the note type's CSS, lighter in night mode); the
tone marks stay. With ``tone_colours=False`` they hold the plain text, and the
cards show no colours.

HSK: a vocabulary card's ``HSK`` field is the dictionary's level of the word
(2025 syllabus); a sentence card's is left empty, for the line levels (and the
``hsk::N`` tags) of the HSK feature to fill.

Anki fields are HTML: every piece of text is escaped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

import genanki

from rednote_sim.domain.terms import format_when
from rednote_sim.domain.workshop import VocabEntry
from rednote_sim.export.handout import Handout, Line
from rednote_sim.export.tone_markup import hanzi_html, pinyin_html
from rednote_sim.lang.entry import Entry
from rednote_sim.lang.hsk import DEFAULT_STANDARD
from rednote_sim.lang.hsk import label as hsk_label
from rednote_sim.lang.tones import DARK_PALETTE, palette_css
from rednote_sim.textsafe import visible

EntryFinder = Callable[[str], Entry | None]
"""The dictionary's best entry for a word (``Dictionary.best``), for measure words and HSK."""

MODEL_ID = 1_736_812_807
"""The note type's id. Never change it: Anki matches existing notes to it."""

MODEL_NAME = "rednote-sim Chinese"
FIELDS = (
    "Chinese",
    "Pinyin",
    "English",
    "Example",
    "Notes",
    # Added later: at the end, so the first five keep their places in existing notes.
    "HanziTones",
    "PinyinTones",
    "MeasureWords",
    "HSK",
    "Scenario",
    "Previous",
    "Next",
)
GUID_SALT = "rednote-sim"

_CSS = (
    """
.card { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
        font-size: 22px; text-align: center; color: #1d1d1f; background: #fff; }
.zh { font-size: 40px; }
.pinyin { color: #7a3e00; font-style: italic; }
.example, .notes, .context { font-size: 18px; color: #444; margin-top: 12px; }
.context { text-align: left; }
.measure, .hsk { font-size: 16px; color: #555; }
"""
    + "\n".join((palette_css(), palette_css(DARK_PALETTE, scope=".nightMode")))
    + "\n"
)

_FRONT = (
    '<div class="zh">{{#HanziTones}}{{HanziTones}}{{/HanziTones}}'
    "{{^HanziTones}}{{Chinese}}{{/HanziTones}}</div>"
)
_BACK = (
    "{{FrontSide}}<hr id=answer>"
    '<div class="pinyin">{{#PinyinTones}}{{PinyinTones}}{{/PinyinTones}}'
    "{{^PinyinTones}}{{Pinyin}}{{/PinyinTones}}</div>"
    "<div>{{English}}</div>"
    '{{#MeasureWords}}<div class="measure">{{MeasureWords}}</div>{{/MeasureWords}}'
    '{{#HSK}}<div class="hsk">{{HSK}}</div>{{/HSK}}'
    '{{#Example}}<div class="example">{{Example}}</div>{{/Example}}'
    '{{#Previous}}<div class="context">↑ {{Previous}}</div>{{/Previous}}'
    '{{#Next}}<div class="context">↓ {{Next}}</div>{{/Next}}'
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
    """One note's fields (HTML), before they become a genanki note."""

    kind: str
    key: str
    chinese: str
    pinyin: str
    english: str
    example: str
    notes: str
    hanzi_tones: str = ""
    pinyin_tones: str = ""
    measure_words: str = ""
    hsk: str = ""
    scenario: str = ""
    previous: str = ""
    next: str = ""

    @property
    def guid(self) -> str:
        """The stable note GUID (from the raw Chinese text, not its HTML)."""
        return note_guid(self.kind, self.key)

    @property
    def fields(self) -> list[str]:
        """The note's fields, in :data:`FIELDS` order."""
        return [
            self.chinese,
            self.pinyin,
            self.english,
            self.example,
            self.notes,
            self.hanzi_tones,
            self.pinyin_tones,
            self.measure_words,
            self.hsk,
            self.scenario,
            self.previous,
            self.next,
        ]


@dataclass(frozen=True)
class Context:
    """What every card of a deck shares: the scenario, the neighbours of each line, options."""

    title: str
    lines: list[Line]
    tone_colours: bool = True
    find: EntryFinder | None = None

    def neighbours(self, seq: int) -> tuple[str, str]:
        """The previous and next message of ``seq`` (``Name: text``, HTML), or ``""``."""
        order = [line.message.seq for line in self.lines]
        if seq not in order:
            return "", ""
        at = order.index(seq)
        before = self.lines[at - 1] if at > 0 else None
        after = self.lines[at + 1] if at + 1 < len(self.lines) else None
        return _said(before), _said(after)

    def tones(self, chinese: str, pinyin: str, *, from_text: bool) -> tuple[str, str]:
        """The tone-coloured Hanzi and pinyin fields (plain text with colours off)."""
        if not self.tone_colours:
            return _h(chinese), _h(pinyin)
        source = chinese if from_text else None
        return hanzi_html(chinese).replace("\n", "<br>"), pinyin_html(pinyin, source)


def _said(line: Line | None) -> str:
    return _h(f"{line.message.name}: {line.message.text}") if line is not None else ""


def measure_words(entry: Entry | None) -> str:
    """``只 (隻) zhī`` for each of the entry's measure words, as a field."""
    if entry is None or not entry.measure_words:
        return ""
    words = []
    for m in entry.measure_words:
        trad = f" ({m.traditional})" if m.traditional != m.simplified else ""
        words.append(f"{m.simplified}{trad} {m.pinyin}")
    label = "measure word" if len(words) == 1 else "measure words"
    return _h(f"{label}: {', '.join(words)}")


def _source(line: Line, title: str) -> str:
    m = line.message
    return f"{line.flag} {m.name} · {title} · {format_when(m)}"


def vocab_card(
    entry: VocabEntry, line: Line | None, title: str, context: Context | None = None
) -> Card | None:
    """A phrasebook entry as a card, or None when it has no Chinese side yet."""
    if not entry.chinese.strip():
        return None
    context = context or Context(title, [])
    found = context.find(entry.chinese.strip()) if context.find else None
    hanzi, tones = context.tones(entry.chinese, entry.pinyin, from_text=False)
    previous, following = context.neighbours(entry.seq)
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
        hanzi_tones=hanzi,
        pinyin_tones=tones,
        measure_words=measure_words(found),
        hsk=_h(found.hsk_label(DEFAULT_STANDARD)) if found else "",
        scenario=_h(title),
        previous=previous,
        next=following,
    )


def sentence_card(line: Line, title: str, context: Context | None = None) -> Card | None:
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
    context = context or Context(title, [])
    hanzi, tones = context.tones(message.text, line.original.pinyin, from_text=True)
    previous, following = context.neighbours(message.seq)
    return Card(
        kind="sentence",
        key=line.message.text.strip(),
        chinese=_h(line.message.text),
        pinyin=_h(line.original.pinyin),
        english=_h(english.text) if english else "",
        example="",
        notes="<br>".join(notes),
        hanzi_tones=hanzi,
        pinyin_tones=tones,
        scenario=_h(title),
        previous=previous,
        next=following,
    )


def cards(
    handout: Handout, *, tone_colours: bool = True, find: EntryFinder | None = None
) -> list[Card]:
    """The deck's cards: phrasebook first, then the Chinese lines; one per GUID.

    Args:
        handout: The session.
        tone_colours: Fill the tone-coloured fields with coloured spans.
        find: The dictionary (measure words and HSK of phrasebook words); None: none.
    """
    lines = {line.message.seq: line for line in handout.lines}
    context = Context(handout.title, handout.lines, tone_colours, find)
    found = [vocab_card(e, lines.get(e.seq), handout.title, context) for e in handout.vocab]
    found += [sentence_card(line, handout.title, context) for line in handout.lines]
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


def build_deck(
    handout: Handout, *, tone_colours: bool = True, find: EntryFinder | None = None
) -> tuple[genanki.Deck, list[Card]]:
    """The genanki deck for a handout, and the cards in it (see :func:`cards`)."""
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
    chosen = cards(handout, tone_colours=tone_colours, find=find)
    levels = hsk_tags(handout)
    for card in chosen:
        level = [levels[card.guid]] if card.guid in levels else []
        deck.add_note(
            genanki.Note(
                model=model,
                fields=card.fields,
                guid=card.guid,
                tags=[*tags, f"rednote-sim::{card.kind}", *level],
            )
        )
    return deck, chosen


def write_apkg(
    handout: Handout, path: Path, *, tone_colours: bool = True, find: EntryFinder | None = None
) -> int:
    """Write the deck to ``path``; returns the number of notes."""
    deck, chosen = build_deck(handout, tone_colours=tone_colours, find=find)
    genanki.Package(deck).write_to_file(str(path))
    return len(chosen)
