"""``workshop``: the room with the learning aids, for language-exchange classes."""

from __future__ import annotations

from pathlib import Path

import click

from rednote_sim.cli.common import (
    choose_seed,
    db_option,
    ended,
    hsk_option,
    parse_speed_option,
    scenario_option,
    seed_option,
    settings_from,
    speed_option,
)

DEFAULT_SPEED = "0.5"
"""Workshops read every line and talk about it: half speed, and pausing is one key."""


@click.command()
@scenario_option
@seed_option
@speed_option(DEFAULT_SPEED)
@hsk_option
@db_option
def workshop(
    scenario_id: str, seed: int | None, speed: str, hsk: int | None, db: Path | None
) -> None:
    """Open the room with the workshop aids.

    Pinyin, machine vs human translations, a quiz, a phrasebook, MT-error marks,
    line corrections, HSK levels, markers and a session note; everything is saved
    with the session. Hand it out afterwards with
    `rednote-sim export latest --format html|md|anki`.
    """
    from rednote_sim.content import load_cast
    from rednote_sim.runtime import find_scenario

    settings = settings_from(db)
    # Check what can be checked before the terminal switches to the full-screen app.
    find_scenario(load_cast(settings.personas_dir), scenario_id)
    playback = parse_speed_option(speed)
    chosen_seed = choose_seed(seed)

    from rednote_sim.tui import run_tui

    ran = run_tui(
        settings,
        mode="workshop",
        scenario=scenario_id,
        seed=chosen_seed,
        speed=playback,
        hsk=hsk,
    )
    ended(settings, ran, chosen_seed, hand_out=True)


COMMANDS: list[click.Command] = [workshop]
