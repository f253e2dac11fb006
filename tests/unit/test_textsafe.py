"""Text is data: what `visible` lets through to a terminal, and what it escapes."""

from __future__ import annotations

import pytest

from rednote_sim.domain import Message
from rednote_sim.headless import format_message
from rednote_sim.textsafe import visible


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("abc\u202edef", "abc\\u202edef"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("\ufeffbom", "\\ufeffbom"),
        ("bell\x07", "bell\\x07"),
        ("c1\x9bcsi", "c1\\x9bcsi"),
    ],
)
def test_controls_and_invisible_characters_become_visible_escapes(raw: str, shown: str) -> None:
    assert visible(raw) == shown


@pytest.mark.parametrize(
    "text",
    [
        "[bold red]not markup[/]",
        "中文和English 混在一起",
        "🙋\u200d♂️ family 👨\u200d👩\u200d👧 flag 🇨🇳",
        "tab\tand\nnewline",
        "مرحبا שלום",
    ],
)
def test_ordinary_text_passes_untouched(text: str) -> None:
    assert visible(text) == text


def test_the_headless_printer_never_emits_an_escape_character() -> None:
    message = Message(
        session="s",
        seq=1,
        t=3.0,
        persona="p",
        name="\x1b[2JEvil",
        lang="en",
        text="hi \x1b[31mthere\x1b[0m [link=https://x]y[/link]",
    )
    printed = format_message(message, None, None)
    assert "\x1b" not in printed
    assert "[link=https://x]y[/link]" in printed
