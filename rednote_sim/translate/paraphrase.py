"""Slang the zh->en model cannot do, made into something it can.

The model cannot do chat slang: 笑死 comes out as "Laugh to death", 踩雷 as
"stepping on a mine", 种草 as "planting grass". The slang lexicon helps in two
ways, chosen per entry by what ``bench slang`` measured:

- ``plain``: a paraphrase in plain Chinese the model can translate (踩雷 ->
  买到了很差的东西, 种草 -> 推荐给我想买), given to the model instead of the term;
- ``render``: the English to write in the term's place (笑死 -> "LOL"), for a
  word that stands on its own; it is protected like a glossary term
  (:func:`slang_terms`).

Only the model's input changes: the message, the memory key and everything
shown keep the original.

Names are left alone (a slang word inside a hashtag, a mention or a link is
part of the name), and so are glossary terms, which are protected already.
"""

from __future__ import annotations

import hashlib
import json

from rednote_sim.domain import Glossary, GlossaryTerm, SlangLexicon
from rednote_sim.slang import SlangIndex
from rednote_sim.translate.scripts import HASHTAG_RE, MENTION_RE, URL_RE


class Paraphraser:
    """Replaces the slang of a Chinese text by plain Chinese.

    Args:
        lexicon: The slang lexicon (entries with ``plain`` are used).
        glossary: Terms the translator protects; slang inside them is left alone.
    """

    def __init__(self, lexicon: SlangLexicon, glossary: Glossary) -> None:
        usable = [e for e in lexicon.slang if e.lang == "zh" and e.plain]
        self.index = SlangIndex(SlangLexicon(slang=usable))
        self._terms = sorted({t.zh for t in glossary.terms}, key=len, reverse=True)
        pairs = sorted((e.term, e.plain) for e in usable)
        self.digest = hashlib.sha256(json.dumps(pairs, ensure_ascii=False).encode()).hexdigest()[:8]
        """Changes whenever a paraphrase does (the translation memory is keyed by it)."""

    def __len__(self) -> int:
        return len(self.index)

    def __call__(self, text: str) -> str:
        """``text`` with each slang term that has a paraphrase replaced by it."""
        found = self.index.find(text, "zh")
        if not found:
            return text
        kept = [m.span() for r in (URL_RE, MENTION_RE, HASHTAG_RE) for m in r.finditer(text)]
        for term in self._terms:
            start = text.find(term)
            while start != -1:
                kept.append((start, start + len(term)))
                start = text.find(term, start + len(term))
        out, pos = [], 0
        for start, end, entry in found:
            if any(s < end and start < e for s, e in kept):
                continue
            out += [text[pos:start], entry.plain]
            pos = end
        out.append(text[pos:])
        return "".join(out)


def slang_terms(lexicon: SlangLexicon) -> list[GlossaryTerm]:
    """The Chinese entries with a fixed English rendering, as glossary terms (and variants)."""
    return [
        GlossaryTerm(en=entry.render, zh=form)
        for entry in lexicon.slang
        if entry.lang == "zh" and entry.render
        for form in entry.forms
    ]
