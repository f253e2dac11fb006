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


def _translation(
    lang: Any, text: Any, engine: Any, origin: Any, machine: Any
) -> Translation | None:
    if text is None:
        return None
    return Translation(lang=lang, text=text, engine=engine, origin=origin, machine=machine)


@_checked("message")
def message_from_row(row: aiosqlite.Row) -> Message:
    """Build a Message from a ``messages`` row."""
    mixed = bool(row["mixed"])
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
        translation=_translation(
            row["translation_lang"],
            row["translation_text"],
            row["translation_engine"],
            row["translation_origin"],
            row["translation_machine"],
        ),
        translation_error=row["translation_error"],
        posted_at=row["posted_at"],
        mixed=mixed,
        mixed_translation=_translation(
            row["lang"],
            row["mixed_text"],
            row["mixed_engine"],
            row["mixed_origin"],
            row["mixed_machine"],
        )
        if mixed
        else None,
        mixed_error=row["mixed_error"] if mixed else None,
    )


def translation_params(message: Message) -> dict[str, Any]:
    """Named parameters for a message's translation columns (both renderings)."""
    tr, mx = message.translation, message.mixed_translation
    return {
        "translation_lang": tr.lang if tr else None,
        "translation_text": tr.text if tr else None,
        "translation_engine": tr.engine if tr else None,
        "translation_origin": tr.origin if tr else None,
        "translation_machine": tr.machine if tr else None,
        "translation_error": message.translation_error,
        "mixed": int(message.mixed),
        "mixed_text": mx.text if mx else None,
        "mixed_engine": mx.engine if mx else None,
        "mixed_origin": mx.origin if mx else None,
        "mixed_machine": mx.machine if mx else None,
        "mixed_error": message.mixed_error,
    }


TRANSLATION_COLUMNS = tuple(
    translation_params(Message(session="", seq=1, t=0, persona="", name="", lang="en", text=""))
)
"""The ``messages`` columns :func:`translation_params` fills."""

SET_TRANSLATIONS = (
    f"UPDATE messages SET {', '.join(f'{c} = :{c}' for c in TRANSLATION_COLUMNS)}"
    " WHERE session_id = :session_id AND seq = :seq"
)
"""Update every rendering of one message (named parameters: translation_params + keys)."""


def renderings_update(message: Message) -> dict[str, Any]:
    """The parameters of :data:`SET_TRANSLATIONS` for ``message``."""
    return {"session_id": message.session, "seq": message.seq, **translation_params(message)}


def message_params(message: Message) -> dict[str, Any]:
    """Named parameters for inserting a Message."""
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
        **translation_params(message),
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
