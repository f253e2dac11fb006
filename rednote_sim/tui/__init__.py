"""The Textual TUI: the "TikTok Refugees" room, live, in replay and as a workshop.

The only package that imports Textual. :func:`make_app` is the one factory the
CLI (through :func:`run_tui`) and the tests use.

Modes: ``live`` plays a scenario into a new session (``rednote-sim``, ``demo``);
``workshop`` is a live room with the workshop aids (``rednote-sim workshop``);
``replay`` plays a recorded session, with the workshop aids too, since their
data (marks, answers, phrasebook, markers, note) belongs to the session and a
teacher reviews or prepares a class on a recording.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rednote_sim.domain import LATEST, Cast
from rednote_sim.runtime import RoomRequest
from rednote_sim.settings import DEFAULT_SCENARIO, Settings
from rednote_sim.translate.api import Translator
from rednote_sim.tui.actions import WHERE, RoomAction
from rednote_sim.tui.app import RoomApp
from rednote_sim.tui.screens.room import RoomLooks
from rednote_sim.tui.source import RoomSource
from rednote_sim.tui.view import CardExtension, ViewOptions
from rednote_sim.tui.widgets.chatlog import MAX_CARDS
from rednote_sim.tui.workshop import HELP_NOTES, HOW_REPLAY_AIDS, HOW_WORKSHOP, Workshop

__all__ = ["CardExtension", "RoomAction", "RoomApp", "ViewOptions", "make_app", "run_tui"]


TuiMode = Literal["live", "replay", "workshop"]


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
    source = RoomSource(settings, request, translator=translator, cast=cast)
    if mode == "live":
        # The workshop's keys (x, p, h…) say where they work instead of doing nothing.
        workshop_keys = [(a, WHERE["workshop"]) for a in Workshop().actions() if a.keys]
        return RoomApp(
            source,
            speed=speed,
            idle_cap=idle_cap,
            actions=actions,
            looks=RoomLooks(extensions=extensions, max_cards=max_cards),
            elsewhere=workshop_keys,
        )
    workshop = Workshop(live_first=mode == "workshop", hsk=hsk)
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
        actions=[*workshop.actions(), *actions],
        features=[workshop],
        looks=looks,
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
        hsk=hsk,
    )
    app.run()
    if app.startup_error is not None:
        raise app.startup_error
    live = mode != "replay" and app.session_id is not None
    return TuiRun(app.session_id if live else None, app.return_code or 0)
