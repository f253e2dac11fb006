"""The real translation service over a fast stub model (for layout tests).

zh→en is "installed", as a stub engine (:class:`~tests.support.translate_stubs.StubTranslator`)
labelled ``argos:stub-zh_en@1.0``. Its output for the scenarios' lines is their
human reference with "RedNote" mangled to "Little Red" (as Argos does), so
snapshots read naturally and machine output and human reference differ where it
matters: the service finds those in its translation memory, as a second run of
the room finds what the model said in the first. Any other Chinese text (typed,
a mixed message's Chinese parts) goes to the stub engine, which writes
``(machine) <text>``. en→zh has no model, so the service does what it does
without one: the human reference stands in, labelled.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from rednote_sim.content import load_cast
from rednote_sim.translate import TranslationService
from tests.support.translate_stubs import DictMemory, StubTranslator, stub_service

STUB_ENGINE = "argos:stub-zh_en@1.0"

PERSONAS = Path(__file__).resolve().parents[3] / "personas"


def argos_like(reference: str) -> str:
    """The stub model's translation of a line whose human reference is ``reference``."""
    return reference.replace("RedNote", "Little Red")


def stub_translator(
    *, gate: asyncio.Event | None = None, loading: threading.Event | None = None
) -> TranslationService:
    """The real ``TranslationService`` over the stub zh→en model, with the real content.

    Args:
        gate: Holds every translation until set (the "translating…" placeholder).
        loading: Holds the model's warm-up until set (the model still loading).
    """
    cast = load_cast(PERSONAS)
    engine = StubTranslator("zh", "en", render=lambda text: f"(machine) {text}")
    engine.engine_id = STUB_ENGINE
    engine.load_gate = loading
    memory = DictMemory()
    memory.gate = gate
    service = stub_service(cast.glossary, engine, memory=memory, slang=cast.slang)
    key = service.memory_key(STUB_ENGINE)
    lines = [(beat.text, beat.reference) for s in cast.scenarios.values() for beat in s.beats]
    lines += [(r.text, r.reference) for responder in cast.responders for r in responder.replies]
    for text, reference in lines:
        if reference:
            memory.data[(key, "zh", "en", text)] = argos_like(reference)
    return service
