"""The HTML handout in a real headless Chromium: Chinese renders with a Chinese font,
nothing overflows (phone, desktop and print widths), and it prints to PDF.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
commands on fd 3, replies on fd 4, NUL-separated JSON), not a TCP port, so the
suite's socket guard stays on. Under CI=true a missing Chromium fails the test.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rednote_sim.content import load_cast
from rednote_sim.domain.terms import HAN
from rednote_sim.export.formats import export_session
from rednote_sim.store import Store
from tests.conftest import WorkshopSession
from tests.support.chromium import DevTools, chromium_path

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
