"""Making message text safe to print: text is data, never terminal control.

Messages may contain ANSI escapes, other control characters and bidi
overrides. Printed raw, they could recolour or rewrite the user's terminal, so
anything that is not printable text is shown as a visible escape instead.
Ordinary Unicode (Chinese, emoji with their joiners and variation selectors)
passes through untouched.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Bidi controls that can reorder the rest of a line (the "Trojan Source" set).
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Invisible format characters (zero-width space, direction marks, BOM, soft hyphen):
# not controls, but they hide text or change reading order in some terminals.
# ZWJ/ZWNJ (U+200D/U+200C) stay: emoji sequences and Persian spelling need them.
_INVISIBLE = "\u00ad\u061c\u180e\u200b\u200e\u200f\u2060-\u2064\ufeff"
# Lone surrogates (from argv bytes that were not UTF-8, or a JSON "\\ud800"): they
# cannot even be encoded for output, so they are shown as escapes too.
_SURROGATES = "\ud800-\udfff"
_UNSAFE = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}{_INVISIBLE}{_SURROGATES}]")
# In JSON output: everything above except C0 (json.dumps escapes it), plus the line and
# paragraph separators, which some readers take for line breaks.
_UNSAFE_IN_JSON = re.compile(rf"[\x7f-\x9f\u2028\u2029{_BIDI}{_INVISIBLE}{_SURROGATES}]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    r"""Replace control characters and bidi overrides with visible escapes.

    Newlines and tabs are kept; everything else in C0/C1 (ESC included) becomes
    ``\x1b``-style text, and bidi overrides and invisible format characters
    become ``\u202e``-style text.
    """
    return _UNSAFE.sub(_escape, text)


def is_plain_line(text: str) -> bool:
    """True if ``text`` is one line that :func:`visible` would print unchanged.

    For short labels read from files or a database (a persona's name, handle or
    avatar): no line breaks, tabs, control characters, bidi overrides or
    invisible format characters.
    """
    return "\n" not in text and "\t" not in text and _UNSAFE.search(text) is None


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(value: Any, *, indent: int | None = None) -> str:
    r"""``value`` as standard JSON that is safe to print (one line unless ``indent``).

    Like ``json.dumps(value, ensure_ascii=False)`` (Chinese and emoji stay
    readable), but C1 controls, bidi overrides, invisible format characters and
    lone surrogates are written as ``\u202e``-style escapes, which any JSON
    reader turns back into the same text. ``NaN`` and infinities are refused
    (they are not JSON).

    Raises:
        ValueError: For a float that is not finite.
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, indent=indent)
    return _UNSAFE_IN_JSON.sub(_json_escape, text)
