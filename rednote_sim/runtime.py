"""Wiring the headless core together: content, store and translation for one run.

The CLI's headless commands and the TUI both start from here, so a room is
assembled the same way everywhere.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from rednote_sim.content import load_cast
from rednote_sim.domain import Cast, Scenario
from rednote_sim.errors import UserError
from rednote_sim.settings import Settings
from rednote_sim.store import Store, open_store
from rednote_sim.store.connection import WaitNotice
from rednote_sim.translate import TranslationService


@dataclass
class Runtime:
    """What a room needs: the cast, an open store and the translation service."""

    settings: Settings
    cast: Cast
    store: Store
    translator: TranslationService

    def scenario(self, scenario_id: str) -> Scenario:
        """Look up a scenario, with a helpful error when it does not exist."""
        return find_scenario(self.cast, scenario_id)


def find_scenario(cast: Cast, scenario_id: str) -> Scenario:
    """The scenario ``scenario_id``.

    Raises:
        UserError: Naming the available scenarios.
    """
    try:
        return cast.scenarios[scenario_id]
    except KeyError:
        available = ", ".join(sorted(cast.scenarios)) or "none"
        raise UserError(
            f"unknown scenario {scenario_id!r} (available: {available}); "
            "see `rednote-sim scenarios list`"
        ) from None


def make_translator(settings: Settings, cast: Cast, store: Store | None) -> TranslationService:
    """The translation service configured from settings, using the store as memory."""
    return TranslationService(
        glossary=cast.glossary,
        slang=cast.slang,
        models_dir=settings.models_dir,
        memory=store,
        beam_size=settings.beam_size,
        threads=settings.translate_threads,
    )


@asynccontextmanager
async def open_runtime(
    settings: Settings, on_wait: WaitNotice | None = None
) -> AsyncIterator[Runtime]:
    """Load the content, open the store and start the translation service."""
    cast = load_cast(settings.personas_dir)
    store = await open_store(settings, on_wait)
    translator = make_translator(settings, cast, store)
    try:
        yield Runtime(settings=settings, cast=cast, store=store, translator=translator)
    finally:
        await translator.aclose()
        await store.close()
