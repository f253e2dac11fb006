"""The room app: themes, the command palette, worker failures and quitting.

Everything about the room itself (its widgets, playing it, its keys) is the
:class:`~rednote_sim.tui.screens.room.RoomScreen` the app starts with
(:meth:`RoomApp.get_default_screen`); dialogs open over it. The app keeps what
is the same in every room: the themes, the palette, the one handler of worker
failures and quitting (which waits for the room's writes).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
from collections.abc import Iterable, Sequence
from functools import partial

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from rednote_sim.errors import UserError
from rednote_sim.sim import VirtualClock
from rednote_sim.tui.actions import (
    APP_ACTIONS,
    ROOM_ACTIONS,
    Mode,
    RoomAction,
    action_string,
    actions_for,
    keys_label,
)
from rednote_sim.tui.host import RoomFeature
from rednote_sim.tui.screens.guest import GuestRoomScreen
from rednote_sim.tui.screens.live import LiveRoomScreen
from rednote_sim.tui.screens.replay import ReplayRoomScreen
from rednote_sim.tui.screens.room import WRITES, RoomLooks, RoomScreen, merge_actions
from rednote_sim.tui.source import GuestSource, RoomSource
from rednote_sim.tui.themes import DARK, LIGHT, THEMES, TONES_LIGHT

__all__ = ["WRITES", "RoomApp", "merge_actions"]

QUIT_WAIT = 3.0
"""Seconds quitting waits for writes under way."""

TEXTUAL_COMMANDS_LEFT_OUT = frozenset({"Quit", "Keys", "Maximize", "Minimize"})
"""Textual's palette commands the room does not offer (see ``get_system_commands``)."""


RoomScreens = LiveRoomScreen | ReplayRoomScreen | GuestRoomScreen
"""The kinds of room screen."""


def room_screen(
    mode: Mode,
    source: RoomSource,
    clock: VirtualClock,
    *,
    actions: Sequence[RoomAction],
    features: Sequence[RoomFeature] = (),
    looks: RoomLooks | None = None,
    elsewhere: Sequence[tuple[RoomAction, str]] = (),
) -> RoomScreens:
    """The screen of a live room, of a replay, or of a guest following a live room."""
    kind: type[RoomScreens]
    if isinstance(source, GuestSource):
        kind = GuestRoomScreen
    else:
        kind = LiveRoomScreen if mode == "live" else ReplayRoomScreen
    return kind(source, clock, actions=actions, features=features, looks=looks, elsewhere=elsewhere)


def _app_bindings() -> list[BindingType]:
    bindings: list[BindingType] = []
    for action in ROOM_ACTIONS:
        if action.name not in APP_ACTIONS:
            continue
        for keys in (action.keys, action.anywhere):
            if keys:
                bindings.append(Binding(keys, action.name, action.title, show=False))
    return bindings


STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
"""Signals that end the app as ``q`` does (exit code 128 + the signal's number)."""


class RoomApp(App[int]):
    """The "TikTok Refugees" room, live or in replay.

    Build it with :func:`rednote_sim.tui.make_app` (the CLI and the tests share it).

    Args:
        source: Opens the content, the store and the room (live scenario or replay).
        speed: Starting speed (``math.inf`` for max).
        idle_cap: A replay's idle-time cap (scenario seconds).
        actions: Extra room actions (workshop features) besides the registry's;
            one named like a built-in action replaces it (e.g. gives it a key).
        features: Added features (the workshop): their views follow the room's
            events and they open with the room.
        looks: Card extensions, starting view, badge, intro and help texts.
        elsewhere: Keys of actions that work in other kinds of room, and where.
    """

    CSS_PATH = "room.tcss"
    TITLE = "TikTok Refugees · TikTok难民"
    BINDINGS = _app_bindings()

    def __init__(
        self,
        source: RoomSource,
        *,
        speed: float = 1.0,
        idle_cap: float | None = 5.0,
        actions: Sequence[RoomAction] = (),
        features: Sequence[RoomFeature] = (),
        looks: RoomLooks | None = None,
        elsewhere: Sequence[tuple[RoomAction, str]] = (),
    ) -> None:
        super().__init__()
        self.source = source
        self.mode: Mode = source.request.mode
        self.room_features = list(features)
        """Added features (the workshop), for whoever needs to find them."""
        self.room_actions = merge_actions(actions)
        self.room_screen = room_screen(
            self.mode,
            source,
            VirtualClock(speed, idle_cap=idle_cap if self.mode == "replay" else None),
            actions=self.room_actions,
            features=self.room_features,
            looks=looks,
            elsewhere=elsewhere,
        )
        """The room, the bottom of the screen stack."""
        self.startup_error: UserError | None = None

    def get_default_screen(self) -> RoomScreens:
        """The room screen."""
        return self.room_screen

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The tone colours (``$tone-1`` …) for themes that do not set them (Textual's own)."""
        return {**super().get_theme_variable_defaults(), **TONES_LIGHT}

    def on_mount(self) -> None:
        """The RedNote themes, dark first; SIGTERM and SIGHUP end the app like ``q``."""
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = DARK.name
        self._handle_stop_signals()

    def _handle_stop_signals(self) -> None:
        # Without this a SIGTERM (kill, a service manager) or a SIGHUP (the terminal
        # window closed) ends Python at once: the terminal is left in the app's mode, and a
        # class host never says it finished, so its guests wait out the heartbeat. Exiting
        # through the app runs on_unmount: the room stops and the store closes.
        # (The web driver has its own SIGTERM handler; this one does the same.)
        loop = asyncio.get_running_loop()
        for signum in STOP_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self._stop_by_signal, signum)

    def _stop_by_signal(self, signum: int) -> None:
        self.exit(return_code=128 + signum)

    # --- worker failures ------------------------------------------------------------------

    @on(RoomScreen.WorkerFailed)
    def report_failure(self, event: RoomScreen.WorkerFailed) -> None:
        """The one place worker failures are handled."""
        worker, error = event.worker, event.worker.error
        if worker.name == "open_room" and isinstance(error, UserError):
            self.startup_error = error  # run_tui prints it like any CLI error (exit 2)
            self.exit(return_code=2)
            return
        if worker.name == "warm_up":
            self.room_screen.status.models = "models failed to load: human references only"
        self.notify(
            f"{type(error).__name__}: {error}",
            title=f"{worker.name} failed",
            severity="error",
            timeout=10,
        )

    async def on_unmount(self) -> None:
        """Stop the room and close the store (translations in flight land first)."""
        try:
            await self.source.aclose()
        finally:
            loop = asyncio.get_running_loop()
            for signum in STOP_SIGNALS:
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.remove_signal_handler(signum)
            gc.unfreeze()

    # --- the command palette --------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:  # type: ignore[type-arg]
        """Every room action of this mode (from the registry), then Textual's theme and screenshot.

        Textual's own Quit (the room has one), Keys (its key panel lists only
        shown bindings, and the room shows none there: ``?`` is the room's help)
        and Maximize (a maximized composer or log hides the room) are left out.
        """
        for action in actions_for(self.mode, self.room_actions):
            labels = (keys_label(action.keys), keys_label(action.anywhere))
            keys = " / ".join(k for k in labels if k)
            yield SystemCommand(
                action.title,
                f"{action.group} · key: {keys}" if keys else action.group,
                partial(self._run_room_action, action),
            )
        for command in super().get_system_commands(screen):
            if command.title not in TEXTUAL_COMMANDS_LEFT_OUT:
                yield command

    async def _run_room_action(self, action: RoomAction) -> None:
        target = self if action.name in APP_ACTIONS else self.room_screen
        await self.run_action(action_string(action), target)

    # --- the app's own actions ------------------------------------------------------------

    def action_toggle_dark(self) -> None:
        """d: switch between the light and dark RedNote themes."""
        self.theme = LIGHT.name if self.current_theme.dark else DARK.name

    async def action_quit(self) -> None:
        """q: leave (the session is already on disk; writes under way finish first)."""
        pending = [w for w in self.workers if w.group == WRITES and w.is_running]
        if pending:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    asyncio.gather(*(w.wait() for w in pending), return_exceptions=True),
                    QUIT_WAIT,
                )
        self.exit(return_code=0)

    # --- for run_tui ----------------------------------------------------------------------

    @property
    def session_id(self) -> str | None:
        """The session played (live: the new one), once the room is open."""
        return self.room_screen.session_id
