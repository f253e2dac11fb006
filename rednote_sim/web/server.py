"""The web server: our page, textual-serve's assets and websocket, the room-code guard.

textual-serve (aiohttp) does the hard part: its ``AppService`` starts the configured
command with Textual's web driver and relays the terminal both ways (``tabs.py``). We
build the aiohttp application ourselves instead of calling
``textual_serve.server.Server.serve`` so that

* the page is ours (``templates/index.html``): no Google Fonts link, every asset from
  ``/static`` (textual-serve's bundled xterm.js, its CSS and the Roboto Mono font);
* a room open to the network asks for its code (:func:`guard`), on every route;
* binding is ours: a busy port is a one-line error, ``--port 0`` picks a free one, and
  stopping (Ctrl+C, SIGTERM) ends every browser's process, which leaves the room, before
  the websockets close and the server exits (:meth:`Tabs.close_all`).
"""

from __future__ import annotations

import asyncio
import errno
import re
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import textual_serve
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from rednote_sim.errors import UserError
from rednote_sim.web.page import STATIC_PREFIX, content_security_policy, render_page
from rednote_sim.web.roomcode import Guesses, is_loopback, matches
from rednote_sim.web.tabs import Tabs, shell_command

COOKIE = "rnsim_room"
"""The cookie that carries the room code after the first page load (see :func:`guard`)."""

SHUTDOWN_TIMEOUT = 5.0
"""Seconds the server waits for handlers still running once every tab has ended."""

STATIC_DIR = Path(textual_serve.__file__).parent / "static"
"""textual-serve's bundled assets (``textual.js`` with xterm.js, its CSS, Roboto Mono)."""

_HOST_HEADER = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


@dataclass(frozen=True)
class ServeConfig:
    """What to serve and where.

    Attributes:
        command: The argv started for each browser tab (``rednote-sim join SESSION --db DB``).
        host: The address to listen on.
        port: The port (0: any free port; the ready callback is told which).
        code: The room code every request must carry, or None (loopback only).
        title: The page's title.
    """

    command: Sequence[str]
    host: str = "127.0.0.1"
    port: int = 8000
    code: str | None = None
    title: str = "rednote-sim"


def forbidden(reason: str) -> web.HTTPForbidden:
    """A plain-text 403 saying what is missing."""
    return web.HTTPForbidden(text=f"403 forbidden: {reason}\n")


def make_guard(config: ServeConfig) -> Middleware:
    """The middleware every request passes: Host, Origin and room-code checks.

    * The ``Host`` header must look like a host name; on loopback it must name this
      machine (a page elsewhere cannot reach the room by rebinding a DNS name to
      127.0.0.1).
    * The websocket must come from this server's own page (``Origin``), so another site
      open in the same browser cannot start a guest.
    * With a room code, a request passes with ``?code=CODE`` (which also sets the cookie)
      or with the cookie. The cookie is needed because the page's assets and its
      websocket are requested by the browser without the page's query string (xterm.js
      builds the websocket URL and adds its own ``?width=…&height=…``).
    * An address that sent too many wrong codes (``?code=`` or cookie) gets 429 for a
      while, whatever it sends (:class:`~rednote_sim.web.roomcode.Guesses`).
    """
    code = config.code
    loopback = is_loopback(config.host)
    guesses = Guesses()

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        host = request.headers.get("Host", "")
        if not _HOST_HEADER.match(host):
            raise web.HTTPBadRequest(text="400 bad request: no usable Host header\n")
        if loopback and not is_loopback(_host_name(host)):
            raise forbidden("this room is served to this machine only (use 127.0.0.1)")
        if request.path == "/ws" and not _same_origin(request.headers.get("Origin"), host):
            raise forbidden("the room's websocket opens only from the room's own page")
        if code is None:
            return await handler(request)
        who, now = request.remote or "", time.monotonic()
        if guesses.blocked(who, now):
            raise web.HTTPTooManyRequests(
                text="429 too many wrong room codes from this address; wait a minute, then "
                "open the address `rednote-sim serve` printed\n"
            )
        given, cookie = request.query.get("code"), request.cookies.get(COOKIE)
        if matches(given, code):
            response = await handler(request)
            if not response.prepared:
                response.set_cookie(COOKIE, code, httponly=True, samesite="Strict", path="/")
            return response
        if matches(cookie, code):
            return await handler(request)
        if given is not None or cookie is not None:
            guesses.wrong(who, now)
        raise forbidden(
            "this room needs its room code; open the address `rednote-sim serve` printed "
            "(it ends in ?code=…)"
        )

    return guard


def _host_name(host: str) -> str:
    """The name in a ``Host`` header, without the port (``[::1]:8000`` → ``::1``)."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0]


def _same_origin(origin: str | None, host: str) -> bool:
    """A request without ``Origin`` is not from a browser page; one with it must be ours."""
    if origin is None:
        return True
    return origin.lower() in (f"http://{host}".lower(), f"https://{host}".lower())


def make_app(config: ServeConfig) -> web.Application:
    """The aiohttp application: ``/`` (the page), ``/ws`` (a guest's process), ``/static``."""
    tabs = Tabs(shell_command(config.command))

    async def index(request: web.Request) -> web.StreamResponse:
        scheme = "wss" if request.secure else "ws"
        origin = f"{scheme}://{request.host}"
        return web.Response(
            text=render_page(title=config.title, websocket_url=f"{origin}/ws"),
            content_type="text/html",
            headers={
                "Content-Security-Policy": content_security_policy(origin),
                "Cache-Control": "no-store",
                # The address may carry the room code: never pass it on.
                "Referrer-Policy": "no-referrer",
                "X-Content-Type-Options": "nosniff",
            },
        )

    async def end_tabs(app: web.Application) -> None:
        # Runs once the server stopped listening and before it cancels handlers: every
        # guest quits (and leaves the room) before its websocket closes.
        await tabs.close_all()

    app = web.Application(middlewares=[make_guard(config)])
    app.router.add_get("/", index)
    app.router.add_get("/ws", tabs.handle)
    app.router.add_static(STATIC_PREFIX.rstrip("/"), STATIC_DIR, show_index=False)
    app.on_shutdown.append(end_tabs)
    return app


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``.

    Raises:
        UserError: For a busy port, a port we may not use, or an address not of this machine.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host.strip("[]"), port), family=family, backlog=128)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UserError(f"port {port} is in use; pick another with --port") from None
        if exc.errno == errno.EACCES:
            raise UserError(
                f"--port {port}: not allowed for this user; pick one above 1023"
            ) from None
        reason = exc.strerror or str(exc)
        raise UserError(
            f"--host {host}: cannot listen there ({reason}); give an address of this machine, "
            "or 0.0.0.0 for all of them"
        ) from None


async def serve(config: ServeConfig, *, ready: Callable[[int], None]) -> None:
    """Serve until cancelled (Ctrl+C, SIGTERM), then stop every browser's process.

    Args:
        config: What to serve and where.
        ready: Told the port once the server accepts connections.

    Raises:
        UserError: When the server cannot listen (see :func:`bind`).
    """
    sock = bind(config.host, config.port)
    runner = web.AppRunner(
        make_app(config), handle_signals=False, access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT
    )
    await runner.setup()
    try:
        site = web.SockSite(runner, sock, shutdown_timeout=SHUTDOWN_TIMEOUT)
        await site.start()
        ready(int(sock.getsockname()[1]))
        await asyncio.Event().wait()  # until cancelled
    finally:
        await runner.cleanup()
        sock.close()
