"""Does a slang paraphrase help the translation? Each entry's example, with and without.

For every Chinese entry of ``personas/slang.toml`` that helps the translator
(a ``render`` or a ``plain`` paraphrase) and has an example, the example is
translated twice through the service, once with the lexicon and once without,
and each output is scored with chrF against the entry's ``example_translation``.
An entry that does not help should lose its ``render``/``plain`` (it stays in the
lexicon for learners). chrF on one line is a rough signal: read the outputs too.
``bench quality --no-slang`` gives the same comparison on the scenario beats and
the held-out lines.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from rednote_sim.bench.chrf import corpus_chrf
from rednote_sim.bench.quality_bench import translate_lines
from rednote_sim.domain import Glossary, SlangEntry, SlangLexicon
from rednote_sim.translate.engine import ArgosEngine

SAME = 1.0
"""chrF points within which a paraphrase counts as making no difference."""


@dataclass(frozen=True)
class EntryResult:
    """One entry's example, translated with and without its paraphrase."""

    entry: SlangEntry
    with_plain: str
    without: str

    @property
    def gain(self) -> float:
        """ChrF with the paraphrase minus chrF without it."""
        ref = [self.entry.example_translation]
        return corpus_chrf([self.with_plain], ref) - corpus_chrf([self.without], ref)


def run(engine: ArgosEngine, glossary: Glossary, lexicon: SlangLexicon) -> list[EntryResult]:
    """Translate the examples of the entries that have a paraphrase, both ways."""
    entries = [e for e in lexicon.slang if e.lang == "zh" and (e.plain or e.render) and e.example]
    texts = [e.example for e in entries]
    with_plain = asyncio.run(translate_lines(engine, glossary, lexicon, texts))
    without = asyncio.run(translate_lines(engine, glossary, None, texts))
    return [EntryResult(e, w, o) for e, w, o in zip(entries, with_plain, without, strict=True)]


def report(results: Sequence[EntryResult], lexicon: SlangLexicon) -> str:
    """Per entry: the gain and both outputs; then the totals."""
    out = []
    for r in sorted(results, key=lambda r: r.gain):
        verdict = "helps" if r.gain > SAME else "hurts" if r.gain < -SAME else "same "
        out += [
            f"{verdict} {r.gain:+6.1f}  {r.entry.term} -> "
            + (f"plain {r.entry.plain}" if r.entry.plain else f"render {r.entry.render!r}"),
            f"    with:    {r.with_plain}",
            f"    without: {r.without}",
            f"    ref:     {r.entry.example_translation}",
        ]
    refs = [r.entry.example_translation for r in results]
    total_with = corpus_chrf([r.with_plain for r in results], refs) if results else 0.0
    total_without = corpus_chrf([r.without for r in results], refs) if results else 0.0
    unmeasured = [e.term for e in lexicon.slang if (e.plain or e.render) and not e.example]
    out += [
        "",
        f"{len(results)} examples: chrF {total_with:.2f} with the lexicon, "
        f"{total_without:.2f} without ({total_with - total_without:+.2f}); "
        f"helps {sum(r.gain > SAME for r in results)}, "
        f"hurts {sum(r.gain < -SAME for r in results)}, "
        f"same {sum(abs(r.gain) <= SAME for r in results)}",
        f"entries that help the translator without an example (not measured here): "
        f"{len(unmeasured)}",
    ]
    return "\n".join(out)
