"""Workshop records: phrasebook entries, MT-error marks, quiz answers and corrections.

Each belongs to one message of one session (session id + seq) and is stored in
SQLite (``store/migrations/0002_workshop.sql``) and in JSONL exports.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rednote_sim.domain import Lang, Seq

TranslationSource = Literal["user", "glossary", "dictionary", "machine", ""]
"""Where a phrasebook translation came from; ``""`` when there is none yet."""

HOST_AUTHOR = ""
"""The author of what the person at the host's terminal adds; guests' rows carry their name."""


class VocabEntry(BaseModel):
    """A word or phrase a learner saved to the phrasebook.

    The saved side is ``term`` in ``lang``; ``translation`` is the other
    language. Most entries are Chinese (``lang == "zh"``); an English phrase
    (slang like "lmfao") can be saved too, and then its Chinese is the
    translation. Unique per (session, author, lang, term): saving again updates it.
    """

    model_config = ConfigDict(frozen=True)

    session: str
    seq: Seq = Field(description="The message the entry was taken from.")
    author: str = Field(default=HOST_AUTHOR, description="Whose phrasebook: a guest's name.")
    lang: Lang = Field(description="Language of the term.")
    term: str = Field(min_length=1, max_length=500)
    pinyin: str = Field(default="", description="Pinyin of the Chinese side.")
    translation: str = Field(default="", description="The term in the other language.")
    translation_source: TranslationSource = ""
    note: str = ""
    created_at: datetime
    example: str = Field(default="", exclude=True, description="The source message (read only).")
    example_translation: str = Field(
        default="", exclude=True, description="Its human reference, else machine translation."
    )

    @property
    def chinese(self) -> str:
        """The Chinese side (may be empty for an English term with no translation yet)."""
        return self.term if self.lang == "zh" else self.translation

    @property
    def english(self) -> str:
        """The English side."""
        return self.translation if self.lang == "zh" else self.term


class MtErrorMark(BaseModel):
    """A line a facilitator marked as an interesting machine-translation error."""

    model_config = ConfigDict(frozen=True)

    session: str
    seq: Seq
    note: str = ""
    created_at: datetime


class QuizAnswer(BaseModel):
    """A learner's own translation of a line, typed before the reveal.

    Every attempt is kept (a class may answer the same line several times);
    the exports show them all, oldest first.
    """

    model_config = ConfigDict(frozen=True)

    session: str
    seq: Seq
    answer: str = Field(min_length=1)
    created_at: datetime
    author: str = Field(default=HOST_AUTHOR, description="Who answered: a guest's name.")


MAX_AUTHOR = 100
"""Longest author name of a correction."""


class LineCorrection(BaseModel):
    """A corrected version of a line, HelloTalk style: the line as it should have been written.

    A learner (or the teacher) rewrites a partner's sentence; the room and the
    handouts show the difference word by word
    (:func:`rednote_sim.lang.diff.word_diff`). ``author`` says who wrote it:
    ``""`` is the person at this terminal; a classroom with guests fills in their
    names. One correction per line and author: correcting again replaces it.
    """

    model_config = ConfigDict(frozen=True)

    session: str
    seq: Seq
    text: str = Field(min_length=1, description="The corrected line.")
    note: str = Field(default="", description="Why, for the learner.")
    author: str = Field(default="", max_length=MAX_AUTHOR, description="Who corrected it.")
    created_at: datetime


class TranslationCorrection(BaseModel):
    """A teacher's better translation of a line whose machine translation was marked.

    ``lang`` is the language of the rendering corrected (the other language for
    most lines; a message that mixes the languages has a second rendering in its
    own). ``machine`` is what the model had said. The translation service reuses
    the latest correction whenever the same text (or the same sentence) comes up
    again, labelled "human · corrected in class".
    """

    model_config = ConfigDict(frozen=True)

    session: str
    seq: Seq
    lang: Lang
    text: str = Field(min_length=1)
    machine: str = ""
    note: str = ""
    created_at: datetime
