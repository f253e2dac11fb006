"""``serve``: the live room in a browser, each tab a guest (textual-serve, offline)."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rednote_sim.cli.common import db_option, run_async, settings_from, tell_waiting
from rednote_sim.errors import UserError
from rednote_sim.settings import Settings
from rednote_sim.textsafe import visible

if TYPE_CHECKING:
    from rednote_sim.domain import Session
    from rednote_sim.store import Store

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def join_command(session_id: str, db: Path) -> list[str]:
    """What each browser tab runs: ``rednote-sim join SESSION --db DB``, without ``--as``.

    ``join`` asks for the guest's name in its own screen when ``--as`` is absent. The
    same interpreter runs it (``-m rednote_sim``), so no ``rednote-sim`` on PATH is needed.
    """
    return [sys.executable, "-m", "rednote_sim", "join", session_id, "--db", str(db)]


async def live_session(store: Store, ref: str, *, now: float | None = None) -> Session:
    """The session ``ref`` names, if a host is playing it now.

    Raises:
        UserError: When the session is unknown, finished, or its host stopped beating.
    """
    from rednote_sim.store.classroom_repo import ClassroomRepo

    session = await store.get_session(ref)
    host = await ClassroomRepo.of(store).host(session.id)
    at = time.time() if now is None else now
    if host is not None and host.live(at):
        return session
    start = "start the class with `rednote-sim workshop` (or `demo`), then serve `latest`"
    if host is None:
        why = "no host is playing it"
    elif host.finished:
        why = "it has finished"
    else:
        why = f"its host stopped {at - host.beat_at:.0f} s ago (closed or crashed)"
    raise UserError(f"session {visible(session.id)} is not live: {why}; {start}")


def _say_where(session_id: str, host: str, port: int, code: str | None) -> None:
    from rednote_sim.web.addresses import public_hosts, qr_text

    session_id = visible(session_id)
    if code is None:
        name = f"[{host.strip('[]')}]" if ":" in host else host
        click.echo(f"serving session {session_id} on this machine: http://{name}:{port}/")
    else:
        click.echo(f"serving session {session_id} to the network; room code {code}")
        urls = [f"http://{name}:{port}/?code={code}" for name in public_hosts(host)]
        for url in urls:
            click.echo(f"open {url}")
        click.echo("or scan:")
        click.echo(qr_text(urls[0]), nl=False)
    click.echo("each browser tab joins as a guest (it asks for a name); Ctrl+C stops the server")


async def serve_session(
    settings: Settings,
    ref: str,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    command: Sequence[str] | None = None,
) -> None:
    """Check that ``ref`` is live, then serve it until cancelled.

    Args:
        settings: The run's settings (the database).
        ref: The session: id, unique prefix or ``latest``.
        host: The address to listen on.
        port: The port (0: any free one).
        command: What each browser tab runs (default: :func:`join_command`).

    Raises:
        UserError: When the session is not live or the server cannot listen.
    """
    from rednote_sim.store import open_store
    from rednote_sim.web.roomcode import is_loopback, new_code
    from rednote_sim.web.server import ServeConfig, serve

    if not settings.db.is_file():  # opening would create an empty database
        raise UserError(
            f"{settings.db}: no database here, so no class to serve (fix: pass the class's "
            "--db, or start the class first with `rednote-sim workshop`)"
        )
    async with await open_store(settings, tell_waiting) as store:
        session = await live_session(store, ref)
    code = None if is_loopback(host) else new_code()
    config = ServeConfig(
        command=command or join_command(session.id, settings.db.resolve()),
        host=host,
        port=port,
        code=code,
        title=f"rednote-sim · {session.id}",
    )
    started = False

    def ready(bound: int) -> None:
        nonlocal started
        started = True
        _say_where(session.id, host, bound, code)

    try:
        await serve(config, ready=ready)
    finally:
        if started:
            click.echo("server stopped", err=True)


@click.command()
@click.argument("session", default="latest")
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help="Address to listen on; anything but loopback (e.g. 0.0.0.0) requires the room code.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@db_option
def serve(session: str, host: str, port: int, db: Path | None) -> None:
    """Serve the live SESSION (id, unique prefix, or 'latest') to web browsers.

    Each browser tab joins the room as a guest and asks for a name. Bound to this
    machine unless --host says otherwise; then the printed address carries a room
    code (also shown as a QR code), and requests without it are refused.
    """
    settings = settings_from(db)
    if not host.strip():
        raise UserError("--host: empty; give an address such as 127.0.0.1 or 0.0.0.0")
    run_async(serve_session(settings, session, host=host.strip(), port=port))


COMMANDS: list[click.Command] = [serve]
