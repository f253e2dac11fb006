"""The Argos engine: an installed package run with CTranslate2, batched across messages.

Argos translates one message at a time, paragraph by paragraph; here every
sentence of every message in a batch goes to CTranslate2 in one
``translate_batch`` call, which is where the speed comes from (see
``python -m rednote_sim.bench translate``). Decoding follows Argos
(SentencePiece pieces, beam search with ``length_penalty=0.2`` and
``replace_unknowns``), so a sentence translates the same either way.

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
from rednote_sim.translate.protect import has_words
from rednote_sim.translate.splitter import split_sentences

__all__ = ["LANGS", "MAX_BATCH_SIZE", "ArgosEngine", "ThreadPlan", "has_words", "thread_plan"]

LANGS: tuple[Lang, ...] = ("en", "zh")

MAX_BATCH_SIZE = 32
"""Sentences per CTranslate2 sub-batch; with two inter-op workers the sub-batches run
in parallel. Measured on 2 cores: 32 beat 16, 24, 48 and "all at once"."""


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
    """Translates with one installed Argos package (implements ``Translator``).

    Thread-safe: :meth:`load` may race, and :meth:`translate_batch` may be called
    from several threads (CTranslate2 queues the work).
    """

    def __init__(
        self,
        package: InstalledPackage,
        *,
        beam_size: int = 4,
        threads: int = 0,
        max_batch_size: int = MAX_BATCH_SIZE,
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
        """Translate sentences in one CTranslate2 call (no splitting, no placeholders).

        Longest first, so each sub-batch holds sentences of similar length and
        little padding; identical sentences are translated once.
        """
        if not sentences:
            return []
        self.load()
        unique = list(dict.fromkeys(sentences))
        tokens = [self.encode(s) for s in unique]
        order = sorted(range(len(unique)), key=lambda i: len(tokens[i]), reverse=True)
        prefix = self.package.target_prefix
        results = self._translator.translate_batch(
            [tokens[i] for i in order],
            target_prefix=[[prefix]] * len(order) if prefix else None,
            beam_size=self.beam_size,
            num_hypotheses=1,
            length_penalty=0.2,
            replace_unknowns=True,
            max_batch_size=self.max_batch_size,
            batch_type="examples",
        )
        by_text: dict[str, str] = {}
        for i, result in zip(order, results, strict=True):
            by_text[unique[i]] = self.decode(result.hypotheses[0])
        return [by_text[s] for s in sentences]

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
