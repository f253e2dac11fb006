"""The HTML handout: one self-contained page (inline CSS, no fonts or scripts to fetch).

Every piece of message text goes through :func:`html.escape`, so ``<script>``,
``&amp;`` and markup-looking text show as typed. Chinese text carries
``lang="zh-Hans"`` so browsers pick a Chinese font for it; pinyin sits on the
line under it, a ``<span class="toneN">`` per syllable (Pleco's colours; a
checkbox at the top turns them off, no script needed). The stylesheet
(``handout.css``) wraps long unbroken strings, keeps each message on one page
when printing, and starts the phrasebook and the MT errors on their own pages.
"""

from __future__ import annotations

from datetime import UTC
from html import escape
from importlib import resources

from rednote_sim.domain import Marker
from rednote_sim.domain.terms import LANG_NAMES, format_time, format_when
from rednote_sim.domain.workshop import VocabEntry
from rednote_sim.export.handout import (
    PARTS_NOT_TRANSLATED,
    Corrected,
    Handout,
    Line,
    Text,
    machine_vs_human,
)
from rednote_sim.export.tone_markup import pinyin_html
from rednote_sim.lang.cedict import CEDICT_CREDIT, HSK_CREDIT
from rednote_sim.lang.hsk import label as hsk_label
from rednote_sim.textsafe import visible

_HTML_LANG = {"en": "en", "zh": "zh-Hans"}


def _credit() -> str:
    """The dictionary's attribution (CC BY-SA asks for it); the addresses as text, no links."""
    return esc(f"{CEDICT_CREDIT}. {HSK_CREDIT}.")


def _stylesheet() -> str:
    return (resources.files("rednote_sim.export") / "handout.css").read_text(encoding="utf-8")


def esc(text: str) -> str:
    """Escape text for HTML content or attributes (control characters shown visibly)."""
    return escape(visible(text), quote=True)


def _text(text: Text, cls: str = "text") -> str:
    out = f'<p class="{cls}" lang="{_HTML_LANG[text.lang]}">{esc(text.text)}</p>'
    if text.pinyin:
        # Only the syllables read from the text's Chinese characters are coloured.
        coloured = pinyin_html(text.pinyin, text.text)
        out += f'<p class="pinyin text" lang="zh-Latn-pinyin">{coloured}</p>'
    return out


def _translation(text: Text, label: str, kind: str) -> str:
    return (
        f'<div class="tr {kind}"><span class="label">{esc(LANG_NAMES[text.lang])} · '
        f"{esc(label)}</span>{_text(text)}</div>"
    )


def _markers(markers: list[Marker]) -> str:
    """The markers a line starts, as one heading (no empty section between two)."""
    labels = [
        esc(m.label) + (' <span class="kind">(your marker)</span>' if m.kind == "user" else "")
        for m in markers
    ]
    return f'<h3 class="marker">▸ {" · ".join(labels)}</h3>'


def _hsk(level: int | None) -> str:
    return f' <span class="hsk">HSK {hsk_label(level)}</span>' if level is not None else ""


def html_diff(corrected: Corrected) -> str:
    """A correction in the line's own words: ``<del>`` struck out, ``<ins>`` put in."""
    return "".join(
        esc(p.text) if p.change == "same" else f"<{p.change}>{esc(p.text)}</{p.change}>"
        for p in corrected.pieces
    )


def _correction(corrected: Corrected, lang: str) -> str:
    note = corrected.correction.note
    why = f'<span class="why"><b>Why:</b> {esc(note)}</span>' if note else ""
    return (
        f'<div class="correction"><span class="label">✓ {esc(corrected.by)}</span>'
        f'<p class="text" lang="{_HTML_LANG.get(lang, "en")}">{html_diff(corrected)}</p>'
        f"{why}</div>"
    )


def _line(line: Line) -> str:
    m = line.message
    out = [f'<article class="msg{" flagged" if line.mt_error else ""}" id="m{m.seq}">']
    who = (
        f'<div class="who"><span class="seq">#{m.seq}</span> <span class="flag">{line.flag}</span> '
        f'<span class="name">{esc(m.name)}</span>'
    )
    if line.handle:
        who += f' <span class="handle">{esc(line.handle)}</span>'
    if line.guest:
        who += ' <span class="handle guest">guest</span>'
    who += f" · <time>{format_when(m)}</time>{_hsk(line.hsk)}"
    if m.reply_to is not None:
        who += (
            f'<span class="reply">↪ replying to <a href="#m{m.reply_to}">#{m.reply_to}</a> '
            f"{esc(line.reply_name or '?')}</span>"
        )
    out.append(who + "</div>")
    out.append(_text(line.original, "original text"))
    out += [_correction(c, m.lang) for c in line.corrections]
    for rendering in line.renderings:
        kind = "machine" if rendering.machine else "human"
        out.append(_translation(rendering.text, rendering.label, kind))
        if rendering.machine_said is not None:
            out.append(_translation(rendering.machine_said, "machine said", "machine"))
    if m.translation_error:
        out.append(f'<p class="error">⚠ not translated: {esc(m.translation_error)}</p>')
    if line.mixed_error:
        what = PARTS_NOT_TRANSLATED[m.lang]
        out.append(f'<p class="error">⚠ {what}: {esc(line.mixed_error)}</p>')
    if line.reference is not None and line.reference_differs:
        out.append(_translation(line.reference, "human reference", "human"))
    if line.cultural_note:
        out.append(f'<p class="cultural"><b>Note:</b> {esc(line.cultural_note)}</p>')
    if line.mt_error is not None:
        note = f" — {esc(line.mt_error.note)}" if line.mt_error.note.strip() else ""
        out.append(f'<p class="mark">⚑ <b>Interesting MT error</b>{note}</p>')
    for answer in line.answers:
        whose = f"{esc(answer.author)}'s" if answer.author else "Learner's"
        out.append(
            f'<p class="answer"><b>{whose} translation:</b> '
            f'<span class="text">{esc(answer.answer)}</span></p>'
        )
    if line.reactions:
        counts = " · ".join(f"{esc(e)} {n}" for e, n in line.reactions.items())
        out.append(f'<p class="reactions">{counts}</p>')
    out.append("</article>")
    return "\n".join(out)


def _vocab_row(entry: VocabEntry, hsk: int | None) -> str:
    source = f' <span class="label">{esc(entry.translation_source)}</span>'
    chinese = esc(entry.chinese) or "—"
    english = esc(entry.english) or "—"
    if entry.translation_source:  # label the side that is the translation
        if entry.lang == "zh":
            english += source
        else:
            chinese += source
    example = f'<p class="example text" lang="{_HTML_LANG[entry.lang]}">{esc(entry.example)}</p>'
    if entry.example_translation:
        example += f'<p class="example text">{esc(entry.example_translation)}</p>'
    if entry.note:
        example += f'<p class="example"><b>Note:</b> {esc(entry.note)}</p>'
    if entry.author:
        example += f'<p class="example"><b>Saved by:</b> {esc(entry.author)}</p>'
    return (
        f'<tr><td class="zh" lang="zh-Hans">{chinese}</td>'
        f'<td class="pinyin">{pinyin_html(entry.pinyin)}</td><td lang="en">{english}</td>'
        f'<td><a href="#m{entry.seq}">#{entry.seq}</a>{example}</td>'
        f'<td class="level">{hsk_label(hsk)}</td></tr>'
    )


def _vocab(handout: Handout) -> str:
    out = ['<section class="vocab"><h2>Phrasebook</h2>']
    if not handout.vocab:
        out.append("<p>No words saved in this session.</p>")
    else:
        out.append(
            '<table><colgroup><col class="c-zh"><col class="c-py"><col class="c-en"><col>'
            '<col class="c-hsk"></colgroup><thead><tr><th>Chinese</th><th>Pinyin</th>'
            "<th>English</th><th>From</th><th>HSK</th></tr></thead><tbody>"
        )
        out += [_vocab_row(e, handout.hsk_of(e)) for e in handout.vocab]
        out.append("</tbody></table>")
    out.append("</section>")
    return "\n".join(out)


def _flagged(line: Line) -> str:
    m = line.message
    none = '<p class="label">(none)</p>'
    out = [
        '<div class="flagged-line">',
        f'<h3><a href="#m{m.seq}">#{m.seq}</a> {line.flag} {esc(m.name)} · {format_when(m)}</h3>',
        _text(line.original, "original text"),
    ]
    for machine, human in machine_vs_human(line):
        label = esc(machine[1] if machine else "machine")
        out.append('<div class="side-by-side">')
        out.append(
            f'<div class="tr machine"><span class="label">{label}</span>'
            f"{_text(machine[0]) if machine else none}</div>"
        )
        out.append('<div class="tr human">')
        for text, head in human:
            out.append(f'<span class="label">{esc(head)}</span>{_text(text)}')
        if not human:
            out.append(f'<span class="label">human reference</span>{none}')
        out.append("</div></div>")
    if line.mt_error is not None and line.mt_error.note.strip():
        out.append(f"<p><b>Why it is interesting:</b> {esc(line.mt_error.note)}</p>")
    out.append("</div>")
    return "\n".join(out)


def _errors(handout: Handout) -> str:
    out = ['<section class="errors"><h2>Interesting MT errors</h2>']
    if handout.flagged:
        out += [_flagged(line) for line in handout.flagged]
    else:
        out.append("<p>No lines marked in this session.</p>")
    out.append("</section>")
    return "\n".join(out)


TONE_SWITCH = "tone-colours"
"""The id of the checkbox that turns the tone colours on and off (CSS only)."""


def render_html(handout: Handout, *, tone_colours: bool = True) -> str:
    """The handout as one self-contained HTML page.

    Args:
        handout: What the handout shows.
        tone_colours: Whether the page opens with pinyin coloured by tone (the
            reader can flip the checkbox at the top either way).
    """
    s = handout.session
    title = handout.title + (f" · {handout.title_zh}" if handout.title_zh else "")
    recorded = s.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    story = handout.scenario.date if handout.scenario and handout.scenario.date else ""
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="rednote-sim">',
        f"<title>{esc(title)}</title>",
        f"<style>\n{_stylesheet()}</style>",
        "</head>",
        "<body>",
        # Before everything else: the stylesheet's "~" rules reach what follows it.
        f'<input type="checkbox" id="{TONE_SWITCH}"{" checked" if tone_colours else ""}>'
        f'<label for="{TONE_SWITCH}" class="tone-switch">Tone colours '
        '<span class="tone1">1</span> <span class="tone2">2</span> '
        '<span class="tone3">3</span> <span class="tone4">4</span> '
        '<span class="tone5">5</span></label>',
        "<header>",
        f"<h1>{esc(handout.title)}"
        + (
            f' <span class="zh" lang="zh-Hans">{esc(handout.title_zh)}</span>'
            if handout.title_zh
            else ""
        )
        + "</h1>",
        '<ul class="meta">',
        f"<li>Scenario: {esc(s.scenario)}"
        + (f" · in the story: {esc(story)}" if story else "")
        + "</li>",
        f"<li>Recorded {recorded} · {len(handout.lines)} messages · {format_time(s.duration)}</li>",
        f"<li>Session {esc(s.id)}</li>",
        *([f'<li class="provenance">{esc(s.provenance)}</li>'] if s.provenance else []),
        "</ul>",
    ]
    if handout.scenario is not None:
        head.append(f'<p class="description">{esc(handout.scenario.description)}</p>')
    if s.note.strip():
        head.append(
            f'<section class="note"><h2>Facilitator\'s note</h2>'
            f'<p class="text">{esc(s.note)}</p></section>'
        )
    if handout.participants:
        items = "".join(
            f'<li><b class="text">{esc(p.name)}</b> (guest) — {esc(p.summary)}</li>'
            for p in handout.participants
        )
        head.append(
            f'<section class="participants"><h2>Participants</h2><ul>{items}</ul></section>'
        )
    head.append("</header>")
    body = ["<main>", '<section class="conversation"><h2>Conversation</h2>']
    for line in handout.lines:
        if line.markers_before:
            body.append(_markers(line.markers_before))
        body.append(_line(line))
    body += ["</section>", _vocab(handout), _errors(handout), "</main>"]
    foot = [
        "<footer>Made with rednote-sim. Machine translations: Argos Translate (offline); "
        "human references from the scenario.<br>"
        f'<span class="credit">{_credit()}</span></footer>',
        "</body>",
        "</html>",
    ]
    return "\n".join(head + body + foot) + "\n"
