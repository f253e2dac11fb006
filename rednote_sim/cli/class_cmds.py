"""``say``: post one message into a live session (a class) from another terminal.

The message goes into the session's inbox; the host (the ``demo`` or
``workshop`` process playing it) posts it as the guest, or refuses it with a
reason. ``say`` waits a few seconds for that answer and prints it.

Exit codes: 0 posted; 2 nothing was sent (a bad name or text, an unknown or
finished session, no live host); 1 sent but refused by the host (e.g. "slow
down") or not answered in time.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rednote_sim.cli.common import db_option, run_async, settings_from
from rednote_sim.errors import UserError
from rednote_sim.settings import Settings
from rednote_sim.textsafe import visible

if TYPE_CHECKING:
    from rednote_sim.domain.guests import HostState, InboxItem
    from rednote_sim.store.classroom_repo import ClassroomRepo

ANSWER_TIMEOUT = 10.0
"""Seconds ``say`` waits for the host to post or refuse the message."""

_POLL = 0.05


def _no_host(sid: str, host: HostState | None, now: float) -> str | None:
    """Why session ``sid`` is not live (one line), or None when its host is beating."""
    if host is None:
        return (
            f"session {sid} has no class host: it was never played live here "
            "(start one with `rednote-sim workshop` or `rednote-sim demo`)"
        )
    if host.finished:
        return f"session {sid} has finished; ask the teacher for the new session's id"
    if not host.live(now):
        ago = max(0, round(now - host.beat_at))
        return (
            f"session {sid} has no host running (last heartbeat {ago} s ago: the host "
            "stopped or crashed); ask the teacher to start the class again"
        )
    return None


async def _wait(repo: ClassroomRepo, sid: str, item_id: int) -> InboxItem | None:
    """The request once the host resolved it; None when it did not in time."""
    deadline = time.monotonic() + ANSWER_TIMEOUT
    last_look = 0.0
    while time.monotonic() < deadline:
        item = await repo.item(item_id)
        if item is not None and item.status != "pending":
            return item
        if time.monotonic() - last_look >= 1.0:  # a host that died while we wait
            last_look = time.monotonic()
            why = _no_host(sid, await repo.host(sid), time.time())
            if why is not None:
                raise UserError(why)
        await asyncio.sleep(_POLL)
    return None


async def _say(settings: Settings, ref: str, name: str, text: str, lang: str | None) -> None:
    from rednote_sim.domain.guests import SayPayload
    from rednote_sim.store import Store
    from rednote_sim.store.classroom_repo import ClassroomRepo

    if not settings.db.exists():  # opening would create an empty database
        raise UserError(
            f"{settings.db}: no database here, so no class to post into "
            "(fix: pass the teacher's --db, or start a class with `rednote-sim workshop`)"
        )
    async with await Store.open(settings.db) as store:
        session = await store.get_session(ref)
        sid = visible(session.id)
        repo = ClassroomRepo.of(store)
        why = _no_host(sid, await repo.host(session.id), time.time())
        if why is not None:
            raise UserError(why)
        payload = SayPayload.model_validate({"text": text, "lang": lang})
        item_id = await repo.send(session.id, name, "say", payload)
        item = await _wait(repo, session.id, item_id)
    if item is None:
        click.echo(
            f"error: the host of session {sid} did not answer within {ANSWER_TIMEOUT:g} s; "
            "it may still post the message",
            err=True,
        )
        raise SystemExit(1)
    if item.status == "refused":
        click.echo(f"error: the host refused it: {visible(item.reason)}", err=True)
        raise SystemExit(1)
    click.echo(f"posted #{item.result_seq} as {visible(name)} in session {sid}")


@click.command()
@click.argument("words", nargs=-1, required=True, metavar="[SESSION|latest] TEXT")
@click.option("--as", "as_name", required=True, metavar="NAME", help="Your name in the room.")
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default=None,
    help="The message's language (default: detected).",
)
@db_option
def say(words: tuple[str, ...], as_name: str, lang: str | None, db: Path | None) -> None:
    """Post TEXT into a live SESSION (default: the newest) as NAME.

    The session must be playing (a `demo` or `workshop` running somewhere on
    this database); the personas answer you like the person at its keyboard.

    \b
    Example:
      rednote-sim say latest --as Ana "hello from Lisbon"
    """  # noqa: D301 (click's no-rewrap marker)
    from rednote_sim.domain import LATEST
    from rednote_sim.domain.guests import MAX_TEXT
    from rednote_sim.store.classroom_repo import checked_name

    if len(words) > 2:
        raise UserError(
            f"say takes a session and one TEXT, got {len(words)} words "
            '(fix: quote the message, e.g. say latest --as Ana "hello there")'
        )
    ref, text = (LATEST, words[0]) if len(words) == 1 else words
    name = checked_name(as_name)
    if not text.strip():
        raise UserError('the message is empty (fix: give a TEXT, e.g. "hello")')
    if len(text.strip()) > MAX_TEXT:
        raise UserError(
            f"the message is {len(text.strip()):,} characters long; a class message is "
            f"at most {MAX_TEXT:,} (fix: shorten it)"
        )
    run_async(_say(settings_from(db), ref, name, text, lang))


COMMANDS: list[click.Command] = [say]
