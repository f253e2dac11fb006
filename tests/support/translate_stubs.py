"""Stand-ins for a translation engine and a translation memory (for unit tests).

``StubTranslator`` implements ``rednote_sim.translate.Translator``; other parts'
tests can use it to get a ``TranslationService`` without a model::

    service = TranslationService(glossary=Glossary(), engines={("zh", "en"): StubTranslator()})
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from rednote_sim.domain import Lang


class StubTranslator:
    """A synchronous engine that records its calls.

    Args:
        source: Source language.
        target: Target language.
        render: Turns one (protected) input into its "translation"; by default
            ``"[en] <text>"`` (placeholders are copied, so spans survive).
        engine_id: The id translations get.
    """

    def __init__(
        self,
        source: Lang = "zh",
        target: Lang = "en",
        render: Callable[[str], str] | None = None,
        engine_id: str = "stub:test@1",
    ) -> None:
        self.source: Lang = source
        self.target: Lang = target
        self.engine_id = engine_id
        self.render = render or (lambda text: f"[{target}] {text}")
        self.calls: list[list[str]] = []
        self.fail_with: Exception | None = None
        self.gate: threading.Event | None = None
        """If set, each call waits for it (to hold the engine busy)."""
        self.started = threading.Event()
        """Set when a call has started."""

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        """Record the call, optionally wait or fail, render every text."""
        self.calls.append(list(texts))
        self.started.set()
        if self.gate is not None:
            self.gate.wait(timeout=30)
        if self.fail_with is not None:
            raise self.fail_with
        return [self.render(text) for text in texts]

    @property
    def texts_seen(self) -> list[str]:
        """Every text the engine was given, in order."""
        return [text for call in self.calls for text in call]


class DictMemory:
    """An in-memory ``TranslationMemory`` that records lookups and remembers."""

    def __init__(self) -> None:
        self.data: dict[tuple[str, Lang, Lang, str], str] = {}
        self.corrections: list[tuple[Lang, str, str]] = []
        """Class corrections (target language, source text, corrected text), oldest first."""
        self.lookups: list[list[str]] = []
        self.remembered: list[tuple[str, str]] = []
        self.fail = False

    async def tm_lookup(
        self, engine: str, source: Lang, target: Lang, texts: Sequence[str]
    ) -> dict[str, str]:
        """Known translations of ``texts``."""
        self.lookups.append(list(texts))
        if self.fail:
            raise RuntimeError("database is locked")
        found = {}
        for text in texts:
            key = (engine, source, target, text)
            if key in self.data:
                found[text] = self.data[key]
        return found

    async def tm_remember(
        self, engine: str, source: Lang, target: Lang, pairs: Sequence[tuple[str, str]]
    ) -> None:
        """Store pairs."""
        if self.fail:
            raise RuntimeError("database is locked")
        for text, translated in pairs:
            self.data[(engine, source, target, text)] = translated
            self.remembered.append((text, translated))

    async def tm_corrections(self) -> list[tuple[Lang, str, str]]:
        """The class corrections."""
        if self.fail:
            raise RuntimeError("database is locked")
        return list(self.corrections)


def count_engine_calls(engine: Any) -> list[int]:
    """Wrap a real engine's ``translate_batch`` to record each call's batch size.

    Returns:
        The list that grows by one entry (the number of texts) per model call.
    """
    calls: list[int] = []
    original = engine.translate_batch

    def counting(texts: Sequence[str]) -> list[str]:
        calls.append(len(texts))
        result: list[str] = original(texts)
        return result

    engine.translate_batch = counting
    return calls
