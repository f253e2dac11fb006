"""The classroom's terms: guest names, the host's heartbeat, and what a guest may send.

A live session has one host (the process playing it) and any number of guests
(other processes: ``say``, ``join``, a browser through ``serve``). Guests reach
the host only through the database: a row in ``inbox`` whose ``payload`` is JSON
of one of the payload models here. The host validates every row with
:func:`parse_payload` (a payload is untrusted input) before it writes anything.
Pure: no I/O (``store/classroom_repo.py`` persists these; docs/ARCHITECTURE.md,
"The classroom").
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Collection
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from rednote_sim.domain import Lang, Seq

HEARTBEAT = 1.0
"""Seconds between two beats of a host (and of a guest's presence)."""

HOST_TIMEOUT = 5.0
"""Seconds without a beat after which a host counts as gone (crashed or killed)."""

GUEST_TIMEOUT = HOST_TIMEOUT
"""Seconds without a touch after which a guest counts as gone (their name is free again)."""

TYPING_FOR = 3.0
"""Seconds a guest's keystroke shows them as typing."""

MAX_NAME = 24
"""Longest guest name, in characters (after trimming)."""

MAX_TEXT = 2000
"""Longest message, answer or correction a guest may send, in characters."""

MAX_PAYLOAD = 16_000
"""Longest raw inbox payload (JSON) the host reads at all, in characters."""

GUEST_PREFIX = "guest:"
"""Prefix of a guest's persona id: ``guest:Ana``."""

RESERVED_NAMES = frozenset({"you"})
"""Names a guest may not take (case-insensitive): "You" is the host's own user."""

# Control, format (zero-width, bidi), line/paragraph separators, surrogates,
# private use and unassigned: nothing a name is made of, all of it a way to spoof one.
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})

InboxKind = Literal["say", "answer", "vocab", "vocab_delete", "correction"]
"""What an inbox row asks the host to do."""

InboxStatus = Literal["pending", "done", "refused"]
"""An inbox row's state: waiting for the host, carried out, or refused (with a reason)."""

HostMode = Literal["demo", "workshop"]
"""What the host is playing."""


class GuestInputError(ValueError):
    """A guest's name or request is not acceptable; the message is one line for that guest.

    (The domain does not import :mod:`rednote_sim.errors`; the store and the CLI turn
    this into a ``UserError``, the host into an inbox refusal.)
    """


def validate_guest_name(raw: str) -> str:
    """A guest's name as typed, checked: trimmed, inner whitespace runs made one space.

    Args:
        raw: The name given (``--as NAME`` or the join dialog).

    Returns:
        The name to use.

    Raises:
        GuestInputError: Blank, longer than :data:`MAX_NAME`, holding a control or
            invisible character, or reserved ("You").
    """
    for char in raw:
        if unicodedata.category(char) in _BAD_CATEGORIES and char not in " \t":
            code = f"U+{ord(char):04X}"
            raise GuestInputError(
                f"the name holds an invisible or control character ({code}); "
                "type a plain name, e.g. --as Ana"
            )
    name = " ".join(raw.split())
    if not name:
        raise GuestInputError("the name is empty; give one, e.g. --as Ana")
    if len(name) > MAX_NAME:
        raise GuestInputError(
            f"the name is {len(name)} characters long; use at most {MAX_NAME}, e.g. --as Ana"
        )
    if name.casefold() in RESERVED_NAMES:
        raise GuestInputError(f"{name!r} is the host's own name; pick another, e.g. --as Ana")
    return name


def unique_name(wanted: str, taken: Collection[str]) -> str:
    """``wanted``, or ``wanted (2)``, ``wanted (3)``… the first not in ``taken``.

    Compared case-insensitively ("ana" is taken when "Ana" is in the room). The
    result stays within :data:`MAX_NAME` (the base is shortened for the suffix).
    """
    folded = {name.casefold() for name in taken}
    if wanted.casefold() not in folded:
        return wanted
    n = 2
    while True:
        suffix = f" ({n})"
        candidate = wanted[: MAX_NAME - len(suffix)].rstrip() + suffix
        if candidate.casefold() not in folded:
            return candidate
        n += 1


def guest_persona_id(name: str) -> str:
    """The persona id of a guest's messages: ``guest:Ana``."""
    return GUEST_PREFIX + name


def is_guest_persona(persona_id: str) -> bool:
    """True for a guest's persona id (``guest:…``)."""
    return persona_id.startswith(GUEST_PREFIX)


def guest_name_of(persona_id: str) -> str:
    """The guest's name in a guest persona id (``guest:Ana`` → ``Ana``); "" otherwise."""
    return persona_id[len(GUEST_PREFIX) :] if is_guest_persona(persona_id) else ""


# --- what a guest sends -----------------------------------------------------------------------

GuestText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)
]
"""A guest's text: trimmed, not blank, at most :data:`MAX_TEXT` characters."""

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Term = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class _Payload(BaseModel):
    # Unknown keys are refused: a payload is another program's input.
    model_config = ConfigDict(extra="forbid", frozen=True)


class SayPayload(_Payload):
    """A message posted in the room; ``lang`` None means "detect it"."""

    text: GuestText
    lang: Lang | None = None


class AnswerPayload(_Payload):
    """A quiz answer: the guest's own translation of message ``seq``."""

    seq: Seq
    answer: GuestText


class VocabPayload(_Payload):
    """A phrasebook entry taken from message ``seq`` (saving the same term again updates it)."""

    seq: Seq
    lang: Lang
    term: Term
    pinyin: ShortText = ""
    translation: ShortText = ""
    translation_source: Literal["user", "glossary", "dictionary", "machine", ""] = ""
    note: ShortText = ""


class VocabDeletePayload(_Payload):
    """Remove one of the guest's own phrasebook entries."""

    lang: Lang
    term: Term


class CorrectionPayload(_Payload):
    """A line correction (the line as it should have been written) of message ``seq``."""

    seq: Seq
    text: GuestText
    note: ShortText = ""


Payload = SayPayload | AnswerPayload | VocabPayload | VocabDeletePayload | CorrectionPayload

PAYLOADS: dict[str, type[_Payload]] = {
    "say": SayPayload,
    "answer": AnswerPayload,
    "vocab": VocabPayload,
    "vocab_delete": VocabDeletePayload,
    "correction": CorrectionPayload,
}
"""The payload model of each inbox kind."""


def kind_of(payload: BaseModel) -> InboxKind:
    """The inbox kind a payload model is sent as."""
    for kind, model in PAYLOADS.items():
        if type(payload) is model:
            return kind  # type: ignore[return-value]  # the keys are the InboxKind values
    raise TypeError(f"not an inbox payload: {type(payload).__name__}")


def parse_payload(kind: str, raw: str) -> Payload:
    """Validate an inbox row's kind and JSON payload (both untrusted).

    Returns:
        The payload model.

    Raises:
        GuestInputError: One line for the guest saying what was wrong (never the raw text).
    """
    model = PAYLOADS.get(kind)
    if model is None:
        known = ", ".join(PAYLOADS)
        raise GuestInputError(f"unknown request kind (known: {known})")
    if len(raw) > MAX_PAYLOAD:
        raise GuestInputError(f"the request is too long (at most {MAX_PAYLOAD:,} characters)")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise GuestInputError("the request is not valid JSON") from None
    if not isinstance(data, dict):
        raise GuestInputError("the request must be a JSON object")
    try:
        return model.model_validate(data)  # type: ignore[return-value]
    except ValidationError as exc:
        raise GuestInputError(_first_problem(exc)) from None


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    field = ".".join(str(part) for part in error["loc"]) or "payload"
    kind = error["type"]
    if kind == "string_too_long":
        limit = (error.get("ctx") or {}).get("max_length", "")
        return f"{field} is too long (at most {limit} characters)"
    if kind == "string_too_short":
        return f"{field} is empty; type something first"
    if kind == "missing":
        return f"{field} is missing"
    if kind == "extra_forbidden":
        return f"{field} is not a field of this request"
    return f"{field}: {error['msg']}"


# --- what the classroom tables hold ----------------------------------------------------------


class HostState(BaseModel):
    """The heartbeat row of the process playing a live session."""

    model_config = ConfigDict(frozen=True)

    session: str
    pid: int
    mode: HostMode
    started_at: datetime
    beat_at: float = Field(description="Unix seconds of the last beat.")
    finished: bool = False

    def live(self, now: float) -> bool:
        """True while the host beats (recently, as of unix time ``now``) and has not finished."""
        return not self.finished and now - self.beat_at <= HOST_TIMEOUT


class Guest(BaseModel):
    """One guest of a session, as their own process last reported."""

    model_config = ConfigDict(frozen=True)

    session: str
    name: str
    joined_at: datetime
    seen_at: float = Field(description="Unix seconds of the guest's last touch.")
    typing_at: float | None = None
    left_at: datetime | None = None

    def present(self, now: float) -> bool:
        """True while the guest has not left and touched recently (as of unix time ``now``)."""
        return self.left_at is None and now - self.seen_at <= GUEST_TIMEOUT

    def typing(self, now: float) -> bool:
        """True when the guest is present and typed within :data:`TYPING_FOR` seconds."""
        return (
            self.present(now) and self.typing_at is not None and now - self.typing_at <= TYPING_FOR
        )


class InboxItem(BaseModel):
    """One inbox row: what a guest sent, and (once the host took it) the outcome.

    ``kind`` and ``payload`` are kept as stored (untrusted); the host parses them
    with :func:`parse_payload`.
    """

    model_config = ConfigDict(frozen=True)

    id: int
    session: str
    guest: str
    kind: str
    payload: str
    created_at: datetime
    status: InboxStatus = "pending"
    result_seq: int | None = None
    reason: str = ""


class Participant(BaseModel):
    """Someone besides the host's user who took part in a session (for exports).

    ``joined_at`` is when they joined the room (``join``); None for a guest known
    only from what they sent (``say``), or from an older export.
    """

    model_config = ConfigDict(frozen=True)

    session: str
    name: str = Field(min_length=1)
    joined_at: datetime | None = None
