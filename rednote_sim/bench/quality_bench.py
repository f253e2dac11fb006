"""Translation quality on real chat lines: the scenarios' Chinese beats and held-out lines.

The held-out lines (``zh_chat_dev.tsv``) were written apart from the scenarios, so
a change that only suits the scenario lines shows.

Each line goes through :class:`TranslationService` with the real glossary, the way
the room translates it (a beat's language is what it is written in, not its
persona's). What is counted, per corpus:

- **chrF** of the outputs against the human references (0-100);
- **fragmented**: outputs with ``FRAGMENT_BREAKS`` or more sentence breaks than
  the source has ("Whatever happens tonight. We met here. It's true.");
- **lost placeholders**: model inputs (pieces) whose output dropped one of their
  placeholders, so restore had to put the span back at an edge;
- **doubled words**: outputs with a word written twice in a row ("tea tea") that
  the source does not double itself;
- **articles**: "an" before a consonant or "a" before a vowel ("an cat tax");
- **lost terms**: glossary terms of the source whose English is not in the output;
- **residue**: placeholder debris in the output (``XQ1``, ``XX1``, ``X-Q-0``...);
- **missing spans**: a hashtag, @mention, URL, emoji or number of the message
  that is not in the output (numbers compared without thousands separators; a
  month may come back by name);
- **short**: an output under ``SHORT_RATIO`` of the human reference's length, a
  rough signal that the model dropped a clause (these are printed).

No timing: this is about what users read.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rednote_sim.bench.chrf import corpus_chrf
from rednote_sim.domain import Cast, Glossary, Lang, SlangLexicon
from rednote_sim.translate.engine import DEFAULT_BEAM, ArgosEngine
from rednote_sim.translate.langid import detect_lang
from rednote_sim.translate.packages import InstalledPackage
from rednote_sim.translate.protect import PLACEHOLDER_RE, find_spans, lost_placeholders, says
from rednote_sim.translate.scripts import EMOJI_RE, HASHTAG_RE, MENTION_RE

if TYPE_CHECKING:
    from rednote_sim.translate.api import Engine
from rednote_sim.translate.splitter import split_sentences

SHORT_RATIO = 0.45
"""An output shorter than this fraction of the reference counts as short."""

FRAGMENT_BREAKS = 2
"""Extra sentence breaks (output sentences minus source sentences) that make a fragmented output."""

DEV_FILE = Path(__file__).with_name("zh_chat_dev.tsv")
"""Held-out Chinese chat lines with human references (``Chinese<TAB>English``)."""

RESIDUE_RE = re.compile(r"XX|[Xx][\s\-_.]*[Qq](?:[\s\-_.]*[0-9Oo])*(?![a-pr-z])")
# Independent of the pattern restore() scrubs with, and broader: any "XX" counts.
"""Placeholder debris: ``XQ0``, ``XQ``, ``xq 1``, ``X-Q-0-1``, ``XX1``."""

_DOUBLED_RE = re.compile(r"\b([A-Za-z][A-Za-z']*)\s+\1\b", re.IGNORECASE)
_LAUGHS = frozenset({"ha", "haha", "he", "hehe", "heh", "lol", "no", "bye", "yeah", "ok"})
_ARTICLE_RE = re.compile(
    r"(?<![\w'’])(?:[Aa]n\s+(?!hour|honest|honou?r|heir|herb|MBA|FAQ|SUV|NBA|NFL|X|F|S|M|N|L|H|R)"
    r"[b-df-hj-np-tv-zB-DF-HJ-NP-TV-Z][a-z]"
    r"|(?<![\w'’])[Aa]\s+(?!one|once|uni|use|usu|eu|Eu|U\b|ure)[aeiouAEIOU][a-z])"
)
_NUMBER_RE = re.compile(r"[0-9]+(?:[.,:][0-9]+)*")
_MONTHS = [
    *("January", "February", "March", "April", "May", "June", "July", "August"),
    *("September", "October", "November", "December"),
]
_CHECKED_KINDS = ("url", "hashtag", "mention", "emoji")


@dataclass(frozen=True)
class Line:
    """One Chinese line, its reference and what the service made of it."""

    scenario: str
    key: str
    text: str
    reference: str
    output: str
    residue: tuple[str, ...]
    missing: tuple[str, ...]
    lost_terms: tuple[str, ...] = ()

    @property
    def short(self) -> bool:
        """Whether the output is much shorter than the reference (a dropped clause?)."""
        return bool(self.reference) and len(self.output) < SHORT_RATIO * len(self.reference)

    @property
    def extra_breaks(self) -> int:
        """Sentence breaks the output has beyond the source's."""
        return len(split_sentences(self.output)) - len(split_sentences(self.text))

    @property
    def fragmented(self) -> bool:
        """Whether the output is cut into many more sentences than the source."""
        return self.extra_breaks >= FRAGMENT_BREAKS

    @property
    def doubled(self) -> tuple[str, ...]:
        """Words the output writes twice in a row ("tea tea") that the source does not."""
        found = []
        for match in _DOUBLED_RE.finditer(self.output):
            word = match.group(1).lower()
            if word in _LAUGHS or re.search(f"(?i)\\b{re.escape(match.group())}\\b", self.text):
                continue
            found.append(match.group())
        return tuple(found)

    @property
    def articles(self) -> tuple[str, ...]:
        """Articles that do not fit the next word ("an cat tax", "a orange")."""
        return tuple(m.group() for m in _ARTICLE_RE.finditer(self.output))


@dataclass
class Corpus:
    """What the bench measured on one set of lines."""

    name: str
    lines: list[Line] = field(default_factory=list)
    pieces: int = 0
    """Model inputs that carried a placeholder."""
    lost: list[tuple[str, str]] = field(default_factory=list)
    """(model input, model output) where the output lost a placeholder."""

    @property
    def residue(self) -> list[Line]:
        """Lines with placeholder debris in the output."""
        return [ln for ln in self.lines if ln.residue]

    @property
    def missing(self) -> list[Line]:
        """Lines where a protected span (or a number) is missing from the output."""
        return [ln for ln in self.lines if ln.missing]

    @property
    def short(self) -> list[Line]:
        """Lines whose output is much shorter than the reference."""
        return [ln for ln in self.lines if ln.short]

    @property
    def fragmented(self) -> list[Line]:
        """Lines whose output has ``FRAGMENT_BREAKS`` or more extra sentence breaks."""
        return [ln for ln in self.lines if ln.fragmented]

    @property
    def doubled(self) -> list[Line]:
        """Lines whose output doubles a word."""
        return [ln for ln in self.lines if ln.doubled]

    @property
    def articles(self) -> list[Line]:
        """Lines whose output has an article that does not fit."""
        return [ln for ln in self.lines if ln.articles]

    @property
    def terms_lost(self) -> list[Line]:
        """Lines whose output lost a glossary term of the source."""
        return [ln for ln in self.lines if ln.lost_terms]

    @property
    def chrf(self) -> float:
        """ChrF of the outputs against the references (lines with a reference)."""
        pairs = [(ln.output, ln.reference) for ln in self.lines if ln.reference]
        return corpus_chrf([o for o, _ in pairs], [r for _, r in pairs])


@dataclass
class QualityResult:
    """Everything the quality bench measured: the scenario beats and the held-out lines."""

    engine_id: str
    beats: Corpus = field(default_factory=lambda: Corpus("scenario beats"))
    dev: Corpus = field(default_factory=lambda: Corpus("held-out chat lines"))

    @property
    def lines(self) -> list[Line]:
        """The scenario beats."""
        return self.beats.lines

    @property
    def residue(self) -> list[Line]:
        """Scenario beats with placeholder debris."""
        return self.beats.residue

    @property
    def missing(self) -> list[Line]:
        """Scenario beats with a protected span missing."""
        return self.beats.missing

    @property
    def short(self) -> list[Line]:
        """Scenario beats much shorter than their reference."""
        return self.beats.short

    @property
    def chrf(self) -> float:
        """ChrF on the scenario beats."""
        return self.beats.chrf


def dev_lines(path: Path = DEV_FILE) -> list[tuple[str, str, str, str]]:
    """``("dev", line number, text, reference)`` of the held-out chat lines."""
    found = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        text, _, reference = line.partition("\t")
        found.append(("dev", str(number), text.strip(), reference.strip()))
    return found


def chinese_beats(cast: Cast) -> list[tuple[str, str, str, str]]:
    """``(scenario, beat key, text, reference)`` of every beat written in Chinese."""
    found = []
    for scenario_id, scenario in sorted(cast.scenarios.items()):
        for beat in scenario.beats:
            if detect_lang(beat.text) == "zh":
                found.append((scenario_id, beat.key or "", beat.text, beat.reference))
    return found


def _squash(text: str) -> str:
    return "".join(text.split())


def expected_spans(text: str, glossary: Glossary) -> list[str]:
    """What must come through unchanged: links, hashtags, mentions, emoji and numbers."""
    spans = [
        span.source
        for _, _, span in find_spans(text, source="zh", glossary=glossary)
        if span.kind in _CHECKED_KINDS
    ]
    view = text
    for span in spans:
        view = view.replace(span, " ")  # digits inside a link or a hashtag are the span's
    spans += [m.group() for m in _NUMBER_RE.finditer(view)]
    spans += [m.group() for m in EMOJI_RE.finditer(view) if m.group() not in spans]
    return spans


def _lost_terms(text: str, output: str, glossary: Glossary) -> tuple[str, ...]:
    """Glossary terms of ``text`` (outside hashtags and mentions) missing from ``output``."""
    prose = MENTION_RE.sub(" ", HASHTAG_RE.sub(" ", text))
    return tuple(
        t.en for t in glossary.terms if t.zh in prose and not says(t.en, output, derived=True)
    )


def _month_said(number: str, text: str, output: str) -> bool:
    """Whether a month of ``text`` ("12月") is in ``output`` by name ("December")."""
    if not number.isdigit() or not 1 <= int(number) <= 12:
        return False
    month = re.search(f"(?<![0-9]){number}月", text)
    return month is not None and _MONTHS[int(number) - 1] in output


def missing_spans(text: str, output: str, glossary: Glossary) -> list[str]:
    """The expected spans of ``text`` that are not in ``output``.

    Numbers must come back as digits ("3只猫" -> "3 cats"); a month may come back by
    name ("12月" -> "December").
    """
    out = _squash(output).replace(",", "")
    missing = []
    for span in expected_spans(text, glossary):
        pieces = [m.group() for m in EMOJI_RE.finditer(span)] if EMOJI_RE.fullmatch(span) else []
        wanted = [_squash(p) for p in pieces] or [_squash(span).replace(",", "")]
        if all(w in out for w in wanted) or _month_said(span, text, output):
            continue
        missing.append(span)
    return missing


class _Recorder:
    """The engine, recording what the model was given and what it said (piece by piece)."""

    def __init__(self, engine: ArgosEngine) -> None:
        self.engine = engine
        self.engine_id = engine.engine_id
        self.source: Lang = engine.source
        self.target: Lang = engine.target
        self.pairs: list[tuple[str, str]] = []

    @property
    def loaded(self) -> bool:
        return self.engine.loaded

    def load(self) -> None:
        self.engine.load()

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        out = self.engine.translate_batch(texts)
        self.pairs += zip(texts, out, strict=True)
        return out


async def translate_lines(
    engine: Engine, glossary: Glossary, slang: SlangLexicon | None, texts: Sequence[str]
) -> list[str]:
    """Chinese lines through a fresh service, as the room translates them (into English)."""
    from rednote_sim.translate.service import TranslationService

    service = TranslationService(glossary=glossary, slang=slang, engines={("zh", "en"): engine})
    try:
        outcomes = await service.translate_many(texts, source="zh", target="en")
    finally:
        await service.aclose()
    outputs = []
    for outcome in outcomes:
        if outcome.translation is None:
            raise RuntimeError(f"not translated: {outcome.error}")
        outputs.append(outcome.translation.text)
    return outputs


def _measure(
    name: str,
    engine: ArgosEngine,
    glossary: Glossary,
    slang: SlangLexicon | None,
    found: list[tuple[str, str, str, str]],
) -> Corpus:
    recorder = _Recorder(engine)
    outputs = asyncio.run(translate_lines(recorder, glossary, slang, [b[2] for b in found]))
    corpus = Corpus(name)
    for (scenario, key, text, reference), output in zip(found, outputs, strict=True):
        corpus.lines.append(
            Line(
                scenario=scenario,
                key=key,
                text=text,
                reference=reference,
                output=output,
                residue=tuple(m.group() for m in RESIDUE_RE.finditer(output)),
                missing=tuple(missing_spans(text, output, glossary)),
                lost_terms=_lost_terms(text, output, glossary),
            )
        )
    for sent, said in recorder.pairs:
        if PLACEHOLDER_RE.search(sent):
            corpus.pieces += 1
            if lost_placeholders(sent, said):
                corpus.lost.append((sent, said))
    return corpus


def run(
    package: InstalledPackage,
    cast: Cast,
    *,
    beam_size: int = DEFAULT_BEAM,
    engine: ArgosEngine | None = None,
    dev: bool = True,
    slang: bool = True,
) -> QualityResult:
    """Translate the Chinese beats of ``cast`` (and the held-out lines) and check the outputs.

    Args:
        package: The zh->en package.
        cast: The content (scenarios and glossary).
        beam_size: Beam size for the engine.
        engine: An engine already loaded for ``package`` (tests share one); made here
            when None.
        dev: Also measure the held-out chat lines.
        slang: Give the model the slang lexicon's plain paraphrases (as the room does).
    """
    engine = engine or ArgosEngine(package, beam_size=beam_size)
    result = QualityResult(engine_id=engine.engine_id)
    lexicon = cast.slang if slang else None
    result.beats = _measure("scenario beats", engine, cast.glossary, lexicon, chinese_beats(cast))
    if dev:
        result.dev = _measure("held-out chat lines", engine, cast.glossary, lexicon, dev_lines())
    return result


def _show(line: Line, note: str = "") -> list[str]:
    head = f"  [{line.scenario}/{line.key}]" + (f" {note}" if note else "")
    return [head, f"    zh:  {line.text}", f"    out: {line.output}", f"    ref: {line.reference}"]


def _summary(corpus: Corpus) -> list[str]:
    n = len(corpus.lines)
    with_ref = sum(1 for ln in corpus.lines if ln.reference)
    breaks = sum(max(0, ln.extra_breaks) for ln in corpus.lines)
    return [
        f"{corpus.name}: {n} lines ({with_ref} with a human reference)",
        f"  chrF vs references:   {corpus.chrf:.2f}",
        f"  fragmented (>= {FRAGMENT_BREAKS} extra sentence breaks): {len(corpus.fragmented)}"
        f" ({breaks} extra breaks in all)",
        f"  lost placeholders:    {len(corpus.lost)} of {corpus.pieces} pieces with placeholders",
        f"  doubled words:        {len(corpus.doubled)}",
        f"  article errors:       {len(corpus.articles)}",
        f"  lost glossary terms:  {len(corpus.terms_lost)}",
        f"  placeholder residue:  {len(corpus.residue)}",
        f"  missing spans:        {len(corpus.missing)}",
        f"  short (< {SHORT_RATIO:.0%} of ref): {len(corpus.short)}",
    ]


def report(result: QualityResult, *, show_all: bool = False) -> str:
    """The quality bench's printed summary (problem lines listed under their counts)."""
    corpora = [c for c in (result.beats, result.dev) if c.lines]
    out = [f"model: {result.engine_id}", ""]
    for corpus in corpora:
        out += [*_summary(corpus), ""]
    for corpus in corpora:
        sections: list[tuple[str, list[Line], Callable[[Line], str]]] = [
            ("residue", corpus.residue, lambda ln: "residue: " + ", ".join(ln.residue)),
            ("missing spans", corpus.missing, lambda ln: "missing: " + " ".join(ln.missing)),
            (
                "short outputs",
                corpus.short,
                lambda ln: f"{len(ln.output)}/{len(ln.reference)} chars",
            ),
            ("doubled words", corpus.doubled, lambda ln: "doubled: " + ", ".join(ln.doubled)),
            ("article errors", corpus.articles, lambda ln: "article: " + ", ".join(ln.articles)),
            ("lost terms", corpus.terms_lost, lambda ln: "lost: " + ", ".join(ln.lost_terms)),
        ]
        for title, lines, note in sections:
            if lines:
                out += [f"{corpus.name}, {title}:"]
                for line in lines:
                    out += _show(line, note(line))
                out.append("")
        if corpus.lost:
            out.append(f"{corpus.name}, pieces that lost a placeholder:")
            out += [f"  in:  {sent}\n  out: {said}" for sent, said in corpus.lost]
            out.append("")
        if show_all:
            out += [f"{corpus.name}, all lines:"]
            for line in corpus.lines:
                out += _show(line)
            out.append("")
    return "\n".join(out).rstrip()
