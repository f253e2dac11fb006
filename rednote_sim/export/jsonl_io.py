"""JSONL export and import of a whole session, lossless both ways.

One JSON object per line. The first line describes the session; message lines
are the ``--jsonl`` record (docs/ARCHITECTURE.md) plus ``"type": "message"`` and
``"beat"``; reactions and markers follow as their own records, then the
workshop data: ``"type": "vocab"`` (phrasebook entries), ``"mt_error"`` (lines
marked as interesting MT errors), ``"quiz_answer"`` (learners' own
translations), ``"correction"`` (a line rewritten as it should have been
written: ``session``, ``seq``, ``text``, ``note``, ``author``, ``created_at``) and
``"translation_correction"`` (a teacher's better translation of a line marked as
an MT error: ``session``, ``seq``, ``lang``, ``text``, ``machine``, ``note``,
``created_at``; the message record already carries the corrected rendering);
the session note is in the session record. ``"type": "participant"`` records
(``session``, ``name``, ``joined_at`` or null) list the classroom's guests, in the
order they first took part; the records above carry their names (``author`` on
``vocab``, ``quiz_answer`` and ``correction``; ``persona`` ``guest:NAME`` on a
guest's message). Older files have no participant records and import as before.
Lines without a
``type`` are read as messages, so the output of ``demo --headless --jsonl`` can
be imported too.

A real chat imported from Discord, Telegram or WhatsApp carries more, and keeps
it through export and import: ``imported_from`` and ``anonymized`` in the
session record, a ``"type": "persona"`` record for each of its people (after the
session record), and each message's original time (``posted_at``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

import aiosqlite
from pydantic import BaseModel, Field, ValidationError, model_validator

from rednote_sim.domain import (
    ChatSource,
    Marker,
    Message,
    Persona,
    Reaction,
    Session,
    check_session_id,
)
from rednote_sim.domain.guests import Participant
from rednote_sim.domain.workshop import (
    LineCorrection,
    MtErrorMark,
    QuizAnswer,
    TranslationCorrection,
    VocabEntry,
)
from rednote_sim.errors import ContentError, Problem
from rednote_sim.safefiles import MIB, JsonProblem, loads_json, read_text
from rednote_sim.store import Store
from rednote_sim.store.classroom_repo import ClassroomRepo, insert_participants
from rednote_sim.store.corrections_repo import CorrectionsRepo, insert_corrections
from rednote_sim.store.rows import check_persona_labels
from rednote_sim.store.workshop_repo import WorkshopRepo, insert_workshop_records
from rednote_sim.textsafe import json_text

FORMAT = "rednote-sim/1"


class SessionRecord(BaseModel):
    """The first line of an export."""

    type: str = "session"
    format: str = FORMAT
    session: str
    scenario: str
    title: str = ""
    seed: int | None = Field(default=None, ge=-(2**63), le=2**63 - 1)
    created_at: datetime
    note: str = ""
    imported_from: ChatSource | None = None
    anonymized: bool = False


class PersonaRecord(Persona):
    """A person of an imported chat, stored with its session."""

    session: str

    @model_validator(mode="after")
    def _plain_labels(self) -> PersonaRecord:
        check_persona_labels(self)
        return self

    def persona(self) -> Persona:
        """The persona itself, without the session id."""
        return Persona.model_validate(self.model_dump(exclude={"session"}))


async def export_records(store: Store, session_id: str) -> list[dict[str, Any]]:
    """Every record of a session, in file order."""
    session = await store.get_session(session_id)
    records: list[dict[str, Any]] = [
        SessionRecord(
            session=session.id,
            scenario=session.scenario,
            title=session.title,
            seed=session.seed,
            created_at=session.created_at,
            note=session.note,
            imported_from=session.imported_from,
            anonymized=session.anonymized,
        ).model_dump(mode="json")
    ]
    for persona in (await store.session_personas(session.id)).values():
        records.append(
            {
                "type": "persona",
                **PersonaRecord(session=session.id, **persona.model_dump()).model_dump(),
            }
        )
    for participant in await ClassroomRepo.of(store).participants(session.id):
        records.append({"type": "participant", **participant.model_dump(mode="json")})
    for message in await store.messages(session.id):
        records.append({"type": "message", **message.to_jsonl(), "beat": message.beat})
    for reaction in await store.reactions(session.id):
        records.append({"type": "reaction", **reaction.model_dump()})
    for marker in await store.markers(session.id):
        records.append({"type": "marker", **marker.model_dump()})
    repo = WorkshopRepo.of(store)
    for entry in await repo.vocab(session.id):
        records.append({"type": "vocab", **entry.model_dump(mode="json")})
    for mark in await repo.mt_errors(session.id):
        records.append({"type": "mt_error", **mark.model_dump(mode="json")})
    for answer in await repo.quiz_answers(session.id):
        records.append({"type": "quiz_answer", **answer.model_dump(mode="json")})
    for correction in await CorrectionsRepo.of(store).corrections(session.id):
        records.append({"type": "correction", **correction.model_dump(mode="json")})
    for better in await repo.translation_corrections(session.id):
        records.append({"type": "translation_correction", **better.model_dump(mode="json")})
    return records


async def export_jsonl(store: Store, session_id: str) -> str:
    """The session as JSONL text: standard JSON, one record per line, safe to print."""
    records = await export_records(store, session_id)
    return "".join(json_text(r) + "\n" for r in records)


MAX_IMPORT_BYTES = 512 * MIB
"""Largest JSONL file imported (a long annotated session is a few MiB)."""


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    text = read_text(path, max_bytes=MAX_IMPORT_BYTES, what="JSONL file")
    # JSONL separates records with "\n" only: str.splitlines() would also split
    # inside a record at a U+2028 or U+0085 that JSON strings may hold raw.
    for number, content in enumerate(text.split("\n"), start=1):
        content = content.removesuffix("\r")
        if content.strip():
            yield number, content


_Record = (
    SessionRecord
    | PersonaRecord
    | Participant
    | Message
    | Reaction
    | Marker
    | VocabEntry
    | MtErrorMark
    | QuizAnswer
    | LineCorrection
    | TranslationCorrection
)
"""Every record type a file may hold; each names its session."""

R = TypeVar("R")

Lined = tuple[int, R]
"""A record with the line of the file it came from."""


class ParsedSession:
    """What a valid JSONL file holds, each record with its line."""

    def __init__(self) -> None:
        self.session: Lined[SessionRecord] | None = None
        self.personas: list[Lined[PersonaRecord]] = []
        self.participants: list[Lined[Participant]] = []
        self.messages: list[Lined[Message]] = []
        self.reactions: list[Lined[Reaction]] = []
        self.markers: list[Lined[Marker]] = []
        self.vocab: list[Lined[VocabEntry]] = []
        self.mt_errors: list[Lined[MtErrorMark]] = []
        self.quiz_answers: list[Lined[QuizAnswer]] = []
        self.corrections: list[Lined[LineCorrection]] = []
        self.translation_corrections: list[Lined[TranslationCorrection]] = []
        self.session_ids: dict[str, int] = {}  # id -> first line naming it

    def add(self, line: int, record: _Record) -> None:
        """File a record read from ``line``."""
        self.session_ids.setdefault(record.session, line)
        if isinstance(record, SessionRecord):
            self.session = (line, record)
        elif isinstance(record, PersonaRecord):
            self.personas.append((line, record))
        elif isinstance(record, Participant):
            self.participants.append((line, record))
        elif isinstance(record, Message):
            self.messages.append((line, record))
        elif isinstance(record, Reaction):
            self.reactions.append((line, record))
        elif isinstance(record, Marker):
            self.markers.append((line, record))
        elif isinstance(record, VocabEntry):
            self.vocab.append((line, record))
        elif isinstance(record, MtErrorMark):
            self.mt_errors.append((line, record))
        elif isinstance(record, LineCorrection):
            self.corrections.append((line, record))
        elif isinstance(record, TranslationCorrection):
            self.translation_corrections.append((line, record))
        else:
            self.quiz_answers.append((line, record))


def _field(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


_MODELS: dict[str, type[BaseModel]] = {
    "message": Message,
    "reaction": Reaction,
    "marker": Marker,
    "session": SessionRecord,
    "persona": PersonaRecord,
    "participant": Participant,
    "vocab": VocabEntry,
    "mt_error": MtErrorMark,
    "quiz_answer": QuizAnswer,
    "correction": LineCorrection,
    "translation_correction": TranslationCorrection,
}


def _parse_line(path: Path, number: int, line: str) -> tuple[_Record | None, list[Problem]]:
    """One line as a record, or the problems that stop it being one."""
    try:
        data = loads_json(line)
    except JsonProblem as exc:
        return None, [Problem(path, number, exc.field, str(exc), "write standard JSON")]
    except json.JSONDecodeError as exc:
        return None, [
            Problem(path, number, "", f"not valid JSON ({exc.msg})", "one object per line")
        ]
    if not isinstance(data, dict):
        return None, [Problem(path, number, "", "not a JSON object", "one object per line")]
    kind = data.pop("type", "message")
    model = _MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        return None, [
            Problem(
                path,
                number,
                "type",
                f"unknown record type {kind!r}",
                f"use one of {', '.join(_MODELS)}",
            )
        ]
    if kind == "session":
        data["type"] = kind
    try:
        return cast(_Record, model.model_validate(data)), []
    except ValidationError as exc:
        return None, [
            Problem(path, number, _field(e["loc"]), e["msg"].lower(), "correct the value")
            for e in exc.errors()
        ]


def parse_jsonl(path: Path) -> ParsedSession:
    """Read and validate a JSONL file; every problem names the line and field.

    Validation is linear in the size of the file.

    Raises:
        ContentError: Listing every problem found.
        FileProblem: When the file itself cannot be read.
    """
    parsed = ParsedSession()
    problems: list[Problem] = []
    for number, line in _lines(path):
        record, found = _parse_line(path, number, line)
        problems += found
        if record is not None:
            parsed.add(number, record)
    if not problems:
        problems += _consistency(path, parsed)
    if problems:
        raise ContentError(problems)
    return parsed


def _consistency(path: Path, parsed: ParsedSession) -> list[Problem]:
    """Rules across records: one valid session id, messages 1..n in time order, pointers."""
    problems: list[Problem] = []
    if len(parsed.session_ids) > 1:
        ids = ", ".join(sorted(repr(i) for i in parsed.session_ids))
        line = sorted(parsed.session_ids.values())[1]
        problems.append(
            Problem(
                path,
                line,
                "session",
                f"records of several sessions ({ids})",
                "export one session per file",
            )
        )
    for session_id, line in parsed.session_ids.items():
        try:
            check_session_id(session_id)
        except ValueError as exc:
            problems.append(
                Problem(path, line, "session", f"{session_id!r}: {exc}", "rename the session")
            )
    if parsed.session is not None and parsed.session[1].format != FORMAT:
        line, record = parsed.session
        problems.append(
            Problem(
                path,
                line,
                "format",
                f"unknown format {record.format!r}",
                f"this rednote-sim reads {FORMAT!r}; export it again or upgrade rednote-sim",
            )
        )
    problems += _repeated(
        path,
        parsed.personas,
        key=lambda p: p.id,
        field="id",
        what=lambda p: f"persona {p.id!r} appears more than once",
        fix="keep one record per persona",
    )
    problems += _repeated(
        path,
        parsed.participants,
        key=lambda p: p.name,
        field="name",
        what=lambda p: f"participant {p.name!r} appears more than once",
        fix="keep one record per participant",
    )
    if not parsed.messages:
        problems.append(Problem(path, None, "", "no messages", "export a session with messages"))
        return problems
    problems += _message_order(path, parsed.messages)
    if problems:
        return problems  # the pointers below assume messages 1..n
    posted = {m.seq: m.t for _, m in parsed.messages}
    for line, reaction in parsed.reactions:
        if reaction.seq not in posted:
            problems.append(_missing(path, line, "a reaction", reaction.seq))
        elif reaction.t < posted[reaction.seq]:
            problems.append(
                Problem(
                    path,
                    line,
                    "t",
                    f"a reaction at t = {reaction.t:g} comes before its message "
                    f"{reaction.seq} (t = {posted[reaction.seq]:g})",
                    "give the reaction a time at or after its message",
                )
            )
    for line, marker in parsed.markers:
        if marker.seq is not None and marker.seq not in posted:
            problems.append(_missing(path, line, "a marker", marker.seq))
    problems += _workshop_consistency(path, parsed, set(posted))
    return problems


def _message_order(path: Path, messages: list[Lined[Message]]) -> list[Problem]:
    """Messages numbered 1..n without gaps or repeats, in time order, replying backwards."""
    problems: list[Problem] = []
    by_seq: dict[int, Lined[Message]] = {}
    for line, message in messages:
        if message.seq in by_seq:
            problems.append(
                Problem(
                    path,
                    line,
                    "seq",
                    f"duplicate seq {message.seq} (also on line {by_seq[message.seq][0]})",
                    "each message needs its own seq",
                )
            )
        else:
            by_seq[message.seq] = (line, message)
    if problems:
        return problems
    count = len(by_seq)
    gaps = [seq for seq in range(1, count + 1) if seq not in by_seq]
    if gaps:
        beyond = min(seq for seq in by_seq if seq > count)
        shown = ", ".join(str(g) for g in gaps[:5]) + (", …" if len(gaps) > 5 else "")
        return [
            Problem(
                path,
                by_seq[beyond][0],
                "seq",
                f"messages must be numbered 1 to {count} without gaps; missing seq {shown}",
                "include the missing messages, or renumber them (and what points at them)",
            )
        ]
    previous: Message | None = None
    for seq in range(1, count + 1):
        line, message = by_seq[seq]
        if previous is not None and message.t < previous.t:
            problems.append(
                Problem(
                    path,
                    line,
                    "t",
                    f"message {seq} at t = {message.t:g} comes before message {seq - 1} "
                    f"(t = {previous.t:g}); messages are in posting order",
                    "correct t so that times never go backwards",
                )
            )
        if message.reply_to is not None and message.reply_to >= seq:
            what = "itself" if message.reply_to == seq else f"message {message.reply_to}"
            where = "" if message.reply_to in by_seq else ", which is missing"
            problems.append(
                Problem(
                    path,
                    line,
                    "reply_to",
                    f"message {seq} replies to {what}{where}; a reply names an earlier message",
                    "correct reply_to or drop it",
                )
            )
        previous = message
    return problems


def _missing(path: Path, line: int, what: str, seq: int) -> Problem:
    return Problem(
        path,
        line,
        "seq",
        f"{what} names missing message {seq}",
        "include that message or drop the record",
    )


def _workshop_consistency(path: Path, parsed: ParsedSession, known: set[int]) -> list[Problem]:
    problems: list[Problem] = []
    pointers: list[tuple[str, int, int]] = [
        *(("a vocab entry", line, v.seq) for line, v in parsed.vocab),
        *(("an mt_error mark", line, m.seq) for line, m in parsed.mt_errors),
        *(("a quiz_answer", line, a.seq) for line, a in parsed.quiz_answers),
        *(("a correction", line, c.seq) for line, c in parsed.corrections),
        *(("a translation_correction", line, c.seq) for line, c in parsed.translation_corrections),
    ]
    for what, line, seq in pointers:
        if seq not in known:
            problems.append(_missing(path, line, what, seq))
    blanks = [(line, "vocab", "term") for line, v in parsed.vocab if not v.term.strip()]
    blanks += [
        (line, "quiz_answer", "answer") for line, a in parsed.quiz_answers if not a.answer.strip()
    ]
    blanks += [(line, "correction", "text") for line, c in parsed.corrections if not c.text.strip()]
    blanks += [
        (line, "translation_correction", "text")
        for line, c in parsed.translation_corrections
        if not c.text.strip()
    ]
    for line, kind, field in blanks:
        problems.append(
            Problem(
                path, line, field, f"a {kind} record has a blank {field}", "fill it in or drop it"
            )
        )
    problems += _repeated(
        path,
        parsed.vocab,
        key=lambda v: (v.author, v.lang, v.term),
        field="term",
        what=lambda v: (
            f"vocab entry {v.term!r} ({v.lang}) appears more than once"
            + (f" for {v.author!r}" if v.author else "")
        ),
        fix="keep one record per term",
    )
    problems += _repeated(
        path,
        parsed.mt_errors,
        key=lambda m: m.seq,
        field="seq",
        what=lambda m: f"message {m.seq} is marked as an mt_error more than once",
        fix="keep one mark per message",
    )
    problems += _repeated(
        path,
        parsed.corrections,
        key=lambda c: (c.seq, c.author),
        field="seq",
        what=lambda c: (
            f"message {c.seq} has more than one correction "
            + (f"by {c.author!r}" if c.author else "without an author")
        ),
        fix="keep one correction per line and author",
    )
    problems += _repeated(
        path,
        parsed.translation_corrections,
        key=lambda t: (t.seq, t.lang),
        field="seq",
        what=lambda t: f"message {t.seq} has more than one translation_correction into {t.lang}",
        fix="keep one per message and language",
    )
    return problems


def _repeated(
    path: Path,
    records: list[Lined[R]],
    *,
    key: Callable[[R], Hashable],
    field: str,
    what: Callable[[R], str],
    fix: str,
) -> list[Problem]:
    """A problem for every record whose ``key`` an earlier line already had.

    Linear: the first line of each key is kept, and every later one names it.
    """
    problems: list[Problem] = []
    first: dict[Hashable, int] = {}
    for line, record in records:
        seen = first.setdefault(key(record), line)
        if seen != line:
            problems.append(
                Problem(path, line, field, f"{what(record)} (first on line {seen})", fix)
            )
    return problems


async def import_jsonl(store: Store, path: Path) -> Session:
    """Read, validate and import a JSONL file (see :func:`import_parsed`)."""
    return await import_parsed(store, parse_jsonl(path))


async def import_parsed(store: Store, parsed: ParsedSession) -> Session:
    """Import a validated file, all or nothing: one transaction for the whole file.

    An id already taken gets a ``-imported`` suffix, chosen inside that
    transaction so that concurrent imports of the same file cannot collide.
    """
    base = parsed.session[1] if parsed.session else None
    messages = sorted((m for _, m in parsed.messages), key=lambda m: m.seq)
    session = Session(
        id=base.session if base else messages[0].session,
        scenario=base.scenario if base else "imported",
        seed=base.seed if base else None,
        title=base.title if base else "",
        note=base.note if base else "",
        created_at=base.created_at if base else datetime.now(UTC),
        imported_from=base.imported_from if base else None,
        anonymized=base.anonymized if base else False,
    )
    vocab = [v for _, v in parsed.vocab]
    marks = [m for _, m in parsed.mt_errors]
    answers = [a for _, a in parsed.quiz_answers]
    corrections = [c for _, c in parsed.corrections]
    better = [t for _, t in parsed.translation_corrections]
    participants = [p for _, p in parsed.participants]

    async def workshop_records(db: aiosqlite.Connection, session_id: str) -> None:
        await insert_workshop_records(db, session_id, vocab, marks, answers, better)
        await insert_corrections(db, session_id, corrections)
        await insert_participants(db, session_id, participants)

    return await store.import_session(
        session,
        messages,
        [r for _, r in parsed.reactions],
        [m for _, m in parsed.markers],
        personas=[p.persona() for _, p in parsed.personas],
        also=workshop_records,
    )
