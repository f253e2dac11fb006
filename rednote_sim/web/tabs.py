"""Browser tabs: one websocket and one guest process each, and how they end.

textual-serve's ``AppService`` starts the command with Textual's web driver and relays
its output to the websocket. We run the websocket side ourselves (instead of
``Server.handle_websocket``) for one reason: the order things end in when the server
stops. textual-serve closes the websocket first and only then tells the process to
quit. Closing a websocket waits for the browser's answer (up to aiohttp's close
timeout, 10 s), and a server stopping in that time kills the process, so the guest
never recorded that it left (a CI run caught it). Here a stop tells every process to
quit first, waits for it to exit (it leaves the room on the way out), and only then
closes the websockets; see docs/ARCHITECTURE.md, "The room in a browser".
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import shlex
from asyncio.subprocess import Process
from collections.abc import Sequence

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

QUIT_TIMEOUT = 10.0
"""Seconds a guest's process has to quit (it leaves the room first) before it is killed."""

WEBSOCKET_CLOSE_TIMEOUT = 2.0
"""Seconds a closing websocket waits for the browser's answer (aiohttp's default is 10)."""

HEARTBEAT = 15.0
"""Seconds between websocket pings (textual-serve's figure): a vanished browser is noticed."""

log = logging.getLogger(__name__)


class GuestProcess(AppService):
    """textual-serve's ``AppService``, with the process it started within reach."""

    @property
    def process(self) -> Process | None:
        """The guest's process, once started."""
        return self._process


class Tabs:
    """The open browser tabs of one server, each a websocket and its guest's process.

    Args:
        command: The shell command started for each tab.
    """

    def __init__(self, command: str) -> None:
        self.command = command
        self._open: dict[GuestProcess, web.WebSocketResponse] = {}
        self._downloads = DownloadManager()  # AppService needs one; the room delivers no files
        self._stopping = False

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """The websocket route: start a guest's process and relay until either side ends."""
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT, timeout=WEBSOCKET_CLOSE_TIMEOUT)
        await websocket.prepare(request)
        if self._stopping:
            await websocket.close()
            return websocket

        async def close() -> None:
            await websocket.close()

        guest = GuestProcess(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close,
            download_manager=self._downloads,
        )
        await guest.start(
            _size(request.query.get("width"), 80), _size(request.query.get("height"), 24)
        )
        self._open[guest] = websocket
        try:
            await relay(websocket, guest)
        finally:
            self._open.pop(guest, None)
            await _end(guest)
        return websocket

    async def close_all(self) -> None:
        """Tell every guest's process to quit, wait for them, then close the websockets.

        A process still running after :data:`QUIT_TIMEOUT` is killed (its guest's
        presence then times out in the room instead).
        """
        self._stopping = True
        open_tabs = list(self._open.items())
        await asyncio.gather(*(_end(guest) for guest, _ in open_tabs))
        await asyncio.gather(
            *(websocket.close() for _, websocket in open_tabs), return_exceptions=True
        )


async def relay(websocket: web.WebSocketResponse, guest: AppService) -> None:
    """Pass the browser's messages to the guest's process until the websocket closes.

    The browser sends JSON lists (``["stdin", text]``, ``["resize", {…}]``, ``["ping",
    x]``, ``["focus"]``, ``["blur"]``). Anything else is ignored rather than ending the tab:
    the websocket is the network's, so what arrives on it is untrusted.
    """
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
        except ValueError:
            continue
        if not isinstance(envelope, list) or not envelope:
            continue
        kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            await guest.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            width, height = data.get("width"), data.get("height")
            if isinstance(width, int) and isinstance(height, int):
                await guest.set_terminal_size(_clamp(width), _clamp(height))
        elif kind == "ping":
            await websocket.send_json(["pong", data])
        elif kind == "blur":
            await guest.blur()
        elif kind == "focus":
            await guest.focus()


async def _end(guest: GuestProcess) -> None:
    """Ask the guest's process to quit and wait for it; kill it if it does not in time."""
    process = guest.process
    if process is None:
        return
    if process.returncode is None:
        await guest.send_meta({"type": "quit"})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.wait(), QUIT_TIMEOUT)
    if process.returncode is None:
        log.warning("a guest's process did not quit in %.0f s; killing it", QUIT_TIMEOUT)
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
    # The relay task ends on its own once the process's output ends; waiting for it
    # lets the last screen and the "exit" reach the browser.
    with contextlib.suppress(Exception):
        await guest.stop()


def _size(value: str | None, default: int) -> int:
    """A terminal dimension from the query string (textual-serve's defaults when absent)."""
    try:
        return _clamp(int(value)) if value is not None else default
    except ValueError:
        return default


def _clamp(cells: int) -> int:
    """Keep a browser's terminal size within what a screen can be (1..1000 cells)."""
    return max(1, min(cells, 1000))


def shell_command(argv: Sequence[str]) -> str:
    """The shell command for ``argv``: quoted, with the guest replacing the shell (``exec``).

    textual-serve starts its command through a shell; ``shlex.join`` quotes the session id
    and the database path, and ``exec`` lets the guest's process replace the shell (so the
    process we signal is the guest itself).
    """
    return "exec " + shlex.join(argv)
