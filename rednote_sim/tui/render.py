"""One message as card content: who, when, the original, its translation, reactions.

Everything is assembled from plain strings into :class:`textual.content.Content`
(never parsed as markup) after :func:`~rednote_sim.textsafe.visible`,
so message text is shown literally. Styles name theme variables (``$accent``,
``$text-muted``…), so cards follow the light and dark themes.

A card is one ``Content``; a card with :class:`~rednote_sim.tui.view.Columns`
(machine vs human side by side) is a :class:`CardVisual`, which lays the
columns out at the width the card gets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from rednote_sim.domain import (
    USER_PERSONA_ID,
    Lang,
    Marker,
    Message,
    Persona,
    Translation,
    other_lang,
)
from rednote_sim.domain.guests import is_guest_persona
from rednote_sim.domain.terms import LANG_NAMES, LANG_WORDS, format_when
from rednote_sim.glyphs import glyph_slot
from rednote_sim.sim.rooms import guest_persona
from rednote_sim.textsafe import visible
from rednote_sim.translate.langid import written_in
from rednote_sim.translate.scripts import HASHTAG_RE, MENTION_RE
from rednote_sim.tui.logmodel import LogModel
from rednote_sim.tui.safetext import one_line
from rednote_sim.tui.view import CardExtension, CardLine, Columns, Section, ViewOptions

QUOTE_CELLS = 48
"""Terminal cells of the replied-to message shown in a reply quote (one line at 80x24)."""

STYLE_NAME = "bold"
STYLE_YOU = "bold $text-success"
STYLE_META = "$text-muted"
STYLE_QUOTE = "italic $text-muted"
STYLE_TRANSLATION = "$text-secondary"
STYLE_LABEL = "italic $text-muted"
STYLE_PENDING = "italic $text-muted"
STYLE_ERROR = "$text-warning"
STYLE_MARKER = "bold $text-accent"
STYLE_TAG = "bold $text-accent"
STYLE_MENTION = "bold $text-primary"
STYLE_MATCH = "reverse"
STYLE_RULE = "$text-muted"

REASON_CELLS = 60
"""Most cells of the reason on a card's "not translated" line."""

REFERENCE_BADGE = "REF"
"""The header's badge while ``r`` shows the human reference under machine translations."""

COLUMN_GAP = " │ "
MIN_COLUMN = 24
"""Narrowest readable column (cells); a narrower card stacks the two blocks."""


def highlight(text: str, search: re.Pattern[str] | None = None) -> Content:
    """Safe text with hashtags, @mentions and search matches highlighted."""
    content = Content(visible(text))
    content = content.highlight_regex(HASHTAG_RE, style=STYLE_TAG)
    content = content.highlight_regex(MENTION_RE, style=STYLE_MENTION)
    if search is not None:
        content = content.highlight_regex(search, style=STYLE_MATCH)
    return content


def human_reference(message: Message, lang: Lang) -> str | None:
    """The scenario's human reference, if it is written in ``lang`` (the rendering's)."""
    reference = message.reference
    return reference if reference and written_in(reference, lang) else None


def short_reason(error: str) -> str:
    """Why a message is not translated, in a few words (the how-to is on the help screen).

    ``no en→zh model installed: run `rednote-sim models install` …`` becomes
    ``no en→zh model installed``: the first line, without a leading "not
    translated:", up to the first clause that gives a command, cut to 60 cells.
    """
    first = visible(error).strip().splitlines()[0] if error.strip() else "unknown"
    first = first.removeprefix("not translated:").strip()
    clauses = first.split(": ")
    kept = []
    for clause in clauses:
        if "`" in clause:
            break
        kept.append(clause)
    return one_line(": ".join(kept) or first, REASON_CELLS)


def search_pattern(query: str) -> re.Pattern[str] | None:
    """The pattern that highlights a search query (None for an empty query)."""
    query = query.strip()
    return re.compile(re.escape(visible(query)), re.IGNORECASE) if query else None


class CardRenderer:
    """Renders cards from the log model, the cast and the current view options.

    Args:
        model: Every message shown so far (for reply quotes, reactions, markers).
        personas: The cast by id (avatars, handles, flags, home towns).
        extensions: Extra card lines (pinyin, …), used when enabled in the options.
    """

    def __init__(
        self,
        model: LogModel,
        personas: Mapping[str, Persona],
        extensions: Sequence[CardExtension] = (),
    ) -> None:
        self.model = model
        self.personas = dict(personas)
        self.extensions = list(extensions)
        self.options = ViewOptions()
        self.search: re.Pattern[str] | None = None

    def render(self, seq: int) -> Content | CardVisual:
        """The whole card for message ``seq``."""
        message = self.model.messages[seq]
        options = self.options
        markers = self.model.markers.get(seq, ())
        # A scenario marker names the message its chapter starts with: above the card.
        # A marker dropped by hand names the message that was last then: under it.
        lines: list[CardLine] = [_marker_line(m) for m in markers if m.kind == "scenario"]
        lines.append(self._tagged(message, self.header(message)))
        lines += self._section("header", message, [])
        if message.reply_to is not None:
            lines.append(self.quote(message.reply_to))
        if options.shows_original(message):
            lines += self._section("original", message, [highlight(message.text, self.search)])
        if options.shows_translation(message):
            lines += self._section("translation", message, list(self.translation(message)))
        chips = self.reactions(seq)
        if chips is not None:
            lines.append(chips)
        lines += [_marker_line(m) for m in markers if m.kind != "scenario"]
        if any(isinstance(line, Columns) for line in lines):
            return CardVisual(lines)
        return Content("\n").join(line for line in lines if isinstance(line, Content))

    def describe(self) -> str:
        """The view label for the header: reader, view mode, enabled extras."""
        options = self.options
        parts = [options.describe()]
        if options.side_by_side:
            parts.append("machine | human")
        parts += [e.label for e in self.extensions if e.label and e.name in options.extras]
        return " · ".join(parts)

    def badges(self) -> tuple[str, ...]:
        """The header's badges: enabled extensions' (``QUIZ``), ``REF`` for the reference."""
        options = self.options
        found = [e.badge for e in self.extensions if e.badge and e.name in options.extras]
        if options.show_reference:
            found.append(REFERENCE_BADGE)
        return tuple(found)

    def header(self, message: Message) -> Content:
        """``🐱 Maddie  @maddie_meows · 🇺🇸 Columbus, Ohio · 0:42``."""
        persona = self.personas.get(message.persona)
        if persona is None and is_guest_persona(message.persona):
            persona = guest_persona(message.name, message.lang)  # a guest of the class
        name_style = STYLE_YOU if message.persona == USER_PERSONA_ID else STYLE_NAME
        parts: list[str | tuple[str, str]] = []
        if persona is not None:
            avatar = visible(glyph_slot(persona.avatar))
            parts += [f"{avatar} ", (visible(message.name), name_style)]
            if message.persona == USER_PERSONA_ID:
                parts.append((f"  {LANG_NAMES[message.lang]}", STYLE_META))
            elif self.options.quiet:
                parts.append((f" {persona.flag}", STYLE_META))
            else:
                handle = visible(persona.shown_handle)
                home = f"{persona.flag} {visible(persona.home)}"
                where = f"  {handle} · {home}" if handle else f"  {home}"
                parts.append((where, STYLE_META))
        else:
            parts += ["👤 ", (visible(message.name), name_style)]
        parts.append((f" · {format_when(message)}", STYLE_META))
        return Content.assemble(*parts)

    def reactions(self, seq: int) -> Content | None:
        """``❤  214   😂 388`` (in the order they first came), or None without reactions.

        Each emoji is drawn in a two-cell slot without variation selectors
        (:func:`~rednote_sim.glyphs.glyph_slot`): ``❤️`` would shift the rest of
        the row in terminals that count it as one cell.
        """
        reactions = self.model.reactions.get(seq)
        if not reactions:
            return None
        return Content("   ".join(f"{glyph_slot(e)} {n}" for e, n in reactions.items()))

    def quote(self, reply_to: int) -> Content:
        """``↳ Maddie: Hi everyone!! TikTok refugee here…``.

        The quote follows the view: where the replied-to message itself would be
        shown as its translation (the translated-only view), so is the quote.
        """
        replied = self.model.messages.get(reply_to)
        if replied is None:
            return Content.styled(f"↳ #{reply_to}", STYLE_QUOTE)
        text = replied.text
        if not self.options.shows_original(replied) and replied.translation is not None:
            text = replied.translation.text
        return Content.assemble(
            ("↳ ", STYLE_META),
            (visible(replied.name), f"bold {STYLE_META}"),
            (": " + one_line(text, QUOTE_CELLS), STYLE_QUOTE),
        )

    def translation(self, message: Message) -> list[CardLine]:
        """The reader's rendering: text and origin, an error, or a placeholder.

        A reader of the other language gets the translation; a reader of the
        message's own language gets, for a message that mixes the languages, the
        message with its other-language parts translated.
        """
        reader = self.options.reader
        translation, error = message.rendering(reader)
        if translation is None:
            if error:
                reason = short_reason(error)
                what = "not translated"
                if reader == message.lang:
                    what = f"{LANG_WORDS[other_lang(message.lang)]} parts not translated"
                return [Content.styled(f"✗ {what}: {reason} · ? help", STYLE_ERROR)]
            return [Content.styled("⤷ translating…", STYLE_PENDING)]
        if translation.origin == "passthrough":
            return []  # nothing to translate (emoji, a name): the original says it all
        replaces = not self.options.shows_original(message)
        reference = human_reference(message, translation.lang)
        comparable = translation.is_machine or translation.origin == "corrected"
        if self.options.side_by_side:
            columns = self.compare(message)
            if columns is not None:
                return [columns]
        text = highlight(translation.text, self.search)
        if not replaces:
            text = Content.assemble(("⤷ ", STYLE_META), text).stylize_before(STYLE_TRANSLATION)
        lines: list[CardLine] = [text]
        origin = message.rendering_label(reader)
        if replaces:
            origin = f"translated from {LANG_NAMES[message.lang]} · {origin}"
        lines.append(Content.styled(f"  {origin}", STYLE_LABEL))
        if self.options.show_reference and reference and comparable:
            lines += self.reference(reference)
        return lines

    def reference(self, reference: str) -> list[CardLine]:
        """``≈ the human reference`` and its label (under a machine translation)."""
        return [
            Content.assemble(
                ("≈ ", STYLE_META),
                highlight(reference, self.search).stylize_before(STYLE_TRANSLATION),
            ),
            Content.styled("  human reference", STYLE_LABEL),
        ]

    def compare(self, message: Message) -> Columns | None:
        """Machine vs human for the reader's rendering, or None when there is no pair.

        A pair is a machine translation and a human one of the same text: the
        scenario's reference in that language, or a correction made in class.
        """
        translation, _ = message.rendering(self.options.reader)
        if translation is None or not (translation.is_machine or translation.origin == "corrected"):
            return None
        reference = human_reference(message, translation.lang)
        if not reference and translation.machine is None:
            return None
        return self.machine_and_human(translation, reference)

    def machine_and_human(self, translation: Translation, reference: str | None) -> Columns:
        """The machine translation and the human ones (reference, class correction)."""
        # Short enough to head a column: "machine · Argos zh_en 1.9".
        machine_label = translation.machine_label.replace("Argos translate-", "Argos ")
        machine_text = translation.machine if translation.machine is not None else translation.text
        human: list[Content] = []
        if translation.origin == "corrected" or translation.machine is not None:
            human += [
                Content.styled(
                    translation.label.replace("Argos translate-", "Argos "), STYLE_LABEL
                ),
                highlight(translation.text, self.search).stylize_before(STYLE_TRANSLATION),
            ]
        if reference:
            human += [
                Content.styled("human reference", STYLE_LABEL),
                highlight(reference, self.search).stylize_before(STYLE_TRANSLATION),
            ]
        return Columns(
            [
                Content.styled(machine_label, STYLE_LABEL),
                highlight(machine_text, self.search).stylize_before(STYLE_TRANSLATION),
            ],
            human,
        )

    def _tagged(self, message: Message, header: Content) -> Content:
        """The header line with the enabled extensions' tags at its end (``HSK 3``)."""
        options = self.options
        tags = [
            e.tag(message, options)
            for e in self.extensions
            if e.tag is not None and e.name in options.extras
        ]
        found = [t for t in tags if t is not None]
        if not found:
            return header
        return Content.assemble(header, *(Content.assemble("  ", t) for t in found))

    def _section(self, name: Section, message: Message, lines: list[CardLine]) -> list[CardLine]:
        """A section's own lines, its extensions' lines, then their transforms."""
        enabled = [e for e in self.extensions if e.after == name and e.name in self.options.extras]
        for extension in enabled:
            lines += list(extension.lines(message, self.options))
        for extension in enabled:
            if extension.transform is not None:
                lines = extension.transform(message, self.options, lines)
        return lines


class CardVisual(Visual):
    """A card with :class:`~rednote_sim.tui.view.Columns`, laid out at the card's width.

    Plain lines wrap as usual; two columns share the width with a rule between
    them (each wrapping in its half), or stack when a half would be narrower
    than :data:`MIN_COLUMN`.
    """

    def __init__(self, lines: Sequence[CardLine]) -> None:
        self.lines = list(lines)
        self._laid_out: tuple[int, Content] | None = None

    @property
    def plain(self) -> str:
        """The card's text, columns one after the other."""
        return "\n".join(line.plain for line in self.lines)

    def layout(self, width: int) -> Content:
        """The card as lines that fit ``width`` cells (cached per width)."""
        if self._laid_out is not None and self._laid_out[0] == width:
            return self._laid_out[1]
        out: list[Content] = []
        for line in self.lines:
            if isinstance(line, Content):
                out.append(line)
            else:
                out += _columns(line, width)
        content = Content("\n").join(out)
        self._laid_out = (width, content)
        return content

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        """Part of the Visual protocol."""
        return self.layout(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        """Part of the Visual protocol: as wide as the container."""
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        """Part of the Visual protocol: the height at ``width``."""
        return self.layout(width).get_height(rules, width)


def _marker_line(marker: Marker) -> Content:
    """``── ✦ China wakes up``."""
    return Content.assemble(("── ✦ ", STYLE_MARKER), (visible(marker.label), STYLE_MARKER))


def _wrapped(lines: Iterable[Content], width: int) -> list[Content]:
    return [part for line in lines for part in (line.wrap(width) or [Content("")])]


def _columns(columns: Columns, width: int) -> list[Content]:
    column = (width - len(COLUMN_GAP)) // 2
    if column < MIN_COLUMN:
        return [*columns.left, *columns.right]
    left, right = _wrapped(columns.left, column), _wrapped(columns.right, column)
    rows = max(len(left), len(right))
    left += [Content("")] * (rows - len(left))
    right += [Content("")] * (rows - len(right))
    return [
        Content.assemble(l_line.pad_right(column - l_line.cell_length), (COLUMN_GAP, STYLE_RULE), r)
        for l_line, r in zip(left, right, strict=True)
    ]
