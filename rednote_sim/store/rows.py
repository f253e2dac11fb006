"""Converters between SQLite rows and domain models (rows -> converters -> domain)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiosqlite

from rednote_sim.domain import Marker, Message, Reaction, Session, Translation


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
    }


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
    )


def reaction_from_row(row: aiosqlite.Row) -> Reaction:
    """Build a Reaction from a ``reactions`` row."""
    return Reaction(
        session=row["session_id"],
        seq=row["seq"],
        emoji=row["emoji"],
        count=row["count"],
        t=row["t"],
    )


def marker_from_row(row: aiosqlite.Row) -> Marker:
    """Build a Marker from a ``markers`` row."""
    return Marker(
        session=row["session_id"], t=row["t"], label=row["label"], seq=row["seq"], kind=row["kind"]
    )
