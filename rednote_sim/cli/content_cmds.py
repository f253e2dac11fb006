"""``personas validate|list`` and ``scenarios list``: the content in personas/."""

from __future__ import annotations

from pathlib import Path

import click

from rednote_sim.cli.common import settings_from
from rednote_sim.cli.tables import print_table
from rednote_sim.errors import ContentError


def _dir_argument(func: click.decorators.FC) -> click.decorators.FC:
    return click.argument(
        "directory", required=False, type=click.Path(path_type=Path, file_okay=False)
    )(func)


@click.group()
def personas() -> None:
    """Check and list the cast (personas/)."""


@personas.command("validate")
@_dir_argument
def validate(directory: Path | None) -> None:
    """Check a whole personas DIRECTORY: one line per problem, exit 2 if any."""
    from rednote_sim.content import validate_dir

    root = directory or settings_from().personas_dir
    cast, problems = validate_dir(root)
    if problems or cast is None:
        raise ContentError(problems)
    beats = sum(len(s.beats) for s in cast.scenarios.values())
    click.echo(
        f"{root}: OK — {len(cast.personas)} personas, {len(cast.scenarios)} scenarios "
        f"({beats} beats), {len(cast.glossary.terms)} glossary terms, "
        f"{len(cast.slang.slang)} slang entries, {len(cast.responders)} room-wide responders"
    )


@personas.command("list")
@_dir_argument
def list_personas(directory: Path | None) -> None:
    """List the cast: avatar, name, handle, flag, home, language."""
    from rednote_sim.content import load_cast

    cast = load_cast(directory or settings_from().personas_dir)
    rows = [
        (p.id, f"{p.avatar} {p.name}", p.handle, p.flag, p.home, p.language, p.age_range)
        for p in sorted(cast.personas.values(), key=lambda p: (p.country, p.id), reverse=True)
    ]
    print_table(["id", "name", "handle", "", "home", "lang", "age"], rows)


@click.group()
def scenarios() -> None:
    """List the scenarios (personas/scenarios/)."""


@scenarios.command("list")
@_dir_argument
def list_scenarios(directory: Path | None) -> None:
    """List scenarios: id, titles, beats, length."""
    from rednote_sim.content import load_cast
    from rednote_sim.domain.terms import format_time

    cast = load_cast(directory or settings_from().personas_dir)
    rows = [
        (s.id, s.title, s.title_zh, len(s.beats), format_time(s.duration))
        for s in sorted(cast.scenarios.values(), key=lambda s: s.id)
    ]
    print_table(["id", "title", "标题", "beats", "length"], rows)


COMMANDS: list[click.Command] = [personas, scenarios]
