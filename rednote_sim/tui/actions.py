"""Every room action in one place: its keys, its palette entry, its help line.

The bindings (the room screen's, the chat log's and the App's), the command
palette, the key bar and the help screen are all generated from the room's
actions, :data:`ROOM_ACTIONS` plus those added features pass to
``make_app(actions=...)``, so they cannot disagree. A built-in action is a
``RoomScreen.action_<name>`` method (``quit`` and ``toggle_dark`` are the App's,
see :data:`APP_ACTIONS`; ``j``/``k``/``n``/Home/End are the chat log's own keys).
A feature's action (the workshop's quiz, phrasebook…) carries its own ``run``,
called with the room as a :class:`~rednote_sim.tui.host.RoomHost`, so a feature
never edits this module, the screen or the app: it defines its actions in its own
module and is registered where ``make_app`` builds the app (see
``tui/workshop/feature.py`` and docs/ARCHITECTURE.md, "How to add").

Focus model: the composer has focus in a live room, so typing always types.
Single keys (``space``, ``t``, ``/``…) act while the chat log has focus
(``Esc`` from the composer); ``ctrl`` keys act from anywhere; every action is
in the command palette (``ctrl+p``). A replay has no composer, so the log has
focus from the start.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from rednote_sim.tui.host import RoomHost

Mode = Literal["live", "replay"]
BOTH: frozenset[Mode] = frozenset(("live", "replay"))
LIVE: frozenset[Mode] = frozenset(("live",))
REPLAY: frozenset[Mode] = frozenset(("replay",))

RunAction = Callable[["RoomHost"], Awaitable[None] | None]
"""An added feature's action: it gets the room (a :class:`~rednote_sim.tui.host.RoomHost`)."""


@dataclass(frozen=True)
class RoomAction:
    """One thing the reader can do in the room.

    Attributes:
        name: The app action (``action_<name>``).
        title: Palette title and help-screen line.
        group: Help-screen section.
        keys: Textual key names that act while the log has focus (comma-separated).
        anywhere: Keys that act from anywhere, including the composer.
        modes: Where the action exists.
        hint: Footer label, or "" to leave it out of the key bar.
        hint_keys: How the key bar writes the key (defaults to the first key).
        live_hint_late: In a live room, list it after the others in the key bar
            (stepping and skipping matter less than reading there; in a replay
            the playback keys come first).
        hint_rank: Lower ranks come first in the key bar (a workshop lists its
            keys before the room's); the registry order breaks ties.
        on_log: Its ``keys`` are the chat log's own bindings (they act while the
            log has focus); its ``anywhere`` keys are the room's.
        run: For actions added by other features: called with the room on screen
            (may return an awaitable). Built-in actions leave it None and are
            ``RoomScreen.action_<name>`` methods.
    """

    name: str
    title: str
    group: str
    keys: str = ""
    anywhere: str = ""
    modes: frozenset[Mode] = BOTH
    hint: str = ""
    hint_keys: str = ""
    live_hint_late: bool = False
    hint_rank: int = 0
    on_log: bool = False
    run: RunAction | None = None


def action_string(action: RoomAction) -> str:
    """The Textual action a key runs: ``toggle_pause``; ``room_action('quiz')`` if added."""
    return action.name if action.run is None else f"room_action({action.name!r})"


ROOM_ACTIONS: list[RoomAction] = [
    # --- typing and focus -----------------------------------------------------------------
    RoomAction(
        "focus_log",
        "Keys mode: focus the chat log",
        "Focus",
        anywhere="escape",
        modes=LIVE,
        hint="keys",
    ),
    RoomAction(
        "focus_composer",
        "Type a message",
        "Focus",
        keys="i,enter",
        modes=LIVE,
        hint="type",
        hint_keys="i",
    ),
    # --- playback -------------------------------------------------------------------------
    RoomAction(
        "toggle_pause",
        "Pause / resume",
        "Playback",
        keys="space",
        anywhere="ctrl+s",
        hint="pause",
        hint_keys="space",
    ),
    RoomAction(
        "faster",
        "Faster (0.25x … 16x, max)",
        "Playback",
        keys="plus,equals_sign",
        anywhere="ctrl+up",
        hint="speed",
        hint_keys="+/-",
    ),
    RoomAction("slower", "Slower", "Playback", keys="minus", anywhere="ctrl+down"),
    RoomAction(
        "step_forward",
        "Step one message forward",
        "Playback",
        keys="right_square_bracket",
        hint="step",
        live_hint_late=True,
    ),
    RoomAction(
        "step_back",
        "Step one message back",
        "Playback",
        keys="left_square_bracket",
        modes=REPLAY,
        hint="back",
    ),
    RoomAction(
        "seek_time",
        "Go to a time…",
        "Playback",
        keys="g",
        anywhere="ctrl+g",
        modes=REPLAY,
        hint="go to",
    ),
    RoomAction(
        "seek_next",
        "Jump to the next chapter marker",
        "Playback",
        keys="greater_than_sign",
        hint="next marker",
        hint_keys=">",
        live_hint_late=True,
    ),
    RoomAction(
        "seek_reply",
        "Jump to the next reply",
        "Playback",
        keys="right_curly_bracket",
        hint="next reply",
        hint_keys="}",
        live_hint_late=True,
    ),
    RoomAction(
        "cycle_idle_cap",
        "Idle-time cap: off, 2 s, 5 s, 10 s, 30 s",
        "Playback",
        keys="c",
        modes=REPLAY,
        hint="idle cap",
    ),
    RoomAction("add_marker", "Drop a marker here", "Playback", modes=LIVE),
    # --- reading --------------------------------------------------------------------------
    RoomAction(
        "cycle_view",
        "Cycle view: both / original / translation",
        "Reading",
        keys="t",
        anywhere="ctrl+t",
        hint="view",
    ),
    RoomAction(
        "toggle_reader",
        "Reader language: English ⇄ 中文",
        "Reading",
        keys="l",
        anywhere="ctrl+l",
        hint="lang",
    ),
    RoomAction(
        "toggle_reference", "Human reference under machine translations", "Reading", keys="r"
    ),
    RoomAction(
        "search",
        "Search the log",
        "Reading",
        keys="slash",
        anywhere="ctrl+f",
        hint="search",
        hint_keys="/",
    ),
    RoomAction(
        "previous_message",
        "Previous (older) message",
        "Reading",
        keys="k",
        hint="move",
        hint_keys="j/k",
        on_log=True,
    ),
    RoomAction("next_message", "Next (newer) message", "Reading", keys="j", on_log=True),
    RoomAction(
        "first_message", "The first message of the session", "Reading", keys="home", on_log=True
    ),
    RoomAction(
        "newest",
        "Jump to the newest message and follow",
        "Reading",
        keys="n,end",
        anywhere="ctrl+n",
        hint="newest",
        on_log=True,
    ),
    # --- the app --------------------------------------------------------------------------
    RoomAction(
        "toggle_members",
        "Show / hide the member list",
        "App",
        keys="m",
        anywhere="ctrl+b",
        hint="members",
    ),
    RoomAction("toggle_dark", "Light / dark theme", "App", keys="d"),
    RoomAction(
        "help",
        "Help: keys and how the room works",
        "App",
        keys="question_mark",
        anywhere="f1",
        hint="help",
        hint_keys="?",
    ),
    RoomAction("quit", "Quit", "App", keys="q", anywhere="ctrl+q", hint="quit"),
]
"""The room's actions, in help-screen order."""

APP_ACTIONS = frozenset({"toggle_dark", "quit"})
"""Actions of the App (themes, quitting); every other one belongs to the room screen."""

PINNED_HINTS = ("help", "quit")
"""Actions the key bar keeps at its right edge, whatever else fits."""

WHERE = {
    "live": "a live room (rednote-sim demo)",
    "replay": "a replay (rednote-sim replay SESSION)",
    "workshop": "a workshop (rednote-sim workshop)",
}
"""Where an action that is missing here can be found (the toast of its key says so)."""


def action_keys(action: RoomAction) -> list[str]:
    """Every key of an action: keys mode and anywhere."""
    keys = (key.strip() for field in (action.keys, action.anywhere) for key in field.split(","))
    return [key for key in keys if key]


def actions_for(mode: Mode, actions: list[RoomAction] | None = None) -> list[RoomAction]:
    """The actions that exist in a mode."""
    return [a for a in (ROOM_ACTIONS if actions is None else actions) if mode in a.modes]


def key_label(key: str) -> str:
    """A Textual key name as people write it: ``ctrl+s`` → ``^s``, ``slash`` → ``/``."""
    names = {
        "space": "space",
        "plus": "+",
        "equals_sign": "=",
        "minus": "-",
        "slash": "/",
        "question_mark": "?",
        "greater_than_sign": ">",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "right_curly_bracket": "}",
        "escape": "esc",
        "enter": "enter",
        "up": "↑",
        "down": "↓",
        "home": "Home",
        "end": "End",
    }
    if key.startswith("ctrl+"):
        return "^" + key_label(key.removeprefix("ctrl+"))
    return names.get(key, key)


def keys_label(keys: str) -> str:
    """All keys of a binding, e.g. ``i, enter``."""
    return ", ".join(key_label(k.strip()) for k in keys.split(",") if k.strip())


def hints(
    mode: Mode, *, composer: bool, actions: list[RoomAction] | None = None
) -> list[tuple[str, str, str]]:
    """Key-bar entries ``(keys, label, action name)`` for a mode and focus.

    With the composer focused only ``anywhere`` keys work, so only those are listed.
    """
    entries: list[tuple[str, str, str]] = []
    if composer:
        entries.append(("enter", "send", ""))
    ordered = actions_for(mode, actions)
    # Stable: registry order otherwise.
    ordered.sort(key=lambda a: (a.hint_rank, mode == "live" and a.live_hint_late))
    for action in ordered:
        if not action.hint:
            continue
        if composer:
            if action.anywhere:
                entries.append((key_label(action.anywhere.split(",")[0]), action.hint, action.name))
        elif action.keys:
            keys = action.hint_keys or key_label(action.keys.split(",")[0])
            entries.append((keys, action.hint, action.name))
    if composer:
        # Right after "enter send, esc keys": the palette is the way to everything else.
        entries.insert(2, ("^p", "commands", ""))
    return entries
