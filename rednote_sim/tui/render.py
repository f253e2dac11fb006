"""One message as card content: who, when, the original, its translation, reactions.

Everything is assembled from plain strings into :class:`textual.content.Content`
(never parsed as markup) after :func:`~rednote_sim.tui.safetext.display_text`,
so message text is shown literally. Styles name theme variables (``$accent``,
``$text-muted``…), so cards follow the light and dark themes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from textual.content import Content

from rednote_sim.domain import USER_PERSONA_ID, Message, Persona
from rednote_sim.headless import format_time, translation_label
from rednote_sim.translate.scripts import HASHTAG_RE, MENTION_RE
from rednote_sim.tui.logmodel import LogModel
from rednote_sim.tui.safetext import display_text, one_line
from rednote_sim.tui.view import CardExtension, ViewOptions

QUOTE_CELLS = 48
"""Terminal cells of the replied-to message shown in a reply quote (one line at 80x24)."""

LANG_NAMES = {"en": "English", "zh": "中文"}

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


def highlight(text: str, search: re.Pattern[str] | None = None) -> Content:
    """Safe text with hashtags, @mentions and search matches highlighted."""
    content = Content(display_text(text))
    content = content.highlight_regex(HASHTAG_RE, style=STYLE_TAG)
    content = content.highlight_regex(MENTION_RE, style=STYLE_MENTION)
    if search is not None:
        content = content.highlight_regex(search, style=STYLE_MATCH)
    return content


def search_pattern(query: str) -> re.Pattern[str] | None:
    """The pattern that highlights a search query (None for an empty query)."""
    query = query.strip()
    return re.compile(re.escape(display_text(query)), re.IGNORECASE) if query else None


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

    def render(self, seq: int) -> Content:
        """The whole card for message ``seq``."""
        message = self.model.messages[seq]
        options = self.options
        lines: list[Content] = [
            Content.assemble(("── ✦ ", STYLE_MARKER), (display_text(m.label), STYLE_MARKER))
            for m in self.model.markers.get(seq, ())
        ]
        lines.append(self.header(message))
        if message.reply_to is not None:
            lines.append(self.quote(message.reply_to))
        if options.shows_original(message):
            lines.append(highlight(message.text, self.search))
            lines += self._extension_lines("original", message)
        if options.shows_translation(message):
            lines += self.translation(message)
            lines += self._extension_lines("translation", message)
        reactions = self.model.reactions.get(seq)
        if reactions:
            lines.append(
                Content("   ".join(f"{display_text(e)} {n}" for e, n in reactions.items()))
            )
        return Content("\n").join(lines)

    def header(self, message: Message) -> Content:
        """``🐱 Maddie  @maddie_meows · 🇺🇸 Columbus, Ohio · 0:42``."""
        persona = self.personas.get(message.persona)
        name_style = STYLE_YOU if message.persona == USER_PERSONA_ID else STYLE_NAME
        parts: list[str | tuple[str, str]] = []
        if persona is not None:
            parts += [f"{persona.avatar} ", (display_text(message.name), name_style)]
            if message.persona == USER_PERSONA_ID:
                parts.append((f"  {LANG_NAMES[message.lang]}", STYLE_META))
            else:
                where = f"  {persona.handle} · {persona.flag} {display_text(persona.home)}"
                parts.append((where, STYLE_META))
        else:
            parts += ["👤 ", (display_text(message.name), name_style)]
        parts.append((f" · {format_time(message.t)}", STYLE_META))
        return Content.assemble(*parts)

    def quote(self, reply_to: int) -> Content:
        """``↪ Maddie: Hi everyone!! TikTok refugee here…``."""
        replied = self.model.messages.get(reply_to)
        if replied is None:
            return Content.styled(f"↪ #{reply_to}", STYLE_QUOTE)
        return Content.assemble(
            ("↪ ", STYLE_META),
            (display_text(replied.name), f"bold {STYLE_META}"),
            (": " + one_line(replied.text, QUOTE_CELLS), STYLE_QUOTE),
        )

    def translation(self, message: Message) -> list[Content]:
        """The translation block: text and origin, an error, or a placeholder."""
        translation = message.translation
        if translation is None:
            if message.translation_error:
                reason = display_text(message.translation_error)
                if not reason.startswith("not translated"):  # the replay's own wording has it
                    reason = f"not translated: {reason}"
                return [Content.styled(f"⚠ {reason}", STYLE_ERROR)]
            return [Content.styled("⤷ translating…", STYLE_PENDING)]
        if translation.engine == "passthrough":
            return []  # nothing to translate (emoji, a name): the original says it all
        replaces = not self.options.shows_original(message)
        text = highlight(translation.text, self.search)
        lines = [text if replaces else Content.assemble(("⤷ ", STYLE_META), text)]
        if not replaces:
            lines[0] = lines[0].stylize_before(STYLE_TRANSLATION)
        origin = translation_label(message)
        if replaces:
            origin = f"translated from {LANG_NAMES[message.lang]} · {origin}"
        lines.append(Content.styled(f"  {origin}", STYLE_LABEL))
        reference = message.reference
        if self.options.show_reference and reference and translation.engine != "script":
            lines.append(
                Content.assemble(
                    ("≈ ", STYLE_META), highlight(reference).stylize_before(STYLE_TRANSLATION)
                )
            )
            lines.append(Content.styled("  human reference", STYLE_LABEL))
        return lines

    def _extension_lines(self, after: str, message: Message) -> list[Content]:
        lines: list[Content] = []
        for extension in self.extensions:
            if extension.after == after and extension.name in self.options.extras:
                lines += list(extension.lines(message, self.options))
        return lines
