"""The served page: our own template (package data), filled with escaped values."""

from __future__ import annotations

import html
from functools import cache
from importlib.resources import files
from string import Template

STATIC_PREFIX = "/static/"
"""Where textual-serve's bundled assets (xterm.js, its CSS, the font) are served."""

FONT_SIZE = 16


@cache
def _template() -> Template:
    return Template(files("rednote_sim.web").joinpath("templates/index.html").read_text("utf-8"))


def render_page(*, title: str, websocket_url: str, font_size: int = FONT_SIZE) -> str:
    """The HTML of the room's page.

    Args:
        title: The page's title (the room's name); shown as text.
        websocket_url: Absolute ``ws://`` URL of this server's websocket (xterm.js needs an
            absolute URL and adds ``?width=…&height=…`` itself).
        font_size: The terminal's font size in CSS pixels.
    """
    return _template().substitute(
        title=html.escape(title),
        websocket_url=html.escape(websocket_url),
        static=STATIC_PREFIX,
        font_size=str(int(font_size)),
    )


def content_security_policy(websocket_origin: str) -> str:
    """The page's CSP: the browser itself refuses anything not from this server.

    Inline styles are the page's own; there is no inline script, so scripts come only
    from ``/static``.
    """
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            f"connect-src 'self' {websocket_origin}",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )
