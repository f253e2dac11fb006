"""The Argos engine: an installed package run with CTranslate2, batched across messages.

Argos translates one message at a time, paragraph by paragraph; here every
sentence of every message in a batch goes to CTranslate2 in one
``translate_batch`` call, which is where the speed comes from (see
``python -m rednote_sim.bench translate``). Decoding follows Argos
(SentencePiece pieces, beam search with ``length_penalty=0.2`` and
``replace_unknowns``), so a sentence translates the same either way.

Two things differ from Argos, both measured with ``python -m rednote_sim.bench``:

- the default beam is 2 (``DEFAULT_BEAM``): 1.6-1.7x faster than Argos's 4 at the
  same quality; sub-batches hold about ``128 / beam`` sentences (``batch_size_for``);
- a sentence carrying placeholders (``XQ0``…) is decoded with as many hypotheses
  as its beam holds (at least ``CANDIDATES``), and the best one that keeps every
  placeholder is taken: the model drops a placeholder now and then, and a
  restored span then lands at the edge of its sentence ("Beijing It's snowing
  today."). At beam 2 this cut the pieces that lost a placeholder from 7 to 1 of
  155 on the scenario beats, chrF unchanged.

``ctranslate2`` and ``sentencepiece`` are imported in :meth:`ArgosEngine.load`,
never at import time.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rednote_sim.domain import Lang
from rednote_sim.translate.packages import InstalledPackage
from rednote_sim.translate.protect import PLACEHOLDER_RE, has_words, lost_placeholders
from rednote_sim.translate.splitter import split_sentences

__all__ = [
    "CANDIDATES",
    "DEFAULT_BEAM",
    "LANGS",
    "ArgosEngine",
    "ThreadPlan",
    "batch_size_for",
    "has_words",
    "thread_plan",
]

LANGS: tuple[Lang, ...] = ("en", "zh")

DEFAULT_BEAM = 2
"""Beam size by default (``RNSIM_BEAM_SIZE`` overrides it). Beam 2 measured 1.6-1.7x
faster than 4 with the same chrF; beam 1 is faster still but starts to hallucinate."""

CANDIDATES = 2
"""Fewest hypotheses asked for a sentence with placeholders (its beam is at least this wide).

Measured at beam 2: 2 hypotheses kept the placeholders as well as 4 or 6 (which
need a wider beam) and cost nothing measurable.
"""

BATCH_EXAMPLES = 128
"""Sentences x beam per CTranslate2 sub-batch (see :func:`batch_size_for`)."""


def batch_size_for(beam_size: int, sentences: int | None = None, workers: int = 1) -> int:
    """Sentences per sub-batch: about ``BATCH_EXAMPLES / beam``, and every worker busy.

    A sub-batch costs about sentences x beam, so a smaller beam takes more
    sentences per sub-batch (a fixed 32, right for beam 4, underfeeds beam 2). But
    the inter-op workers translate sub-batches side by side, so a batch is also
    cut into at least one sub-batch per worker (chat batches are small: 40
    sentences in one sub-batch of 64 would leave a worker idle).

    Args:
        beam_size: The beam.
        sentences: How many sentences the call translates, if known.
        workers: CTranslate2 inter-op workers.
    """
    size = BATCH_EXAMPLES // max(1, beam_size)
    if sentences:
        size = min(size, -(-sentences // max(1, workers)))
    return max(8, size)


@dataclass(frozen=True)
class ThreadPlan:
    """How CTranslate2 uses the cores.

    Attributes:
        inter: Sub-batches translated in parallel (the weights are shared).
        intra: Threads used inside one sub-batch.
    """

    inter: int
    intra: int


def thread_plan(threads: int) -> ThreadPlan:
    """Threads for CTranslate2.

    Args:
        threads: 0 for automatic, else the intra-op thread count (one worker).

    Returns:
        Automatic: two workers of ``cores // 2`` threads each when there are two or
        more cores (big batches are split and run side by side, which beat one
        worker with every core in the benchmark), else one single-thread worker.
    """
    if threads > 0:
        return ThreadPlan(inter=1, intra=threads)
    # The cores this process may use (a container may allow fewer than the machine has).
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cores = cores or 1
    inter = 2 if cores >= 2 else 1
    return ThreadPlan(inter=inter, intra=max(1, cores // inter))


def _as_lang(code: str) -> Lang:
    if code == "en":
        return "en"
    if code == "zh":
        return "zh"
    raise ValueError(f"rednote-sim only translates between en and zh, not {code!r}")


class ArgosEngine:
    """Translates with one installed Argos package (an :class:`~rednote_sim.translate.api.Engine`).

    Thread-safe: :meth:`load` may race, and :meth:`translate_batch` may be called
    from several threads (CTranslate2 queues the work).
    """

    def __init__(
        self,
        package: InstalledPackage,
        *,
        beam_size: int = DEFAULT_BEAM,
        threads: int = 0,
        max_batch_size: int | None = None,
    ) -> None:
        self.package = package
        self.engine_id: str = package.engine_id
        self.source: Lang = _as_lang(package.from_code)
        self.target: Lang = _as_lang(package.to_code)
        self.beam_size = beam_size
        self.threads = thread_plan(threads)
        self.max_batch_size = max_batch_size
        self._lock = threading.Lock()
        self._translator: Any = None
        self._sp: Any = None

    def __repr__(self) -> str:
        return f"ArgosEngine({self.engine_id}, beam={self.beam_size}, {self.threads})"

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory."""
        return self._translator is not None

    def load(self) -> None:
        """Load the CTranslate2 and SentencePiece models (once; later calls return at once)."""
        if self._translator is not None:
            return
        with self._lock:
            if self._translator is not None:
                return
            import ctranslate2
            import sentencepiece

            sp = sentencepiece.SentencePieceProcessor(
                model_file=str(self.package.sentencepiece_model)
            )
            translator = ctranslate2.Translator(
                str(self.package.model_dir),
                device="cpu",
                compute_type="auto",
                inter_threads=self.threads.inter,
                intra_threads=self.threads.intra,
            )
            self._sp = sp
            self._translator = translator  # last: `loaded` means fully loaded

    def variant(self, *, beam_size: int, max_batch_size: int | None = None) -> ArgosEngine:
        """The same loaded model, decoding with another beam or sub-batch size (benchmarks)."""
        self.load()
        other = ArgosEngine(self.package, beam_size=beam_size, max_batch_size=max_batch_size)
        other.threads = self.threads
        other._sp, other._translator = self._sp, self._translator
        return other

    @property
    def ctranslate2_translator(self) -> Any:
        """The loaded ``ctranslate2.Translator`` (the benchmark shares it with Argos's path)."""
        self.load()
        return self._translator

    def encode(self, sentence: str) -> list[str]:
        """SentencePiece pieces of a sentence."""
        self.load()
        return list(self._sp.encode(sentence, out_type=str))

    def decode(self, pieces: Sequence[str]) -> str:
        """Text from output pieces, as Argos decodes it (byte-fallback aware)."""
        text = str(self._sp.decode_pieces(list(pieces))).replace("▁", " ")
        prefix = self.package.target_prefix
        if prefix and text.lstrip().startswith(prefix):
            text = text.lstrip()[len(prefix) :]
        return text.strip()

    def translate_sentences(self, sentences: Sequence[str]) -> list[str]:
        """Translate sentences in one CTranslate2 call per kind (no splitting here).

        Longest first, so each sub-batch holds sentences of similar length and
        little padding; identical sentences are translated once. Sentences with
        placeholders get several hypotheses (see ``CANDIDATES``) and keep the best
        one that keeps every placeholder (else the best one).
        """
        if not sentences:
            return []
        self.load()
        unique = list(dict.fromkeys(sentences))
        keeping = [s for s in unique if PLACEHOLDER_RE.search(s)]
        plain = [s for s in unique if not PLACEHOLDER_RE.search(s)]
        by_text: dict[str, str] = {}
        for text, hypotheses in zip(plain, self._decode(plain, self.beam_size, 1), strict=True):
            by_text[text] = hypotheses[0]
        wide = max(self.beam_size, CANDIDATES)
        for text, hypotheses in zip(keeping, self._decode(keeping, wide, wide), strict=True):
            by_text[text] = next(
                (h for h in hypotheses if not lost_placeholders(text, h)), hypotheses[0]
            )
        return [by_text[s] for s in sentences]

    def _decode(self, sentences: Sequence[str], beam: int, hypotheses: int) -> list[list[str]]:
        """The ``hypotheses`` best translations of each sentence, best first."""
        if not sentences:
            return []
        tokens = [self.encode(s) for s in sentences]
        order = sorted(range(len(sentences)), key=lambda i: len(tokens[i]), reverse=True)
        prefix = self.package.target_prefix
        results = self._translator.translate_batch(
            [tokens[i] for i in order],
            target_prefix=[[prefix]] * len(order) if prefix else None,
            beam_size=beam,
            num_hypotheses=hypotheses,
            length_penalty=0.2,
            replace_unknowns=True,
            max_batch_size=self.max_batch_size
            or batch_size_for(beam, len(sentences), self.threads.inter),
            batch_type="examples",
        )
        found: list[list[str]] = [[] for _ in sentences]
        for i, result in zip(order, results, strict=True):
            found[i] = [self.decode(h) for h in result.hypotheses]
        return found

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        """Translate texts: split into sentences, translate all of them at once, rejoin.

        Line breaks are kept; sentences without words (emoji, numbers,
        placeholders only) are copied unchanged.

        Args:
            texts: Messages in the engine's source language (usually with protected
                spans already replaced by placeholders).

        Returns:
            One translation per text, in order.
        """
        sentences: list[str] = []
        plans: list[list[list[str | int]]] = []  # text -> line -> sentence or its index
        for text in texts:
            lines: list[list[str | int]] = []
            for line in text.split("\n"):
                pieces: list[str | int] = []
                for sentence in split_sentences(line):
                    if has_words(sentence):
                        pieces.append(len(sentences))
                        sentences.append(sentence)
                    else:
                        pieces.append(sentence)
                lines.append(pieces)
            plans.append(lines)
        translated = self.translate_sentences(sentences)
        glue = " " if self.target == "en" else ""
        return [
            "\n".join(
                glue.join(translated[p] if isinstance(p, int) else p for p in pieces)
                for pieces in lines
            )
            for lines in plans
        ]
