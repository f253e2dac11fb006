"""The Markdown handout.

Message text is data: every character Markdown (or the HTML a Markdown viewer
lets through) could read as syntax is escaped, so ``<script>``, ``**bold**``,
``[links](x)`` and a line starting with ``#`` come out as the literal text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC

from rednote_sim.domain.terms import LANG_NAMES, format_time, format_when, has_han
from rednote_sim.domain.workshop import VocabEntry
from rednote_sim.export.handout import (
    PARTS_NOT_TRANSLATED,
    Corrected,
    Handout,
    Line,
    Text,
    machine_vs_human,
)
from rednote_sim.lang.cedict import CEDICT_CREDIT, HSK_CREDIT
from rednote_sim.lang.diff import DiffPiece
from rednote_sim.lang.hsk import label as hsk_label
from rednote_sim.textsafe import visible

# Inline syntax anywhere in a line (CommonMark lets any ASCII punctuation be escaped).
_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")  # "!" only matters before "[", escaped
# Block syntax that only counts at the start of a line: headings, quotes, lists, rules.
_BLOCK_START = re.compile(r"^([#+\-=]|\d+[.)])")


def md_escape(text: str) -> str:
    """Escape one line of text for Markdown (inline and line-start syntax)."""
    escaped = _INLINE.sub(r"\\\1", visible(text).strip())
    return _BLOCK_START.sub(lambda m: m.group()[:-1] + "\\" + m.group()[-1], escaped)


def md_lines(text: str) -> list[str]:
    """A multi-line text as escaped lines (blank lines dropped)."""
    return [md_escape(line) for line in text.splitlines() if line.strip()] or [""]


def _hard_breaks(lines: list[str], wrap: str = "") -> str:
    return "\\\n".join(f"{wrap}{line}{wrap}" if line else "" for line in lines)


def _one_line(text: str) -> str:
    """Text for a table cell or a list item: lines joined with ' / '."""
    return " / ".join(md_lines(text))


def _text_block(text: Text, quote: bool = False) -> str:
    body = _hard_breaks(md_lines(text.text))
    if text.pinyin:
        body += "\\\n" + _hard_breaks(md_lines(text.pinyin), "*")
    if quote:
        return "\n".join(f"> {line}" for line in body.splitlines())
    return body


def _inline(text: str) -> str:
    """Escape a piece of a line (not its start: no strip, no line-start syntax)."""
    return _INLINE.sub(r"\\\1", visible(" ".join(text.splitlines())))


def _marked(text: str, mark: str) -> str:
    """``~~old~~`` or ``**new**``: the marks hug the words (spaces stay outside)."""
    core = text.strip()
    if not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{_inline(core)}{mark}{trail}"


_WORD_END = re.compile(r"\w+$")
_WORD_START = re.compile(r"^\w+")
_PUNCT = re.compile(r"[^\w\s]")


def _groups(pieces: Iterable[DiffPiece]) -> list[list[str]]:
    """The diff as ``[same]`` and ``[old, new]`` groups, in order."""
    groups: list[list[str]] = []
    for piece in pieces:
        if piece.change == "same":
            groups.append([piece.text])
            continue
        if not groups or len(groups[-1]) == 1:
            groups.append(["", ""])
        groups[-1][0 if piece.change == "del" else 1] += piece.text
    return groups


def _widen(groups: list[list[str]]) -> None:
    """Move word characters next to a change that starts or ends with punctuation into it.

    CommonMark lets ``**`` open only before a letter or after a space or
    punctuation: ``TikTok **<**refugee`` would not render. Taking the word
    before (``~~TikTok~~**TikTok<**``) keeps the marks on word boundaries; both
    sides still read as written.
    """
    for index, group in enumerate(groups):
        if len(group) == 1:
            continue
        before = groups[index - 1] if index > 0 else None
        after = groups[index + 1] if index + 1 < len(groups) else None
        if before is not None and any(_PUNCT.match(t[:1]) for t in group if t):
            found = _WORD_END.search(before[0])
            if found:
                # Chinese has no spaces: one character is a boundary enough.
                word = found.group()[-1:] if has_han(found.group()) else found.group()
                before[0] = before[0][: len(before[0]) - len(word)]
                group[0], group[1] = word + group[0], word + group[1]
        if after is not None and any(_PUNCT.match(t[-1:]) for t in group if t):
            found = _WORD_START.search(after[0])
            if found:
                word = found.group()[:1] if has_han(found.group()) else found.group()
                after[0] = after[0][len(word) :]
                group[0], group[1] = group[0] + word, group[1] + word


def _merge(groups: list[list[str]]) -> list[list[str]]:
    """Drop emptied ``same`` groups and join the changes they separated."""
    merged: list[list[str]] = []
    for group in groups:
        if len(group) == 1 and not group[0]:
            continue
        if merged and len(group) == 2 and len(merged[-1]) == 2:
            merged[-1] = [merged[-1][0] + group[0], merged[-1][1] + group[1]]
        else:
            merged.append(group)
    return merged


def md_diff(corrected: Corrected) -> str:
    """A correction as ``~~old~~ **new**`` in the line's own words."""
    groups = _groups(corrected.pieces)
    for _ in range(len(groups)):  # each round joins groups or stops
        before = [list(g) for g in groups]
        _widen(groups)
        groups = _merge(groups)
        if groups == before:
            break
    out: list[str] = []
    for group in groups:
        if len(group) == 1:
            out.append(_inline(group[0]))
        else:
            out += [_marked(group[0], "~~"), _marked(group[1], "**")]
    return "".join(out)


def _correction(corrected: Corrected) -> str:
    out = f"✓ *{md_escape(corrected.by)}:* {md_diff(corrected)}"
    if corrected.correction.note:
        out += f"\\\n*Why:* {_one_line(corrected.correction.note)}"
    return out


def _line(line: Line) -> str:
    m = line.message
    who = f"**#{m.seq} · {line.flag} {md_escape(m.name)}**"
    handle = f" ({md_escape(line.handle)})" if line.handle else ""
    if line.guest:
        handle = " (guest)"
    parts = [f"{who}{handle} · {format_when(m)}"]
    if m.reply_to is not None:
        parts[0] += f" · ↪ #{m.reply_to} {md_escape(line.reply_name or '?')}"
    if line.hsk is not None:
        parts[0] += f" · HSK {hsk_label(line.hsk)}"
    parts.append(_text_block(line.original, quote=True))
    parts += [_correction(c) for c in line.corrections]
    for rendering in line.renderings:
        label = f"**{LANG_NAMES[rendering.text.lang]}** — {md_escape(rendering.label)}:"
        parts.append(f"{label} {_text_block(rendering.text)}")
        if rendering.machine_said is not None:
            parts.append(f"*Machine said:* {_text_block(rendering.machine_said)}")
    if m.translation_error:
        parts.append(f"⚠ *not translated:* {_one_line(m.translation_error)}")
    if line.mixed_error:
        parts.append(f"⚠ *{PARTS_NOT_TRANSLATED[m.lang]}:* {_one_line(line.mixed_error)}")
    if line.reference is not None and line.reference_differs:
        label = f"**{LANG_NAMES[line.reference.lang]}** — human reference:"
        parts.append(f"{label} {_text_block(line.reference)}")
    if line.cultural_note:
        parts.append(f"*Note:* {_one_line(line.cultural_note)}")
    if line.mt_error is not None:
        note = f" — {_one_line(line.mt_error.note)}" if line.mt_error.note.strip() else ""
        parts.append(f"⚑ **Interesting MT error**{note}")
    for answer in line.answers:
        whose = f"{md_escape(answer.author)}'s" if answer.author else "Learner's"
        parts.append(f"✎ **{whose} translation:** {_one_line(answer.answer)}")
    if line.reactions:
        parts.append(" · ".join(f"{visible(e)} {n}" for e, n in line.reactions.items()))
    return "\n\n".join(parts)


def _vocab_item(entry: VocabEntry, hsk: int | None) -> str:
    source = f" *({entry.translation_source})*" if entry.translation_source else ""
    pinyin = f" *{md_escape(entry.pinyin)}*" if entry.pinyin else ""
    if entry.lang == "zh":
        head = f"**{md_escape(entry.term)}**{pinyin}"
        head += f" — {_one_line(entry.translation)}{source}" if entry.translation else ""
    else:
        head = f"**{md_escape(entry.term)}**"
        head += f" — {_one_line(entry.translation)}{pinyin}{source}" if entry.translation else ""
    if not entry.translation:
        head += " — *(no translation yet)*"
    if hsk is not None:
        head += f" · HSK {hsk_label(hsk)}"
    lines = [f"- {head}"]
    if entry.note:
        lines.append(f"  *Note:* {_one_line(entry.note)}")
    if entry.author:
        lines.append(f"  *Saved by:* {md_escape(entry.author)}")
    lines.append(f"  From #{entry.seq}: {_one_line(entry.example)}")
    if entry.example_translation:
        lines.append(f"  ({_one_line(entry.example_translation)})")
    return "\\\n".join(lines)


def _flagged(line: Line) -> str:
    m = line.message
    out = [f"### #{m.seq} · {line.flag} {md_escape(m.name)} · {format_when(m)}"]
    out.append(_text_block(line.original, quote=True))
    for machine, human in machine_vs_human(line):
        label = md_escape(machine[1]) if machine else "machine"
        heads = " | ".join(md_escape(h[1]) for h in human) or "human reference"
        cells = " | ".join(_one_line(h[0].text) for h in human) or "*(none)*"
        out.append(
            f"| {label} | {heads} |\n|---|{'---|' * max(1, len(human))}\n"
            f"| {_one_line(machine[0].text) if machine else '*(none)*'} | {cells} |"
        )
    if line.mt_error is not None and line.mt_error.note.strip():
        out.append(f"*Why it is interesting:* {_one_line(line.mt_error.note)}")
    return "\n\n".join(out)


def render_markdown(handout: Handout) -> str:
    """The handout as Markdown."""
    s = handout.session
    title = md_escape(handout.title)
    if handout.title_zh:
        title += f" · {md_escape(handout.title_zh)}"
    recorded = s.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    story = handout.scenario.date if handout.scenario and handout.scenario.date else ""
    scenario = md_escape(s.scenario) + (f" (in the story: {md_escape(story)})" if story else "")
    out = [
        f"# {title}",
        f"- **Scenario:** {scenario}\n"
        f"- **Recorded:** {recorded} · {len(handout.lines)} messages · "
        f"{format_time(s.duration)}\n"
        f"- **Session:** {md_escape(s.id)}",
    ]
    if s.provenance:
        out[-1] += f"\n- **Source:** {md_escape(s.provenance)}"
    if handout.scenario is not None:
        out.append(_one_line(handout.scenario.description))
    if s.note.strip():
        out += ["## Facilitator's note", _hard_breaks(md_lines(s.note))]
    if handout.participants:
        out.append("## Participants")
        out.append(
            "\n".join(
                f"- **{md_escape(p.name)}** (guest) — {p.summary}" for p in handout.participants
            )
        )
    out.append("## Conversation")
    for line in handout.lines:
        if line.markers_before:  # one heading: no empty section between two markers
            out.append("### ▸ " + " · ".join(md_escape(m.label) for m in line.markers_before))
        out += [_line(line), "---"]
    out.append("## Phrasebook")
    if handout.vocab:
        out.append("\n".join(_vocab_item(e, handout.hsk_of(e)) for e in handout.vocab))
    else:
        out.append("*No words saved in this session.*")
    out.append("## Interesting MT errors")
    if handout.flagged:
        out += [_flagged(line) for line in handout.flagged]
    else:
        out.append("*No lines marked in this session.*")
    out.append("*Made with rednote-sim. Machine translations: Argos Translate (offline).*")
    # CC BY-SA asks for the dictionary's attribution wherever its meanings go.
    out.append(f"*{md_escape(CEDICT_CREDIT)}. {md_escape(HSK_CREDIT)}.*")
    return "\n\n".join(out) + "\n"
