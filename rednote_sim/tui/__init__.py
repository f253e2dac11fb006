"""The Textual TUI: the "TikTok Refugees" room, live, in replay and as a workshop.

The only package that imports Textual. :func:`make_app` is the one factory the
CLI (through :func:`run_tui`) and the tests use.

Modes: ``live`` plays a scenario into a new session (``rednote-sim``, ``demo``);
``workshop`` is a live room with the workshop aids (``rednote-sim workshop``);
``replay`` plays a recorded session, with the workshop aids too, since their
data (marks, answers, phrasebook, markers, note) belongs to the session and a
teacher reviews or prepares a class on a recording. ``guest`` follows a live
session another process hosts (``rednote-sim join``), with the learner's aids;
the teacher's workshop shows the guests in its member list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from rednote_sim.domain import LATEST, Cast
from rednote_sim.runtime import RoomRequest
from rednote_sim.settings import DEFAULT_SCENARIO, Settings
from rednote_sim.translate.api import Translator
from rednote_sim.tui.actions import WHERE, RoomAction
from rednote_sim.tui.app import RoomApp
from rednote_sim.tui.classroom import Classroom
from rednote_sim.tui.host import RoomFeature
from rednote_sim.tui.screens.guest import HOW_GUEST
from rednote_sim.tui.screens.room import RoomLooks, merge_actions
from rednote_sim.tui.source import GuestSource, RoomSource
from rednote_sim.tui.view import CardExtension, ViewOptions
from rednote_sim.tui.widgets.chatlog import MAX_CARDS
from rednote_sim.tui.words import WordLookup
from rednote_sim.tui.workshop import (
    HELP_NOTES,
    HOW_GUEST_AIDS,
    HOW_REPLAY_AIDS,
    HOW_WORKSHOP,
    Workshop,
)

__all__ = ["CardExtension", "RoomAction", "RoomApp", "ViewOptions", "make_app", "run_tui"]


TuiMode = Literal["live", "replay", "workshop", "guest"]

GUEST_UNHINTED = frozenset(
    {"toggle_pause", "faster", "slower", "step_forward", "seek_next", "seek_reply", "add_marker"}
)
"""Playback keys a guest's key bar leaves out: the teacher's room sets the pace (they say so)."""

TEACHERS_ROOM = "the teacher's room (the host)"
"""Where a guest's key for a teacher-only action works (its toast says so)."""


def make_app(
    settings: Settings,
    *,
    mode: TuiMode = "live",
    scenario: str | None = None,
    seed: int | None = None,
    speed: float = 1.0,
    session: str | None = None,
    idle_cap: float | None = 5.0,
    translator: Translator | None = None,
    cast: Cast | None = None,
    actions: Sequence[RoomAction] = (),
    extensions: Sequence[CardExtension] = (),
    max_cards: int = MAX_CARDS,
    name: str | None = None,
    hsk: int | None = None,
) -> RoomApp:
    """Build the room app.

    Args:
        settings: The run's settings (paths, beam, timeouts), built once by the CLI.
        mode: ``live`` plays a scenario into a new session; ``workshop`` does too,
            with the workshop aids; ``replay`` plays a recorded one (with the aids).
        scenario: Scenario id (live); defaults to the starter scenario.
        seed: Seed of the live run (same seed, same session); defaults to 1.
        speed: Starting speed; ``math.inf`` is max.
        session: Session to replay: an id, a unique prefix or ``latest``.
        idle_cap: Longest silence a replay waits through, in scenario seconds (None: off).
        translator: A translator to use instead of the Argos service (tests).
        cast: Content to use instead of ``settings.personas_dir`` (tests).
        actions: Extra room actions (bindings, palette, help) for added features.
        extensions: Extra card lines (pinyin…) for added features.
        max_cards: Most message cards mounted at once.
        name: A guest's name (``guest``); None asks for it in a dialog first.
        hsk: ``--hsk N`` (workshop, replay): underline the words above HSK level N.

    Returns:
        The app, not yet running.
    """
    request = RoomRequest(
        mode="replay" if mode == "replay" else "live",
        scenario=scenario or DEFAULT_SCENARIO,
        seed=1 if seed is None else seed,
        session=session or LATEST,
        # A live room is a classroom host: guests can `say` and `join` (docs/ARCHITECTURE.md).
        host=None if mode == "replay" else "workshop" if mode == "workshop" else "demo",
    )
    if mode == "guest":
        return _guest_app(settings, session or LATEST, name, cast, actions, extensions, max_cards)
    source = RoomSource(settings, request, translator=translator, cast=cast)
    words = WordLookup()  # the dictionary under every word, in every kind of room
    if mode == "live":
        # The workshop's keys (x, p, h…) say where they work instead of doing nothing.
        workshop_keys = [(a, WHERE["workshop"]) for a in Workshop().actions() if a.keys]
        return RoomApp(
            source,
            speed=speed,
            idle_cap=idle_cap,
            actions=[*words.actions(), *actions],
            features=[words],
            looks=RoomLooks(extensions=extensions, max_cards=max_cards),
            elsewhere=workshop_keys,
        )
    workshop = Workshop(live_first=mode == "workshop", hsk=hsk)
    features: list[RoomFeature] = [workshop, words]
    if mode == "workshop":
        features.append(Classroom())  # the teacher sees the guests
    looks = RoomLooks(
        extensions=[*workshop.extensions(), *extensions],
        max_cards=max_cards,
        view=workshop.view(),
        badge="WORKSHOP" if mode == "workshop" else None,
        how=HOW_WORKSHOP if mode == "workshop" else HOW_REPLAY_AIDS,
        help_notes=HELP_NOTES,
    )
    return RoomApp(
        source,
        speed=speed,
        idle_cap=idle_cap,
        actions=[*workshop.actions(), *words.actions(), *actions],
        features=features,
        looks=looks,
    )


def _guest_app(
    settings: Settings,
    session: str,
    name: str | None,
    cast: Cast | None,
    actions: Sequence[RoomAction],
    extensions: Sequence[CardExtension],
    max_cards: int,
) -> RoomApp:
    """A guest's room: the live session followed, the learner's aids, the other guests."""
    workshop = Workshop(live_first=True, guest=True)
    words = WordLookup()
    looks = RoomLooks(
        extensions=[*workshop.extensions(), *extensions],
        max_cards=max_cards,
        view=workshop.view(),
        badge="GUEST",
        how=f"{HOW_GUEST} {HOW_GUEST_AIDS}",
        help_notes=HELP_NOTES,
    )
    merged = merge_actions([*workshop.actions(), *words.actions(), *actions])
    return RoomApp(
        GuestSource(settings, session, name, cast=cast),
        actions=[replace(a, hint="") if a.name in GUEST_UNHINTED else a for a in merged],
        features=[workshop, words, Classroom()],
        looks=looks,
        elsewhere=[(a, TEACHERS_ROOM) for a in workshop.teacher_actions() if a.keys],
    )


@dataclass(frozen=True)
class TuiRun:
    """How a run of the room ended.

    Attributes:
        session_id: The session a live room (or workshop) saved; None for a replay.
        exit_code: The app's return code (0 unless it ended on an error).
    """

    session_id: str | None
    exit_code: int


def run_tui(
    settings: Settings,
    *,
    mode: TuiMode,
    scenario: str | None = None,
    seed: int | None = None,
    speed: float = 1.0,
    session: str | None = None,
    idle_cap: float | None = 5.0,
    name: str | None = None,
    hsk: int | None = None,
) -> TuiRun:
    """Run the room in the terminal (``rednote-sim``, ``demo``, ``replay``, ``workshop``).

    Returns:
        The live session it played (the CLI says where it was saved) and the exit code.

    Raises:
        UserError: When the room cannot open (unknown scenario or session, bad
            database); the CLI prints it as one line and exits 2.
    """
    app = make_app(
        settings,
        mode=mode,
        scenario=scenario,
        seed=seed,
        speed=speed,
        session=session,
        idle_cap=idle_cap,
        name=name,
        hsk=hsk,
    )
    app.run()
    if app.startup_error is not None:
        raise app.startup_error
    live = mode in ("live", "workshop") and app.session_id is not None
    return TuiRun(app.session_id if live else None, app.return_code or 0)
