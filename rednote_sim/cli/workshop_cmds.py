"""``workshop``: the room with the learning aids, for language-exchange classes."""

from __future__ import annotations

import random
from pathlib import Path

import click

from rednote_sim.cli.common import db_option, settings_from
from rednote_sim.errors import UserError

DEFAULT_SCENARIO = "arrival"
DEFAULT_SPEED = "0.5"
"""Workshops read every line and talk about it: half speed, and pausing is one key."""


@click.command()
@click.option(
    "--scenario",
    "scenario_id",
    default=DEFAULT_SCENARIO,
    show_default=True,
    help="Scenario id (see `rednote-sim scenarios list`).",
)
@click.option("--seed", type=int, default=None, help="Random seed: same seed, same session.")
@click.option(
    "--speed",
    default=DEFAULT_SPEED,
    show_default=True,
    metavar="X|max",
    help="Playback speed: a multiplier like 0.5, 1, 2, or max.",
)
@db_option
def workshop(scenario_id: str, seed: int | None, speed: str, db: Path | None) -> None:
    """Open the room with the workshop aids.

    Pinyin, machine vs human translations, a quiz, a phrasebook, MT-error marks,
    markers and a session note; everything is saved with the session. Hand it
    out afterwards with `rednote-sim export latest --format html|md|anki`.
    """
    from rednote_sim.content import load_cast
    from rednote_sim.runtime import find_scenario
    from rednote_sim.sim.clock import parse_speed

    settings = settings_from(db)
    # Check what can be checked before the terminal switches to the full-screen app.
    find_scenario(load_cast(settings.personas_dir), scenario_id)
    try:
        playback = parse_speed(speed)
    except ValueError as exc:
        raise UserError(f"--speed: {exc}") from None
    chosen_seed = seed if seed is not None else random.SystemRandom().randrange(1, 100_000)

    from rednote_sim.tui import run_tui

    run_tui(settings, mode="workshop", scenario=scenario_id, seed=chosen_seed, speed=playback)


COMMANDS: list[click.Command] = [workshop]
