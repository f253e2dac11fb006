"""The translator's contract: what its users call, what it runs on, what it returns.

* :class:`Translator` is the translation service as the rest of rednote-sim
  sees it: rooms translate messages with it, the chat importer translates a
  whole chat, the TUI reports on its models and tells it about class
  corrections. :class:`~rednote_sim.translate.service.TranslationService` is the
  implementation; tests build that same service over a stub :class:`Engine`.
* :class:`Engine` is one synchronous model for one direction, run in a worker
  thread (:class:`~rednote_sim.translate.engine.ArgosEngine`).
* :class:`TranslationMemory` is where translations are remembered between runs
  (the SQLite store implements it; the translator never imports the store).
* :class:`TranslationOutcome` is what a translation returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from rednote_sim.domain import Lang, Translation

Direction = tuple[Lang, Lang]
"""(source, target)."""


@dataclass(frozen=True)
class TranslationOutcome:
    """The result of translating one text.

    Attributes:
        source_lang: The language translated from (given or detected); None when
            the text has nothing in either language.
        translation: The translation, if there is one (machine, script or passthrough).
        error: Why there is no machine translation, if there is none; set together
            with a ``script`` translation when the reference stood in for a failure.
        parts: True when only the other-language parts of a mixed text were
            translated (the text asked for in its own language).
    """

    source_lang: Lang | None
    translation: Translation | None
    error: str | None
    parts: bool = False


class Translator(Protocol):
    """The translation service, as rooms, importers and the TUI use it."""

    async def translate(
        self,
        text: str,
        *,
        source: Lang | None = None,
        target: Lang | None = None,
        reference: str | None = None,
    ) -> TranslationOutcome:
        """Translate one text; never raises for a missing model or a failing engine.

        Args:
            text: The message.
            source: Its language; detected when None.
            target: The language wanted; the other language when None (the same
                language renders a mixed text's other-language parts).
            reference: A human translation that stands in, labelled, when there is
                no machine translation.
        """
        ...

    async def translate_many(
        self,
        texts: Sequence[str],
        *,
        source: Lang | None = None,
        target: Lang | None = None,
        references: Sequence[str | None] | None = None,
    ) -> list[TranslationOutcome]:
        """Translate several texts at once (they share engine calls); one outcome per text."""
        ...

    def has_model(self, source: Lang, target: Lang) -> bool:
        """Whether the direction has a model installed (cheap: loads nothing)."""
        ...

    def model_loaded(self, source: Lang, target: Lang) -> bool:
        """Whether the direction's model is in memory (False without one, or if it failed)."""
        ...

    async def warm_up(self) -> None:
        """Load every installed model off the event loop, so the first message is quick."""
        ...

    def learn(self, target: Lang, source_text: str, corrected: str) -> None:
        """Use a class correction from now on (the store keeps it for later runs)."""
        ...

    def forget(self, target: Lang, source_text: str) -> None:
        """Stop using a class correction that was removed."""
        ...

    async def aclose(self) -> None:
        """Finish what is queued, then stop. Idempotent."""
        ...


class Engine(Protocol):
    """A synchronous model for one direction (called from a worker thread)."""

    @property
    def engine_id(self) -> str:
        """How its translations are labelled, e.g. ``argos:translate-zh_en@1.9``."""
        ...

    @property
    def source(self) -> Lang:
        """The language it translates from."""
        ...

    @property
    def target(self) -> Lang:
        """The language it translates into."""
        ...

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory."""
        ...

    def load(self) -> None:
        """Load the model (once; later calls return at once). May raise."""
        ...

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        """Translate texts; one result per text, in order."""
        ...


class TranslationMemory(Protocol):
    """Persistent translations by (engine, source, target, text): the SQLite store."""

    async def tm_lookup(
        self, engine: str, source: Lang, target: Lang, texts: Sequence[str]
    ) -> dict[str, str]:
        """Known translations of those of ``texts`` this engine has translated."""
        ...

    async def tm_remember(
        self, engine: str, source: Lang, target: Lang, pairs: Sequence[tuple[str, str]]
    ) -> None:
        """Store (text, translation) pairs made by ``engine``."""
        ...

    async def tm_corrections(self) -> Sequence[tuple[Lang, str, str]]:
        """Class corrections as (target language, source text, corrected text), oldest first."""
        ...
