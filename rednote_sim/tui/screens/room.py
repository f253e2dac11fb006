"""The room screen: one room on screen, live or in replay, and everything it shows.

Data flow (``docs/ARCHITECTURE.md``): the room commits each change of the
session to the store, then publishes an event; :meth:`RoomScreen.consume_events`
drains ``room.events`` in a worker, the :class:`~rednote_sim.tui.feed.Feed`
applies them to the model and to the features' views, and the screen brings
the mounted cards up to date. Opening the room, warming up the translation
models and searching are workers too; each posts a message when it is done and
a handler named after what it does takes it from there (the first frame shows
before any of it and input never waits on them). A worker that fails is
reported to the App, which has the one failure handler.

:class:`~rednote_sim.tui.screens.live.LiveRoomScreen` and
:class:`~rednote_sim.tui.screens.replay.ReplayRoomScreen` are the two kinds of
room; what differs between them lives in them, not in branches of this class.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Generic, TypeVar

from textual import on, work
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message as TextualMessage
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from rednote_sim.domain import USER_PERSONA_ID, Message, Persona
from rednote_sim.sim import FollowRoom, LiveRoom, ReplayRoom, Room, VirtualClock
from rednote_sim.sim.events import RoomEvent
from rednote_sim.sim.rooms import Ahead, user_persona
from rednote_sim.store.search import search_messages
from rednote_sim.textsafe import visible
from rednote_sim.tui.actions import (
    APP_ACTIONS,
    PINNED_HINTS,
    WHERE,
    Mode,
    RoomAction,
    action_keys,
    action_string,
    actions_for,
    hints,
    key_label,
)
from rednote_sim.tui.feed import EVENT_BATCH, FLOOD, FRAME, Feed, Pending
from rednote_sim.tui.host import EventView, GuestLine, Job, ResultT, RoomFeature, TapFeature
from rednote_sim.tui.logmodel import LogModel
from rednote_sim.tui.render import CardRenderer, search_pattern
from rednote_sim.tui.screens.help import HelpScreen
from rednote_sim.tui.source import RoomSource, model_status
from rednote_sim.tui.view import CardExtension, ViewOptions
from rednote_sim.tui.widgets.bars import ActivityBar, KeyBar
from rednote_sim.tui.widgets.card import MessageCard
from rednote_sim.tui.widgets.chatlog import MAX_CARDS, ChatLog
from rednote_sim.tui.widgets.composer import Composer
from rednote_sim.tui.widgets.header import HeaderState, RoomHeader, StatusLine
from rednote_sim.tui.widgets.members import MemberList
from rednote_sim.tui.widgets.search import SearchBar

TICK = 0.25
"""Seconds between header/typing refreshes (the scenario clock runs continuously)."""

MEMBERS_MIN_WIDTH = 100
"""Terminal columns from which the member list is shown at start."""

WRITES = "writes"
"""Worker group of the store writes added features make (quitting waits for them)."""


RoomT = TypeVar("RoomT", LiveRoom, ReplayRoom, FollowRoom)


def merge_actions(extra: Sequence[RoomAction]) -> list[RoomAction]:
    """The registry plus ``extra``; an extra action named like a built-in one replaces it."""
    from rednote_sim.tui.actions import ROOM_ACTIONS

    by_name = {action.name: action for action in extra}
    merged = [by_name.pop(action.name, action) for action in ROOM_ACTIONS]
    return merged + list(by_name.values())


def room_bindings(actions: Iterable[RoomAction]) -> list[BindingType]:
    """The screen's bindings: every room action's keys, except the App's and the log's own.

    The chat log binds the keys of its actions itself (``j``, ``k``, ``n``…: they
    act while it has focus); their ``anywhere`` keys stay here.
    """
    bindings: list[BindingType] = []
    for action in actions:
        if action.name in APP_ACTIONS:
            continue
        if action.keys and not action.on_log:
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


def intro_content(title: str, title_zh: str, description: str, how: str) -> Content:
    """The intro above the first message: the welcome, the title, what it is, how it works."""
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


@dataclass(frozen=True)
class RoomLooks:
    """How the room presents itself, besides what it plays.

    Attributes:
        extensions: Extra card lines (pinyin…), shown when enabled in the view options.
        max_cards: Most cards mounted at once.
        view: The view options to start with (e.g. extensions enabled from the start).
        badge: The header's mode badge instead of LIVE (e.g. WORKSHOP); a replay
            always says REPLAY.
        how: The intro's "how it works" line instead of the default one.
        help_notes: A paragraph the help screen adds under the focus model.
    """

    extensions: Sequence[CardExtension] = ()
    max_cards: int = MAX_CARDS
    view: ViewOptions | None = None
    badge: str | None = None
    how: str | None = None
    help_notes: str = ""


class RoomScreen(Screen[None], Generic[RoomT]):
    """The "TikTok Refugees" room on screen (a :class:`~rednote_sim.tui.host.RoomHost`).

    The App builds the live or the replay one (``tui/app.py`` ``room_screen``).

    Args:
        source: Opens the content, the store and the room.
        clock: The room's clock.
        actions: The room's actions (the registry merged with the features' ones).
        features: Added features (the workshop): their views follow the events,
            they open with the room.
        looks: Card extensions, starting view, badge, intro and help texts.
        elsewhere: Keys of actions of other kinds of room, and where they work.
    """

    mode: ClassVar[Mode]

    class RoomOpened(TextualMessage):
        """The open_room worker has the room (not playing yet)."""

        def __init__(self, room: Room) -> None:
            super().__init__()
            self.room = room

    class ModelsWarm(TextualMessage):
        """The warm_up worker loaded the translation models."""

    class MatchesFound(TextualMessage):
        """The search worker has the seqs that match ``query`` (oldest first)."""

        def __init__(self, query: str, seqs: list[int]) -> None:
            super().__init__()
            self.query = query
            self.seqs = seqs

    class StatusStale(TextualMessage):
        """The header and typing line must follow the model (a flood merges these)."""

        def can_replace(self, message: TextualMessage) -> bool:  # noqa: D102
            return isinstance(message, RoomScreen.StatusStale)

    class WorkerFailed(TextualMessage, bubble=True):
        """A worker of the room failed (the App reports it)."""

        def __init__(self, worker: Worker[Any]) -> None:
            super().__init__()
            self.worker = worker

    def __init__(
        self,
        source: RoomSource,
        clock: VirtualClock,
        *,
        actions: Sequence[RoomAction],
        features: Sequence[RoomFeature] = (),
        looks: RoomLooks | None = None,
        elsewhere: Sequence[tuple[RoomAction, str]] = (),
    ) -> None:
        super().__init__(id="room-screen")
        self.source = source
        self.clock = clock
        self.room_actions = list(actions)
        self.features = list(features)
        self.looks = looks = looks or RoomLooks()
        self.model = LogModel()
        self.renderer = CardRenderer(self.model, {}, looks.extensions)
        if looks.view is not None:
            self.renderer.options = looks.view
        # The keys come from the actions this room has (the features' ones too).
        self._bindings = BindingsMap.merge(
            [self._bindings, BindingsMap(room_bindings(self.room_actions))]
        )
        self.elsewhere = self._explained_keys(elsewhere)
        """Keys that do something in another kind of room: they say so here."""
        self.room: RoomT | None = None
        self.finished = False
        self.models_ready = False
        self.member_count = 0
        self._cast_count = 0
        self._projector = False
        self._members_shown = True
        self._matches: list[int] = []
        self._matches_for: str | None = None
        """The query ``_matches`` belong to (None while a search is under way)."""
        self._match_index: int | None = None
        self._search_steps: list[int] = []
        """Match steps asked for before the search finished."""

    def _explained_keys(
        self, elsewhere: Sequence[tuple[RoomAction, str]]
    ) -> dict[str, tuple[RoomAction, str]]:
        """Bind the keys of actions that exist only in other rooms to a toast saying where."""
        mine = actions_for(self.mode, self.room_actions)
        # Esc closes things everywhere: it never answers with a toast.
        used = {key for action in mine for key in action_keys(action)} | {"escape"}
        others: list[tuple[RoomAction, str]] = [
            (action, WHERE["live" if "live" in action.modes else "replay"])
            for action in self.room_actions
            if self.mode not in action.modes
        ]
        explained: dict[str, tuple[RoomAction, str]] = {}
        for action, where in [*others, *elsewhere]:
            for key in action_keys(action):
                if key not in used and key not in explained:
                    explained[key] = (action, where)
                    self._bindings.bind(key, f"explain({key!r})", show=False)
        return explained

    def action_explain(self, key: str) -> None:
        """A key of another kind of room: say what it does and where."""
        action, where = self.elsewhere[key]
        self.notify(f"{key_label(key)} — {action.title}: only in {where}.", title="Not here")

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> Iterable[Widget]:
        """The whole room, before anything is loaded (the first frame comes at once)."""
        self.header_bar = RoomHeader(id="header")
        self.status = StatusLine(id="status")
        self.search_bar = SearchBar(id="search")
        self.search_bar.display = False
        self.intro = Static(Content.styled("Opening the room…", "italic"), id="intro")
        self.log_view = ChatLog(
            self.model,
            self.renderer,
            intro=self.intro,
            max_cards=self.looks.max_cards,
            id="log",
        )
        self.activity = ActivityBar(id="activity")
        self.members = MemberList(id="members")
        views = [*self.own_views(), *(view for f in self.features for view in f.views())]
        self.feed = Feed(self.model, self.members, views)
        self.key_bar = KeyBar(id="keys")
        yield self.header_bar
        yield self.status
        with Horizontal(id="main"):
            with Vertical(id="room"):
                yield self.search_bar
                yield self.log_view
                yield self.activity
            yield self.members
        yield from self.compose_input()
        yield self.key_bar

    def own_views(self) -> Sequence[EventView]:
        """What of the screen itself follows the events the model does not take (a guest's)."""
        return ()

    def compose_input(self) -> Iterable[Widget]:
        """What the reader types into, under the room (a replay has nothing)."""
        return ()

    def on_mount(self) -> None:
        """Focus, timers; then open the room in a worker."""
        self.members.display = self.app.size.width >= MEMBERS_MIN_WIDTH
        self.activity.set_unseen(0)
        self.focus_start()
        self.watch(self, "focused", self._update_keys)
        self.watch(self.log_view, "unseen", self._update_unseen)
        self._tick()
        self.set_interval(TICK, self._tick)
        self.start()

    def start(self) -> None:
        """Open the room (a guest's screen asks for a name first)."""
        self.open_room()

    def focus_start(self) -> None:
        """Where focus starts (a replay: the log)."""
        self.log_view.focus()

    # --- opening --------------------------------------------------------------------------

    @work(exclusive=True, group="room", exit_on_error=False, name="open_room")
    async def open_room(self) -> None:
        """Open content, store and room (the screen takes it from there: :meth:`show_room`)."""
        self.post_message(self.RoomOpened(await self.source.open(self.clock)))

    @on(RoomOpened)
    async def show_room(self, event: RoomOpened) -> None:
        """Show who is here and what plays, then start playing and listening."""
        room = self.accept(event.room)
        cast = self.source.cast
        assert cast is not None
        personas: dict[str, Persona] = dict(cast.personas)
        personas[USER_PERSONA_ID] = user_persona("en")
        self.renderer.personas = personas | self.own_people(room)
        members = self.members_of(room, personas)
        self.members.set_members(members)
        self.member_count = self._cast_count = len(members)
        self.introduce(room)
        self.room = room
        self.consume_events()
        self.run_worker(room.run(keep_open=True), name="play", group="play", exit_on_error=False)
        for feature in self.features:
            name = type(feature).__name__.lower()
            self.run_worker(
                feature.open(self, room, cast, self.source.translator),
                name=name,
                group="features",
                exit_on_error=False,
            )
        self._tick()

    def accept(self, room: Room) -> RoomT:
        """The opened room, as this screen's kind of room."""
        raise NotImplementedError

    def own_people(self, room: RoomT) -> dict[str, Persona]:
        """People the session brings along (an imported chat's), by id."""
        return {}

    def members_of(self, room: RoomT, personas: dict[str, Persona]) -> list[Persona]:
        """The member list."""
        raise NotImplementedError

    def introduce(self, room: RoomT) -> None:
        """The intro above the first message and the status line."""
        raise NotImplementedError

    # --- workers and their messages -------------------------------------------------------

    @work(exclusive=True, group="models", exit_on_error=False, name="warm_up")
    async def warm_up(self) -> None:
        """Load the translation models in the background (the service uses a thread)."""
        # The first has_model() lists the models dir: disk work, off the loop.
        translator = self.source.translator
        self.status.models = await asyncio.to_thread(model_status, translator, loading=True)
        await self.source.warm_up()
        self.post_message(self.ModelsWarm())

    @on(ModelsWarm)
    def show_models_ready(self) -> None:
        """The status line says the models are in."""
        self.models_ready = True
        self.status.models = model_status(self.source.translator, loading=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Hand a failed worker to the App (its handler reports every failure)."""
        if event.state == WorkerState.ERROR:
            self.post_message(self.WorkerFailed(event.worker))

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
            self.show_finished(pending.finished)
        # The header's clock and the typing line follow the events, not the timer.
        self.post_message(self.StatusStale())

    def show_finished(self, finished: bool) -> None:
        """The status line at the end (True) or after a seek took the room back (False)."""
        raise NotImplementedError

    @on(StatusStale)
    def refresh_status(self) -> None:
        """Redraw the header and the typing line now."""
        self._tick()

    # --- periodic refresh -----------------------------------------------------------------

    def header_state(self) -> HeaderState:
        """What the header shows now."""
        clock = self.clock
        return HeaderState(
            members=self.member_count,
            mode=self.looks.badge or "LIVE",
            paused=clock.paused,
            speed=clock.speed,
            now=clock.now(),
            view=self.renderer.describe(),
            badges=self.renderer.badges(),
            compact=self._projector,
        )

    def _tick(self) -> None:
        if not self.is_mounted:
            return
        self.header_bar.state = self.header_state()
        self.members.expire(self.clock.now())
        self._update_typing()

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

    # --- actions --------------------------------------------------------------------------

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

    def action_focus_log(self) -> None:
        """Esc: keys mode."""
        self.log_view.focus()

    def action_toggle_pause(self) -> None:
        """space: pause / resume the scenario clock."""
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

    # --- reading --------------------------------------------------------------------------

    @property
    def options(self) -> ViewOptions:
        """The view options in force."""
        return self.renderer.options

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
        self.post_message(self.MatchesFound(query, found))

    @on(MatchesFound)
    async def show_matches(self, event: MatchesFound) -> None:
        """Count the matches in the search bar; take the steps asked for meanwhile."""
        if event.query != self.search_bar.query_text:
            return  # typed on meanwhile: that search is on its way
        model = self.model
        self._matches = [seq for seq in event.seqs if seq in model]  # a replay: what has played
        self._matches_for = event.query
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
        await self.go_to(matches[index])

    @on(SearchBar.Closed)
    def _search_closed(self) -> None:
        self.renderer.search = None
        self.log_view.refresh_cards()
        self.log_view.focus()

    # The log's own keys (j, k, Home, n, End) are ChatLog bindings; these serve the
    # palette and the keys that work from anywhere (^n from the composer).

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

    @on(MessageCard.Tapped)
    def _card_tapped(self, event: MessageCard.Tapped) -> None:
        """A click on a card's text: the features that answer clicks (the dictionary) take it."""
        message = self.model.messages.get(event.seq)
        if message is None:
            return
        for feature in self.features:
            if isinstance(feature, TapFeature):
                feature.tapped(self, message, event.line, event.column)

    @on(ActivityBar.JumpToNewest)
    async def _jump_to_newest(self) -> None:
        await self.log_view.newest()

    # --- the room layout ------------------------------------------------------------------

    def action_toggle_members(self) -> None:
        """m: show / hide the member list."""
        self.members.display = not self.members.display

    @property
    def projector(self) -> bool:
        """True in the projector layout."""
        return self._projector

    def set_projector(self, on: bool) -> None:
        """The projector layout (for a large font) on or off.

        No member list and no status line, card headers without handles, more
        space between cards.
        """
        if on == self._projector:
            return
        self._projector = on
        if on:
            self._members_shown = self.members.display
        self.members.display = False if on else self._members_shown
        self.status.display = not on
        self.log_view.set_class(on, "-projector")
        self.set_view(replace(self.renderer.options, quiet=on))

    def action_help(self) -> None:
        """?: the help screen."""
        if not isinstance(self.app.screen, HelpScreen):
            self.app.push_screen(
                HelpScreen(self.mode, self.room_actions, notes=self.looks.help_notes)
            )

    # --- what a feature may do (RoomHost) -------------------------------------------------

    @property
    def shown(self) -> LogModel:
        """Every message shown so far."""
        return self.model

    def show_guests(self, guests: Sequence[GuestLine]) -> None:
        """The guests in the room now (the member list marks them, with typing indicators)."""
        self.members.set_guests(guests)
        self.member_count = self._cast_count + len(guests)
        self._update_typing()

    def redraw(self, seqs: Iterable[int] | None = None) -> None:
        """Redraw some cards, or every mounted one."""
        self.log_view.refresh_cards(seqs)

    async def pick(self, fits: Callable[[Message], bool]) -> Message | None:
        """The selected message if it fits, else the newest that fits (selected and shown)."""
        log, model = self.log_view, self.model
        seq = log.selected
        if seq is None or seq not in model:
            seq = next((s for s in reversed(model.order) if fits(model.messages[s])), None)
            if seq is None:
                return None
            await self.go_to(seq)
        message = model.messages[seq]
        return message if fits(message) else None

    async def go_to(self, seq: int) -> None:
        """Select message ``seq`` and bring it into view."""
        self.log_view.selected = seq
        await self.log_view.show(seq)

    def open_dialog(self, screen: Screen[ResultT], done: Callable[[ResultT | None], None]) -> None:
        """Open a dialog; the clock holds still while it is open (unless it was paused)."""
        clock = self.clock
        was_paused = clock.paused
        clock.pause()
        self._tick()

        def closed(result: ResultT | None) -> None:
            if not was_paused:
                clock.resume()
            self._tick()
            done(result)

        self.app.push_screen(screen, closed)

    def write(self, name: str, job: Job) -> None:
        """Run a write in a worker of the :data:`WRITES` group (quitting waits for them)."""
        self.run_worker(job, name=name, group=WRITES, exit_on_error=False)

    def background(self, name: str, job: Callable[[], Job]) -> None:
        """Run ``job()`` in a worker once the current message is handled."""

        def start() -> None:
            self.run_worker(job(), name=name, group=name, exit_on_error=False)

        self.call_later(start)

    # --- for the App and the tests --------------------------------------------------------

    @property
    def session_id(self) -> str | None:
        """The session played (live: the new one), once the room is open."""
        return self.room.session.id if self.room else None

    @property
    def ended(self) -> bool:
        """True when a replay has played to its end (its clock stopped at the length)."""
        return False

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
