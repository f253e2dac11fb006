"""``join``: open a live session another process hosts, as a guest (the TUI)."""

from __future__ import annotations

from pathlib import Path

import click

from rednote_sim.cli.common import db_option, run_async, settings_from
from rednote_sim.errors import UserError
from rednote_sim.settings import Settings


async def _live_session_id(settings: Settings, ref: str) -> str:
    """The id of the live session ``ref`` names (one line, exit 2, when it is not live)."""
    from rednote_sim.store import Store
    from rednote_sim.store.classroom_repo import live_session

    if not settings.db.is_file():
        raise UserError(
            f"no database at {settings.db}: start the class first with `rednote-sim workshop` "
            "(same --db), then join it"
        )
    async with await Store.open(settings.db) as store:
        return (await live_session(store, ref)).id


@click.command()
@click.argument("session", default="latest")
@click.option(
    "--as",
    "name",
    metavar="NAME",
    default=None,
    help="Your name in the room (unique: a taken one becomes 'Ana (2)'); asked for if left out.",
)
@db_option
def join(session: str, name: str | None, db: Path | None) -> None:
    """Join a live SESSION (an id, a unique id prefix, or 'latest') as a guest.

    The room follows the host's session within a second; what you type is
    posted under your name, and the workshop aids (pinyin, quiz, phrasebook) are
    yours. Exits with 2 when the session is not live (unknown, finished, or no
    host running).
    """
    from rednote_sim.store.classroom_repo import checked_name

    settings = settings_from(db)
    if name is not None:
        name = checked_name(name)
    # Before the terminal switches to the full-screen app: is that session live?
    session_id = run_async(_live_session_id(settings, session))
    from rednote_sim.tui import run_tui

    ran = run_tui(settings, mode="guest", session=session_id, name=name)
    if ran.exit_code:
        raise SystemExit(ran.exit_code)


COMMANDS: list[click.Command] = [join]
