"""The Textual TUI: the "TikTok Refugees" room, live and in replay.

The only package that imports Textual. :func:`make_app` is the one factory the
CLI (through :func:`run_tui`) and the tests use.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Literal

from rednote_sim.domain import Cast
from rednote_sim.settings import Settings
from rednote_sim.sim.rooms import MessageTranslator
from rednote_sim.tui.actions import RoomAction
from rednote_sim.tui.app import RoomApp
from rednote_sim.tui.source import RoomRequest, RoomSource
from rednote_sim.tui.view import CardExtension, ViewOptions
from rednote_sim.tui.widgets.chatlog import MAX_CARDS

__all__ = ["CardExtension", "RoomAction", "RoomApp", "ViewOptions", "make_app", "run_tui"]

DEFAULT_SCENARIO = "arrival"


def make_app(
    settings: Settings | None = None,
    *,
    mode: Literal["live", "replay"] = "live",
    scenario: str | None = None,
    seed: int | None = None,
    speed: float = 1.0,
    session: str | None = None,
    idle_cap: float | None = 5.0,
    translator: MessageTranslator | None = None,
    cast: Cast | None = None,
    actions: Sequence[RoomAction] = (),
    extensions: Sequence[CardExtension] = (),
    max_cards: int = MAX_CARDS,
) -> RoomApp:
    """Build the room app.

    Args:
        settings: Paths; from the environment when omitted.
        mode: ``live`` plays a scenario into a new session; ``replay`` plays a recorded one.
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

    Returns:
        The app, not yet running.
    """
    settings = settings or Settings()
    request = RoomRequest(
        mode=mode,
        scenario=scenario or DEFAULT_SCENARIO,
        seed=1 if seed is None else seed,
        session=session or "latest",
    )
    source = RoomSource(settings, request, translator=translator, cast=cast)
    return RoomApp(
        source,
        speed=speed,
        idle_cap=idle_cap,
        actions=actions,
        extensions=extensions,
        max_cards=max_cards,
    )


def run_tui(
    settings: Settings,
    *,
    mode: Literal["live", "replay"],
    scenario: str | None = None,
    seed: int | None = None,
    speed: float = 1.0,
    session: str | None = None,
    idle_cap: float | None = 5.0,
) -> None:
    """Run the room in the terminal (``rednote-sim``, ``demo``, ``replay``).

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
    )
    app.run()
    if app.startup_error is not None:
        raise app.startup_error
    if mode == "live" and app.session_id is not None:
        db = "" if settings.db == Settings().db else f" --db {settings.db}"
        print(
            f"session {app.session_id} saved to {settings.db} (seed {app.source.request.seed}); "
            f"replay it with: rednote-sim replay {app.session_id}{db}",
            file=sys.stderr,
        )
    if app.return_code:
        raise SystemExit(app.return_code)
