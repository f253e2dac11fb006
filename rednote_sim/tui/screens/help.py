"""The help screen: what the room is, the focus model, every key (from the registry)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from rednote_sim.lang.cedict import CEDICT_CREDIT, HSK_CREDIT
from rednote_sim.tui.actions import Mode, RoomAction, actions_for, keys_label

ABOUT = (
    "January 2025: days before a US ban on TikTok, Americans calling themselves "
    '"TikTok refugees" poured into 小红书 (RedNote). Chinese users welcomed them, asked for '
    '"cat tax" and traded English homework help for Chinese lessons, everyone leaning on '
    "machine translation. The personas here are fictional; every message is translated "
    "offline by Argos Translate (machine) or shows the scenario's human reference, "
    "labelled as such."
)

FOCUS_LIVE = (
    "Typing always types: you start in the composer (English or 中文, Enter sends; "
    "responders may answer). Esc switches to keys mode, where the single keys work; "
    'i or Enter goes back to typing. The "anywhere" keys work in both, and every action '
    "is in the command palette (ctrl+p)."
)

FOCUS_REPLAY = (
    "A replay plays a recorded session through the same clock, with its stored "
    "translations (nothing is re-translated). There is no composer, so the single keys "
    "work at once. At the end the clock stops at the recording's length (■ ENDED) and "
    "space plays it again from the start. Every action is also in the command palette "
    "(ctrl+p)."
)


TRANSLATIONS = (
    "Each card labels its translation: “machine · Argos <package>” was translated on this "
    "machine; “human reference” is the scenario author's translation, shown where no model "
    "is installed for that direction (English lines, with only the official Chinese→English "
    "model); “✗ not translated: <reason>” keeps the message as written. To translate your own "
    "English lines, install Argos's English→Chinese package: `rednote-sim models install "
    "--from translate-en_zh-1_9.argosmodel` (or `rednote-sim models install` with internet); "
    "`rednote-sim models status` shows what serves each direction."
)


WORDS = (
    "Look a word up: select a line (j/k) and press o, or click a word. ←/→ choose a word "
    "of the line; the entry shows its characters (simplified and traditional), tone-coloured "
    "pinyin (the tone marks stay), meanings, measure words and HSK level, the room's glossary "
    "and slang lexicon first; s saves it to the phrasebook with the dictionary's meaning and "
    "pinyin. T turns the tone colours (Pleco's: 1 red, 2 green, 3 blue, 4 purple, neutral "
    "grey) on and off. English words find Chinese ones."
)

CREDITS = f"{CEDICT_CREDIT}. {HSK_CREDIT}."


def keys_table(mode: Mode, actions: list[RoomAction] | None = None) -> Content:
    """The bindings as aligned text lines, grouped like the registry."""
    rows = actions_for(mode, actions)
    width = max(len("keys mode"), *(len(keys_label(a.keys)) for a in rows)) + 2
    width_any = max(len("anywhere"), *(len(keys_label(a.anywhere)) for a in rows)) + 2
    lines: list[Content] = [
        Content.assemble(
            ("keys mode".ljust(width), "bold"),
            ("anywhere".ljust(width_any), "bold"),
            ("what it does", "bold"),
        )
    ]
    group = ""
    for action in rows:
        if action.group != group:
            group = action.group
            lines.append(Content.styled(f"── {group}", "bold $text-accent"))
        lines.append(
            Content.assemble(
                ((keys_label(action.keys) or "—").ljust(width), "bold $text-primary"),
                ((keys_label(action.anywhere) or "—").ljust(width_any), "$text-primary"),
                action.title,
            )
        )
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """Press ``?`` (or F1) to open, Esc / q / ? to close."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "close help")
    ]

    def __init__(
        self, mode: Mode, actions: list[RoomAction] | None = None, *, notes: str = ""
    ) -> None:
        super().__init__()
        self.mode: Mode = mode
        self.actions = actions
        self.notes = notes

    def compose(self) -> Iterable[Widget]:
        """About, focus model, keys."""
        with VerticalScroll(id="help-body"):
            title = Content.assemble(
                ("TikTok Refugees · TikTok难民 — help", "bold"),
                ("   Esc, q or ? closes · ↑/↓ scroll", "italic $text-muted"),
            )
            yield Static(title, id="help-title")
            yield Static(
                FOCUS_LIVE if self.mode == "live" else FOCUS_REPLAY,
                markup=False,
                classes="help-text",
            )
            if self.notes:
                yield Static(self.notes, markup=False, classes="help-text")
            yield Static(keys_table(self.mode, self.actions), id="help-keys")
            yield Static(Content.styled("Translations", "bold $text-accent"), classes="help-text")
            yield Static(TRANSLATIONS, markup=False, classes="help-text")
            yield Static(Content.styled("Dictionary", "bold $text-accent"), classes="help-text")
            yield Static(WORDS, markup=False, classes="help-text")
            yield Static(CREDITS, markup=False, classes="help-text", id="help-credits")
            yield Static(Content.styled("About", "bold $text-accent"), classes="help-text")
            yield Static(ABOUT, markup=False, classes="help-text")

    async def action_dismiss(self, result: None = None) -> None:
        """Close."""
        self.dismiss(result)
