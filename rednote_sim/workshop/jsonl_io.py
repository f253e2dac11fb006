"""JSONL export and import of a whole session, lossless both ways.

One JSON object per line. The first line describes the session; message lines
are the ``--jsonl`` record of DESIGN.md plus ``"type": "message"`` and
``"beat"``; reactions and markers follow as their own records, then the
workshop data: ``"type": "vocab"`` (phrasebook entries), ``"mt_error"`` (lines
marked as interesting MT errors) and ``"quiz_answer"`` (learners' own
translations); the session note is in the session record. Lines without a
``type`` are read as messages, so the output of ``demo --headless --jsonl`` can
be imported too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel, ValidationError

from rednote_sim.domain import Marker, Message, Reaction, Session
from rednote_sim.errors import ContentError, Problem, UserError
from rednote_sim.store import Store
from rednote_sim.store.workshop_repo import WorkshopRepo
from rednote_sim.workshop.models import MtErrorMark, QuizAnswer, VocabEntry

FORMAT = "rednote-sim/1"


class SessionRecord(BaseModel):
    """The first line of an export."""

    type: str = "session"
    format: str = FORMAT
    session: str
    scenario: str
    title: str = ""
    seed: int | None = None
    created_at: datetime
    note: str = ""


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
        ).model_dump(mode="json")
    ]
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
    return records


async def export_jsonl(store: Store, session_id: str) -> str:
    """The session as JSONL text."""
    records = await export_records(store, session_id)
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise UserError(f"{path}:{line}: not valid UTF-8 (fix: save the file as UTF-8)") from None
    for number, content in enumerate(text.splitlines(), start=1):
        if content.strip():
            yield number, content


_Record = SessionRecord | Message | Reaction | Marker | VocabEntry | MtErrorMark | QuizAnswer
"""Every record type a file may hold; each names its session."""


class _Parsed:
    def __init__(self) -> None:
        self.session: SessionRecord | None = None
        self.messages: list[Message] = []
        self.reactions: list[Reaction] = []
        self.markers: list[Marker] = []
        self.vocab: list[VocabEntry] = []
        self.mt_errors: list[MtErrorMark] = []
        self.quiz_answers: list[QuizAnswer] = []
        self.session_ids: set[str] = set()

    @property
    def has_workshop_data(self) -> bool:
        return bool(self.vocab or self.mt_errors or self.quiz_answers)


def _field(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def parse_jsonl(path: Path) -> _Parsed:
    """Read and validate a JSONL file; every problem names the line and field."""
    parsed = _Parsed()
    problems: list[Problem] = []
    models: dict[str, type[BaseModel]] = {
        "message": Message,
        "reaction": Reaction,
        "marker": Marker,
        "session": SessionRecord,
        "vocab": VocabEntry,
        "mt_error": MtErrorMark,
        "quiz_answer": QuizAnswer,
    }
    for number, line in _lines(path):
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(
                Problem(path, number, "", f"not valid JSON ({exc.msg})", "one object per line")
            )
            continue
        if not isinstance(data, dict):
            problems.append(Problem(path, number, "", "not a JSON object", "one object per line"))
            continue
        kind = data.pop("type", "message")
        model = models.get(kind)
        if model is None:
            problems.append(
                Problem(
                    path,
                    number,
                    "type",
                    f"unknown record type {kind!r}",
                    f"use one of {', '.join(models)}",
                )
            )
            continue
        if kind == "session":
            data["type"] = kind
        try:
            record = cast(_Record, model.model_validate(data))
        except ValidationError as exc:
            for error in exc.errors():
                problems.append(
                    Problem(
                        path,
                        number,
                        _field(error["loc"]),
                        error["msg"].lower(),
                        "correct the value",
                    )
                )
            continue
        parsed.session_ids.add(record.session)
        if isinstance(record, SessionRecord):
            parsed.session = record
        elif isinstance(record, Message):
            parsed.messages.append(record)
        elif isinstance(record, Reaction):
            parsed.reactions.append(record)
        elif isinstance(record, Marker):
            parsed.markers.append(record)
        elif isinstance(record, VocabEntry):
            parsed.vocab.append(record)
        elif isinstance(record, MtErrorMark):
            parsed.mt_errors.append(record)
        elif isinstance(record, QuizAnswer):
            parsed.quiz_answers.append(record)
    if not problems:
        problems += _consistency(path, parsed)
    if problems:
        raise ContentError(problems)
    return parsed


def _consistency(path: Path, parsed: _Parsed) -> list[Problem]:
    problems: list[Problem] = []
    if len(parsed.session_ids) > 1:
        ids = ", ".join(sorted(parsed.session_ids))
        problems.append(
            Problem(
                path,
                None,
                "session",
                f"records of several sessions ({ids})",
                "export one session per file",
            )
        )
    if not parsed.messages:
        problems.append(Problem(path, None, "", "no messages", "export a session with messages"))
    seqs = [m.seq for m in parsed.messages]
    duplicates = sorted({s for s in seqs if seqs.count(s) > 1})
    if duplicates:
        problems.append(
            Problem(
                path, None, "seq", f"duplicate seq {duplicates}", "each message needs its own seq"
            )
        )
    known = set(seqs)
    for message in parsed.messages:
        if message.reply_to is not None and message.reply_to not in known:
            problems.append(
                Problem(
                    path,
                    None,
                    "reply_to",
                    f"message {message.seq} replies to missing message {message.reply_to}",
                    "include that message or drop reply_to",
                )
            )
    for reaction in parsed.reactions:
        if reaction.seq not in known:
            problems.append(
                Problem(
                    path,
                    None,
                    "seq",
                    f"a reaction names missing message {reaction.seq}",
                    "include that message or drop the reaction",
                )
            )
    problems += _workshop_consistency(path, parsed, known)
    return problems


def _workshop_consistency(path: Path, parsed: _Parsed, known: set[int]) -> list[Problem]:
    problems: list[Problem] = []
    pointers: list[tuple[str, int]] = [
        *(("a vocab entry", v.seq) for v in parsed.vocab),
        *(("an mt_error mark", m.seq) for m in parsed.mt_errors),
        *(("a quiz_answer", a.seq) for a in parsed.quiz_answers),
    ]
    for what, seq in pointers:
        if seq not in known:
            problems.append(
                Problem(
                    path,
                    None,
                    "seq",
                    f"{what} names missing message {seq}",
                    "include that message or drop the record",
                )
            )
    blanks = [("vocab", "term") for v in parsed.vocab if not v.term.strip()]
    blanks += [("quiz_answer", "answer") for a in parsed.quiz_answers if not a.answer.strip()]
    for kind, field in blanks:
        problems.append(
            Problem(
                path, None, field, f"a {kind} record has a blank {field}", "fill it in or drop it"
            )
        )
    terms = [(v.lang, v.term) for v in parsed.vocab]
    for lang, term in sorted({t for t in terms if terms.count(t) > 1}):
        problems.append(
            Problem(
                path,
                None,
                "term",
                f"vocab entry {term!r} ({lang}) appears more than once",
                "keep one record per term",
            )
        )
    marked = [m.seq for m in parsed.mt_errors]
    for seq in sorted({s for s in marked if marked.count(s) > 1}):
        problems.append(
            Problem(
                path,
                None,
                "seq",
                f"message {seq} is marked as an mt_error more than once",
                "keep one mark per message",
            )
        )
    return problems


async def _free_id(store: Store, wanted: str) -> str:
    if not await store.session_exists(wanted):
        return wanted
    n = 1
    while True:
        candidate = f"{wanted}-imported" + (f"-{n}" if n > 1 else "")
        if not await store.session_exists(candidate):
            return candidate
        n += 1


async def import_jsonl(store: Store, path: Path) -> Session:
    """Import a session from JSONL (all or nothing); an id already taken gets a suffix."""
    parsed = parse_jsonl(path)
    base = parsed.session
    wanted = base.session if base else parsed.messages[0].session
    session = Session(
        id=await _free_id(store, wanted),
        scenario=base.scenario if base else "imported",
        seed=base.seed if base else None,
        title=base.title if base else "",
        note=base.note if base else "",
        created_at=base.created_at if base else datetime.now(UTC),
    )
    await store.import_session(
        session,
        sorted(parsed.messages, key=lambda m: m.seq),
        [r.model_copy(update={"session": session.id}) for r in parsed.reactions],
        [m.model_copy(update={"session": session.id}) for m in parsed.markers],
    )
    if parsed.has_workshop_data:
        try:
            await WorkshopRepo.of(store).import_records(
                session.id, parsed.vocab, parsed.mt_errors, parsed.quiz_answers
            )
        except BaseException:
            # All or nothing: a session without its workshop data is not what was exported.
            await store.delete_session(session.id)
            raise
    return await store.get_session(session.id)
