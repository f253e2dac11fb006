"""The room app: composes the room at once, opens everything else in workers.

Data flow (docs/ARCHITECTURE.md): the room commits each message to the store, then
publishes an event; :meth:`RoomApp.consume_events` drains ``room.events`` in an
async worker, batches what arrived together and updates the model and the
mounted cards. Opening the store and the room, playing the timeline and
warming up the translation models are workers too, so the first frame shows
before any of it and input never waits on them. Failures of any worker land in
one handler (:meth:`RoomApp.on_worker_state_changed`).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import inspect
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import replace
from functools import partial

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from rednote_sim.domain import USER_PERSONA_ID, Persona
from rednote_sim.domain.terms import format_time
from rednote_sim.errors import UserError
from rednote_sim.sim import LiveRoom, ReplayRoom, VirtualClock
from rednote_sim.sim.events import (
    RoomEvent,
)
from rednote_sim.sim.rooms import Ahead, user_persona
from rednote_sim.store.search import search_messages
from rednote_sim.textsafe import visible
from rednote_sim.tui.actions import (
    PINNED_HINTS,
    ROOM_ACTIONS,
    WHERE,
    Mode,
    RoomAction,
    action_keys,
    action_string,
    actions_for,
    hints,
    key_label,
    keys_label,
)
from rednote_sim.tui.feed import EVENT_BATCH, FLOOD, FRAME, Feed, Pending
from rednote_sim.tui.logmodel import LogModel
from rednote_sim.tui.render import CardRenderer, search_pattern
from rednote_sim.tui.screens.help import HelpScreen
from rednote_sim.tui.screens.seek import SeekScreen
from rednote_sim.tui.source import RoomSource, model_status
from rednote_sim.tui.themes import DARK, LIGHT, THEMES
from rednote_sim.tui.view import CardExtension, ViewOptions
from rednote_sim.tui.widgets.bars import ActivityBar, KeyBar
from rednote_sim.tui.widgets.chatlog import MAX_CARDS, ChatLog
from rednote_sim.tui.widgets.composer import Composer
from rednote_sim.tui.widgets.header import HeaderState, RoomHeader, StatusLine
from rednote_sim.tui.widgets.members import MemberList
from rednote_sim.tui.widgets.search import SearchBar

TICK = 0.25
"""Seconds between header/typing refreshes (the scenario clock runs continuously)."""

IDLE_CAPS: tuple[float | None, ...] = (None, 2.0, 5.0, 10.0, 30.0)
"""What ``c`` cycles the replay's idle-time cap through."""

MEMBERS_MIN_WIDTH = 100
"""Terminal columns from which the member list is shown at start."""

WRITES = "writes"
"""Worker group of the store writes added features make (quitting waits for them)."""

QUIT_WAIT = 3.0
"""Seconds quitting waits for writes under way."""

TEXTUAL_COMMANDS_LEFT_OUT = frozenset({"Quit", "Keys", "Maximize", "Minimize"})
"""Textual's palette commands the room does not offer (see ``get_system_commands``)."""

OpenHook = Callable[["RoomApp"], Awaitable[None]]
"""Run (as a worker) once the room is open: added features load their data with it."""


def merge_actions(extra: Sequence[RoomAction]) -> list[RoomAction]:
    """The registry plus ``extra``; an extra action named like a built-in one replaces it."""
    by_name = {action.name: action for action in extra}
    merged = [by_name.pop(action.name, action) for action in ROOM_ACTIONS]
    return merged + list(by_name.values())


def _bindings(actions: Iterable[RoomAction]) -> list[BindingType]:
    bindings: list[BindingType] = []
    for action in actions:
        if action.keys:
            bindings.append(Binding(action.keys, action_string(action), action.title, show=False))
        if action.anywhere:
            bindings.append(
                Binding(
                    action.anywhere,
                    action_string(action),
                    action.title,
                    show=False,
                    id=f"rednote.{action.name}",
                )
            )
    return bindings


def _intro(title: str, title_zh: str, description: str, how: str) -> Content:
    return Content("\n").join(
        [
            Content.styled("Welcome to the TikTok Refugees room · 欢迎来到TikTok难民群", "bold"),
            Content.assemble(
                (visible(title), "bold $text-primary"),
                "  ",
                (visible(title_zh), "$text-primary"),
            ),
            Content.styled(visible(description), "$text-muted"),
            Content.styled(how, "italic"),
        ]
    )


HOW_LIVE = (
    "Americans and Chinese chat here; each message is translated offline and labelled "
    "(machine: Argos, or human reference). Type below in English or 中文 to join. "
    "Esc → keys mode · ? help."
)
HOW_REPLAY = (
    "A recorded session, replayed with its stored translations. space pause · +/- speed · "
    "[ ] step · g go to · ? help."
)


class RoomApp(App[int]):
    """The "TikTok Refugees" room, live or in replay.

    Build it with :func:`rednote_sim.tui.make_app` (the CLI and the tests share it).

    Args:
        source: Opens the content, the store and the room (live scenario or replay).
        speed: Starting speed (``math.inf`` for max).
        idle_cap: A replay's idle-time cap (scenario seconds).
        actions: Extra room actions (workshop features) besides :data:`ROOM_ACTIONS`;
            one named like a built-in action replaces it (e.g. gives it a key).
        extensions: Extra card lines (pinyin…), shown when enabled in the view options.
        max_cards: Most cards mounted at once.
        view: The view options to start with (e.g. extensions enabled from the start).
        badge: The header's mode badge instead of LIVE (e.g. WORKSHOP); a replay
            always says REPLAY.
        how: The intro's "how it works" line instead of the default one.
        help_notes: A paragraph the help screen adds under the focus model.
        on_open: Hooks run as workers once the room is open (features load their data).
    """

    CSS_PATH = "room.tcss"
    TITLE = "TikTok Refugees · TikTok难民"
    BINDINGS = _bindings(ROOM_ACTIONS)

    def __init__(
        self,
        source: RoomSource,
        *,
        speed: float = 1.0,
        idle_cap: float | None = 5.0,
        actions: Sequence[RoomAction] = (),
        extensions: Sequence[CardExtension] = (),
        max_cards: int = MAX_CARDS,
        view: ViewOptions | None = None,
        badge: str | None = None,
        how: str | None = None,
        help_notes: str = "",
        on_open: Sequence[OpenHook] = (),
        elsewhere: Sequence[tuple[RoomAction, str]] = (),
    ) -> None:
        super().__init__()
        self.source = source
        self.mode: Mode = source.request.mode
        self.clock = VirtualClock(speed, idle_cap=idle_cap if self.mode == "replay" else None)
        self.model = LogModel()
        self.renderer = CardRenderer(self.model, {}, extensions)
        if view is not None:
            self.renderer.options = view
        self.room_actions = merge_actions(actions)
        for extra in actions:
            for keys in (extra.keys, extra.anywhere):
                if keys:
                    self.bind(keys, action_string(extra), description=extra.title, show=False)
        self.elsewhere = self._explained_keys(elsewhere)
        """Keys that do something in another kind of room: they say so here."""
        self.badge = badge
        self.how = how
        self.help_notes = help_notes
        self.on_open = list(on_open)
        self.room_features: list[object] = []
        """Objects of added features (the workshop), for whoever needs to find them."""
        self.projector = False
        self._members_shown = True
        self.max_cards = max_cards
        self.room: LiveRoom | ReplayRoom | None = None
        self.startup_error: UserError | None = None
        self.finished = False
        self.models_ready = False
        self.member_count = 0
        self._matches: list[int] = []
        self._matches_for: str | None = None
        """The query ``_matches`` belong to (None while a search is under way)."""
        self._match_index: int | None = None
        self._search_steps: list[int] = []
        """Match steps asked for before the search finished."""
        self._build_widgets()

    def _explained_keys(
        self, elsewhere: Sequence[tuple[RoomAction, str]]
    ) -> dict[str, tuple[RoomAction, str]]:
        """Bind the keys of actions that exist only in other rooms to a toast saying where."""
        mine = actions_for(self.mode, self.room_actions)
        # Esc closes things everywhere: it never answers with a toast.
        used = {key for action in mine for key in action_keys(action)} | {"escape"}
        others = [
            (action, WHERE["live" if "live" in action.modes else "replay"])
            for action in self.room_actions
            if self.mode not in action.modes
        ]
        explained: dict[str, tuple[RoomAction, str]] = {}
        for action, where in [*others, *elsewhere]:
            for key in action_keys(action):
                if key not in used and key not in explained:
                    explained[key] = (action, where)
                    self.bind(key, f"explain({key!r})", show=False)
        return explained

    def action_explain(self, key: str) -> None:
        """A key of another kind of room: say what it does and where."""
        action, where = self.elsewhere[key]
        self.notify(f"{key_label(key)} — {action.title}: only in {where}.", title="Not here")

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> Iterable[Widget]:
        """The whole room, before anything is loaded (the first frame comes at once)."""
        yield self.header_bar
        yield self.status
        with Horizontal(id="main"):
            with Vertical(id="room"):
                yield self.search_bar
                yield self.log_view
                yield self.activity
            yield self.members
        if self.composer is not None:
            yield self.composer
        yield self.key_bar

    def _build_widgets(self) -> None:
        # Kept as attributes, not queried: App.query_one looks at the *active*
        # screen, which is the help or seek dialog while one is open.
        self.header_bar = RoomHeader(id="header")
        self.status = StatusLine(id="status")
        self.search_bar = SearchBar(id="search")
        self.search_bar.display = False
        self.intro = Static(Content.styled("Opening the room…", "italic"), id="intro")
        self.log_view = ChatLog(
            self.model, self.renderer, intro=self.intro, max_cards=self.max_cards, id="log"
        )
        self.activity = ActivityBar(id="activity")
        self.members = MemberList(id="members")
        self.feed = Feed(self.model, self.members)
        self.composer = Composer(id="composer") if self.mode == "live" else None
        self.key_bar = KeyBar(id="keys")

    def on_mount(self) -> None:
        """Theme, focus, timers; then open the room in a worker."""
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = DARK.name
        self.members.display = self.size.width >= MEMBERS_MIN_WIDTH
        self.activity.set_unseen(0)
        if self.composer is not None:
            self.composer.focus()
        else:
            self.log_view.focus()
        self.watch(self.screen, "focused", self._update_keys)
        self.watch(self.log_view, "unseen", self._update_unseen)
        self._tick()
        self.set_interval(TICK, self._tick)
        self.open_room()

    # --- workers --------------------------------------------------------------------------

    @work(exclusive=True, group="room", exit_on_error=False, name="open_room")
    async def open_room(self) -> None:
        """Open content, store and room; then start playing and listening."""
        room = await self.source.open(self.clock)
        self.room = room
        if isinstance(room, ReplayRoom):
            # A recording is loaded at once and lives as long as the room. Keep it out
            # of the cyclic garbage collector: each of its full passes over a
            # 50,000-message recording (about a million objects) stalls the screen
            # for a second. (on_unmount hands it back.)
            gc.freeze()
        cast = self.source.cast
        assert cast is not None
        personas: dict[str, Persona] = dict(cast.personas)
        personas[USER_PERSONA_ID] = user_persona("en")
        if isinstance(room, ReplayRoom) and room.participants:
            # An imported chat: its own people, not the cast.
            personas.update(room.participants)
            members = list(room.participants.values())
        else:
            members = list(cast.personas.values())
            # You are a member of a live room, and of a recording you posted in.
            if isinstance(room, LiveRoom) or any(
                m.persona == USER_PERSONA_ID for m in room.recorded
            ):
                members.append(personas[USER_PERSONA_ID])
        self.renderer.personas = personas
        self.members.set_members(members)
        self.member_count = len(members)
        intro = self.intro
        if isinstance(room, LiveRoom):
            scenario = room.scenario
            self.status.scenario = visible(scenario.title)
            how = self.how or HOW_LIVE
            intro.update(_intro(scenario.title, scenario.title_zh, scenario.description, how))
            # The first has_model() lists the models dir: disk work, off the loop.
            self.status.models = await asyncio.to_thread(
                model_status, self.source.translator, loading=True
            )
            self.warm_up()
        else:
            session = room.session
            scenario_meta = cast.scenarios.get(session.scenario)
            title = session.title or (scenario_meta.title if scenario_meta else session.scenario)
            self.status.scenario = f"{visible(title)} · session {visible(session.id)}"
            intro.update(
                _intro(
                    title,
                    scenario_meta.title_zh if scenario_meta else "",
                    scenario_meta.description if scenario_meta else session.provenance,
                    HOW_REPLAY if self.how is None else f"{HOW_REPLAY} {self.how}",
                )
            )
            self.status.models = "stored translations"
            self._show_idle_cap()
        self.consume_events()
        self.run_worker(room.run(keep_open=True), name="play", group="play", exit_on_error=False)
        for hook in self.on_open:
            name = getattr(hook, "__name__", "feature")
            self.run_worker(hook(self), name=name, group="features", exit_on_error=False)
        self._tick()

    @work(exclusive=True, group="models", exit_on_error=False, name="warm_up")
    async def warm_up(self) -> None:
        """Load the translation models in the background (the service uses a thread)."""
        await self.source.warm_up()
        self.models_ready = True
        self.status.models = model_status(self.source.translator, loading=False)

    @work(exclusive=True, group="events", exit_on_error=False, name="events")
    async def consume_events(self) -> None:
        """Apply the room's events as they come (see :mod:`rednote_sim.tui.feed`).

        The model takes every event at once. The cards follow at once too,
        unless more than :data:`FLOOD` new messages came together (speed max):
        then they are updated at most every :data:`FRAME` seconds (and never
        for longer than the room gets to play), and when the flood stops.
        """
        room = self.room
        assert room is not None
        queue, feed = room.events, self.feed
        loop = asyncio.get_running_loop()
        next_show = loop.time()

        async def show() -> None:
            nonlocal next_show
            started = loop.time()
            await self._show(feed.flush())
            # The room gets its turn: at least twice as long as the update took.
            done = loop.time()
            next_show = done + max(FRAME, 2 * (done - started))

        while True:
            if feed.pending:  # held back (a flood): take more until it is time to show
                wait = next_show - loop.time()
                try:
                    if wait <= 0:
                        raise TimeoutError
                    first = await asyncio.wait_for(queue.get(), wait)
                except TimeoutError:
                    await show()
                    continue
            else:
                first = await queue.get()
            batch: list[RoomEvent] = [first]
            while len(batch) < EVENT_BATCH and not queue.empty():
                batch.append(queue.get_nowait())
            feed.take(batch)
            self._update_typing()
            if feed.pending.new <= FLOOD or loop.time() >= next_show:
                await show()  # a few new messages (every normal moment) show at once

    async def _show(self, pending: Pending) -> None:
        """Bring the cards, the header and the status line up to date with the model."""
        log = self.log_view
        if pending.reset:
            await log.reset()
        elif pending.new:
            await log.append(pending.new)
        log.refresh_cards(pending.changed)
        if pending.finished is not None:
            self.finished = pending.finished
            if pending.finished:
                self.status.note = (
                    "script ended · chat on"
                    if self.mode == "live"
                    else "end of the recording · space plays it again"
                )
            elif self.mode == "replay":
                self._show_idle_cap()
        self._tick()  # the header's clock and the typing line follow the events, not the timer

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker failures are handled."""
        if event.state != WorkerState.ERROR:
            return
        worker, error = event.worker, event.worker.error
        if worker.name == "open_room" and isinstance(error, UserError):
            self.startup_error = error  # run_tui prints it like any CLI error (exit 2)
            self.exit(return_code=2)
            return
        if worker.name == "warm_up":
            self.status.models = "models failed to load: human references only"
        self.notify(
            f"{type(error).__name__}: {error}",
            title=f"{worker.name} failed",
            severity="error",
            timeout=10,
        )

    async def on_unmount(self) -> None:
        """Stop the room and close the store (translations in flight land first)."""
        await self.source.aclose()
        gc.unfreeze()

    # --- periodic refresh -----------------------------------------------------------------

    def _tick(self) -> None:
        clock = self.clock
        room = self.room
        duration = room.length if isinstance(room, ReplayRoom) else None
        self.header_bar.state = HeaderState(
            members=self.member_count,
            mode=(self.badge or "LIVE") if self.mode == "live" else "REPLAY",
            paused=clock.paused,
            speed=clock.speed,
            now=clock.now(),
            duration=duration,
            ended=self.ended,
            view=self.renderer.describe(),
            badges=self.renderer.badges(),
            compact=self.projector,
        )
        self.members.expire(clock.now())
        self._update_typing()

    def refresh_status(self) -> None:
        """Redraw the header now (after pausing or resuming from outside the room's keys)."""
        self._tick()

    def _update_typing(self) -> None:
        self.activity.set_typing(self.members.typing_names)

    def _update_unseen(self, count: int) -> None:
        self.activity.set_unseen(count)

    def _update_keys(self, focused: Widget | None = None) -> None:
        composer = isinstance(focused, Composer)
        entries = [
            (keys, label)
            for keys, label, name in hints(self.mode, composer=composer, actions=self.room_actions)
            if name not in PINNED_HINTS
        ]
        pinned = []
        for action in self.room_actions:
            if action.name in PINNED_HINTS:
                keys = action.anywhere if composer else action.keys
                pinned.append((key_label(keys.split(",")[0]), action.hint))
        self.key_bar.show(entries, pinned)

    def _show_idle_cap(self) -> None:
        cap = self.clock.idle_cap
        self.status.note = f"idle cap {cap:g}s" if cap else "idle cap off"

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
                partial(self.run_action, action_string(action)),
            )
        for command in super().get_system_commands(screen):
            if command.title not in TEXTUAL_COMMANDS_LEFT_OUT:
                yield command

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Room actions exist only in their modes (a replay has no composer)."""
        name = parameters[0] if action == "room_action" and parameters else action
        for room_action in self.room_actions:
            if room_action.name == name:
                return self.mode in room_action.modes
        return True

    async def action_room_action(self, name: str) -> None:
        """Run an action another feature registered (``RoomAction.run``)."""
        for room_action in self.room_actions:
            if room_action.name == name and room_action.run is not None:
                result = room_action.run(self)
                if inspect.isawaitable(result):
                    await result
                return

    # --- actions: focus -------------------------------------------------------------------

    def action_focus_log(self) -> None:
        """Esc: keys mode."""
        self.log_view.focus()

    def action_focus_composer(self) -> None:
        """Back to typing (i or Enter in keys mode)."""
        if self.composer is not None:
            self.composer.focus()

    @on(Composer.Sent)
    async def _said(self, event: Composer.Sent) -> None:
        room = self.room
        if not isinstance(room, LiveRoom):
            self.notify("The room is still opening; try again in a moment.")
            return
        await self.log_view.newest()  # you see your own message arrive
        await room.say(event.text)

    # --- actions: playback ----------------------------------------------------------------

    @property
    def ended(self) -> bool:
        """True when a replay has played to its end (its clock stopped at the length)."""
        return self.finished and isinstance(self.room, ReplayRoom)

    def action_toggle_pause(self) -> None:
        """space: pause / resume the scenario clock; at the end of a replay, play it again."""
        room = self.room
        if isinstance(room, ReplayRoom) and self.ended:
            room.restart()
        else:
            self.clock.toggle()
        self._tick()

    def action_faster(self) -> None:
        """+: up the speed ladder."""
        self.clock.faster()
        self._tick()

    def action_slower(self) -> None:
        """-: down the speed ladder."""
        self.clock.slower()
        self._tick()

    def action_step_forward(self) -> None:
        """]: play the next message now (works while paused)."""
        if self.room is not None and self.room.step_forward() is None:
            self.notify("No more messages ahead.")
        self._tick()

    def action_step_back(self) -> None:
        """[: un-show the last message (replay; pauses)."""
        room = self.room
        if isinstance(room, ReplayRoom) and not room.step_back():
            self.notify("Already at the start.")
        self._tick()

    def action_seek_time(self) -> None:
        """g: ask for a time and jump there (replay)."""
        room = self.room
        if not isinstance(room, ReplayRoom):
            return
        duration = room.length

        def jump(seconds: float | None) -> None:
            if seconds is not None:
                room.seek(seconds)
                self._tick()

        self.push_screen(SeekScreen(format_time(self.clock.now()), format_time(duration)), jump)

    def action_seek_next(self) -> None:
        """>: jump to the next chapter marker."""
        self._jump("marker")

    def action_seek_reply(self) -> None:
        """}: jump to the next reply."""
        self._jump("reply")

    def _jump(self, what: Ahead) -> None:
        room = self.room
        if room is not None and room.jump_to_next(what) is None:
            self.notify(f"No {what} ahead.")
        self._tick()

    def action_cycle_idle_cap(self) -> None:
        """c: the replay's idle-time cap (off, 2, 5, 10, 30 s)."""
        caps = IDLE_CAPS
        current = self.clock.idle_cap
        index = caps.index(current) if current in caps else 0
        self.clock.idle_cap = caps[(index + 1) % len(caps)]
        self.clock.nudge()  # a wait already under way re-checks with the new cap
        self._show_idle_cap()

    async def action_add_marker(self) -> None:
        """Drop a marker at the current time (a replay can seek to it)."""
        if isinstance(self.room, LiveRoom):
            await self.room.add_marker(f"Marker at {format_time(self.clock.now())}")

    # --- actions: reading -----------------------------------------------------------------

    def set_view(self, options: ViewOptions) -> None:
        """Re-render the cards with new view options (features toggle their extras with this)."""
        self.renderer.options = options
        self._tick()
        self.log_view.refresh_cards()

    def action_cycle_view(self) -> None:
        """t: both / original / translation."""
        self.set_view(self.renderer.options.next_mode())

    def action_toggle_reader(self) -> None:
        """l: English reader ⇄ 中文读者."""
        self.set_view(self.renderer.options.other_reader())

    def action_toggle_reference(self) -> None:
        """r: human reference under machine translations."""
        options = self.renderer.options
        self.set_view(replace(options, show_reference=not options.show_reference))

    def action_search(self) -> None:
        """/: open the search bar."""
        self.search_bar.open()

    @on(Input.Changed, "#search-input")
    def _search_changed(self, event: Input.Changed) -> None:
        self._matches, self._matches_for, self._match_index = [], None, None
        self.renderer.search = search_pattern(event.value)
        self.log_view.refresh_cards()
        self.search_bar.set_count(None, 0, searching=bool(event.value.strip()))
        self.find_matches(event.value)

    @work(exclusive=True, group="search", exit_on_error=False, name="search")
    async def find_matches(self, query: str) -> None:
        """Search the whole session in the store (a worker: the screen never waits)."""
        store, session = self.source.store, self.session_id
        found = await search_messages(store, session, query) if store and session else []
        if query != self.search_bar.query_text:
            return  # typed on meanwhile: that search is on its way
        model = self.model
        self._matches = [seq for seq in found if seq in model]  # a replay: what has played
        self._matches_for = query
        self.search_bar.set_count(None, len(self._matches))
        steps, self._search_steps = self._search_steps, []
        for delta in steps:  # Enter/↑/↓ pressed before the matches were in
            await self._step_match(delta)

    @property
    def search_matches(self) -> list[int] | None:
        """The seqs the current search found, oldest first; None while it runs."""
        if self._matches_for != self.search_bar.query_text:
            return None
        return list(self._matches)

    @on(SearchBar.Step)
    async def _search_step(self, event: SearchBar.Step) -> None:
        if self._matches_for != self.search_bar.query_text:
            self._search_steps.append(event.delta)  # taken once the search is done
            return
        await self._step_match(event.delta)

    async def _step_match(self, delta: int) -> None:
        matches = self._matches
        if not matches:
            return
        index = self._match_index
        # The newest match first, then older (or newer) ones.
        index = len(matches) - 1 if index is None else max(0, min(len(matches) - 1, index + delta))
        self._match_index = index
        self.search_bar.set_count(index, len(matches))
        self.log_view.selected = matches[index]
        await self.log_view.show(matches[index])

    @on(SearchBar.Closed)
    def _search_closed(self) -> None:
        self.renderer.search = None
        self.log_view.refresh_cards()
        self.log_view.focus()

    async def action_previous_message(self) -> None:
        """k: select the previous (older) message."""
        await self.log_view.move(-1)

    async def action_next_message(self) -> None:
        """j: select the next (newer) message."""
        await self.log_view.move(1)

    async def action_first_message(self) -> None:
        """Home: the first message of the session (not of the mounted window)."""
        await self.log_view.first()

    async def action_newest(self) -> None:
        """n: jump to the newest message and follow again."""
        await self.log_view.newest()

    @on(ActivityBar.JumpToNewest)
    async def _jump_to_newest(self) -> None:
        await self.log_view.newest()

    # --- actions: app ---------------------------------------------------------------------

    def action_toggle_members(self) -> None:
        """m: show / hide the member list."""
        self.members.display = not self.members.display

    def set_projector(self, on: bool) -> None:
        """The projector layout (for a large font) on or off.

        No member list and no status line, card headers without handles, more
        space between cards.
        """
        if on == self.projector:
            return
        self.projector = on
        if on:
            self._members_shown = self.members.display
        self.members.display = False if on else self._members_shown
        self.status.display = not on
        self.log_view.set_class(on, "-projector")
        self.set_view(replace(self.renderer.options, quiet=on))

    def action_toggle_dark(self) -> None:
        """d: switch between the light and dark RedNote themes."""
        self.theme = LIGHT.name if self.current_theme.dark else DARK.name

    def action_help(self) -> None:
        """?: the help screen."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.mode, self.room_actions, notes=self.help_notes))

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
        return self.room.session.id if self.room else None

    async def wait_idle(self, timeout: float = 30.0) -> None:
        """Wait until the room finished and every translation landed (tests, demos)."""

        async def settled() -> None:
            while not (
                self.finished
                and self.room is not None
                and self.room.events.empty()
                and not self.feed.pending
                and all(m.translated for m in self.model.messages.values())
            ):
                await asyncio.sleep(0.02)

        await asyncio.wait_for(settled(), timeout)
