"""The HTML handout in a real headless Chromium: Chinese renders with a Chinese font,
nothing overflows (phone, desktop and print widths), and it prints to PDF.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
commands on fd 3, replies on fd 4, NUL-separated JSON), not a TCP port, so the
suite's socket guard stays on. Under CI=true a missing Chromium fails the test.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import re
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rednote_sim.content import load_cast
from rednote_sim.domain.terms import HAN
from rednote_sim.export.formats import export_session
from rednote_sim.store import Store
from tests.conftest import WorkshopSession

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--remote-debugging-pipe",
]

# Width, height, media: a phone, a laptop, and A4 paper (210 mm at 96 dpi, minus margins).
VIEWPORTS = [(375, 800, "screen"), (1280, 900, "screen"), (696, 1000, "print")]

_OVERFLOW = """
(() => {
  const width = document.documentElement.clientWidth;
  const bad = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width && (r.right > width + 0.5 || r.left < -0.5)) {
      bad.push(`${el.tagName}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
    } else if (el.clientWidth && el.scrollWidth > el.clientWidth + 1) {
      bad.push(`${el.tagName}.${el.className} content ${el.scrollWidth} > ${el.clientWidth}`);
    }
  }
  return JSON.stringify({
    width, scrollWidth: document.documentElement.scrollWidth, bad: bad.slice(0, 10),
    articles: document.querySelectorAll('article.msg').length,
    scripts: document.scripts.length,
  });
})()
"""


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "chromium is not installed (Debian: apt-get install -y chromium fonts-noto-cjk)"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return found


class DevTools:
    """A minimal DevTools-protocol client over Chromium's debugging pipe."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        # Chromium reads commands on fd 3 and writes replies on fd 4. Park the child's
        # ends above 10 first, so moving them onto 3 and 4 cannot clobber one another.
        # (Our own ends are not inheritable, so the child never holds them.)
        parked = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_chrome_r, from_chrome_w)]
        os.close(to_chrome_r)
        os.close(from_chrome_w)

        def wire() -> None:
            os.dup2(parked[0], 3)
            os.dup2(parked[1], 4)

        self.proc = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"],
            preexec_fn=wire,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for fd in parked:
            os.close(fd)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session = ""

    def close(self) -> None:
        with contextlib.suppress(AssertionError, OSError, TimeoutError):
            self.call("Browser.close", browser=True, timeout=10)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("chromium did not answer in time")
            ready, _, _ = select.select([self._from_chrome], [], [], left)
            if ready:
                chunk = os.read(self._from_chrome, 1 << 16)
                if not chunk:
                    raise OSError("chromium closed the debugging pipe")
                self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        message: dict[str, Any] = json.loads(raw)
        return message

    def call(
        self, method: str, *, browser: bool = False, timeout: float = 60, **params: Any
    ) -> dict[str, Any]:
        self._next_id += 1
        request: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if not browser:
            request["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(request).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            message = self._read(deadline)
            if message.get("id") == self._next_id:
                assert "error" not in message, (method, message["error"])
                result: dict[str, Any] = message.get("result", {})
                return result
            if "method" in message:
                self.events.append(message)

    def wait_for(self, event: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not any(e["method"] == event for e in self.events):
            message = self._read(deadline)
            if "method" in message:
                self.events.append(message)

    def open(self, url: str) -> None:
        target = self.call("Target.createTarget", browser=True, url="about:blank")["targetId"]
        attached = self.call("Target.attachToTarget", browser=True, targetId=target, flatten=True)
        self.session = attached["sessionId"]
        self.call("Page.enable")
        self.events.clear()
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[DevTools]:
    tools = DevTools(chromium_path(), tmp_path / "chromium-profile")
    try:
        yield tools
    finally:
        tools.close()


@pytest.fixture
async def handout(workshop_session: WorkshopSession, personas_dir: Path, tmp_path: Path) -> Path:
    out = tmp_path / "handout.html"
    async with await Store.open(workshop_session.db) as store:
        await export_session(store, "latest", "html", out, cast=load_cast(personas_dir))
    return out


def cjk_font_families() -> set[str]:
    """Families fontconfig says cover Chinese (empty when fc-list is not there)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return set()
    listed = subprocess.run(
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30, check=False
    ).stdout
    return {name.strip() for line in listed.splitlines() for name in line.split(",") if name}


def test_chinese_renders_with_a_chinese_font(browser: DevTools, handout: Path) -> None:
    browser.open(handout.as_uri())
    browser.call("DOM.enable")
    browser.call("CSS.enable")
    root = browser.call("DOM.getDocument", depth=-1)["root"]["nodeId"]
    chinese_fonts = cjk_font_families()
    for selector in ("h1 .zh", "#m6 p.original", "section.vocab td.zh"):
        found = browser.call("DOM.querySelectorAll", nodeId=root, selector=selector)["nodeIds"]
        assert found, f"{selector} is not in the DOM"
        node = found[0]
        text = browser.call("DOM.describeNode", nodeId=node, depth=-1)["node"]
        han = len(HAN.findall(_node_text(text)))
        assert han > 0, selector
        fonts = browser.call("CSS.getPlatformFontsForNode", nodeId=node)["fonts"]
        used = {f["familyName"]: int(f["glyphCount"]) for f in fonts}
        if chinese_fonts:
            cjk = sum(n for name, n in used.items() if name in chinese_fonts)
        else:  # no fontconfig listing: go by the usual names of Chinese fonts
            cjk = sum(
                n
                for name, n in used.items()
                if any(k in name for k in ("CJK", "Hei", "Song", "Ming", "Han", "Fallback"))
            )
        # Every Chinese character was drawn by a font that has Chinese (no tofu boxes).
        assert cjk >= han, (
            f"{selector}: {han} Chinese characters but fonts used were {used}; install a CJK "
            "font (Debian: fonts-noto-cjk)"
        )
    text = browser.evaluate("document.querySelector('#m6 p.original').textContent")
    assert text.startswith("救命，一觉醒来我的小红书")


def _node_text(node: dict[str, Any]) -> str:
    own = node.get("nodeValue", "") if node.get("nodeType") == 3 else ""
    return own + "".join(_node_text(child) for child in node.get("children", []))


def test_nothing_overflows_on_a_phone_a_laptop_or_paper(browser: DevTools, handout: Path) -> None:
    browser.open(handout.as_uri())
    for width, height, media in VIEWPORTS:
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 600,
        )
        browser.call("Emulation.setEmulatedMedia", media=media)
        report = json.loads(browser.evaluate(_OVERFLOW))
        where = f"{width}px {media}"
        assert report["scrollWidth"] <= report["width"], (where, report)
        assert report["bad"] == [], (where, report)
        assert report["articles"] > 30 and report["scripts"] == 0, (where, report)


def test_it_prints_to_a_multi_page_pdf(browser: DevTools, handout: Path) -> None:
    browser.open(handout.as_uri())
    pdf = base64.b64decode(browser.call("Page.printToPDF", preferCSSPageSize=True)["data"])
    assert pdf.startswith(b"%PDF-")
    # Skia writes one uncompressed "/Type /Page" dictionary per page. The conversation,
    # the phrasebook and the MT errors each start on a new page: at least three.
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages >= 3, pages
