"""Making message text safe to print: text is data, never terminal control.

Messages may contain ANSI escapes, other control characters and bidi
overrides. Printed raw, they could recolour or rewrite the user's terminal, so
anything that is not printable text is shown as a visible escape instead.
Ordinary Unicode (Chinese, emoji with their joiners and variation selectors)
passes through untouched.
"""

from __future__ import annotations

import re

# Bidi controls that can reorder the rest of a line (the "Trojan Source" set).
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Invisible format characters (zero-width space, direction marks, BOM, soft hyphen):
# not controls, but they hide text or change reading order in some terminals.
# ZWJ/ZWNJ (U+200D/U+200C) stay: emoji sequences and Persian spelling need them.
_INVISIBLE = "\u00ad\u061c\u180e\u200b\u200e\u200f\u2060-\u2064\ufeff"
_UNSAFE = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}{_INVISIBLE}]")


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
