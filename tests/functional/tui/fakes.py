"""A fast, deterministic translator with the service's semantics (for layout tests).

zh→en is "installed": the output is the scenario's reference when there is one
(so snapshots read naturally) with "RedNote" mangled to "Little Red" (as Argos
does), under a machine label that says it is a stub;
en→zh has no model, so the human reference is used, labelled ``script``, as the
real service does. Asked for a message in its own language (a message that
mixes the languages), it translates the other-language parts as the service
does, through the same "installed" directions. ``gate`` holds every translation
until it is set, to show the "translating…" placeholder; ``warm_gate`` holds the
model warm-up.
"""

from __future__ import annotations

import asyncio

from rednote_sim.domain import Lang, Translation, other_lang
from rednote_sim.translate.langid import detect_lang, written_in
from rednote_sim.translate.mixed import other_language_parts, rebuild
from rednote_sim.translate.service import no_model_message

STUB_ENGINE = "argos:stub-zh_en@1.0"


class Outcome:
    """What ``translate`` returns (``TranslationOutcomeLike``)."""

    def __init__(self, translation: Translation | None, error: str | None) -> None:
        self.translation = translation
        self.error = error


class FakeTranslator:
    """Implements the parts of ``TranslationService`` the TUI uses."""

    def __init__(
        self, *, gate: asyncio.Event | None = None, warm_gate: asyncio.Event | None = None
    ) -> None:
        self.gate = gate
        self.warm_gate = warm_gate
        self.calls: list[str] = []
        self.warmed = False
        self.closed = False

    def has_model(self, source: Lang, target: Lang) -> bool:
        return (source, target) == ("zh", "en")

    def engine_id(self, source: Lang, target: Lang) -> str | None:
        return STUB_ENGINE if self.has_model(source, target) else None

    async def warm_up(self) -> None:
        if self.warm_gate is not None:
            await self.warm_gate.wait()
        self.warmed = True

    async def aclose(self) -> None:
        self.closed = True

    async def translate(
        self,
        text: str,
        *,
        source: Lang | None = None,
        target: Lang | None = None,
        reference: str | None = None,
    ) -> Outcome:
        self.calls.append(text)
        if self.gate is not None:
            await self.gate.wait()
        src = source or detect_lang(text) or "en"
        tgt = target or other_lang(src)
        if src == tgt:
            return self._parts(text, src, reference)
        if self.has_model(src, tgt):
            # Like Argos, the stub mangles the app's name (小红书 → "Little Red"),
            # so machine output and human reference differ where it matters.
            machine = (reference or f"(machine) {text}").replace("RedNote", "Little Red")
            return Outcome(Translation(lang=tgt, text=machine, engine=STUB_ENGINE), None)
        error = no_model_message(src, tgt)  # the service's own wording, how-to included
        if reference and written_in(reference, tgt):
            return Outcome(Translation(lang=tgt, text=reference, engine="script"), error)
        return Outcome(None, error)

    def _parts(self, text: str, lang: Lang, reference: str | None) -> Outcome:
        parts = other_language_parts(text, lang)
        if not parts:
            return Outcome(Translation(lang=lang, text=text, engine="passthrough"), None)
        other = other_lang(lang)
        if self.has_model(other, lang):
            shown = rebuild(text, parts, [f"(machine) {text[p.start : p.end]}" for p in parts])
            return Outcome(Translation(lang=lang, text=shown, engine=STUB_ENGINE), None)
        error = no_model_message(other, lang)
        if reference and written_in(reference, lang):
            return Outcome(Translation(lang=lang, text=reference, engine="script"), error)
        return Outcome(None, error)
