"""Argos's per-message path against our batched engine, on the same lines, in one run.

What is compared (same model, same CTranslate2 ``Translator`` object and thread
settings, same beam size, same sentence splitting):

(a) Argos: ``argostranslate.translate.apply_packaged_translation`` once per
    message, as ``argostranslate.translate.translate()`` does (its sentencizer is
    our splitter, because stock stanza cannot run offline);
(b) ours: ``ArgosEngine.translate_batch`` over all messages at once;
(c) the speed-up; (d) whether the outputs are identical, else their chrF;
(e) ``TranslationService`` on a second pass: in-process cache hits, and a fresh
    service answered by the SQLite translation memory;
(f) our engine at other beam and sub-batch sizes against the old default (beam 4,
    sub-batches of 32): the default (beam 2, sub-batches by ``batch_size_for``),
    beam 2 with sub-batches of 32, and beam 1;
(g) the whole service (cutting, protecting, the clause check, restoring) at beam 4
    against the default beam;
(h) the first pipeline (every long sentence cut at its commas before the model,
    beam 4) against the default (whole sentences, the clause check where the
    output came back short, beam 2), the whole service again.

Each timed pass runs ``--repeat`` times, the two paths interleaved so they share
the machine's noise; the best time of each is reported.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from rednote_sim.bench.chrf import corpus_chrf
from rednote_sim.domain import Glossary
from rednote_sim.translate.engine import DEFAULT_BEAM, ArgosEngine
from rednote_sim.translate.packages import InstalledPackage, find_package, install_from
from rednote_sim.translate.splitter import split_sentences

LINES_FILE = Path(__file__).with_name("zh_chat_lines.txt")
SHARED_MODELS = Path(__file__).resolve().parents[2].parent / "shared" / "models"


def load_lines(limit: int | None = None) -> list[str]:
    """The benchmark's Chinese chat lines."""
    lines = [ln.strip() for ln in LINES_FILE.read_text("utf-8").splitlines() if ln.strip()]
    return lines[:limit] if limit else lines


@contextmanager
def resolve_package(model: Path | None, models_dir: Path) -> Iterator[InstalledPackage]:
    """The zh->en package to benchmark: installed, a package dir, or a file/dir to install."""
    from rednote_sim.errors import UserError
    from rednote_sim.translate.packages import read_package

    if model is None:
        installed = find_package(models_dir, "zh", "en")
        if installed is not None:
            yield installed
            return
        model = SHARED_MODELS
    if model.is_dir() and (model / "metadata.json").is_file():
        package = read_package(model)
        if package is None:
            raise UserError(f"{model}: not a usable Argos package directory")
        yield package
        return
    with tempfile.TemporaryDirectory(prefix="rnsim-bench-") as tmp:
        found = [
            p for p in install_from(model, Path(tmp)) if (p.from_code, p.to_code) == ("zh", "en")
        ]
        if not found:
            raise UserError(f"{model}: no zh->en package there")
        yield found[0]


class _Sentencizer:
    """Argos's sentence-boundary interface, answered by our splitter."""

    def split_sentences(self, text: str) -> list[str]:
        return split_sentences(text)


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@dataclass
class Result:
    """Everything the benchmark measured."""

    messages: int
    sentences: int
    beam_size: int
    threads: str
    argos_mps: float
    ours_mps: float
    identical: int
    chrf: float
    service_first_mps: float
    cache_mps: float
    memory_mps: float
    argos_default_threads_mps: float | None
    variants: dict[str, float] = field(default_factory=dict)
    """Engine msg/s by variant (``beam 4 x 32`` is the old default)."""
    service_by_beam: dict[int, float] = field(default_factory=dict)
    """Service first-pass msg/s by beam size."""
    first_pipeline_mps: float | None = None
    """Service first-pass msg/s of the first pipeline (clauses first, beam 4)."""

    @property
    def ratio(self) -> float:
        """Speed-up of the batched engine over Argos's per-message path."""
        return self.ours_mps / self.argos_mps


async def _service_passes(engine: ArgosEngine, lines: list[str]) -> tuple[float, float, float]:
    """Messages/s: first pass (model), second pass (cache), fresh service (SQLite memory)."""
    from rednote_sim.store import Store
    from rednote_sim.translate.service import TranslationService

    with tempfile.TemporaryDirectory(prefix="rnsim-bench-db-") as tmp:
        async with await Store.open(Path(tmp) / "bench.db") as store:
            service = TranslationService(
                glossary=Glossary(), memory=store, engines={("zh", "en"): engine}
            )
            start = time.perf_counter()
            await service.translate_many(lines, source="zh")
            first = time.perf_counter() - start
            start = time.perf_counter()
            await service.translate_many(lines, source="zh")
            cached = time.perf_counter() - start
            await service.aclose()

            calls_before = service.engine_calls
            fresh = TranslationService(
                glossary=Glossary(), memory=store, engines={("zh", "en"): engine}
            )
            start = time.perf_counter()
            await fresh.translate_many(lines, source="zh")
            remembered = time.perf_counter() - start
            assert fresh.engine_calls == 0 and service.engine_calls == calls_before
            await fresh.aclose()
    n = len(lines)
    return n / first, n / cached, n / remembered


OLD_DEFAULT = "beam 4 x 32 (old default)"


async def _fresh_service(engine: ArgosEngine, lines: list[str], clauses_first: bool) -> None:
    """One first pass of a new service (no cache, no memory): the whole pipeline."""
    from rednote_sim.translate.service import TranslationService

    service = TranslationService(
        glossary=Glossary(), engines={("zh", "en"): engine}, clauses_first=clauses_first
    )
    try:
        await service.translate_many(lines, source="zh")
    finally:
        await service.aclose()


def _run_service(engine: ArgosEngine, lines: list[str], clauses_first: bool = False) -> None:
    asyncio.run(_fresh_service(engine, lines, clauses_first))


def run(
    package: InstalledPackage,
    lines: list[str],
    *,
    beam_size: int = DEFAULT_BEAM,
    repeat: int = 3,
    argos_hypotheses: int = 1,
    argos_default_threads: bool = True,
    log: Callable[[str], None] = print,
) -> Result:
    """Run the benchmark; see the module docstring."""
    # Argos reads its settings at import; give it the same beam size as ours.
    os.environ.setdefault("ARGOS_BEAM_SIZE", str(beam_size))
    log("importing argostranslate.translate (stanza, torch: the import the product avoids)...")
    import argostranslate.settings as argos_settings
    import argostranslate.translate as argos_translate
    from argostranslate.package import Package

    argos_settings.beam_size = beam_size
    argos_package = Package(package.path)
    sentencizer = _Sentencizer()

    engine = ArgosEngine(package, beam_size=beam_size)
    engine.load()
    translator = engine.ctranslate2_translator  # shared: same object, same threads

    def argos_pass(ct2: Any = translator) -> list[str]:
        return [
            argos_translate.apply_packaged_translation(
                argos_package, line, ct2, sentencizer, num_hypotheses=argos_hypotheses
            )[0].value.strip()
            for line in lines
        ]

    def ours_pass() -> list[str]:
        return engine.translate_batch(lines)

    log("warming up both paths (outputs compared on this pass)...")
    argos_out = argos_pass()
    ours_out = ours_pass()
    argos_times, ours_times = [], []
    for i in range(repeat):
        log(f"timed pass {i + 1}/{repeat}...")
        argos_times.append(_timed(argos_pass))
        ours_times.append(_timed(ours_pass))

    default_mps = None
    if argos_default_threads:
        import ctranslate2

        # Argos's own defaults (one worker using every core) suit one message at a time.
        own = ctranslate2.Translator(
            str(package.model_dir), device="cpu", inter_threads=1, intra_threads=0
        )
        argos_pass(own)
        best = min(_timed(lambda: argos_pass(own)) for _ in range(repeat))
        default_mps = len(lines) / best
        del own

    log("translation service: first pass, cache, translation memory...")
    first, cached, remembered = asyncio.run(_service_passes(engine, lines))

    log("beam and sub-batch sizes, interleaved...")
    variants = {
        OLD_DEFAULT: engine.variant(beam_size=4, max_batch_size=32),
        f"beam {DEFAULT_BEAM} (default sub-batches)": engine.variant(beam_size=DEFAULT_BEAM),
        "beam 2 x 32": engine.variant(beam_size=2, max_batch_size=32),
        "beam 1 (default sub-batches)": engine.variant(beam_size=1),
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    for variant in variants.values():
        variant.translate_batch(lines)  # warm
    for _ in range(repeat):
        for name, variant in variants.items():
            times[name].append(_timed(partial(variant.translate_batch, lines)))
    service_times: dict[int, list[float]] = {4: [], DEFAULT_BEAM: []}
    first_times: list[float] = []
    beam_4 = engine.variant(beam_size=4, max_batch_size=32)
    for _ in range(repeat):
        for beam in service_times:
            beamed = engine.variant(beam_size=beam)
            service_times[beam].append(_timed(partial(_run_service, beamed, lines)))
        first_times.append(_timed(partial(_run_service, beam_4, lines, True)))
    identical = sum(a == b for a, b in zip(argos_out, ours_out, strict=True))
    return Result(
        messages=len(lines),
        sentences=sum(len(split_sentences(line)) for line in lines),
        beam_size=beam_size,
        threads=f"inter={engine.threads.inter} intra={engine.threads.intra}",
        argos_mps=len(lines) / min(argos_times),
        ours_mps=len(lines) / min(ours_times),
        identical=identical,
        chrf=corpus_chrf(ours_out, argos_out),
        service_first_mps=first,
        cache_mps=cached,
        memory_mps=remembered,
        argos_default_threads_mps=default_mps,
        variants={name: len(lines) / min(t) for name, t in times.items()},
        service_by_beam={beam: len(lines) / min(t) for beam, t in service_times.items()},
        first_pipeline_mps=len(lines) / min(first_times),
    )


def report(result: Result, package: InstalledPackage, argos_hypotheses: int) -> str:
    """The benchmark's printed summary."""
    same = result.identical == result.messages
    lines = [
        f"model: {package.engine_id} ({package.path})",
        f"lines: {result.messages} Chinese chat messages ({result.sentences} sentences), "
        f"beam {result.beam_size}, CTranslate2 {result.threads}, cores {os.cpu_count()}",
        "",
        f"(a) Argos per-message (apply_packaged_translation, num_hypotheses={argos_hypotheses}): "
        f"{result.argos_mps:8.1f} msg/s",
        f"(b) ours, batched (ArgosEngine.translate_batch):          {result.ours_mps:8.1f} msg/s",
        f"(c) speed-up: {result.ratio:.2f}x",
        f"(d) outputs: {result.identical}/{result.messages} identical"
        + ("" if same else f", chrF(ours vs Argos) = {result.chrf:.2f}"),
        f"(e) TranslationService: first pass {result.service_first_mps:.1f} msg/s; "
        f"second pass (cache) {result.cache_mps:,.0f} msg/s; "
        f"fresh service from the SQLite memory {result.memory_mps:,.0f} msg/s",
    ]
    if result.variants:
        old = result.variants[OLD_DEFAULT]
        lines += ["", "(f) our engine by beam and sub-batch size (sentences per sub-batch):"]
        for name, mps in result.variants.items():
            lines.append(f"    {name:28s} {mps:8.1f} msg/s  {mps / old:5.2f}x the old default")
    if result.service_by_beam:
        slow = result.service_by_beam[4]
        lines.append("(g) TranslationService, first pass of a fresh service (the whole pipeline):")
        for beam, mps in sorted(result.service_by_beam.items(), reverse=True):
            lines.append(f"    beam {beam}: {mps:8.1f} msg/s  {mps / slow:5.2f}x beam 4")
    if result.first_pipeline_mps is not None and result.service_by_beam:
        first = result.first_pipeline_mps
        now = result.service_by_beam[DEFAULT_BEAM]
        lines += [
            "(h) TranslationService, first pipeline (clauses first, beam 4) vs the default:",
            f"    first pipeline: {first:8.1f} msg/s; default: {now:8.1f} msg/s;"
            f" {now / first:5.2f}x",
        ]
    if result.argos_default_threads_mps is not None:
        fair = result.ours_mps / result.argos_default_threads_mps
        lines += [
            "",
            f"for reference: Argos per-message with its own default threads (inter=1, intra=0): "
            f"{result.argos_default_threads_mps:.1f} msg/s; ours is {fair:.2f}x that",
        ]
    return "\n".join(lines)
