"""Everything a handout shows, gathered once for the Markdown, HTML and Anki writers.

The writers only lay out what is here; what goes into a handout is decided in
this module: the title in both languages, the conversation with pinyin under
every Chinese text, each translation's origin and the human reference where it
differs, the scenario's cultural notes, markers as section headings, the
phrasebook and the marked MT errors; each Chinese line's and phrasebook word's
HSK level (:mod:`rednote_sim.lang.hsk`), the line corrections as word diffs
(:func:`rednote_sim.lang.diff.word_diff`), and a class's participants (each with the
messages, answers, phrasebook entries and line corrections they added; a guest's
name on their messages, answers and phrasebook entries).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from rednote_sim.domain import (
    FLAGS,
    Cast,
    Lang,
    Marker,
    Message,
    Scenario,
    Session,
    other_lang,
)
from rednote_sim.domain.guests import guest_name_of
from rednote_sim.domain.terms import has_han
from rednote_sim.domain.workshop import (
    HOST_AUTHOR,
    LineCorrection,
    MtErrorMark,
    QuizAnswer,
    VocabEntry,
)
from rednote_sim.lang.diff import DiffPiece, word_diff
from rednote_sim.lang.hsk import line_level, word_level
from rednote_sim.lang.pinyin import pinyin
from rednote_sim.lang.segment import Segmenter, glossary_segmenter
from rednote_sim.store import Store
from rednote_sim.store.classroom_repo import ClassroomRepo
from rednote_sim.store.corrections_repo import CorrectionsRepo
from rednote_sim.store.workshop_repo import WorkshopRepo

_LANG_FLAG: dict[str, str] = {"en": FLAGS["US"], "zh": FLAGS["CN"]}
PARTS_NOT_TRANSLATED: dict[str, str] = {
    "en": "Chinese parts not translated",
    "zh": "English parts not translated",
}
"""The warning for a mixed message (written in the key's language) whose parts failed."""


@dataclass(frozen=True)
class Text:
    """A piece of text in a known language, with pinyin when it contains Chinese."""

    text: str
    lang: Lang
    pinyin: str = ""


@dataclass(frozen=True)
class Rendering:
    """A message for the reader of one language, as a handout shows it.

    Attributes:
        text: What that reader reads.
        label: Where it came from ("machine · Argos …", "human · corrected in class"…).
        machine: True for (partly) machine output.
        machine_said: For a class correction: the machine output it replaced.
        machine_label: The label of the machine output ("machine · Argos …").
        parts: True for a mixed message's own-language rendering (only its
            other-language parts translated).
    """

    text: Text
    label: str
    machine: bool
    machine_said: Text | None = None
    machine_label: str = ""
    parts: bool = False


@dataclass(frozen=True)
class Corrected:
    """A line's correction as a handout shows it: who, the word diff, the note."""

    correction: LineCorrection
    pieces: list[DiffPiece]

    @property
    def by(self) -> str:
        """``corrected in class`` for the host's, else ``corrected by NAME`` (guest, persona)."""
        author = self.correction.author
        return "corrected in class" if author == HOST_AUTHOR else f"corrected by {author}"


@dataclass(frozen=True)
class Line:
    """One message as a handout shows it.

    ``primary`` is the rendering for the reader of the other language; ``mixed``
    is the second rendering of a message that mixes the languages (its
    other-language parts translated), ``mixed_error`` why it is missing.
    """

    message: Message
    flag: str
    handle: str
    original: Text
    primary: Rendering | None
    reference: Text | None
    reference_differs: bool
    reply_name: str | None
    cultural_note: str
    reactions: dict[str, int]
    markers_before: list[Marker]
    """The markers whose section starts with this line (shown as one heading)."""
    mt_error: MtErrorMark | None
    answers: list[QuizAnswer]
    mixed: Rendering | None = None
    guest: str = ""
    """The classroom guest who posted it ("" for a persona or the host's user)."""
    mixed_error: str | None = None
    hsk: int | None = None
    """The HSK level of a Chinese line (its hardest word); None for others."""
    corrections: list[Corrected] = field(default_factory=list)

    @property
    def translation(self) -> Text | None:
        """The other language's rendering."""
        return self.primary.text if self.primary else None

    @property
    def translation_label(self) -> str:
        """Its label."""
        return self.primary.label if self.primary else ""

    @property
    def machine(self) -> bool:
        """Whether it is machine output."""
        return self.primary.machine if self.primary else False

    @property
    def best_translation(self) -> Text | None:
        """The human reference if there is one, else the machine's translation."""
        return self.reference or self.translation

    @property
    def renderings(self) -> list[Rendering]:
        """Every reader's rendering (the other language's first)."""
        return [r for r in (self.primary, self.mixed) if r is not None]

    def english(self) -> tuple[Text, str] | None:
        """The best English for the line and its label: a human one first."""
        if self.reference is not None and self.reference.lang == "en":
            return self.reference, "human reference"
        for rendering in self.renderings:
            if rendering.text.lang == "en":
                return rendering.text, rendering.label
        return None


@dataclass(frozen=True)
class Credit:
    """One participant of a class and what they added (the handout's participants list)."""

    name: str
    messages: int = 0
    answers: int = 0
    vocab: int = 0
    corrections: int = 0

    @property
    def summary(self) -> str:
        """``3 messages · 1 quiz answer · 2 phrasebook entries`` (what they did, or "joined")."""
        counts = [
            (self.messages, "message", "messages"),
            (self.answers, "quiz answer", "quiz answers"),
            (self.vocab, "phrasebook entry", "phrasebook entries"),
            (self.corrections, "correction", "corrections"),
        ]
        parts = [f"{n} {one if n == 1 else many}" for n, one, many in counts if n]
        return " · ".join(parts) or "joined"


@dataclass(frozen=True)
class Handout:
    """A recorded session, ready to lay out."""

    session: Session
    scenario: Scenario | None
    title: str
    title_zh: str
    lines: list[Line]
    vocab: list[VocabEntry]
    participants: list[Credit] = field(default_factory=list)
    """The class's guests, in the order they first took part (empty without a class)."""
    vocab_hsk: dict[tuple[Lang, str], int] = field(default_factory=dict)
    """The HSK level of each phrasebook entry's Chinese side, by (lang, term), if it has one."""

    def hsk_of(self, entry: VocabEntry) -> int | None:
        """A phrasebook entry's HSK level (None when its word is on no list)."""
        return self.vocab_hsk.get((entry.lang, entry.term))

    @property
    def flagged(self) -> list[Line]:
        """Lines marked as interesting MT errors, in order."""
        return [line for line in self.lines if line.mt_error is not None]

    @property
    def recorded(self) -> datetime:
        """When the session was recorded."""
        return self.session.created_at


Labelled = tuple[Text, str]
"""A text and its label."""


def machine_vs_human(line: Line) -> list[tuple[Labelled | None, list[Labelled]]]:
    """For each machine rendering: the machine output and the human ones beside it.

    The human ones are the class's correction (if any) and the scenario's
    reference in that language. A line with no machine rendering gets one pair:
    nothing against its reference.
    """
    pairs: list[tuple[Labelled | None, list[Labelled]]] = []
    for rendering in line.renderings:
        if not rendering.machine and rendering.machine_said is None:
            continue  # the human reference stood in: no machine output to compare
        said = rendering.machine_said
        machine = (said if said is not None else rendering.text, rendering.machine_label)
        human = [(rendering.text, rendering.label)] if said is not None else []
        reference = line.reference
        if reference is not None and reference.lang == rendering.text.lang:
            human.append((reference, "human reference"))
        pairs.append((machine, human))
    if not pairs:
        pairs.append((None, [(line.reference, "human reference")] if line.reference else []))
    return pairs


def _text(text: str, lang: Lang, seg: Segmenter) -> Text:
    chinese = has_han(text)
    # A "Chinese" text with no Chinese character in it is English: the reference of
    # an American's line written in Chinese ("我学中文第三天!!") is English.
    return Text(
        text, "en" if lang == "zh" and not chinese else lang, pinyin(text, seg) if chinese else ""
    )


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _place_markers(messages: list[Message], markers: list[Marker]) -> dict[int, list[Marker]]:
    """Which message each marker heads.

    A scenario marker names its message. A user marker was dropped while its
    ``seq`` (the last message then) was on screen, so it heads the next one. A
    marker after the last message heads nothing: it would be an empty section,
    and is left out (key 0, which no message has).
    """
    placed: dict[int, list[Marker]] = {}
    for marker in markers:
        target = 0
        for message in messages:
            if marker.kind == "scenario" and marker.seq is not None:
                if message.seq == marker.seq:
                    target = message.seq
                    break
            elif (message.t, message.seq) > (marker.t, marker.seq or 0):
                target = message.seq
                break
        placed.setdefault(target, []).append(marker)
    return placed


def _rendering(message: Message, reader: Lang, seg: Segmenter) -> Rendering | None:
    translation, _ = message.rendering(reader)
    if translation is None or translation.origin == "passthrough":
        return None
    said = translation.machine
    return Rendering(
        text=_text(translation.text, translation.lang, seg),
        label=message.rendering_label(reader),
        machine=translation.is_machine,
        machine_said=_text(said, translation.lang, seg) if said is not None else None,
        machine_label=message.machine_label(reader),
        parts=reader == message.lang,
    )


async def collect(store: Store, session_id: str, cast: Cast | None = None) -> Handout:
    """Gather a session's handout.

    Args:
        store: The open store.
        session_id: An exact session id.
        cast: Personas and scenarios for flags, handles, the Chinese title and
            cultural notes; without it (or for an unknown scenario) the handout
            falls back to what the session itself recorded.
    """
    session = await store.get_session(session_id)
    repo = WorkshopRepo.of(store)
    messages = await store.messages(session.id)
    scenario = cast.scenarios.get(session.scenario) if cast else None
    # An imported chat's people are stored with it; they win over the cast.
    personas = {**(cast.personas if cast else {}), **await store.session_personas(session.id)}
    seg = glossary_segmenter(cast.glossary if cast else None)
    beats = {b.key: b for b in scenario.beats} if scenario else {}
    by_seq = {m.seq: m for m in messages}

    totals: dict[int, dict[str, int]] = {}
    for reaction in await store.reactions(session.id):
        counts = totals.setdefault(reaction.seq, {})
        counts[reaction.emoji] = counts.get(reaction.emoji, 0) + reaction.count
    marks = {m.seq: m for m in await repo.mt_errors(session.id)}
    answers: dict[int, list[QuizAnswer]] = {}
    for answer in await repo.quiz_answers(session.id):
        answers.setdefault(answer.seq, []).append(answer)
    placed = _place_markers(messages, await store.markers(session.id))
    corrections: dict[int, list[LineCorrection]] = {}
    for correction in await CorrectionsRepo.of(store).corrections(session.id):
        corrections.setdefault(correction.seq, []).append(correction)

    lines = []
    for message in messages:
        persona = personas.get(message.persona)
        primary = _rendering(message, other_lang(message.lang), seg)
        mixed = _rendering(message, message.lang, seg) if message.mixed else None
        reference = (
            _text(message.reference, other_lang(message.lang), seg) if message.reference else None
        )
        # The reference belongs to the rendering in its language (a mixed line's may be its own).
        compared = next(
            (r for r in (primary, mixed) if r and reference and r.text.lang == reference.lang), None
        )
        replied = by_seq.get(message.reply_to) if message.reply_to else None
        beat = beats.get(message.beat) if message.beat else None
        lines.append(
            Line(
                message=message,
                flag=persona.flag if persona else _LANG_FLAG[message.lang],
                handle=persona.shown_handle if persona else "",
                original=_text(message.text, message.lang, seg),
                primary=primary,
                reference=reference,
                reference_differs=bool(
                    reference
                    and (compared is None or not _same(reference.text, compared.text.text))
                ),
                reply_name=replied.name if replied else None,
                cultural_note=beat.reference_note if beat else "",
                reactions=totals.get(message.seq, {}),
                markers_before=placed.get(message.seq, []),
                mt_error=marks.get(message.seq),
                answers=answers.get(message.seq, []),
                mixed=mixed,
                mixed_error=message.mixed_error if message.mixed else None,
                guest=guest_name_of(message.persona),
                hsk=line_level(message.text, seg).level if message.lang == "zh" else None,
                corrections=[
                    Corrected(c, word_diff(message.text, c.text, seg))
                    for c in corrections.get(message.seq, [])
                ],
            )
        )
    vocab = await repo.vocab(session.id)
    vocab_hsk: dict[tuple[Lang, str], int] = {}
    for entry in vocab:
        level = word_level(entry.chinese.strip()).level if has_han(entry.chinese) else None
        if level is not None:
            vocab_hsk[(entry.lang, entry.term)] = level
    return Handout(
        session=session,
        scenario=scenario,
        title=(scenario.title if scenario else "") or session.title or session.scenario,
        title_zh=scenario.title_zh if scenario else "",
        lines=lines,
        vocab=vocab,
        vocab_hsk=vocab_hsk,
        participants=_credits(
            [p.name for p in await ClassroomRepo.of(store).participants(session.id)],
            lines,
            vocab,
            await CorrectionsRepo.of(store).corrections(session.id),
        ),
    )


def _credits(
    names: list[str],
    lines: list[Line],
    vocab: list[VocabEntry],
    line_corrections: list[LineCorrection],
) -> list[Credit]:
    """What each participant added: their messages, answers, phrasebook and line corrections."""

    def count(values: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for value in values:
            found[value] = found.get(value, 0) + 1
        return found

    messages = count([line.guest for line in lines if line.guest])
    answers = count([a.author for line in lines for a in line.answers if a.author])
    corrections = count([c.author for c in line_corrections if c.author])
    saved = count([e.author for e in vocab if e.author])
    return [
        Credit(
            name,
            messages=messages.get(name, 0),
            answers=answers.get(name, 0),
            vocab=saved.get(name, 0),
            corrections=corrections.get(name, 0),
        )
        for name in names
    ]
