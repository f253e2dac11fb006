"""``rednote-sim serve``: a real aiohttp server in a real process, fetched over HTTP.

Every test starts the server on 127.0.0.1 (or 0.0.0.0, reached through 127.0.0.1) with
``--port 0`` and reads the port from what it prints, so tests never race for a port.
The suite's socket guard stays on: these tests may connect to 127.0.0.1 only
(``allow_hosts``), and the server process imports the same guard (it only listens).
The server is always stopped with SIGTERM in a ``finally``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import queue
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import aiohttp
import pytest

from rednote_sim.store import Store
from rednote_sim.store.classroom_repo import ClassroomRepo
from rednote_sim.web.addresses import qr_text
from rednote_sim.web.roomcode import ALPHABET, CODE_LENGTH, MAX_WRONG

pytestmark = [pytest.mark.enable_socket, pytest.mark.allow_hosts(["127.0.0.1"])]

STARTUP = 60.0
"""Generous: the machine is shared; these are deadlines, never expectations."""

_URL = re.compile(r"http://(?P<host>[^\s/]+):(?P<port>\d+)/(?:\?code=(?P<code>[A-Z0-9]+))?")


# --- a live session -------------------------------------------------------------------------


async def make_session(db: Path, *, host: str | None = "live") -> str:
    """A session in ``db`` whose host is ``live`` (beating now), ``finished``, ``stale`` or None."""
    async with await Store.open(db) as store:
        session = await store.create_session("arrival", title="Arrival")
        repo = ClassroomRepo.of(store)
        if host is not None:
            now = time.time()
            started = now - 60 if host == "stale" else now
            await repo.start_host(session.id, pid=os.getpid(), mode="workshop", now=started)
            if host == "finished":
                await repo.finish_host(session.id)
        return session.id


# --- the server process ---------------------------------------------------------------------


@dataclass
class Served:
    process: subprocess.Popen[str]
    port: int
    code: str | None
    lines: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _reader(stream: object, into: queue.Queue[str | None]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        into.put(line)
    into.put(None)


def serve_command(db: Path, session: str, host: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "rednote_sim",
        "serve",
        session,
        "--host",
        host,
        "--port",
        "0",
        "--db",
        str(db),
    ]


def driver_command(db: Path, session: str, host: str, tab: Sequence[str]) -> list[str]:
    """``serve`` (through tests/support/serve_driver.py) running ``tab`` for each browser tab."""
    driver = [sys.executable, "-m", "tests.support.serve_driver", str(db), session, host]
    return [*driver, "--", *tab]


async def replay_tabs(tmp_path: Path, personas_dir: Path, host: str) -> list[str]:
    """A hosted workshop session, and a server whose tabs each replay it (no host needed)."""
    from tests.conftest import build_workshop_session

    db = tmp_path / "class.db"
    session = await build_workshop_session(db, personas_dir)
    async with await Store.open(db) as store:
        await ClassroomRepo.of(store).start_host(session, pid=os.getpid(), mode="workshop")
    tab = [sys.executable, "-m", "rednote_sim", "replay", session, "--db", str(db)]
    return driver_command(db, session, host, tab)


@contextmanager
def running(argv: Sequence[str]) -> Iterator[Served]:
    """Start a server process, wait for its address line, SIGTERM it afterwards."""
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8"
    )
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_reader, args=(process.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        deadline = time.monotonic() + STARTUP
        found = None
        while found is None:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"no address printed within {STARTUP} s: {seen}")
            if line is None:
                pytest.fail(f"server ended ({process.wait()}): {seen} {process.stderr.read()}")  # type: ignore[union-attr]
            seen.append(line)
            found = _URL.search(line)
        # The rest of the banner (the QR code) follows the first address.
        while not seen[-1].startswith("each browser tab"):
            line = lines.get(timeout=STARTUP)
            assert line is not None, seen
            seen.append(line)
        yield Served(process, int(found["port"]), found["code"], seen)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STARTUP)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise


@asynccontextmanager
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    # unsafe=True: aiohttp's jar keeps no cookies for IP addresses unless told to;
    # browsers keep them (the room code's cookie is for 127.0.0.1 here).
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        yield session


# --- what the page references ---------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def page_links(html: str) -> list[str]:
    """Every href/src in the page and every url(...) in its inline CSS."""
    parser = _Links()
    parser.feed(html)
    css = re.findall(r"""url\(\s*["']?([^"')]+)["']?\s*\)""", html)
    return parser.links + css


def external_urls(text: str, own: str) -> list[str]:
    """http(s)/ws(s) URLs in ``text`` that are not ``own`` (the server's host:port)."""
    found = re.findall(r"""(?:https?|wss?)://[^\s"'<>)]+""", text)
    return [url for url in found if url.split("/")[2] != own]


def without_css_comments(css: str) -> str:
    # xterm.css keeps its licence notice (a comment naming the project's site): text, never
    # a request. Anything a browser would load (url(), @import) is outside comments.
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


# --- tests ----------------------------------------------------------------------------------


async def test_the_page_and_every_asset_come_from_the_server(tmp_path: Path) -> None:
    db = tmp_path / "class.db"
    session = await make_session(db)
    with running(serve_command(db, session, "127.0.0.1")) as served:
        assert served.code is None  # loopback: no room code
        assert f"serving session {session} on this machine" in served.lines[0]
        own = f"127.0.0.1:{served.port}"
        async with client() as http:
            async with http.get(served.base + "/") as page:
                assert page.status == 200
                html = await page.text()
                csp = page.headers["Content-Security-Policy"]
            assert "default-src 'self'" in csp
            assert "googleapis" not in html and "gstatic" not in html
            assert external_urls(html, own) == []
            links = page_links(html)
            assert {"/static/js/textual.js", "/static/css/xterm.css"} <= set(links)
            assert any(link.endswith(".ttf") for link in links)  # the font, from here
            for link in links:
                assert link.startswith("/static/") or link == "/", link
                async with http.get(served.base + link) as asset:
                    assert asset.status == 200, link
                    body = await asset.read()
                assert body, link
                text = body.decode("utf-8", "replace")
                if link.endswith(".css"):
                    text = without_css_comments(text)
                if link.endswith((".js", ".css")):
                    assert external_urls(text, own) == [], link
            # The websocket the page opens is this server's.
            assert f'data-session-websocket-url="ws://{own}/ws"' in html
            # No directory listings of the assets.
            async with http.get(served.base + "/static/") as listing:
                assert listing.status in (403, 404)


async def test_on_the_network_every_route_needs_the_room_code(tmp_path: Path) -> None:
    db = tmp_path / "class.db"
    session = await make_session(db)
    with running(serve_command(db, session, "0.0.0.0")) as served:
        code = served.code
        assert code is not None and len(code) == CODE_LENGTH
        assert set(code) <= set(ALPHABET)
        banner = "".join(served.lines)
        assert f"room code {code}" in banner
        # The QR code of the printed address, drawn in the terminal.
        url = _URL.search(banner)
        assert url is not None
        assert qr_text(url.group(0)) in banner
        assets = ["/", "/static/js/textual.js", "/static/css/xterm.css"]
        async with client() as stranger:
            for path in assets:
                async with stranger.get(served.base + path) as refused:
                    assert refused.status == 403, path
                    assert "room code" in await refused.text()
            async with stranger.get(served.base + "/?code=WRONG1") as wrong:
                assert wrong.status == 403
            async with stranger.get(served.base + f"/static/js/textual.js?code={code[::-1]}") as r:
                assert r.status == (200 if code[::-1] == code else 403)
            with pytest.raises(aiohttp.WSServerHandshakeError) as ws_refused:
                await stranger.ws_connect(served.base + "/ws?width=80&height=24")
            assert ws_refused.value.status == 403
            assert len(stranger.cookie_jar) == 0

        async with client() as learner:
            async with learner.get(served.base + f"/?code={code.lower()}") as page:
                assert page.status == 200
                html = await page.text()
            assert len(learner.cookie_jar) == 1
            for path in page_links(html):  # the assets, with the cookie only
                async with learner.get(served.base + path) as asset:
                    assert asset.status == 200, path
            ws = await learner.ws_connect(served.base + "/ws?width=80&height=24")
            await ws.close()


async def test_guessing_the_code_locks_that_address_out(tmp_path: Path) -> None:
    db = tmp_path / "class.db"
    session = await make_session(db)
    with running(serve_command(db, session, "0.0.0.0")) as served:
        code = served.code
        assert code is not None
        wrong = "".join(ALPHABET[(ALPHABET.index(c) + 1) % len(ALPHABET)] for c in code)
        async with client() as guesser:
            async with guesser.get(served.base + "/") as no_code:  # not a guess
                assert no_code.status == 403
            for _ in range(MAX_WRONG):
                async with guesser.get(served.base + f"/?code={wrong}") as refused:
                    assert refused.status == 403
            async with guesser.get(served.base + f"/?code={code}") as locked:
                assert locked.status == 429  # even the right code, for a while
                assert "too many wrong room codes" in await locked.text()


async def test_a_loopback_room_refuses_other_host_names_and_other_sites(tmp_path: Path) -> None:
    db = tmp_path / "class.db"
    session = await make_session(db)
    with running(serve_command(db, session, "127.0.0.1")) as served:
        async with client() as http:
            # A page elsewhere whose name was rebound to 127.0.0.1 sends its own Host.
            async with http.get(served.base + "/", headers={"Host": "evil.test"}) as rebound:
                assert rebound.status == 403
            async with http.get(
                served.base + "/", headers={"Host": f"localhost:{served.port}"}
            ) as local:
                assert local.status == 200
            with pytest.raises(aiohttp.WSServerHandshakeError) as other_site:
                await http.ws_connect(
                    served.base + "/ws?width=80&height=24", origin="http://evil.test"
                )
            assert other_site.value.status == 403


async def test_the_websocket_runs_a_room_for_each_tab_and_sigterm_ends_it(
    tmp_path: Path, personas_dir: Path
) -> None:
    with running(await replay_tabs(tmp_path, personas_dir, "0.0.0.0")) as served:
        async with client() as browser:
            async with browser.get(served.base + f"/?code={served.code}") as page:
                assert page.status == 200
            ws = await browser.ws_connect(served.base + "/ws?width=100&height=30")
            await ws.send_json(["resize", {"width": 100, "height": 30}])
            screen = await _screen_until(ws, "Arrival")
            assert "Arrival" in screen
            process = served.process
            process.send_signal(signal.SIGTERM)
            assert await asyncio.to_thread(process.wait, STARTUP) == 143
            closed = await asyncio.wait_for(ws.receive(), STARTUP)
            while closed.type not in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                closed = await asyncio.wait_for(ws.receive(), STARTUP)
            await ws.close()
        assert "server stopped" in (process.stderr.read() if process.stderr else "")
    # The port is free again.
    with socket.create_server(("127.0.0.1", served.port)):
        pass


_STUBBORN_TAB = """
import os, signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
with open(sys.argv[1], "w") as out:
    out.write(str(os.getpid()))
sys.stdout.write("__GANGLION__\\n")
sys.stdout.flush()
time.sleep(600)
"""
"""A tab's process that ignores quit and SIGTERM: it says it started, then hangs."""


async def test_a_tab_whose_process_will_not_quit_is_killed_when_the_server_stops(
    tmp_path: Path,
) -> None:
    db = tmp_path / "class.db"
    session = await make_session(db)
    pid_file = tmp_path / "tab.pid"
    tab = [sys.executable, "-c", _STUBBORN_TAB, str(pid_file)]
    with running(driver_command(db, session, "127.0.0.1", tab)) as served:
        async with client() as browser:
            ws = await browser.ws_connect(served.base + "/ws?width=80&height=24")
            await asyncio.to_thread(
                _until, lambda: pid_file.exists() and pid_file.read_text(), "tab"
            )
            pid = int(pid_file.read_text())
            served.process.send_signal(signal.SIGTERM)
            assert await asyncio.to_thread(served.process.wait, STARTUP) == 143
            await ws.close()
        stderr = served.process.stderr.read() if served.process.stderr else ""
    assert "a guest's process did not quit" in stderr, stderr
    # No process outlives the server (it was killed and reaped, not left behind).
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


async def test_a_malformed_websocket_message_is_ignored_and_the_tab_goes_on(
    tmp_path: Path, personas_dir: Path
) -> None:
    with running(await replay_tabs(tmp_path, personas_dir, "127.0.0.1")) as served:
        async with client() as browser:
            ws = await browser.ws_connect(served.base + "/ws?width=100&height=30")
            await _screen_until(ws, "Arrival")
            for junk in ("not json", "{}", "[]", '["stdin", 5]', '["resize", {"width": "x"}]'):
                await ws.send_str(junk)
            await ws.send_bytes(b"\x00binary")
            await ws.send_json(["ping", "still there?"])
            while True:  # the tab's screen updates may come first
                message = await asyncio.wait_for(ws.receive(), STARTUP)
                assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message
                if message.type == aiohttp.WSMsgType.TEXT:
                    break
            assert json.loads(message.data) == ["pong", "still there?"]
            await ws.close()


async def _screen_until(ws: aiohttp.ClientWebSocketResponse, wanted: str) -> str:
    """What the tab's process drew (escape sequences stripped), until ``wanted`` shows.

    The stream is decoded whole each time: a frame may end inside a character or an
    escape sequence.
    """
    raw = b""
    drawn = ""
    deadline = time.monotonic() + STARTUP
    while wanted not in drawn:
        left = deadline - time.monotonic()
        if left <= 0:
            pytest.fail(f"{wanted!r} not drawn within {STARTUP} s: {drawn[-500:]!r}")
        message = await asyncio.wait_for(ws.receive(), left)
        if message.type == aiohttp.WSMsgType.BINARY:
            raw += message.data
            drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw.decode("utf-8", "replace"))
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            pytest.fail(f"the tab's process ended: {drawn[-500:]!r}")
    return drawn


async def test_ctrl_c_stops_the_server_and_frees_the_port(tmp_path: Path) -> None:
    db = tmp_path / "class.db"
    session = await make_session(db)
    with running(serve_command(db, session, "127.0.0.1")) as served:
        served.process.send_signal(signal.SIGINT)
        assert await asyncio.to_thread(served.process.wait, STARTUP) == 130
        stderr = served.process.stderr.read() if served.process.stderr else ""
    assert stderr == "server stopped\n"
    with socket.create_server(("127.0.0.1", served.port)):
        pass


@pytest.mark.parametrize("host", [None, "finished", "stale"])
async def test_a_session_that_is_not_live_is_not_served(tmp_path: Path, host: str | None) -> None:
    db = tmp_path / "class.db"
    session = await make_session(db, host=host)
    done = subprocess.run(
        serve_command(db, session, "127.0.0.1"), capture_output=True, text=True, timeout=STARTUP
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"error: session {session} is not live: ")
    assert "rednote-sim workshop" in lines[0]
    assert done.stdout == ""


def test_a_missing_database_is_one_line_and_is_not_created(tmp_path: Path) -> None:
    db = tmp_path / "typo.db"
    done = subprocess.run(
        serve_command(db, "latest", "127.0.0.1"), capture_output=True, text=True, timeout=STARTUP
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {db}: no database here")
    assert done.stderr.count("\n") == 1
    assert not db.exists()


def test_a_busy_port_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "class.db"
    session = asyncio.run(make_session(db))
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        argv = serve_command(db, session, "127.0.0.1")
        argv[argv.index("0")] = str(port)
        done = subprocess.run(argv, capture_output=True, text=True, timeout=STARTUP)
    assert done.returncode == 2
    assert done.stderr == f"error: port {port} is in use; pick another with --port\n"


_FONT_LOADED = """
document.fonts.load("16px 'Roboto Mono'").then(
  (faces) => faces.filter((face) => face.status === "loaded").length
)
"""


def test_a_browser_renders_the_room_with_no_request_beyond_the_server(
    tmp_path: Path, personas_dir: Path
) -> None:
    """Headless Chromium opens the printed address: the room draws, everything is ours."""
    from tests.conftest import build_workshop_session
    from tests.support.chromium import DevTools, chromium_path

    binary = chromium_path()
    db = tmp_path / "class.db"
    session = asyncio.run(build_workshop_session(db, personas_dir))

    async def host() -> None:
        async with await Store.open(db) as store:
            await ClassroomRepo.of(store).start_host(session, pid=os.getpid(), mode="workshop")

    asyncio.run(host())
    tab = [sys.executable, "-m", "rednote_sim", "replay", session, "--db", str(db)]
    argv = [sys.executable, "-m", "tests.support.serve_driver", str(db), session, "0.0.0.0"]
    with running([*argv, "--", *tab]) as served:
        tools = DevTools(binary, tmp_path / "chromium-profile")
        try:
            target = tools.call("Target.createTarget", browser=True, url="about:blank")
            attached = tools.call(
                "Target.attachToTarget", browser=True, targetId=target["targetId"], flatten=True
            )
            tools.session = attached["sessionId"]
            tools.call("Network.enable")
            tools.call("Page.enable")
            tools.call("Page.navigate", url=f"{served.base}/?code={served.code}")
            tools.wait_for("Page.loadEventFired")
            deadline = time.monotonic() + STARTUP
            # The page's script adds -first-byte once the tab's process has drawn.
            while not tools.evaluate("document.body.classList.contains('-first-byte')"):
                assert time.monotonic() < deadline, "the room never drew in the browser"
                time.sleep(0.2)  # polling for a condition, with a deadline above
            loaded = tools.call(
                "Runtime.evaluate",
                expression=_FONT_LOADED,
                awaitPromise=True,
                returnByValue=True,
            )
            assert loaded["result"]["value"] >= 1  # the bundled font, not Google's
        finally:
            tools.close()
    urls = [
        e["params"]["request"]["url"]
        for e in tools.events
        if e["method"] == "Network.requestWillBeSent"
    ]
    sockets = [
        e["params"]["url"] for e in tools.events if e["method"] == "Network.webSocketCreated"
    ]
    assert sockets == [f"ws://127.0.0.1:{served.port}/ws?width={sockets[0].split('width=')[1]}"]
    assert any(url.endswith("/static/js/textual.js") for url in urls)
    assert [url for url in urls + sockets if url.split("/")[2] != f"127.0.0.1:{served.port}"] == []
    failed = [e["params"] for e in tools.events if e["method"] == "Network.loadingFailed"]
    assert failed == []


# --- with the real guest: `join` in each tab, a real host ----------------------------------


def _has_join() -> bool:
    from rednote_sim.cli import cli

    return "join" in cli.commands


def _rows(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as raw:
        try:
            return list(raw.execute(sql, params))
        except sqlite3.OperationalError:  # the host has not created its tables yet
            return []


def _until(check: Callable[[], object], what: str) -> object:
    deadline = time.monotonic() + STARTUP
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@contextmanager
def headless_host(db: Path) -> Iterator[str]:
    """`demo --headless --keep-open` on ``db``: a real host; yields its session id."""
    argv = [sys.executable, "-m", "rednote_sim", "demo", "--headless", "--keep-open"]
    process = subprocess.Popen(
        [*argv, "--seed", "4", "--speed", "1", "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def beating() -> str | None:
            assert process.poll() is None, "the host exited"
            if not db.exists():
                return None
            rows = _rows(db, "SELECT session_id FROM hosts WHERE finished = 0")
            return str(rows[0][0]) if rows else None

        yield str(_until(beating, "the host's heartbeat"))
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=STARTUP)


@pytest.mark.skipif(not _has_join(), reason="needs the `join` command (branch class-join)")
async def test_a_browser_tab_asks_for_a_name_and_joins_as_a_guest(tmp_path: Path) -> None:
    db = tmp_path / "class.db"
    with headless_host(db) as session, running(serve_command(db, "latest", "0.0.0.0")) as served:
        async with client() as browser:
            async with browser.get(served.base + f"/?code={served.code}") as page:
                assert page.status == 200
            ws = await browser.ws_connect(served.base + "/ws?width=100&height=30")
            await ws.send_json(["resize", {"width": 100, "height": 30}])
            await _screen_until(ws, "Join the class")
            await ws.send_json(["stdin", "Ana\r"])

            def present() -> bool:
                rows = _rows(db, "SELECT name FROM guests WHERE session_id = ?", session)
                return ("Ana",) in rows

            await asyncio.to_thread(_until, present, "Ana in the room's guests")
            served.process.send_signal(signal.SIGTERM)
            assert await asyncio.to_thread(served.process.wait, STARTUP) == 143

            # The server ends its tabs' guests before it exits (the test's websocket, like
            # a stalled browser, never answers the close): Ana has already left the room.
            rows = _rows(db, "SELECT left_at FROM guests WHERE name = 'Ana'")
            stderr = served.process.stderr.read() if served.process.stderr else ""
            assert rows and rows[0][0] is not None, (rows, stderr)
            await ws.close()
