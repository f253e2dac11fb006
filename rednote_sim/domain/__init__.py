"""The domain: pydantic models shared by every part of rednote-sim.

Content (personas, scenarios, glossary) is authored as TOML and validated into
these models; runtime data (sessions, messages, translations, reactions) flows
from the runner through the store to the UI and the exports. The workshop's
records (phrasebook entries, marks, answers, corrections) are in
:mod:`rednote_sim.domain.workshop`. Nothing here does I/O or imports Textual or
aiosqlite; this is the bottom layer, importing nothing else of rednote-sim.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from rednote_sim.domain.terms import LANG_WORDS, has_han

Lang = Literal["en", "zh"]
"""A language code. The simulator knows exactly two languages."""

Country = Literal["US", "CN"]

FLAGS: dict[str, str] = {"US": "🇺🇸", "CN": "🇨🇳"}

USER_PERSONA_ID = "you"
"""Persona id of the person at the keyboard (composer input)."""

ChatSource = Literal["discord", "telegram", "whatsapp"]
"""Where a session imported from a real chat came from."""

CHAT_SOURCE_NAMES: dict[str, str] = {
    "discord": "Discord",
    "telegram": "Telegram",
    "whatsapp": "WhatsApp",
}

_ID = r"^[a-z0-9][a-z0-9_-]*$"
Identifier = Annotated[str, Field(pattern=_ID, max_length=64)]
"""Lower-case ids: letters, digits, '-' and '_', starting with a letter or digit."""


# --- bounds: what a value may be before it reaches SQLite, a terminal or a file name ---------

MAX_SEQ = 2**31 - 1
"""Largest message number (far above any real session, and exact in every JSON reader)."""

MAX_SESSION_SECONDS = 10_000_000.0
"""Latest scenario time a stored message or event may have (about 115 days)."""

MAX_BEAT_SECONDS = 3600.0
"""Latest time a scenario beat may be posted at (1:00:00; scenarios are minutes long)."""

MAX_REACTIONS = 1_000_000_000
"""Largest reaction count (SQLite integers stop at 2^63; no post has a billion)."""

SESSION_ID_MAX_LENGTH = 100
"""Longest session id (generated ids are under 90 characters)."""

LATEST = "latest"
"""The session reference meaning "the newest session": reserved, never an id."""

_SESSION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

Seq = Annotated[int, Field(ge=1, le=MAX_SEQ)]
"""A message number within a session: 1, 2, 3, …"""

SessionTime = Annotated[float, Field(ge=0, le=MAX_SESSION_SECONDS, allow_inf_nan=False)]
"""Scenario seconds of something recorded in a session: finite, not negative."""

ReactionCount = Annotated[int, Field(ge=1, le=MAX_REACTIONS)]


def check_session_id(value: str) -> str:
    """Validate a session id read from a file or given by code.

    The rule: 1 to 100 characters, ASCII letters, digits, ``.``, ``-`` and
    ``_``, starting with a letter or digit, and not ``latest`` (reserved). So an
    id is always a plain file name: no ``/``, no ``..``, no control characters.

    Returns:
        The id, unchanged.

    Raises:
        ValueError: Saying which part of the rule the id breaks.
    """
    if not value:
        raise ValueError("a session id must not be empty")
    if len(value) > SESSION_ID_MAX_LENGTH:
        raise ValueError(
            f"a session id is at most {SESSION_ID_MAX_LENGTH} characters "
            f"(this one has {len(value)})"
        )
    if value == LATEST:
        raise ValueError(f"{LATEST!r} is reserved (it means the newest session)")
    if not _SESSION_ID.fullmatch(value):
        raise ValueError(
            "a session id may hold only ASCII letters, digits, '.', '-' and '_', "
            "and starts with a letter or digit"
        )
    return value


SessionId = Annotated[str, AfterValidator(check_session_id)]
"""A session id that passed :func:`check_session_id`."""


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

    @property
    def shown_handle(self) -> str:
        """The handle, or "" when it only repeats the name (a WhatsApp contact)."""
        return "" if self.handle == self.name else self.handle


class Beat(_Strict):
    """One scripted message in a scenario."""

    key: Identifier | None = Field(
        default=None, description="Name other beats use in reply_to; defaults to b<index>."
    )
    persona: Identifier
    at: float = Field(description="Seconds from start, or 'm:ss'.")
    text: str = Field(min_length=1)
    reference: str = Field(min_length=1, description="Human translation into the other language.")
    reference_note: str = Field(default="", description="Explains slang or a cultural reference.")
    reply_to: Identifier | None = None
    reactions: dict[str, int] = Field(default_factory=dict)
    marker: str = Field(default="", description="Optional chapter marker shown in replay seek.")

    @field_validator("at", mode="before")
    @classmethod
    def _parse_at(cls, value: object) -> float:
        seconds = parse_scenario_time(value)
        if seconds > MAX_BEAT_SECONDS:
            raise ValueError("must be at most 1:00:00 (3600 seconds) from the start")
        return seconds

    @field_validator("reactions")
    @classmethod
    def _positive_reactions(cls, value: dict[str, int]) -> dict[str, int]:
        for emoji, count in value.items():
            if not emoji.strip():
                raise ValueError("a reaction needs an emoji as its key")
            if count < 1 or count > MAX_REACTIONS:
                raise ValueError(
                    f"reaction {emoji!r} must have a count from 1 to {MAX_REACTIONS:,}"
                )
        return value


NAME_PLACEHOLDER = "{name}"
"""In a responder's reply: the name of the guest it answers (``Welcome {name}!``)."""


class ResponderReply(_Strict):
    """One possible answer of a responder.

    A reply holding :data:`NAME_PLACEHOLDER` addresses the person by name: it is
    chosen only for a named classroom guest, with the guest's name put in, and its
    human reference must name them too.
    """

    text: str = Field(min_length=1)
    reference: str = ""

    @model_validator(mode="after")
    def _names_alike(self) -> ResponderReply:
        if self.reference and (NAME_PLACEHOLDER in self.text) != (
            NAME_PLACEHOLDER in self.reference
        ):
            raise ValueError(
                f"text and reference must both use {NAME_PLACEHOLDER} (the guest's name), "
                "or neither"
            )
        return self

    @property
    def named(self) -> bool:
        """True when the reply addresses the person by name."""
        return NAME_PLACEHOLDER in self.text

    def for_name(self, name: str) -> ResponderReply:
        """The reply with ``name`` put in for :data:`NAME_PLACEHOLDER` (text and reference)."""
        return self.model_copy(
            update={
                "text": self.text.replace(NAME_PLACEHOLDER, name),
                "reference": self.reference.replace(NAME_PLACEHOLDER, name),
            }
        )


class Responder(_Strict):
    """Answers user input that contains one of its trigger words (either language).

    A correcting responder (``correct``: common slips and their fixes, e.g.
    ``{ "I am agree" = "I agree" }``) fires on its slips too, and besides the
    reply stores the user's line with the slips fixed as a line correction by
    its persona (``correct_note`` says why).
    """

    id: Identifier | None = None
    persona: Identifier
    triggers: list[str] = Field(default_factory=list)
    replies: list[ResponderReply] = Field(min_length=1)
    correct: dict[Annotated[str, Field(min_length=1)], str] = Field(default_factory=dict)
    correct_note: str = ""

    @model_validator(mode="after")
    def _slips_trigger(self) -> Responder:
        if not self.triggers and not self.correct:
            raise ValueError("a responder needs triggers (or slips to correct)")
        if self.correct_note and not self.correct:
            raise ValueError("correct_note belongs to a responder with correct = { slip = fix }")
        # The slips it corrects are triggers too: written once, in `correct`.
        triggers = [*self.triggers, *(s for s in self.correct if s not in self.triggers)]
        object.__setattr__(self, "triggers", triggers)
        return self


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
    """A term pair that must survive translation (``personas/glossary.toml``).

    ``model_translates_zh``: the zh->en model translates the Chinese term to ``en``
    on its own (measured with ``python -m rednote_sim.bench glossary``), so it is
    not replaced by a placeholder when translating from Chinese: a placeholder
    costs fluency and can swallow what follows (上海人 -> "I'm Shanghai").
    """

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)
    note: str = ""
    model_translates_zh: bool = False

    def source_and_target(self, source: Lang) -> tuple[str, str]:
        """The (term in the source language, term in the target language)."""
        return (self.en, self.zh) if source == "en" else (self.zh, self.en)


class Glossary(_Strict):
    """All glossary terms."""

    terms: list[GlossaryTerm] = Field(default_factory=list)


class SlangEntry(_Strict):
    """One entry of the slang lexicon (``personas/slang.toml``).

    Attributes:
        term: The word or phrase as people type it.
        lang: Its language: Chinese slang is glossed in English, English slang in Chinese.
        gloss: What it means, in the other language.
        note: A note for learners: where it comes from, how it is used.
        pinyin: Tone-marked pinyin (Chinese entries).
        plain: The same meaning in plain Chinese, given to the zh->en model instead
            of the term (which it cannot do: 踩雷 comes out as "stepping on a mine").
        render: The English the translator writes in the term's place, like a
            glossary term ("笑死" -> "LOL"): for a word that stands on its own.
        variants: Other spellings of the term.
        example: A chat line using it.
        example_translation: That line in the other language.
    """

    term: str = Field(min_length=1, max_length=40)
    lang: Lang
    gloss: str = Field(min_length=1)
    note: str = Field(min_length=1)
    pinyin: str = ""
    plain: str = ""
    render: str = ""
    variants: list[str] = Field(default_factory=list)
    example: str = ""
    example_translation: str = ""

    @field_validator("variants")
    @classmethod
    def _variants(cls, value: list[str]) -> list[str]:
        cleaned = [v.strip() for v in value]
        if any(not v for v in cleaned):
            raise ValueError("a variant must not be empty")
        return cleaned

    @model_validator(mode="after")
    def _consistent(self) -> SlangEntry:
        if self.plain and self.render:
            raise ValueError("give plain or render, not both (they are two ways to translate it)")
        if self.render and self.lang != "zh":
            raise ValueError("render is for Chinese entries only (it is the English)")
        if self.plain:
            if self.lang != "zh":
                raise ValueError("plain is for Chinese entries only (it is plain Chinese)")
            if not has_han(self.plain) or self.plain == self.term:
                raise ValueError("plain must be the meaning in plain Chinese, not the term")
        if self.term in self.variants:
            raise ValueError(f"variant {self.term!r} repeats the term")
        if bool(self.example) != bool(self.example_translation):
            raise ValueError("give both example and example_translation, or neither")
        if self.example:
            haystack = self.example if self.lang == "zh" else self.example.casefold()
            forms = self.forms if self.lang == "zh" else [f.casefold() for f in self.forms]
            if not any(form in haystack for form in forms):
                raise ValueError("the example does not use the term")
        return self

    @property
    def forms(self) -> list[str]:
        """The term and its variants."""
        return [self.term, *self.variants]


class SlangLexicon(_Strict):
    """All slang entries (the TOML file's ``[[slang]]`` tables)."""

    slang: list[SlangEntry] = Field(default_factory=list)


class Cast(_Strict):
    """Everything loaded from a ``personas/`` directory."""

    personas: dict[str, Persona]
    scenarios: dict[str, Scenario]
    glossary: Glossary
    responders: list[Responder] = Field(default_factory=list)
    slang: SlangLexicon = Field(default_factory=SlangLexicon)


# --- runtime data ---------------------------------------------------------------------------


ENGINE_SCRIPT = "script"
"""Engine id of the scenario's human reference translation."""

ENGINE_PASSTHROUGH = "passthrough"
"""Engine id of a text returned as written (nothing to translate)."""

ENGINE_ARGOS = "argos:"
"""Prefix of a machine translation's engine id: ``argos:<package>@<version>``."""

Origin = Literal["machine", "reference", "passthrough", "corrected"]
"""Where a translation's text came from.

``machine``: a translation model (``engine`` names it); ``reference``: the
scenario author's human translation; ``passthrough``: nothing to translate, the
text as written; ``corrected``: a human correction made in a class (a teacher
marked the machine output as an error and wrote a better one), remembered and
reused for the same text.
"""


def origin_of(engine: str) -> Origin:
    """The origin an engine id implies (``script`` is the reference, …)."""
    if engine == ENGINE_SCRIPT:
        return "reference"
    if engine == ENGINE_PASSTHROUGH:
        return "passthrough"
    return "machine"


def engine_label(engine: str) -> str:
    """An engine id for people: ``argos:translate-zh_en@1.9`` is ``Argos translate-zh_en 1.9``."""
    if engine.startswith(ENGINE_ARGOS):
        name, _, version = engine.removeprefix(ENGINE_ARGOS).partition("@")
        return f"Argos {name} {version}".strip()
    return engine


class Translation(BaseModel):
    """A rendering of a message in one language and where it came from.

    Attributes:
        lang: The language of ``text``.
        text: What the reader of ``lang`` is shown.
        engine: ``argos:<package>@<version>`` for machine output (also for a class
            correction of it: the model it corrected), ``script`` for the human
            reference, ``passthrough`` for text shown as written.
        origin: See :data:`Origin`; derived from ``engine`` when not given.
        machine: For a class correction: the machine output it replaced, kept for
            machine-vs-human. With ``origin == "machine"`` it means some sentences
            of ``text`` were corrected in class and the rest is machine output.
    """

    model_config = ConfigDict(frozen=True)

    lang: Lang
    text: str
    engine: str
    origin: Origin = "machine"
    machine: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _derive_origin(cls, data: object) -> object:
        if isinstance(data, dict) and data.get("origin") is None and "engine" in data:
            data = {**data, "origin": origin_of(str(data["engine"]))}
        return data

    @property
    def is_machine(self) -> bool:
        """True when the text is (at least partly) machine output a teacher could mark."""
        return self.origin == "machine"

    @property
    def is_human(self) -> bool:
        """True for the human reference and for class corrections."""
        return self.origin in ("reference", "corrected")

    @property
    def machine_label(self) -> str:
        """The label of machine output from this engine: ``machine · Argos translate-zh_en 1.9``.

        For a class correction it names the model whose output (``machine``) was corrected.
        """
        return f"machine · {engine_label(self.engine)}"

    @property
    def label(self) -> str:
        """Where the text came from, for people (the one place translations are labelled).

        ``machine · Argos translate-zh_en 1.9``, ``human reference``,
        ``human · corrected in class``, ``machine · Argos … · sentences corrected in
        class``; empty for passthrough.
        """
        if self.origin == "reference":
            return "human reference"
        if self.origin == "corrected":
            return "human · corrected in class"
        if self.origin == "passthrough":
            return ""
        label = self.machine_label
        if self.machine is not None:
            label += " · sentences corrected in class"
        return label

    def to_jsonl(self) -> dict[str, object]:
        """As JSON: ``lang``, ``text``, ``engine``, ``origin`` (and ``machine`` when set)."""
        record: dict[str, object] = {
            "lang": self.lang,
            "text": self.text,
            "engine": self.engine,
            "origin": self.origin,
        }
        if self.machine is not None:
            record["machine"] = self.machine
        return record


class Message(BaseModel):
    """A message posted in a session (scripted, a responder's, or typed by the user).

    A message is in one language (``lang``, the dominant one) and ``translation``
    renders it in the other. A message that **mixes** the languages (an exam
    question in English under a Chinese heading, an English line ending in a
    Chinese clause) is hard for both readers, so it gets a second rendering,
    ``mixed_translation``: the message in its own language with the parts
    written in the other language translated (the rest kept as written). Each
    reader then has one rendering: :meth:`rendering`.
    """

    session: str
    seq: Seq = Field(description="1-based posting order within the session.")
    t: SessionTime = Field(description="Scenario seconds.")
    persona: str
    name: str
    lang: Lang
    text: str
    reply_to: Seq | None = None
    translation: Translation | None = None
    translation_error: str | None = None
    reference: str | None = Field(default=None, description="Scenario's human translation.")
    beat: str | None = Field(default=None, description="Scenario beat key, if scripted.")
    posted_at: datetime | None = Field(
        default=None,
        description="When it was posted in the original chat (imported chats), as written there.",
    )
    mixed: bool = Field(default=False, description="Written in both languages.")
    mixed_translation: Translation | None = Field(
        default=None, description="In its own language, the other-language parts translated."
    )
    mixed_error: str | None = Field(
        default=None, description="Why a mixed message's parts were not translated."
    )

    @model_validator(mode="before")
    @classmethod
    def _from_jsonl(cls, data: object) -> object:
        # A --jsonl record carries the mixed rendering in "translations" (by reader).
        if not isinstance(data, dict) or "translations" not in data:
            return data
        data = dict(data)
        renderings = data.pop("translations")
        if renderings is None:
            return data
        if not isinstance(renderings, dict):
            raise ValueError("translations must be an object keyed by language (en, zh)")
        data["mixed"] = True
        lang = data.get("lang")
        if lang in renderings:
            data.setdefault("mixed_translation", renderings[lang])
        return data

    @property
    def translated(self) -> bool:
        """True once the translation step has finished (successfully or not)."""
        done = self.translation is not None or self.translation_error is not None
        if self.mixed:
            done = done and (self.mixed_translation is not None or self.mixed_error is not None)
        return done

    def rendering(self, reader: Lang) -> tuple[Translation | None, str | None]:
        """What a reader of ``reader`` is shown: (translation, why there is none).

        A reader of the other language gets :attr:`translation`; a reader of the
        message's own language gets :attr:`mixed_translation` when the message
        mixes the languages, and ``(None, None)`` otherwise (the original reads as is).
        """
        if reader != self.lang:
            return self.translation, self.translation_error
        if self.mixed:
            return self.mixed_translation, self.mixed_error
        return None, None

    def rendering_label(self, reader: Lang) -> str:
        """The label of what ``reader`` is shown.

        A mixed message's own-language rendering says which parts were translated
        (``… · Chinese parts translated``).
        """
        translation, _ = self.rendering(reader)
        if translation is None:
            return ""
        if translation.origin == "machine":
            return translation.label + self._parts_translated(reader)
        return translation.label

    def machine_label(self, reader: Lang) -> str:
        """The label of the machine output behind what ``reader`` is shown.

        ``machine · Argos …`` (and ``· Chinese parts translated`` for a mixed
        message's own-language rendering), also for a class correction, where it
        heads what the model had said (machine vs human).
        """
        translation, _ = self.rendering(reader)
        if translation is None:
            return ""
        return translation.machine_label + self._parts_translated(reader)

    def _parts_translated(self, reader: Lang) -> str:
        # A mixed message's own-language rendering translated only its other-language parts.
        return (
            f" · {LANG_WORDS[other_lang(self.lang)]} parts translated"
            if reader == self.lang
            else ""
        )

    def renderings(self) -> dict[Lang, Translation | None]:
        """Every reader's rendering: the other language's, plus the own one when mixed."""
        found: dict[Lang, Translation | None] = {other_lang(self.lang): self.translation}
        if self.mixed:
            found[self.lang] = self.mixed_translation
        return found

    def to_jsonl(self) -> dict[str, object]:
        """The ``--jsonl`` record (docs/ARCHITECTURE.md describes it).

        A message of an imported chat also has ``posted_at``, its original time.
        A message that mixes the languages also carries ``translations``: both
        readers' renderings by language (``null`` where there is none), and
        ``mixed_error`` when its own-language rendering failed.
        """
        record: dict[str, object] = {
            "session": self.session,
            "seq": self.seq,
            "t": round(self.t, 3),
            "persona": self.persona,
            "name": self.name,
            "lang": self.lang,
            "text": self.text,
            "reply_to": self.reply_to,
            "translation": self.translation.to_jsonl() if self.translation else None,
            "translation_error": self.translation_error,
            "reference": self.reference,
        }
        if self.posted_at is not None:
            record["posted_at"] = self.posted_at.isoformat()
        if self.mixed:
            record["translations"] = {
                lang: tr.to_jsonl() if tr else None
                for lang, tr in sorted(self.renderings().items())
            }
            record["mixed_error"] = self.mixed_error
        return record


class Reaction(BaseModel):
    """Reactions added to a message at a point in scenario time."""

    model_config = ConfigDict(frozen=True)

    session: str
    seq: Seq = Field(description="The message reacted to.")
    emoji: str
    count: ReactionCount
    t: SessionTime


class Session(BaseModel):
    """One run of a scenario (live, or imported), or a real chat imported from an export."""

    id: str
    scenario: str
    seed: int | None = None
    created_at: datetime
    title: str = ""
    note: str = ""
    message_count: int = 0
    duration: float = 0.0
    imported_from: ChatSource | None = Field(
        default=None, description="The app of the real chat this session was imported from."
    )
    anonymized: bool = Field(
        default=False, description="Names and handles were replaced by pseudonyms on import."
    )

    @property
    def provenance(self) -> str:
        """One sentence saying where a real chat came from; empty for simulated sessions."""
        if self.imported_from is None:
            return ""
        where = f"Imported from a real {CHAT_SOURCE_NAMES[self.imported_from]} chat"
        if self.anonymized:
            return f"{where}; names and handles are pseudonyms."
        return f"{where}; the people in it are real."


class Marker(BaseModel):
    """A named point in a session's timeline (replay can seek to it)."""

    model_config = ConfigDict(frozen=True)

    session: str
    t: SessionTime
    label: str
    seq: Seq | None = None
    kind: Literal["scenario", "user"] = "user"
