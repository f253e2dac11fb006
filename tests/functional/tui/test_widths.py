"""What the room draws itself has a width every terminal agrees on (issue 8, item 6).

Rich measures emoji with its own tables; a terminal such as tmux counts cells
with the C library's ``wcwidth``. Where they disagree (``❤️`` = U+2764 U+FE0F is
two cells for Rich and one for ``wcwidth``), the rest of the row is drawn one
cell off and Textual's partial redraws land in the wrong cells. The oracle here
is the real ``wcwidth`` of the C library, not the app's own rule.

Message text keeps what people typed, so only the chrome is checked: avatars,
names and flags (card headers and the member list), reaction chips, the header,
the status, typing and key bars.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import locale
from collections.abc import Iterator

import pytest
from rich.cells import cell_len

from rednote_sim.settings import Settings
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.tui import RoomApp, make_app
from tests.functional.tui.fakes import stub_translator
from tests.functional.tui.helpers import settle

_LIBC = ctypes.CDLL(ctypes.util.find_library("c"))
_LIBC.wcwidth.argtypes = [ctypes.c_wchar]
_LIBC.wcwidth.restype = ctypes.c_int


@pytest.fixture
def utf8_ctype() -> Iterator[None]:
    """wcwidth answers for the C library's current locale: make it UTF-8."""
    previous = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
    try:
        yield
    finally:
        locale.setlocale(locale.LC_CTYPE, previous)


def terminal_cells(text: str) -> int:
    """Cells a wcwidth-counting terminal gives ``text`` (non-printing characters: 0)."""
    return sum(max(0, _LIBC.wcwidth(char)) for char in text)


def disagreements(lines: list[str]) -> list[tuple[str, int, int]]:
    return [
        (ln, cell_len(ln), terminal_cells(ln)) for ln in lines if cell_len(ln) != terminal_cells(ln)
    ]


def chrome(app: RoomApp) -> list[str]:
    """Every line of chrome the room draws now."""
    renderer, model = app.room_screen.renderer, app.room_screen.model
    lines = [
        str(app.room_screen.header_bar.render()),
        str(app.room_screen.activity._typing.render()),
    ]
    lines += app.room_screen.members._body.render().plain.splitlines()
    lines += [
        str(app.room_screen.status._left.render()),
        str(app.room_screen.status._right.render()),
    ]
    lines += [
        str(app.room_screen.key_bar._hints.render()),
        str(app.room_screen.key_bar._pinned.render()),
    ]
    for seq, message in model.messages.items():
        lines.append(renderer.header(message).plain)
        chips = renderer.reactions(seq)
        if chips is not None:
            lines.append(chips.plain)
    return lines


async def test_chrome_has_the_same_width_for_rich_and_the_terminal(
    tui_settings: Settings, utf8_ctype: None
) -> None:
    app = make_app(tui_settings, seed=3, speed=MAX_SPEED, translator=stub_translator())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        cast = app.source.cast
        assert cast is not None
        for persona in cast.personas.values():  # everyone typing at once
            app.room_screen.members.typing(persona.id, app.room_screen.clock.now())
        app.room_screen.refresh_status()
        await pilot.pause()
        lines = chrome(app)
        assert any("❤" in line for line in lines)  # reaction chips are among them
        assert len([ln for ln in lines if "🇨🇳" in ln or "🇺🇸" in ln]) > 16  # and the members
        assert disagreements(lines) == []
        await pilot.press("escape", "question_mark")  # a dialog over the room
        await pilot.pause()
        assert disagreements(chrome(app)) == []
