"""The word dialog: a message's words (←/→ to choose), the chosen word's dictionary entry.

The entry comes from a look-up the caller runs off the UI thread (the
dictionary's index may be built the first time: the dialog says "loading
dictionary…" meanwhile and keys keep working). Everything shown is built from
plain strings into ``Content`` after :func:`~rednote_sim.textsafe.visible`:
dictionary text is data too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from rednote_sim.lang.entry import CEDICT, GLOSSARY, SLANG, Entry
from rednote_sim.lang.hsk import DEFAULT_STANDARD, STANDARDS
from rednote_sim.lang.lookup import Lookup
from rednote_sim.lang.segment import Word
from rednote_sim.textsafe import visible
from rednote_sim.tui.tones import tone_content

STYLE_TITLE = "bold $text-primary"
STYLE_HINT = "italic $text-muted"
STYLE_MUTED = "$text-muted"
STYLE_CHOSEN = "reverse bold"
STYLE_HEAD = "bold"

MAX_SENSES = 6
"""Senses shown for the chosen entry (the first are the common ones)."""
MAX_OTHERS = 3
"""Further entries (other readings, other matches) listed under it."""

SOURCE_NAMES = {CEDICT: "CC-CEDICT", GLOSSARY: "the room's glossary", SLANG: "slang lexicon"}

CREDIT = "Meanings: CC-CEDICT, CC BY-SA 4.0 (? help: credits)"

LOADING = "loading dictionary… (the first time builds its index: a few seconds)"


@dataclass(frozen=True)
class WordSave:
    """What the dialog returns: save ``word`` (with the entry it showed) to the phrasebook."""

    word: Word
    entry: Entry | None


def hsk_text(entry: Entry) -> str:
    """``HSK 3`` on the 2025 syllabus, else the first list that has the word."""
    found = entry.hsk_label(DEFAULT_STANDARD)
    if found:
        return found
    for standard in STANDARDS:
        label = entry.hsk_label(standard)
        if label:
            return f"{label} ({standard})"
    return ""


def entry_lines(entry: Entry, *, tones: bool, english: bool = False) -> list[Content]:
    """An entry as dialog lines: headword, pinyin, HSK and source; meanings; measure words."""
    head: list[str | tuple[str, str] | Content] = [(visible(entry.simplified), STYLE_HEAD)]
    if entry.traditional and entry.traditional != entry.simplified:
        head += [(f" ({visible(entry.traditional)})", STYLE_MUTED)]
    if entry.pinyin:
        head += ["  ", tone_content(entry.syllables(), coloured=tones, colour="$text-accent")]
    tags = [t for t in (hsk_text(entry), SOURCE_NAMES.get(entry.source, entry.source)) if t]
    head += [("  · " + " · ".join(tags), STYLE_MUTED)]
    lines = [Content.assemble(*head)]
    senses = entry.definitions[:MAX_SENSES]
    if english:
        lines.append(Content(visible("; ".join(senses))))
    else:
        lines += [Content(visible(f"{n}. {sense}")) for n, sense in enumerate(senses, 1)]
        if len(entry.definitions) > MAX_SENSES:
            more = len(entry.definitions) - MAX_SENSES
            lines.append(Content.styled(f"… {more} more", STYLE_HINT))
    if entry.measure_words:
        words = ", ".join(
            f"{m.simplified}{'' if m.traditional == m.simplified else f' ({m.traditional})'} "
            f"{m.pinyin}"
            for m in entry.measure_words
        )
        label = "measure word" if len(entry.measure_words) == 1 else "measure words"
        lines.append(Content.styled(visible(f"{label}: {words}"), STYLE_MUTED))
    if entry.note:
        lines.append(Content.styled(visible(f"note: {entry.note}"), STYLE_HINT))
    return lines


def line_with_word(text: str, words: Sequence[Word], chosen: int) -> Content:
    """The message with the chosen word highlighted (the others underlined: they can be chosen)."""
    parts: list[str | tuple[str, str]] = []
    at = 0
    for index, word in enumerate(words):
        parts.append(visible(text[at : word.start]))
        parts.append((visible(word.text), STYLE_CHOSEN if index == chosen else "underline"))
        at = word.end
    parts.append(visible(text[at:]))
    return Content.assemble(*parts)


class WordScreen(ModalScreen[WordSave | None]):
    """A message's words and the chosen word's entry; ←/→ choose, s or Enter saves, Esc closes.

    Args:
        text: The message (or the translation) the words are from.
        words: Its words (``Segmenter.word_spans``), at least one.
        chosen: The index of the word to start on (the one clicked).
        lookup: Looks a word up (the caller runs the dictionary off the UI thread).
        loading: True while the dictionary's index is not open yet.
        tones: Colour the pinyin by tone.
        can_save: Offer "save to phrasebook" (False: the room is still opening).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "close"),
        Binding("left,h", "move(-1)", "previous word"),
        Binding("right,l", "move(1)", "next word"),
        Binding("home", "move_to(0)", "first word", show=False),
        Binding("end", "move_to(-1)", "last word", show=False),
        Binding("s,enter", "save", "save to phrasebook"),
    ]

    def __init__(
        self,
        text: str,
        words: Sequence[Word],
        chosen: int,
        *,
        lookup: Callable[[str], Awaitable[Lookup]],
        loading: bool,
        tones: bool,
        can_save: bool = True,
    ) -> None:
        super().__init__(classes="workshop-modal")
        self.text = text
        self.words = list(words)
        self.chosen = max(0, min(chosen, len(self.words) - 1))
        self._lookup = lookup
        self._loading = loading
        self.tones = tones
        self.can_save = can_save
        self.result: Lookup | None = None
        """The chosen word's look-up, once it is in (tests wait for it)."""
        self.line = Static("", id="word-line")
        self.entry = Static("", id="word-entry")

    def compose(self) -> Iterable[Widget]:
        """Title, the line, the entry, the keys and the dictionary's credit."""
        keys = "←/→ word · s save to phrasebook · Esc close"
        if not self.can_save:
            keys = "←/→ word · Esc close"
        with Vertical(classes="workshop-area"), Vertical(classes="workshop-box", id="word-box"):
            yield Static(Content.styled("Dictionary · 词典", STYLE_TITLE))
            yield self.line
            yield self.entry
            yield Static(Content.styled(keys, STYLE_HINT), classes="workshop-hint")
            yield Static(Content.styled(CREDIT, STYLE_MUTED), id="word-credit")

    def on_mount(self) -> None:
        """Show the chosen word and look it up."""
        self._show()

    @property
    def word(self) -> Word:
        """The chosen word."""
        return self.words[self.chosen]

    def _show(self) -> None:
        self.line.update(line_with_word(self.text, self.words, self.chosen))
        self.result = None
        self.entry.update(
            Content.styled(LOADING if self._loading else "looking it up…", STYLE_HINT)
        )
        self.look_up(self.word.text)

    @work(exclusive=True, group="word-lookup", exit_on_error=False)
    async def look_up(self, word: str) -> None:
        """Look the chosen word up (the dictionary runs in a thread) and show the entry."""
        result = await self._lookup(word)
        self._loading = False
        if word != self.word.text:
            return  # moved on meanwhile: that word's look-up is on its way
        self.result = result
        self.entry.update(self.entry_content(result))

    def entry_content(self, result: Lookup) -> Content:
        """The look-up as the dialog shows it."""
        if not result.found:
            return Content.styled(
                visible(f"{result.query}: not in the dictionary"), "italic $text-warning"
            )
        english = result.kind == "english"
        first, *others = result.entries
        lines = entry_lines(first, tones=self.tones, english=english)
        for other in others[:MAX_OTHERS]:
            pinyin = tone_content(other.syllables(), coloured=self.tones, colour="$text-accent")
            senses = visible("; ".join(other.definitions[:2]))
            lines.append(
                Content.assemble(
                    ("also: ", STYLE_MUTED),
                    (visible(other.simplified), STYLE_HEAD),
                    " ",
                    pinyin,
                    " — ",
                    senses,
                )
            )
        return Content("\n").join(lines)

    def action_move(self, delta: int) -> None:
        """←/→: the previous or next word."""
        chosen = max(0, min(self.chosen + delta, len(self.words) - 1))
        if chosen != self.chosen:
            self.chosen = chosen
            self._show()

    def action_move_to(self, index: int) -> None:
        """Home/End: the first or last word."""
        self.action_move((index % len(self.words)) - self.chosen)

    def action_save(self) -> None:
        """Save (s or Enter) the chosen word to the phrasebook (the entry it shows fills it)."""
        if not self.can_save:
            self.notify("The room is still opening; try again in a moment.")
            return
        result = self.result
        entry = result.entries[0] if result is not None and result.found else None
        self.dismiss(WordSave(self.word, entry))

    def action_close(self) -> None:
        """Close without saving."""
        self.dismiss(None)
