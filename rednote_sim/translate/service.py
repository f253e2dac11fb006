"""The translation service: what the rest of rednote-sim calls to translate a message.

``await service.translate(text)`` returns a :class:`TranslationOutcome` and never
raises for a bad engine or a missing model: the outcome carries the reason, and
the message is kept either way.

Where a translation comes from, in order: the in-process cache, the translation
memory (the SQLite store), then the engine. Concurrent calls for one direction
queue up and one consumer sends everything pending to the engine in ONE worker
thread call, so twenty messages posted at once cost one or two model calls, not
twenty, and the event loop never waits for the model. A message goes to the
engine as pieces (see ``protect``: cut at emoji, laughter, list markers...); the
pieces of every message in the batch share that one call.

Engine ids (``Translation.engine``):

- ``argos:<package>@<version>``: machine translation by an installed package;
- ``script``: the scenario's human reference, used when the direction has no
  model (or the model failed) and the reference is in the language wanted;
- ``passthrough``: nothing to translate (emoji, numbers, a link; or a text asked
  for in its own language that has no other-language parts): the text as is.

Asked for a text in its own language (``target == source``), the service renders
the parts written in the other language (see ``mixed``): "I'm a 铲屎官 for two
cats" becomes "I'm a shit shoveler for two cats", the English kept as written.

**Class corrections** (a teacher's better translation of a line marked as an MT
error) are the memory that learns: the latest correction of a text is used
whenever the same text, or a sentence equal to a corrected one-sentence text,
is translated into the same language again (origin ``corrected``; the machine
output is still made, and kept beside it for machine vs human).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rednote_sim.domain import (
    ENGINE_PASSTHROUGH,
    ENGINE_SCRIPT,
    Glossary,
    Lang,
    SlangLexicon,
    Translation,
    other_lang,
)
from rednote_sim.translate.api import Direction, Engine, TranslationMemory, TranslationOutcome
from rednote_sim.translate.engine import DEFAULT_BEAM, LANGS
from rednote_sim.translate.langid import detect_lang, written_in
from rednote_sim.translate.mixed import other_language_parts, rebuild
from rednote_sim.translate.packages import INSTALL_HINT, find_package
from rednote_sim.translate.paraphrase import Paraphraser, slang_terms
from rednote_sim.translate.protect import ProtectedText, lost_terms, protect, too_short
from rednote_sim.translate.splitter import sentence_bounds

log = logging.getLogger(__name__)

ENGINE_BATCH = 64
"""Most texts sent to the engine in one call; the rest wait for the next round."""

CACHE_SIZE = 20_000
"""Translations kept in process; beyond that the oldest go (the memory still has them)."""

CLAUSES_WIN_BELOW = 0.9
"""A sentence's whole translation gives way to its clause-by-clause one when it has
fewer than this share of the latter's letters (it dropped something).

Measured with ``bench quality`` (beam 2): checking the candidates (see
``protect.too_short``) this way beat cutting every long sentence at its commas, and
beat a letters-per-character threshold alone, on the scenario beats and on the
held-out lines.
"""

PIPELINE = 3
"""Revision of what happens around the model (cutting, protecting, restoring).

The translation memory is keyed by engine, pipeline revision and glossary, so a
fix here or a new glossary term is not hidden behind translations made before it.
Bump it whenever the same model output would now be restored differently.
"""


def correction_key(text: str) -> str:
    """How class corrections are matched: whitespace collapsed, trailing full stops dropped."""
    return " ".join(text.split()).rstrip("。！？!?.…～~ ")


def no_model_message(source: Lang, target: Lang) -> str:
    """The error for a direction without an installed package."""
    return f"no {source}→{target} model installed: {INSTALL_HINT}"


def _glossary_digest(glossary: Glossary) -> str:
    # Whatever changes what protect() does with a term changes the memory key.
    pairs = sorted((term.en, term.zh, term.model_translates_zh) for term in glossary.terms)
    return hashlib.sha256(json.dumps(pairs, ensure_ascii=False).encode()).hexdigest()[:8]


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    first = text.splitlines()[0] if text else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


@dataclass
class _Result:
    text: str | None = None
    error: str | None = None


@dataclass
class _Lane:
    """The queue and consumer of one direction, bound to one event loop."""

    pending: list[tuple[str, asyncio.Future[_Result]]] = field(default_factory=list)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None


class TranslationService:
    """Translate messages between English and Chinese, batched, cached and remembered.

    Implements :class:`~rednote_sim.translate.api.Translator`.

    Args:
        glossary: Term pairs carried across as the target term (小红书 <-> RedNote).
        models_dir: Where installed Argos packages are found; None finds none.
        memory: Persistent translation memory (the store); None keeps only the
            in-process cache.
        beam_size: Beam size for Argos engines.
        threads: CTranslate2 threads (0: automatic; see ``engine.thread_plan``).
        slang: The slang lexicon; a Chinese term with a plain paraphrase is given to
            the model as that paraphrase (see ``paraphrase``).
        clauses_first: Cut every long Chinese sentence at its commas before the model,
            as the first pipeline did (no clause check afterwards); only for
            comparing the two in ``bench translate``.
        engines: Engines by (source, target), replacing discovery in ``models_dir``
            (tests and stubs).
    """

    def __init__(
        self,
        *,
        glossary: Glossary,
        models_dir: Path | None = None,
        memory: TranslationMemory | None = None,
        beam_size: int = DEFAULT_BEAM,
        threads: int = 0,
        engines: Mapping[Direction, Engine] | None = None,
        slang: SlangLexicon | None = None,
        clauses_first: bool = False,
    ) -> None:
        self.glossary = glossary
        self.clauses_first = clauses_first
        self.paraphrase = Paraphraser(slang or SlangLexicon(), glossary)
        # Slang with a fixed English rendering is protected like a glossary term (zh->en).
        self._glossaries: dict[Lang, Glossary] = {
            "zh": Glossary(terms=[*glossary.terms, *slang_terms(slang or SlangLexicon())]),
            "en": glossary,
        }
        self.models_dir = models_dir
        self.memory = memory
        self.beam_size = beam_size
        self.threads = threads
        self._engines: dict[Direction, Engine] | None = (
            dict(engines) if engines is not None else None
        )
        self._cache: dict[tuple[str, Lang, Lang, str], str] = {}
        self._inflight: dict[tuple[str, Lang, Lang, str], asyncio.Future[_Result]] = {}
        self._lanes: dict[Direction, _Lane] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self._glossary_digest = _glossary_digest(self._glossaries["zh"])
        # Capitalised words of the glossary (names) stay capitalised mid-sentence.
        self._names = frozenset(
            word for t in glossary.terms for word in t.en.split() if word[:1].isupper()
        )
        self._corrections: dict[Lang, dict[str, str]] | None = None
        self.engine_calls = 0
        """How many times an engine was called (the batching is observable)."""

    # --- engines ---------------------------------------------------------------------------

    def _discover(self) -> dict[Direction, Engine]:
        if self._engines is None:
            from rednote_sim.translate.engine import ArgosEngine

            found: dict[Direction, Engine] = {}
            for source in LANGS:
                target = other_lang(source)
                package = find_package(self.models_dir, source, target) if self.models_dir else None
                if package is not None:
                    found[(source, target)] = ArgosEngine(
                        package, beam_size=self.beam_size, threads=self.threads
                    )
            self._engines = found
        return self._engines

    def engine(self, source: Lang, target: Lang) -> Engine | None:
        """The engine for a direction, if one is installed (not loaded by this call)."""
        return self._discover().get((source, target))

    def has_model(self, source: Lang, target: Lang) -> bool:
        """Whether the direction has an engine; cheap (reads metadata, loads no model)."""
        return self.engine(source, target) is not None

    def model_loaded(self, source: Lang, target: Lang) -> bool:
        """Whether the direction's model is in memory (False without one, or if it failed)."""
        engine = self.engine(source, target)
        return engine is not None and engine.loaded

    def engine_id(self, source: Lang, target: Lang) -> str | None:
        """The engine id translations in this direction get, or None without a model."""
        engine = self.engine(source, target)
        return engine.engine_id if engine is not None else None

    def memory_key(self, engine_id: str) -> str:
        """What the translation memory files this service's translations under.

        The engine id, the pipeline revision and digests of the glossary and of the
        slang paraphrases, e.g. ``argos:translate-zh_en@1.9|p3|g1a2b3c4d|s5e6f7a8b``.
        """
        key = f"{engine_id}|p{PIPELINE}|g{self._glossary_digest}"
        return key + (f"|s{self.paraphrase.digest}" if len(self.paraphrase) else "")

    async def warm_up(self) -> None:
        """Load every installed model in a worker thread, so the first message is quick.

        A model that fails to load is logged here, and reported again on every
        message that needs it.
        """
        for engine in self._discover().values():
            try:
                await asyncio.to_thread(engine.load)
            except Exception as exc:
                log.warning("could not load %s: %s", engine.engine_id, _one_line(exc))

    # --- translating -----------------------------------------------------------------------

    async def translate(
        self,
        text: str,
        *,
        source: Lang | None = None,
        target: Lang | None = None,
        reference: str | None = None,
    ) -> TranslationOutcome:
        """Translate one text.

        Args:
            text: The message.
            source: Its language; detected when None.
            target: The language wanted; the other language when None.
            reference: A human translation (the scenario's); used, labelled
                ``script``, when the direction has no model or the model fails.

        Returns:
            The outcome; see :class:`TranslationOutcome`. Never raises for engine
            failures or missing models.
        """
        detected = detect_lang(text)
        src = source or detected
        if src is None or detected is None:
            # Nothing the model could improve: emoji, numbers, a link.
            lang = target or (other_lang(src) if src else "en")
            return TranslationOutcome(
                src, Translation(lang=lang, text=text, engine=ENGINE_PASSTHROUGH), None
            )
        tgt = target or other_lang(src)
        if tgt == src:
            return await self._translate_parts(text, src, reference)
        engine = self.engine(src, tgt)
        if engine is None:
            corrected = await self._corrected(tgt, text, None)
            if corrected is not None:
                return TranslationOutcome(src, corrected, None)
            return self._fallback(src, tgt, reference, no_model_message(src, tgt))
        result = await self._translate_with(engine, src, tgt, text)
        if result.text is None:
            return self._fallback(src, tgt, reference, result.error or "translation failed")
        machine = Translation(lang=tgt, text=result.text, engine=engine.engine_id)
        corrected = await self._corrected(tgt, text, machine)
        if corrected is None:
            corrected = await self._corrected_sentences(engine, src, tgt, text, machine)
        return TranslationOutcome(src, corrected or machine, None)

    async def _translate_parts(
        self, text: str, lang: Lang, reference: str | None
    ) -> TranslationOutcome:
        """A text in its own language with its other-language parts translated."""
        parts = other_language_parts(text, lang)
        if not parts:
            return TranslationOutcome(
                lang, Translation(lang=lang, text=text, engine=ENGINE_PASSTHROUGH), None
            )
        other = other_lang(lang)
        engine = self.engine(other, lang)
        error = no_model_message(other, lang)
        if engine is not None:
            results = await asyncio.gather(
                *(self._translate_with(engine, other, lang, text[p.start : p.end]) for p in parts)
            )
            failed = next((r.error for r in results if r.text is None), None)
            if failed is None:
                rendered = rebuild(text, parts, [r.text or "" for r in results], self._names)
                machine = Translation(lang=lang, text=rendered, engine=engine.engine_id)
                corrected = await self._corrected(lang, text, machine)
                return TranslationOutcome(lang, corrected or machine, None, parts=True)
            error = failed
        corrected = await self._corrected(lang, text, None)
        if corrected is not None:
            return TranslationOutcome(lang, corrected, None, parts=True)
        outcome = self._fallback(other, lang, reference, error)
        return TranslationOutcome(lang, outcome.translation, outcome.error, parts=True)

    # --- class corrections -----------------------------------------------------------------

    async def _correction_table(self, target: Lang) -> dict[str, str]:
        if self._corrections is None:
            table: dict[Lang, dict[str, str]] = {"en": {}, "zh": {}}
            if self.memory is not None:
                try:
                    for lang, source_text, corrected in await self.memory.tm_corrections():
                        table[lang][correction_key(source_text)] = corrected
                except Exception as exc:  # the memory is an optimisation, not a dependency
                    log.warning("class corrections could not be read: %s", _one_line(exc))
            if self._corrections is None:  # another caller may have loaded them meanwhile
                self._corrections = table
        return self._corrections[target]

    def learn(self, target: Lang, source_text: str, corrected: str) -> None:
        """Remember a class correction at once (the store keeps it for later sessions)."""
        if self._corrections is None:
            return  # loaded from the store, correction included, on first use
        self._corrections[target][correction_key(source_text)] = corrected

    def forget(self, target: Lang, source_text: str) -> None:
        """Drop a class correction that was removed (an older one of the text is not restored)."""
        if self._corrections is not None:
            self._corrections[target].pop(correction_key(source_text), None)

    async def _corrected(
        self, target: Lang, text: str, machine: Translation | None
    ) -> Translation | None:
        """The class correction of the whole text, if there is one."""
        corrected = (await self._correction_table(target)).get(correction_key(text))
        if corrected is None:
            return None
        return Translation(
            lang=target,
            text=corrected,
            engine=machine.engine if machine is not None else ENGINE_SCRIPT,
            origin="corrected",
            machine=machine.text if machine is not None else None,
        )

    async def _corrected_sentences(
        self, engine: Engine, source: Lang, target: Lang, text: str, machine: Translation
    ) -> Translation | None:
        """The text sentence by sentence, corrected sentences from the class, if any."""
        table = await self._correction_table(target)
        bounds = sentence_bounds(text)
        if not table or len(bounds) < 2:
            return None
        keys = [correction_key(text[s:e]) for s, e in bounds]
        if not any(k in table for k in keys):
            return None
        rest = [i for i, k in enumerate(keys) if k not in table]
        results = await asyncio.gather(
            *(
                self._translate_with(engine, source, target, text[bounds[i][0] : bounds[i][1]])
                for i in rest
            )
        )
        done = dict(zip(rest, results, strict=True))
        pieces: list[str] = []
        for i, (start, end) in enumerate(bounds):
            if i in done:
                piece = done[i].text
                if piece is None:
                    return None  # the whole-text machine translation stands
            else:
                piece = _ending_like(table[keys[i]], text[start:end], target)
            gap = text[bounds[i - 1][1] : start] if i else ""
            newlines = gap.count("\n")
            joint = "\n" * newlines if newlines else (" " if target == "en" else gap)
            pieces.append((joint if i else "") + piece)
        origin = "corrected" if not rest else "machine"
        return Translation(
            lang=target,
            text="".join(pieces),
            engine=machine.engine,
            origin=origin,
            machine=machine.text,
        )

    async def translate_many(
        self,
        texts: Sequence[str],
        *,
        source: Lang | None = None,
        target: Lang | None = None,
        references: Sequence[str | None] | None = None,
    ) -> list[TranslationOutcome]:
        """Translate several texts concurrently (they share engine calls).

        Args:
            texts: The messages.
            source: Their language; detected per text when None.
            target: The language wanted; the other language when None.
            references: Human translations, one per text (or None).

        Returns:
            One outcome per text, in order.
        """
        refs: Sequence[str | None] = references if references is not None else [None] * len(texts)
        if len(refs) != len(texts):
            raise ValueError("references must have one entry per text")
        return list(
            await asyncio.gather(
                *(
                    self.translate(t, source=source, target=target, reference=r)
                    for t, r in zip(texts, refs, strict=True)
                )
            )
        )

    def _fallback(
        self, source: Lang, target: Lang, reference: str | None, error: str
    ) -> TranslationOutcome:
        if reference and written_in(reference, target):
            # The human reference stands in, labelled as such; the error says why.
            script = Translation(lang=target, text=reference, engine=ENGINE_SCRIPT)
            is_missing_model = error == no_model_message(source, target)
            return TranslationOutcome(source, script, None if is_missing_model else error)
        return TranslationOutcome(source, None, error)

    async def _translate_with(
        self, engine: Engine, source: Lang, target: Lang, text: str
    ) -> _Result:
        key = (engine.engine_id, source, target, text)
        cached = self._cache.get(key)
        if cached is not None:
            return _Result(text=cached)
        if self._closed:
            return _Result(error="translation service is closed")
        future = self._inflight.get(key)
        if future is None:
            lane = self._lane((source, target))
            future = asyncio.get_running_loop().create_future()
            self._inflight[key] = future
            future.add_done_callback(lambda _: self._inflight.pop(key, None))
            lane.pending.append((text, future))
            lane.wake.set()
        # Shielded: one caller giving up must not cancel the others waiting on the text.
        return await asyncio.shield(future)

    def _lane(self, direction: Direction) -> _Lane:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            # A new event loop (e.g. a second asyncio.run): the old lanes died with theirs.
            self._loop = loop
            self._lanes.clear()
            self._inflight.clear()
        lane = self._lanes.get(direction)
        if lane is None:
            lane = self._lanes[direction] = _Lane()
        if lane.task is None or lane.task.done():
            lane.task = loop.create_task(
                self._consume(direction, lane), name=f"translate-{direction[0]}-{direction[1]}"
            )
        return lane

    async def _consume(self, direction: Direction, lane: _Lane) -> None:
        while True:
            await lane.wake.wait()
            lane.wake.clear()
            # One more turn of the loop lets callers that are already running enqueue too.
            await asyncio.sleep(0)
            while lane.pending:
                batch = lane.pending[:ENGINE_BATCH]
                del lane.pending[:ENGINE_BATCH]
                try:
                    await self._run_batch(direction, batch)
                except asyncio.CancelledError:
                    for _, future in batch:
                        if not future.done():
                            future.set_result(_Result(error="translation service is closed"))
                    raise
                except Exception as exc:  # a bug here must not strand the callers
                    log.exception("translation batch failed")
                    for _, future in batch:
                        if not future.done():
                            future.set_result(
                                _Result(error=f"translation failed: {_one_line(exc)}")
                            )
            if self._closed:
                return

    async def _run_batch(
        self, direction: Direction, batch: list[tuple[str, asyncio.Future[_Result]]]
    ) -> None:
        source, target = direction
        engine = self.engine(source, target)
        assert engine is not None  # only directions with an engine get a lane
        engine_id = engine.engine_id
        futures = {text: future for text, future in batch}
        texts = list(futures)

        def resolve(text: str, result: _Result) -> None:
            if result.text is not None:
                self._remember_here((engine_id, source, target, text), result.text)
            future = futures[text]
            if not future.done():
                future.set_result(result)

        if self.memory is not None:
            try:
                known = await self.memory.tm_lookup(
                    self.memory_key(engine_id), source, target, texts
                )
            except Exception as exc:  # the memory is an optimisation, not a dependency
                log.warning("translation memory lookup failed: %s", _one_line(exc))
                known = {}
            for text in texts:
                if text in known:
                    resolve(text, _Result(text=known[text]))
            texts = [t for t in texts if t not in known]
        if not texts:
            return

        # The model reads slang as plain Chinese (笑死 as 太好笑了); the text keeps its slang.
        model_texts = [self.paraphrase(t) for t in texts] if source == "zh" else texts
        protected = [
            self._protect(t, source, target, clauses=self.clauses_first) for t in model_texts
        ]
        # Every piece of every message in one engine call; pieces without words skip it.
        inputs = [piece for p in protected for piece in p.texts]
        try:
            outputs = await self._call(engine, inputs)
            done = await self._second_pass(engine, source, target, protected, outputs)
        except Exception as exc:
            error = f"translation failed: {_one_line(exc)}"
            for text in texts:
                resolve(text, _Result(error=error))
            return
        pairs: list[tuple[str, str]] = []
        given = iter(outputs)
        for i, (text, p) in enumerate(zip(texts, protected, strict=True)):
            pairs.append((text, p.restore([next(given) for _ in p.texts], done.get(i))))
        for text, translated in pairs:
            resolve(text, _Result(text=translated))
        if self.memory is not None:
            try:
                await self.memory.tm_remember(self.memory_key(engine_id), source, target, pairs)
            except Exception as exc:
                log.warning("translation memory update failed: %s", _one_line(exc))

    async def _call(self, engine: Engine, inputs: list[str]) -> list[str]:
        """One engine call in a worker thread (none for no inputs); checks the count."""
        if not inputs:
            return []
        self.engine_calls += 1
        outputs = await asyncio.to_thread(engine.translate_batch, inputs)
        if len(outputs) != len(inputs):
            raise RuntimeError(f"engine returned {len(outputs)} results for {len(inputs)} texts")
        return outputs

    async def _second_pass(
        self,
        engine: Engine,
        source: Lang,
        target: Lang,
        protected: Sequence[ProtectedText],
        outputs: Sequence[str],
    ) -> dict[int, dict[int, str]]:
        """Pieces the model may have got wrong, translated again another way.

        Two cases, all sent in one more engine call:

        - the output lost a glossary term the model usually knows (left
          unprotected, see ``protect.lost_terms``): again with every term protected;
        - a long sentence came back short (``protect.too_short``; whole sentences
          translate best, cutting at every comma fragments the English and can
          break a conditional, but the model sometimes drops the end of a long
          one): again clause by clause, and the clauses win only when the whole
          sentence's output is clearly shorter (``CLAUSES_WIN_BELOW``).

        Returns:
            By message index, then piece index: the piece rendered again.
        """
        redo: list[tuple[int, int, str | None, ProtectedText]] = []
        given = iter(outputs)
        for i, p in enumerate(protected):
            for k, part in enumerate(p.pieces):
                said = next(given)
                again: ProtectedText | None = None
                whole: str | None = None
                if source == "zh" and lost_terms(part, said, self.glossary):
                    again = self._protect(part.source, source, target, all_terms=True)
                elif not self.clauses_first and too_short(part, said):
                    again = self._protect(part.source, source, target, clauses=True)
                    whole = said
                    if len(again.texts) < 2:
                        again = None
                if again is not None:
                    redo.append((i, k, whole, again))
        inputs = [text for _, _, _, again in redo for text in again.texts]
        outs = iter(await self._call(engine, inputs))
        done: dict[int, dict[int, str]] = {}
        for i, k, whole, again in redo:
            pieces = [next(outs) for _ in again.texts]
            clauses_lose = whole is not None and _letters(whole) >= CLAUSES_WIN_BELOW * sum(
                _letters(t) for t in pieces
            )
            if not clauses_lose:
                done.setdefault(i, {})[k] = again.restore(pieces)
        return done

    def _protect(
        self,
        text: str,
        source: Lang,
        target: Lang,
        *,
        clauses: bool = False,
        all_terms: bool = False,
    ) -> ProtectedText:
        return protect(
            text,
            source=source,
            target=target,
            glossary=self._glossaries[source],
            clauses=clauses,
            all_terms=all_terms,
        )

    def _remember_here(self, key: tuple[str, Lang, Lang, str], text: str) -> None:
        self._cache[key] = text
        if len(self._cache) > CACHE_SIZE:
            # Dicts keep insertion order: drop the oldest tenth in one go.
            for old in list(self._cache)[: CACHE_SIZE // 10]:
                del self._cache[old]

    @property
    def closed(self) -> bool:
        """True once :meth:`aclose` has been called (later translations fail, labelled)."""
        return self._closed

    async def aclose(self) -> None:
        """Finish queued translations, then stop the consumers. Idempotent."""
        self._closed = True
        for lane in list(self._lanes.values()):
            task = lane.task
            if task is None or task.done():
                continue
            if task.get_loop() is not asyncio.get_running_loop():
                continue  # from a loop that is gone
            lane.wake.set()
            try:
                await task
            except asyncio.CancelledError:
                pass
            except Exception:
                log.exception("translation consumer failed")


_ASCII_END = {"。": ".", "！": "!", "？": "?", "…": "…"}


def _ending_like(corrected: str, sentence: str, target: Lang) -> str:
    """A corrected sentence, ending with the sentence's own full stop if it has none."""
    corrected = corrected.strip()
    end = sentence.rstrip()[-1:]
    if not end or end not in "。！？!?.…" or corrected[-1:] in "。！？!?.…":
        return corrected
    return corrected + (_ASCII_END.get(end, end) if target == "en" else end)


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isascii() and ch.isalpha())
