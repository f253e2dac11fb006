"""Translation quality on the real content: every Chinese-written beat of every scenario.

Each beat whose text is detected as Chinese (a beat's language is what it is
written in, not its persona's) goes through :class:`TranslationService` with the
real glossary, the way the room translates it. What is counted:

- **residue**: placeholder debris in the output (``XQ1``, ``XX1``, ``X-Q-0``...);
- **missing spans**: a hashtag, @mention, URL, emoji or number of the message
  that is not in the output (numbers compared without thousands separators; a
  month may come back by name);
- **short**: an output under ``SHORT_RATIO`` of the human reference's length, a
  rough signal that the model dropped a clause (these are printed);
- **chrF** of the outputs against the human references (0-100).

No timing: this is about what users read.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rednote_sim.bench.chrf import corpus_chrf
from rednote_sim.domain import Cast, Glossary
from rednote_sim.translate.engine import ArgosEngine
from rednote_sim.translate.langid import detect_lang
from rednote_sim.translate.packages import InstalledPackage
from rednote_sim.translate.protect import find_spans
from rednote_sim.translate.scripts import EMOJI_RE

SHORT_RATIO = 0.45
"""An output shorter than this fraction of the reference counts as short."""

RESIDUE_RE = re.compile(r"XX|[Xx][\s\-_.]*[Qq](?:[\s\-_.]*[0-9Oo])*(?![a-pr-z])")
# Independent of the pattern restore() scrubs with, and broader: any "XX" counts.
"""Placeholder debris: ``XQ0``, ``XQ``, ``xq 1``, ``X-Q-0-1``, ``XX1``."""

_NUMBER_RE = re.compile(r"[0-9]+(?:[.,:][0-9]+)*")
_MONTHS = [
    *("January", "February", "March", "April", "May", "June", "July", "August"),
    *("September", "October", "November", "December"),
]
_CHECKED_KINDS = ("url", "hashtag", "mention", "emoji")


@dataclass(frozen=True)
class Line:
    """One Chinese beat, its reference and what the service made of it."""

    scenario: str
    key: str
    text: str
    reference: str
    output: str
    residue: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def short(self) -> bool:
        """Whether the output is much shorter than the reference (a dropped clause?)."""
        return bool(self.reference) and len(self.output) < SHORT_RATIO * len(self.reference)


@dataclass
class QualityResult:
    """Everything the quality bench measured."""

    engine_id: str
    lines: list[Line] = field(default_factory=list)

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
    def chrf(self) -> float:
        """ChrF of the outputs against the references (lines with a reference)."""
        pairs = [(ln.output, ln.reference) for ln in self.lines if ln.reference]
        return corpus_chrf([o for o, _ in pairs], [r for _, r in pairs])


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


async def _translate(engine: ArgosEngine, glossary: Glossary, texts: Sequence[str]) -> list[str]:
    from rednote_sim.translate.service import TranslationService

    service = TranslationService(glossary=glossary, engines={("zh", "en"): engine})
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


def run(
    package: InstalledPackage,
    cast: Cast,
    *,
    beam_size: int = 4,
    engine: ArgosEngine | None = None,
) -> QualityResult:
    """Translate every Chinese beat of ``cast`` with ``package`` and check the outputs.

    Args:
        package: The zh->en package.
        cast: The content (scenarios and glossary).
        beam_size: Beam size for the engine.
        engine: An engine already loaded for ``package`` (tests share one); made here
            when None.
    """
    engine = engine or ArgosEngine(package, beam_size=beam_size)
    beats = chinese_beats(cast)
    outputs = asyncio.run(_translate(engine, cast.glossary, [b[2] for b in beats]))
    result = QualityResult(engine_id=engine.engine_id)
    for (scenario, key, text, reference), output in zip(beats, outputs, strict=True):
        result.lines.append(
            Line(
                scenario=scenario,
                key=key,
                text=text,
                reference=reference,
                output=output,
                residue=tuple(m.group() for m in RESIDUE_RE.finditer(output)),
                missing=tuple(missing_spans(text, output, cast.glossary)),
            )
        )
    return result


def _show(line: Line, note: str = "") -> list[str]:
    head = f"  [{line.scenario}/{line.key}]" + (f" {note}" if note else "")
    return [head, f"    zh:  {line.text}", f"    out: {line.output}", f"    ref: {line.reference}"]


def report(result: QualityResult, *, show_all: bool = False) -> str:
    """The quality bench's printed summary (problem lines listed under their counts)."""
    n = len(result.lines)
    with_ref = sum(1 for ln in result.lines if ln.reference)
    out = [
        f"model: {result.engine_id}",
        f"lines: {n} Chinese beats ({with_ref} with a human reference)",
        "",
        f"placeholder residue:  {len(result.residue)}",
        f"missing spans:        {len(result.missing)}",
        f"short (< {SHORT_RATIO:.0%} of ref): {len(result.short)}",
        f"chrF vs references:   {result.chrf:.2f}",
    ]
    sections: list[tuple[str, list[Line], Callable[[Line], str]]] = [
        ("residue", result.residue, lambda ln: "residue: " + ", ".join(ln.residue)),
        ("missing spans", result.missing, lambda ln: "missing: " + " ".join(ln.missing)),
        (
            "short outputs",
            result.short,
            lambda ln: f"{len(ln.output)}/{len(ln.reference)} chars",
        ),
    ]
    for title, lines, note in sections:
        if lines:
            out += ["", f"{title}:"]
            for line in lines:
                out += _show(line, note(line))
    if show_all:
        out += ["", "all lines:"]
        for line in result.lines:
            out += _show(line)
    return "\n".join(out)
