"""Stand-ins for a translation engine and a translation memory.

``StubTranslator`` implements ``rednote_sim.translate.Engine``; tests of other
parts translate with the real ``TranslationService`` over it (no model), so
they see the service's own semantics (fallbacks, labels, mixed messages)::

    service = stub_service(Glossary(), StubTranslator())
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from typing import Any

from rednote_sim.domain import Glossary, Lang, SlangLexicon
from rednote_sim.translate import Engine, TranslationMemory, TranslationService


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
        self.load_gate: threading.Event | None = None
        """If set, :meth:`load` waits for it (a model still loading)."""
        self._loaded = False

    @property
    def loaded(self) -> bool:
        """Whether :meth:`load` has returned."""
        return self._loaded

    def load(self) -> None:
        """Nothing to load; waits for ``load_gate`` if set (a model that takes its time)."""
        if self.load_gate is not None:
            self.load_gate.wait(timeout=30)
        self._loaded = True

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
        self.gate: asyncio.Event | None = None
        """If set, every lookup waits for it (translations held on their way)."""

    async def tm_lookup(
        self, engine: str, source: Lang, target: Lang, texts: Sequence[str]
    ) -> dict[str, str]:
        """Known translations of ``texts``."""
        self.lookups.append(list(texts))
        if self.gate is not None:
            await self.gate.wait()
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


def stub_service(
    glossary: Glossary,
    *engines: StubTranslator,
    memory: TranslationMemory | None = None,
    slang: SlangLexicon | None = None,
) -> TranslationService:
    """The real translation service over stub engines: directions without one have no model."""
    table: dict[tuple[Lang, Lang], Engine] = {(e.source, e.target): e for e in engines}
    return TranslationService(glossary=glossary, slang=slang, memory=memory, engines=table)


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
