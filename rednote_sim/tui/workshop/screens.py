"""The workshop's dialogs: a one-line prompt, the session note, the word picker, the phrasebook.

All are modal screens, so the room's single keys never fire while one is open
(Textual stops the binding chain at a modal screen) and whatever is typed goes
into the focused field. Each closes with Esc without changing anything. Text
from messages is shown through ``Content``/``Text`` objects, never as markup.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import DataTable, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from rednote_sim.domain.workshop import TranslationSource, VocabEntry
from rednote_sim.textsafe import visible

STYLE_TITLE = "bold $text-primary"
STYLE_HINT = "italic $text-muted"
STYLE_PINYIN = "italic $text-accent"
STYLE_MUTED = "$text-muted"

MAX_ANSWER = 1000
"""Longest answer or note line accepted by a prompt (characters)."""


def _hint(text: str) -> Static:
    return Static(Content.styled(text, STYLE_HINT), classes="workshop-hint")


# --- a one-line prompt (quiz answer, MT-error note) ------------------------------------------


@dataclass(frozen=True)
class PromptResult:
    """What a prompt returns: the text typed, or a request to remove (an MT-error mark).

    Attributes:
        text: The main field.
        remove: ``ctrl+r`` was pressed (remove what the prompt is about).
        extra: The second field, when the prompt has one (a better translation).
    """

    text: str
    remove: bool = False
    extra: str | None = None


@dataclass(frozen=True)
class ExtraField:
    """A second, optional field of a prompt (the MT-error dialog's better translation).

    Attributes:
        label: Shown above the field.
        placeholder: Shown in the empty field.
        value: Its starting text.
    """

    label: str
    placeholder: str
    value: str = ""


class PromptScreen(ModalScreen[PromptResult | None]):
    """Ask for one line of text about a message: Enter saves, Esc cancels.

    Args:
        title: What is asked.
        context: The message it is about (safe content).
        placeholder: Shown in the empty field.
        value: The field's starting text.
        required: Refuse an empty answer (and say so).
        removable: If not empty, ``ctrl+r`` returns a remove request; this names it.
        extra: A second field (Tab goes to it; Enter in either field saves both).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "cancel"),
        Binding("ctrl+r", "remove", "remove", show=False),
    ]

    def __init__(
        self,
        title: str,
        context: Content,
        *,
        placeholder: str,
        value: str = "",
        required: bool = False,
        removable: str = "",
        extra: ExtraField | None = None,
    ) -> None:
        super().__init__(classes="workshop-modal")
        self._title = title
        self._about = context
        self._required = required
        self._removable = removable
        self.input = Input(
            value=value, placeholder=placeholder, max_length=MAX_ANSWER, id="prompt-input"
        )
        self._extra = extra
        self.extra: Input | None = None
        if extra is not None:
            self.extra = Input(
                value=extra.value,
                placeholder=extra.placeholder,
                max_length=MAX_ANSWER,
                id="prompt-extra",
            )
        self._error = Static("", id="prompt-error", markup=False)
        self._error.display = False

    def compose(self) -> Iterable[Widget]:
        """Title, the message, the field, the keys."""
        keys = "Enter saves · Esc cancels"
        if self.extra is not None:
            keys = "Enter saves · Tab: next field · Esc cancels"
        if self._removable:
            keys += f" · ^r {self._removable}"
        with (
            Vertical(classes="workshop-area"),  # above the toasts
            Vertical(classes="workshop-box"),
        ):
            yield Static(Content.styled(self._title, STYLE_TITLE))
            yield Static(self._about, classes="workshop-context")
            yield self.input
            if self.extra is not None and self._extra is not None:
                yield Static(Content.styled(self._extra.label, STYLE_MUTED), classes="prompt-label")
                yield self.extra
            yield self._error
            yield _hint(keys)

    def on_mount(self) -> None:
        """Type at once."""
        self.input.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Save (unless an answer is required and the field is blank)."""
        event.stop()
        text = self.input.value.strip()
        if self._required and not text:
            self._error.update("type something first (Esc cancels)")
            self._error.display = True
            return
        extra = self.extra.value.strip() if self.extra is not None else None
        self.dismiss(PromptResult(text, extra=extra))

    def action_remove(self) -> None:
        """``ctrl+r``: remove what the prompt is about (when offered)."""
        if self._removable:
            self.dismiss(PromptResult("", remove=True))

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


# --- the session note ------------------------------------------------------------------------


class NoteScreen(ModalScreen[str | None]):
    """The facilitator's note on the session: a text area; ctrl+s saves, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "save"),
        Binding("escape", "cancel", "cancel"),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__(classes="workshop-modal")
        self._title = title
        self.area = TextArea(
            note,
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            highlight_cursor_line=False,
            placeholder="What happened, what to discuss next time…",
            id="note-area",
        )

    def compose(self) -> Iterable[Widget]:
        """Title, text area, keys."""
        with (
            Vertical(classes="workshop-area"),  # above the toasts
            Vertical(classes="workshop-box"),
        ):
            yield Static(Content.styled(self._title, STYLE_TITLE))
            yield self.area
            yield _hint("^s saves · Esc cancels · Enter starts a new line")

    def on_mount(self) -> None:
        """Type at once, at the end of the note."""
        self.area.focus()
        self.area.move_cursor(self.area.document.end)

    def action_save(self) -> None:
        """Close and save."""
        self.dismiss(self.area.text.strip())

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


# --- the word picker -------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """Pinyin and translation proposed for a term, and where the translation came from."""

    pinyin: str
    translation: str
    source: TranslationSource


@dataclass(frozen=True)
class Candidate:
    """A word or phrase of the message, with its suggestion."""

    term: str
    suggestion: Suggestion


@dataclass(frozen=True)
class VocabDraft:
    """What the picker returns; None fields are left to the phrasebook's own rules.

    Attributes:
        term: The word or phrase.
        pinyin: Pinyin the learner typed over the suggestion, else None (computed).
        translation: A translation the learner typed over the suggestion, else None.
        machine: The machine translation that was suggested (and kept), if any.
        note: The learner's note.
    """

    term: str
    pinyin: str | None
    translation: str | None
    machine: str | None
    note: str


SOURCE_LABELS: dict[str, str] = {
    "glossary": "glossary",
    "dictionary": "dictionary",
    "machine": "machine",
    "user": "yours",
    "": "",
}


class VocabScreen(ModalScreen[VocabDraft | None]):
    """Save a word or phrase of a message: pick one of its words, or type your own.

    Glossary terms come first. Picking one fills the fields (pinyin, and the
    glossary's, the dictionary's or a machine translation); every field can be edited; Enter in a
    field saves.

    Args:
        title: The dialog's title.
        context: The message (safe content).
        find: Lists the message's candidates (slow: jieba; the caller runs it off the UI thread).
        suggest: Pinyin and translation for a typed term (also off the UI thread).
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    def __init__(
        self,
        title: str,
        context: Content,
        *,
        find: Callable[[], Awaitable[list[Candidate]]],
        suggest: Callable[[str], Awaitable[Suggestion]],
    ) -> None:
        super().__init__(classes="workshop-modal")
        self._title = title
        self._about = context
        self._find = find
        self._suggest = suggest
        self.candidates: list[Candidate] = []
        self.options = OptionList(
            Option(Content.styled("finding words…", STYLE_HINT), disabled=True),
            id="vocab-options",
        )
        self.term = Input(placeholder="a word or phrase", max_length=200, id="vocab-term")
        self.pinyin = Input(placeholder="pinyin", max_length=500, id="vocab-pinyin")
        self.translation = Input(placeholder="translation", max_length=500, id="vocab-translation")
        self.note = Input(placeholder="note (optional)", max_length=MAX_ANSWER, id="vocab-note")
        self._error = Static("", id="vocab-error", markup=False)
        self._error.display = False
        self._auto = Suggestion("", "", "")
        self.ready = False
        """True once the candidates are listed (tests wait for it)."""

    def compose(self) -> Iterable[Widget]:
        """Title, message, candidates, the fields, keys."""
        with (
            Vertical(classes="workshop-area"),  # above the toasts
            Vertical(classes="workshop-box", id="vocab-box"),
        ):
            yield Static(Content.styled(self._title, STYLE_TITLE))
            yield Static(self._about, classes="workshop-context")
            yield _hint("Pick a word (↑/↓, Enter) or type your own below:")
            yield self.options
            with Grid(id="vocab-fields"):
                for label, field in (
                    ("word", self.term),
                    ("pinyin", self.pinyin),
                    ("meaning", self.translation),
                    ("note", self.note),
                ):
                    yield Static(label, classes="vocab-label", markup=False)
                    yield field
            yield self._error
            yield _hint("Enter in a field saves · Tab next field · Esc cancels")

    def on_mount(self) -> None:
        """List the candidates (in a worker); the list has focus."""
        self.options.focus()
        self.list_candidates()

    @work(exclusive=True, group="vocab-find", exit_on_error=False)
    async def list_candidates(self) -> None:
        """Fill the list with the message's words, glossary terms first."""
        self.candidates = await self._find()
        self.options.clear_options()
        if not self.candidates:
            self.options.add_option(
                Option(Content.styled("no words found: type one below", STYLE_HINT), disabled=True)
            )
            self.term.focus()
        else:
            self.options.add_options(
                Option(_candidate_prompt(c), id=str(i)) for i, c in enumerate(self.candidates)
            )
            self.options.highlighted = 0
        self.ready = True

    @on(OptionList.OptionSelected, "#vocab-options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        candidate = self.candidates[int(event.option.id)]
        self._fill(candidate.suggestion)  # a meaning (or pinyin) typed over is kept
        self.term.value = candidate.term
        self.translation.focus()

    @on(Input.Changed, "#vocab-term")
    def _term_changed(self, event: Input.Changed) -> None:
        self._error.display = False
        self.suggest(event.value)

    @work(exclusive=True, group="vocab-suggest", exit_on_error=False)
    async def suggest(self, term: str) -> None:
        """Propose pinyin and a translation for what is in the word field."""
        suggestion = await self._suggest(term) if term.strip() else Suggestion("", "", "")
        if self.term.value == term:
            self._fill(suggestion)

    def _fill(self, suggestion: Suggestion) -> None:
        """Put a suggestion in the fields the learner has not typed over."""
        auto = self._auto
        if self.pinyin.value == auto.pinyin:
            self.pinyin.value = suggestion.pinyin
        if self.translation.value == auto.translation:
            self.translation.value = suggestion.translation
        self._auto = suggestion

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in any field: save."""
        event.stop()
        term = self.term.value.strip()
        if not term:
            self._error.update("pick a word above or type one (Esc cancels)")
            self._error.display = True
            self.term.focus()
            return
        auto = self._auto
        pinyin = self.pinyin.value.strip()
        translation = self.translation.value.strip()
        kept = translation == auto.translation
        self.dismiss(
            VocabDraft(
                term=term,
                pinyin=None if pinyin == auto.pinyin.strip() else pinyin,
                translation=None if kept else translation,
                machine=auto.translation if kept and auto.source == "machine" else None,
                note=self.note.value.strip(),
            )
        )

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


def _candidate_prompt(candidate: Candidate) -> Content:
    suggestion = candidate.suggestion
    parts: list[str | tuple[str, str]] = [(visible(candidate.term), "bold")]
    if suggestion.pinyin and suggestion.pinyin != candidate.term:
        parts += ["  ", (visible(suggestion.pinyin), STYLE_PINYIN)]
    if suggestion.translation:
        parts += ["  ", visible(suggestion.translation)]
    if suggestion.source in ("glossary", "dictionary"):
        parts += ["  ", (suggestion.source, STYLE_MUTED)]
    return Content.assemble(*parts)


# --- the phrasebook --------------------------------------------------------------------------


class PhrasebookScreen(ModalScreen[int | None]):
    """The session's phrasebook: Chinese, pinyin, translation, where it came from.

    Enter closes it and goes to the entry's message; Del (or x) deletes the
    entry; Esc (or b) closes.

    Args:
        entries: The phrasebook, in the order entries were saved.
        sources: Who wrote each message, by seq (for the "from" column).
        on_delete: Called with an entry the reader deleted (the caller saves that).
        level: ``HSK n`` of a Chinese term ("" for none), for the HSK column.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,b,q", "close", "close"),
        Binding("delete,backspace,x", "delete", "delete"),
    ]

    def __init__(
        self,
        entries: Sequence[VocabEntry],
        sources: Mapping[int, str],
        on_delete: Callable[[VocabEntry], None],
        level: Callable[[str], str] = lambda term: "",
    ) -> None:
        super().__init__(classes="workshop-modal")
        self.entries = list(entries)
        self._level = level
        self._sources = sources
        self._on_delete = on_delete
        self.table: DataTable[Text] = DataTable(
            cursor_type="row", zebra_stripes=True, id="phrasebook-table"
        )
        self._title = Static("", id="phrasebook-title")
        self._empty = Static(
            Content.styled(
                "No words yet: select a message (j/k) in keys mode and press w.", STYLE_HINT
            ),
            id="phrasebook-empty",
        )

    def compose(self) -> Iterable[Widget]:
        """Title, table, keys."""
        with (
            Vertical(classes="workshop-area"),  # above the toasts
            Vertical(classes="workshop-box", id="phrasebook-box"),
        ):
            yield self._title
            yield self.table
            yield self._empty
            yield _hint("↑/↓ select · Enter: go to its message · Del or x: delete · Esc: close")

    def on_mount(self) -> None:
        """Fill the table."""
        self.table.add_columns("中文", "pinyin", "English", "from", "HSK")
        for entry in self.entries:
            self.table.add_row(*self._cells(entry), key=_key(entry))
        self._update_title()
        self.table.focus()

    def _cells(self, entry: VocabEntry) -> list[Text]:
        who = self._sources.get(entry.seq, "")
        source = SOURCE_LABELS.get(entry.translation_source, "")
        origin = " · ".join(p for p in (f"#{entry.seq} {who}".strip(), source) if p)
        return [
            Text(visible(entry.chinese), style="bold"),
            Text(visible(entry.pinyin), style="italic"),
            Text(visible(entry.english)),
            Text(visible(origin), style="dim"),
            Text(self._level(entry.chinese).removeprefix("HSK "), style="dim"),
        ]

    def _update_title(self) -> None:
        count = len(self.entries)
        noun = "entry" if count == 1 else "entries"
        self._title.update(Content.styled(f"Phrasebook · 生词本 — {count} {noun}", STYLE_TITLE))
        self._empty.display = count == 0
        self.table.display = count > 0

    def action_delete(self) -> None:
        """Delete the selected entry."""
        if not self.entries:
            return
        row = self.table.cursor_row
        entry = self.entries.pop(row)
        self.table.remove_row(_key(entry))
        self._on_delete(entry)
        self._update_title()

    @on(DataTable.RowSelected)
    def _go(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.dismiss(self.entries[event.cursor_row].seq)

    def action_close(self) -> None:
        """Close."""
        self.dismiss(None)


def _key(entry: VocabEntry) -> str:
    return f"{entry.lang}:{entry.term}"
