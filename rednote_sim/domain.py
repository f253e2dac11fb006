"""The domain: pydantic models shared by every part of rednote-sim.

Content (personas, scenarios, glossary) is authored as TOML and validated into
these models; runtime data (sessions, messages, translations, reactions) flows
from the runner through the store to the UI and the exports. Nothing here does
I/O or imports Textual or aiosqlite.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Lang = Literal["en", "zh"]
"""A language code. The simulator knows exactly two languages."""

Country = Literal["US", "CN"]

FLAGS: dict[str, str] = {"US": "🇺🇸", "CN": "🇨🇳"}

USER_PERSONA_ID = "you"
"""Persona id of the person at the keyboard (composer input)."""

_ID = r"^[a-z0-9][a-z0-9_-]*$"
Identifier = Annotated[str, Field(pattern=_ID, max_length=64)]
"""Lower-case ids: letters, digits, '-' and '_', starting with a letter or digit."""


def other_lang(lang: Lang) -> Lang:
    """Return the other of the two languages."""
    return "zh" if lang == "en" else "en"


def parse_scenario_time(value: object) -> float:
    """Parse a beat time: seconds as a number, or a "m:ss" / "h:mm:ss" string.

    Args:
        value: The raw TOML value.

    Returns:
        Seconds from the start of the scenario.

    Raises:
        ValueError: If the value is not a number, not "m:ss", or negative.
    """
    if isinstance(value, bool):  # bool is an int subclass; `at = true` is a mistake
        raise ValueError('must be seconds (e.g. 12.5) or "m:ss" (e.g. "1:05")')
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and re.fullmatch(r"\d+(:[0-5]\d){1,2}(\.\d+)?", value.strip()):
        seconds = 0.0
        for part in value.strip().split(":"):
            seconds = seconds * 60 + float(part)
    else:
        raise ValueError('must be seconds (e.g. 12.5) or "m:ss" (e.g. "1:05")')
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        raise ValueError("must be a finite number of seconds")
    if seconds < 0:
        raise ValueError("must not be negative (seconds from the start of the scenario)")
    return seconds


class _Strict(BaseModel):
    """Base for authored content: unknown keys are typos, so they are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Persona(_Strict):
    """One member of the simulated room (authored in ``personas/cast/<id>.toml``)."""

    id: Identifier
    name: str = Field(min_length=1)
    handle: str = Field(min_length=1, description="Display handle, e.g. '@catmom_ohio'.")
    language: Lang
    country: Country
    home: str = Field(min_length=1, description="Home town, e.g. 'Columbus, Ohio' or '成都'.")
    avatar: str = Field(min_length=1, max_length=8, description="An emoji.")
    bio: str = Field(min_length=1, description="In the persona's own language.")
    bio_translation: str = ""
    age_range: str = ""
    interests: list[str] = Field(default_factory=list)
    habits: list[str] = Field(default_factory=list)
    typing_speed: float = Field(
        default=5.0, gt=0, le=50, description="Characters per second; drives typing indicators."
    )

    @property
    def flag(self) -> str:
        """The country flag emoji."""
        return FLAGS[self.country]


class Beat(_Strict):
    """One scripted message in a scenario."""

    key: Identifier | None = Field(
        default=None, description="Name other beats use in reply_to; defaults to b<index>."
    )
    persona: Identifier
    at: float = Field(description="Seconds from start, or 'm:ss'.")
    text: str = Field(min_length=1)
    reference: str = Field(default="", description="Human translation into the other language.")
    reference_note: str = Field(default="", description="Explains slang or a cultural reference.")
    reply_to: Identifier | None = None
    reactions: dict[str, int] = Field(default_factory=dict)
    marker: str = Field(default="", description="Optional chapter marker shown in replay seek.")

    @field_validator("at", mode="before")
    @classmethod
    def _parse_at(cls, value: object) -> float:
        return parse_scenario_time(value)

    @field_validator("reactions")
    @classmethod
    def _positive_reactions(cls, value: dict[str, int]) -> dict[str, int]:
        for emoji, count in value.items():
            if count < 1:
                raise ValueError(f"reaction {emoji!r} must have a count of at least 1")
        return value


class ResponderReply(_Strict):
    """One possible answer of a responder."""

    text: str = Field(min_length=1)
    reference: str = ""


class Responder(_Strict):
    """Answers user input that contains one of its trigger words (either language)."""

    id: Identifier | None = None
    persona: Identifier
    triggers: list[str] = Field(min_length=1)
    replies: list[ResponderReply] = Field(min_length=1)


class Scenario(_Strict):
    """A scripted scene (authored in ``personas/scenarios/<id>.toml``)."""

    id: Identifier
    title: str = Field(min_length=1)
    title_zh: str = Field(min_length=1)
    description: str = Field(min_length=1)
    description_zh: str = ""
    date: str = Field(default="", description="In-story date, e.g. '2025-01-13'.")
    beats: list[Beat] = Field(min_length=1)
    responders: list[Responder] = Field(default_factory=list)

    @model_validator(mode="after")
    def _keys_and_order(self) -> Scenario:
        # Give unnamed beats a stable key so replies and exports can name them.
        beats = [
            b if b.key is not None else b.model_copy(update={"key": f"b{i + 1}"})
            for i, b in enumerate(self.beats)
        ]
        object.__setattr__(self, "beats", beats)
        return self

    def beat_keys(self) -> list[str]:
        """Keys of the beats in authored order."""
        return [b.key or "" for b in self.beats]

    @property
    def duration(self) -> float:
        """Scenario time of the last beat."""
        return max(b.at for b in self.beats)


class GlossaryTerm(_Strict):
    """A term pair that must survive translation (``personas/glossary.toml``)."""

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)
    note: str = ""

    def source_and_target(self, source: Lang) -> tuple[str, str]:
        """The (term in the source language, term in the target language)."""
        return (self.en, self.zh) if source == "en" else (self.zh, self.en)


class Glossary(_Strict):
    """All glossary terms."""

    terms: list[GlossaryTerm] = Field(default_factory=list)


class Cast(_Strict):
    """Everything loaded from a ``personas/`` directory."""

    personas: dict[str, Persona]
    scenarios: dict[str, Scenario]
    glossary: Glossary
    responders: list[Responder] = Field(default_factory=list)


# --- runtime data ---------------------------------------------------------------------------


class Translation(BaseModel):
    """A translation of a message and where it came from.

    ``engine`` is ``argos:<package>@<version>`` for machine output, ``script`` for
    the human reference from the scenario.
    """

    model_config = ConfigDict(frozen=True)

    lang: Lang
    text: str
    engine: str


class Message(BaseModel):
    """A message posted in a session (scripted, a responder's, or typed by the user)."""

    session: str
    seq: int = Field(ge=1, description="1-based posting order within the session.")
    t: float = Field(ge=0, description="Scenario seconds.")
    persona: str
    name: str
    lang: Lang
    text: str
    reply_to: int | None = None
    translation: Translation | None = None
    translation_error: str | None = None
    reference: str | None = Field(default=None, description="Scenario's human translation.")
    beat: str | None = Field(default=None, description="Scenario beat key, if scripted.")

    @property
    def translated(self) -> bool:
        """True once the translation step has finished (successfully or not)."""
        return self.translation is not None or self.translation_error is not None

    def to_jsonl(self) -> dict[str, object]:
        """The ``--jsonl`` record (DESIGN.md's contract, plus ``reference``)."""
        return {
            "session": self.session,
            "seq": self.seq,
            "t": round(self.t, 3),
            "persona": self.persona,
            "name": self.name,
            "lang": self.lang,
            "text": self.text,
            "reply_to": self.reply_to,
            "translation": self.translation.model_dump() if self.translation else None,
            "translation_error": self.translation_error,
            "reference": self.reference,
        }


class Reaction(BaseModel):
    """Reactions added to a message at a point in scenario time."""

    model_config = ConfigDict(frozen=True)

    session: str
    seq: int = Field(ge=1, description="The message reacted to.")
    emoji: str
    count: int = Field(ge=1)
    t: float = Field(ge=0)


class Session(BaseModel):
    """One run of a scenario (live, or imported)."""

    id: str
    scenario: str
    seed: int | None = None
    created_at: datetime
    title: str = ""
    note: str = ""
    message_count: int = 0
    duration: float = 0.0


class Marker(BaseModel):
    """A named point in a session's timeline (replay can seek to it)."""

    model_config = ConfigDict(frozen=True)

    session: str
    t: float = Field(ge=0)
    label: str
    seq: int | None = None
    kind: Literal["scenario", "user"] = "user"
