"""Which glossary terms the zh->en model already translates right on its own.

A glossary term is replaced by a placeholder before the model and by its English
afterwards. That saves the terms the model mangles (小红书 is "Little Red"), but a
placeholder costs fluency and can swallow what follows it (上海人 came back as
"I'm Shanghai", 杭州人来了 as "The Hangzhou are here"). So each term is measured: the
model translates it in a few carrier sentences, unprotected; a term whose English
comes back in every one of them needs no placeholder, and is marked
``model_translates_zh = true`` in ``personas/glossary.toml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rednote_sim.domain import Glossary, GlossaryTerm
from rednote_sim.translate.engine import ArgosEngine
from rednote_sim.translate.protect import says

CARRIERS = ("{}", "这是{}。", "我们聊聊{}吧。", "你知道{}吗？")
"""Sentences the term is tried in."""


@dataclass(frozen=True)
class TermResult:
    """What the model made of one term."""

    term: GlossaryTerm
    outputs: tuple[str, ...]

    @property
    def known(self) -> bool:
        """The English term came back in every carrier."""
        return all(says(self.term.en, out) for out in self.outputs)


def run(engine: ArgosEngine, glossary: Glossary) -> list[TermResult]:
    """Translate every term in every carrier sentence (one batch)."""
    terms = list(glossary.terms)
    sentences = [carrier.format(t.zh) for t in terms for carrier in CARRIERS]
    outputs = engine.translate_batch(sentences)
    results = []
    for i, term in enumerate(terms):
        chunk = outputs[i * len(CARRIERS) : (i + 1) * len(CARRIERS)]
        results.append(TermResult(term, tuple(chunk)))
    return results


def report(results: Sequence[TermResult]) -> str:
    """One line per term: known or not, as marked in the glossary, and the outputs."""
    out = []
    disagree = 0
    for r in results:
        marked = r.term.model_translates_zh
        flag = "known " if r.known else "needed"
        note = "" if marked == r.known else "   <- glossary says otherwise"
        disagree += marked != r.known
        out.append(f"{flag} {r.term.zh} -> {r.term.en}: {' | '.join(r.outputs)}{note}")
    known = sum(r.known for r in results)
    out += [
        "",
        f"{known} of {len(results)} terms come back right without a placeholder "
        f"(model_translates_zh = true); {disagree} marked otherwise in the glossary",
    ]
    return "\n".join(out)
