r"""A streaming reader for one big JSON object whose ``messages`` array is huge.

Chat exports are a single JSON document: a few header fields, then an array of
every message. ``json.load`` would hold the whole export, and every message as
Python objects, at once (a 150 MiB file becomes well over a gigabyte). This
reader walks the top-level object itself and hands out the streamed array's
elements one at a time; each element (a message, a few KiB) and every other
top-level value is parsed by :class:`json.JSONDecoder` (C speed) from a buffer
that only ever holds the current chunk and the value being read.

It keeps the promises of :func:`rednote_sim.safefiles.loads_json`: standard JSON
only (no ``NaN``), bounded nesting, no lone surrogates, and a bound on the size
of any one value. Every error knows its line, and says when the file simply
ends early (an export that was cut off).

Telegram Desktop writes control characters other than ``\n``, ``\r`` and
``\t`` as ``\xHH``, which is not JSON; with ``x_escapes`` those are read as
the characters they stand for (``\u00HH``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rednote_sim.safefiles import MIB, JsonProblem, check_json_tree, reject_json_constant

MAX_VALUE_CHARS = 16 * MIB
"""Largest single value (one message) read; a real message is a few KiB."""

_COMPACT_AT = 512 * 1024
"""Drop what was read from the buffer once this much of it has been used."""

_WHITESPACE = " \t\n\r"

# What the rest of a file can be when it was cut off in the middle of a literal.
_PARTIAL_LITERAL = re.compile(
    r"(t(r(ue?)?)?|f(a(l(se?)?)?)?|n(u(ll?)?)?|-?[0-9]*\.?[0-9]*([eE][-+]?[0-9]*)?)"
)
_X_ESCAPE = re.compile(r"\\x([0-9A-Fa-f]{2})")


class JsonStreamError(ValueError):
    """The file is not the JSON the reader expects.

    Attributes:
        line: 1-based line of the problem.
        reason: What is wrong.
        truncated: True when the file ends before the JSON does.
    """

    def __init__(self, line: int, reason: str, *, truncated: bool = False) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason
        self.truncated = truncated


@dataclass(frozen=True, slots=True)
class Field:
    """A top-level key and its whole value."""

    key: str
    value: Any
    line: int


@dataclass(frozen=True, slots=True)
class Item:
    """One element of the streamed array and the line it starts on."""

    index: int
    value: Any
    line: int


class JsonStream:
    r"""Reads one JSON object from text chunks (see the module docstring).

    Args:
        chunks: The decoded text, in pieces of any size.
        x_escapes: Read ``\xHH`` (Telegram's escape for control characters) as ``\u00HH``.
        max_value_chars: Largest value read whole.
    """

    def __init__(
        self,
        chunks: Iterator[str],
        *,
        x_escapes: bool = False,
        max_value_chars: int = MAX_VALUE_CHARS,
    ) -> None:
        self._chunks = chunks
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._line = 1  # line at self._counted
        self._counted = 0  # buffer index up to which newlines are counted
        self._x_escapes = x_escapes
        self._max = max_value_chars
        self._decoder = json.JSONDecoder(parse_constant=reject_json_constant)

    # --- the buffer ---------------------------------------------------------------------------

    def _fill(self) -> bool:
        """Append the next chunk; False at the end of the text."""
        if self._eof:
            return False
        for chunk in self._chunks:
            if chunk:
                if self._pos >= _COMPACT_AT:
                    self.line_at(self._pos)
                    self._buf = self._buf[self._pos :]
                    self._counted -= self._pos
                    self._pos = 0
                self._buf += chunk
                return True
        self._eof = True
        return False

    def line_at(self, pos: int) -> int:
        """The line of buffer index ``pos`` (never before one already asked for)."""
        if pos > self._counted:
            self._line += self._buf.count("\n", self._counted, pos)
            self._counted = pos
        return self._line

    @property
    def line(self) -> int:
        """The line of the reading position."""
        return self.line_at(self._pos)

    def _peek(self) -> str:
        """The next character that is not whitespace ("" at the end), not consumed."""
        while True:
            while self._pos < len(self._buf) and self._buf[self._pos] in _WHITESPACE:
                self._pos += 1
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if not self._fill():
                return ""

    def _expect(self, allowed: str, what: str) -> str:
        char = self._peek()
        if char == "":
            raise JsonStreamError(
                self.line, f"the file ends where {what} should be", truncated=True
            )
        if char not in allowed:
            raise JsonStreamError(self.line, f"expected {what}, found {char!r}")
        self._pos += 1
        return char

    # --- values -------------------------------------------------------------------------------

    def value(self) -> Any:
        """Read one whole JSON value at the reading position, checked."""
        if self._peek() == "":
            raise JsonStreamError(
                self.line, "the file ends where a value should be", truncated=True
            )
        start_line = self.line
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buf, self._pos)
            except JsonProblem as exc:
                raise JsonStreamError(start_line, str(exc)) from None
            except RecursionError:
                raise JsonStreamError(start_line, "nested too deeply") from None
            except json.JSONDecodeError as exc:
                if (
                    self._x_escapes
                    and exc.msg.startswith("Invalid \\escape")
                    and self._fix_x(exc.pos)
                ):
                    continue
                rest = self._buf[exc.pos :]
                incomplete = self._incomplete(exc.msg, rest)
                # Near the end of the buffer, an escape or literal may be cut by the chunk.
                if (incomplete or len(rest) <= 8) and self._more(start_line):
                    continue
                line = self.line_at(exc.pos)
                if incomplete:
                    raise JsonStreamError(
                        line, "the file ends in the middle of a value", truncated=True
                    ) from None
                raise JsonStreamError(line, f"not valid JSON ({exc.msg.lower()})") from None
            # A number that ends where the buffer ends may go on in the next chunk.
            if end == len(self._buf) and self._more(start_line):
                continue
            break
        try:
            check_json_tree(value)
        except JsonProblem as exc:
            where = f" ({exc.field})" if exc.field else ""
            raise JsonStreamError(start_line, f"{exc}{where}") from None
        self._pos = end
        return value

    def _more(self, start_line: int) -> bool:
        """Read more of a value that does not end in the buffer yet; False at the end."""
        if len(self._buf) - self._pos > self._max:
            raise JsonStreamError(
                start_line, f"a value larger than {self._max // MIB} MiB (one message is a few KiB)"
            )
        return self._fill()

    def _fix_x(self, pos: int) -> bool:
        match = _X_ESCAPE.match(self._buf, pos)
        if match is None:
            return False
        self._buf = f"{self._buf[:pos]}\\u00{match.group(1)}{self._buf[match.end() :]}"
        return True

    @staticmethod
    def _incomplete(message: str, rest: str) -> bool:
        """Whether a decoding error means "the text stops here" rather than "this is wrong"."""
        rest = rest.strip()
        return (
            message.startswith("Unterminated string")
            or not rest
            or bool(_PARTIAL_LITERAL.fullmatch(rest))
        )

    def _key(self) -> str:
        char = self._peek()
        if char == "":
            raise JsonStreamError(self.line, "the file ends where a key should be", truncated=True)
        if char != '"':
            raise JsonStreamError(self.line, "expected a key in double quotes")
        key = self.value()
        assert isinstance(key, str)
        return key

    # --- the top level ------------------------------------------------------------------------

    def top_level(self, streamed: str) -> Iterator[Field | Item]:
        """Walk the top-level object: each key with its value, but ``streamed`` item by item.

        The value of ``streamed``, when it is an array, comes as :class:`Item` values
        (then a :class:`Field` with ``None`` marks its end); every other key as a
        :class:`Field`. A top level that is not an object is one :class:`Field` with key "".

        Raises:
            JsonStreamError: For anything that is not JSON, or a file that ends early.
        """
        if self._peek() != "{":
            line = self.line
            yield Field("", self.value(), line)
            self._end()
            return
        self._pos += 1
        if self._peek() == "}":
            self._pos += 1
            self._end()
            return
        while True:
            self._peek()
            line = self.line
            key = self._key()
            self._expect(":", "':' after a key")
            if key == streamed and self._peek() == "[":
                yield from self._items()
                yield Field(key, None, line)
            else:
                yield Field(key, self.value(), line)
            if self._expect(",}", "',' or '}'") == "}":
                break
        self._end()

    def _items(self) -> Iterator[Item]:
        self._pos += 1  # "["
        if self._peek() == "]":
            self._pos += 1
            return
        index = 0
        while True:
            self._peek()  # the element's line, not the line of the comma before it
            line = self.line
            yield Item(index, self.value(), line)
            index += 1
            if self._expect(",]", "',' or ']' after an element") == "]":
                return

    def _end(self) -> None:
        if self._peek() != "":
            raise JsonStreamError(self.line, "more text after the end of the JSON document")
