"""Converters between SQLite rows and domain models (rows -> converters -> domain)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import aiosqlite
from pydantic import ValidationError

from rednote_sim.domain import Marker, Message, Persona, Reaction, Session, Translation
from rednote_sim.errors import UserError
from rednote_sim.textsafe import is_plain_line

T = TypeVar("T")


class UnreadableRow(UserError):
    """A stored row that no longer makes a valid model (the file was edited by hand).

    The store adds the database path (:func:`names_the_file`).
    """


def _checked(what: str) -> Callable[[Callable[[aiosqlite.Row], T]], Callable[[aiosqlite.Row], T]]:
    """Turn a converter's validation failure into an :class:`UnreadableRow` naming the row."""

    def decorate(convert: Callable[[aiosqlite.Row], T]) -> Callable[[aiosqlite.Row], T]:
        @functools.wraps(convert)
        def checked(row: aiosqlite.Row) -> T:
            try:
                return convert(row)
            except (ValidationError, ValueError, TypeError, KeyError) as exc:
                keys = row.keys()
                where = ", ".join(
                    f"{k} {row[k]!r}" for k in ("session_id", "id", "seq") if k in keys
                )
                detail = _first_error(exc)
                raise UnreadableRow(
                    f"a stored {what} ({where}) cannot be read: {detail}; the file was "
                    "changed outside rednote-sim (fix: restore a backup, or export the "
                    "other sessions and start a new database)"
                ) from exc

        return checked

    return decorate


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        field = ".".join(str(p) for p in error["loc"])
        return f"{field}: {error['msg'].lower()}"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


@_checked("message")
def message_from_row(row: aiosqlite.Row) -> Message:
    """Build a Message from a ``messages`` row."""
    translation = None
    if row["translation_text"] is not None:
        translation = Translation(
            lang=row["translation_lang"],
            text=row["translation_text"],
            engine=row["translation_engine"],
        )
    return Message(
        session=row["session_id"],
        seq=row["seq"],
        t=row["t"],
        persona=row["persona"],
        name=row["name"],
        lang=row["lang"],
        text=row["text"],
        reply_to=row["reply_to"],
        beat=row["beat"],
        reference=row["reference"],
        translation=translation,
        translation_error=row["translation_error"],
        posted_at=row["posted_at"],
    )


def message_params(message: Message) -> dict[str, Any]:
    """Named parameters for inserting a Message."""
    tr = message.translation
    return {
        "session_id": message.session,
        "seq": message.seq,
        "t": message.t,
        "persona": message.persona,
        "name": message.name,
        "lang": message.lang,
        "text": message.text,
        "reply_to": message.reply_to,
        "beat": message.beat,
        "reference": message.reference,
        "translation_lang": tr.lang if tr else None,
        "translation_text": tr.text if tr else None,
        "translation_engine": tr.engine if tr else None,
        "translation_error": message.translation_error,
        "posted_at": message.posted_at.isoformat() if message.posted_at else None,
    }


@_checked("session")
def session_from_row(row: aiosqlite.Row) -> Session:
    """Build a Session from a ``sessions`` row joined with its message stats."""
    return Session(
        id=row["id"],
        scenario=row["scenario"],
        seed=row["seed"],
        created_at=datetime.fromisoformat(row["created_at"]),
        title=row["title"],
        note=row["note"],
        message_count=row["message_count"] or 0,
        duration=row["duration"] or 0.0,
        imported_from=row["imported_from"],
        anonymized=bool(row["anonymized"]),
    )


@_checked("reaction")
def reaction_from_row(row: aiosqlite.Row) -> Reaction:
    """Build a Reaction from a ``reactions`` row."""
    return Reaction(
        session=row["session_id"],
        seq=row["seq"],
        emoji=row["emoji"],
        count=row["count"],
        t=row["t"],
    )


@_checked("marker")
def marker_from_row(row: aiosqlite.Row) -> Marker:
    """Build a Marker from a ``markers`` row."""
    return Marker(
        session=row["session_id"], t=row["t"], label=row["label"], seq=row["seq"], kind=row["kind"]
    )


PERSONA_LABELS = ("name", "handle", "home", "avatar")
"""Persona fields shown on one line next to every message."""


def check_persona_labels(persona: Persona) -> Persona:
    """``persona``, if its labels are plain one-line text (else ValueError naming the field).

    A persona stored with a session came from a file (a chat export, a JSONL
    import): it must not smuggle control characters into every card it heads.
    """
    for field in PERSONA_LABELS:
        if not is_plain_line(getattr(persona, field)):
            raise ValueError(f"{field}: contains a line break, control or invisible character")
    return persona


@_checked("persona")
def persona_from_row(row: aiosqlite.Row) -> Persona:
    """Build a Persona from a ``session_personas`` row."""
    return check_persona_labels(
        Persona(
            id=row["id"],
            name=row["name"],
            handle=row["handle"],
            language=row["language"],
            country=row["country"],
            home=row["home"],
            avatar=row["avatar"],
            bio=row["bio"],
        )
    )


def persona_params(session_id: str, persona: Persona) -> tuple[object, ...]:
    """Parameters for inserting a session persona (``INSERT_PERSONA`` order)."""
    return (
        session_id,
        persona.id,
        persona.name,
        persona.handle,
        persona.language,
        persona.country,
        persona.home,
        persona.avatar,
        persona.bio,
    )
