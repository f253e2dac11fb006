"""Reading files that users hand us: only regular files, with a size bound.

Every file rednote-sim reads on a user's behalf (content TOML, JSONL imports,
model packages, the glossary) is untrusted. Its path may be a symlink to
``/dev/zero`` (endless), a FIFO (blocks forever), a directory named ``x.toml``,
a symlink loop, a dangling link or a file we may not read. Each of those is
one :class:`FileProblem` naming the file, the cause and the fix, instead of a
hang, an out-of-memory kill or a traceback.

The checks are made on the opened descriptor (``fstat``), not on the path, so a
file swapped between the check and the read cannot slip through; the open is
non-blocking, so a FIFO is refused instead of waiting for a writer.

Also here, because every reader of those files needs them:

* :func:`decode_text`: UTF-8 with the line of the first bad byte, and a
  byte-order mark named as such;
* :func:`loads_json`: standard JSON only (no ``NaN``/``Infinity``), a bound on
  nesting, and no lone surrogates (SQLite and UTF-8 output cannot hold them).
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from pathlib import Path
from typing import Any, BinaryIO

from rednote_sim.errors import UserError

MIB = 1 << 20

BOM = b"\xef\xbb\xbf"

MAX_CONTENT_BYTES = 8 * MIB
"""Largest content (TOML) file read; the biggest shipped one is a few KiB."""

MAX_JSON_DEPTH = 64
"""Deepest nesting a JSON document we read may have (ours are 3 levels deep)."""

_SURROGATE = re.compile("[\ud800-\udfff]")


class FileProblem(UserError):
    """A file that cannot be used: what is wrong with it and how to fix that.

    Attributes:
        path: The file.
        line: The 1-based line, for problems inside the text.
        reason: What is wrong, e.g. ``is a directory``.
        fix: What to do about it.
    """

    def __init__(self, path: Path, reason: str, fix: str, *, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        self.fix = fix
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {reason} (fix: {fix})")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _open_error(path: Path, exc: OSError, what: str) -> FileProblem:
    if exc.errno == errno.ENOENT:
        if path.is_symlink():
            target = os.readlink(path)
            return FileProblem(
                path,
                f"is a symbolic link to {target}, which does not exist",
                "point the link at an existing file, or remove it",
            )
        return FileProblem(path, "no such file", f"check the path of the {what}")
    if exc.errno == errno.ELOOP:
        return FileProblem(path, "is a symbolic link loop", "make the link point at a real file")
    if exc.errno == errno.EACCES:
        return FileProblem(path, "permission denied", "make the file readable (chmod u+r)")
    if exc.errno == errno.ENOTDIR:
        return FileProblem(path, "a part of the path is not a directory", "check the path")
    return FileProblem(path, f"cannot open ({exc.strerror or exc})", f"check the {what}")


def open_regular(path: Path, *, max_bytes: int, what: str = "file") -> BinaryIO:
    """Open ``path`` for reading if it is a regular file of at most ``max_bytes``.

    Symbolic links are followed (a linked file is fine); what they lead to must
    be a regular file.

    Args:
        path: The file.
        max_bytes: The largest size accepted.
        what: What the file is, for messages ("scenario file", "package").

    Returns:
        The open binary file (the caller closes it).

    Raises:
        FileProblem: Naming the file, the cause and the fix.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _open_error(path, exc, what) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _kind(info.st_mode)
            link = f" (a symbolic link to {os.readlink(path)})" if path.is_symlink() else ""
            raise FileProblem(
                path, f"is {kind}{link}, not a regular file", f"use a regular {what} here"
            )
        if info.st_size > max_bytes:
            raise FileProblem(
                path,
                f"is too large for a {what} ({_size(info.st_size)}; the limit is "
                f"{_size(max_bytes)})",
                f"check that this is the right {what}",
            )
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: Path, *, max_bytes: int, what: str = "file") -> bytes:
    """The content of a regular file of at most ``max_bytes`` (see :func:`open_regular`)."""
    with open_regular(path, max_bytes=max_bytes, what=what) as file:
        try:
            data = file.read(max_bytes + 1)
        except OSError as exc:
            raise FileProblem(
                path, f"cannot read ({exc.strerror or exc})", "check the file"
            ) from None
    if len(data) > max_bytes:  # it grew after the size check
        raise FileProblem(path, f"grew beyond {_size(max_bytes)} while being read", "try again")
    return data


def decode_text(raw: bytes, path: Path) -> str:
    """UTF-8 text of a file, or a :class:`FileProblem` naming the line of the bad byte."""
    if raw.startswith(BOM):
        raise FileProblem(
            path,
            "starts with a byte-order mark (BOM), which this format does not allow",
            "save the file as UTF-8 without BOM",
            line=1,
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise FileProblem(
            path,
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            "save the file as UTF-8",
            line=line,
        ) from None


def read_text(path: Path, *, max_bytes: int, what: str = "file") -> str:
    """A regular UTF-8 text file of at most ``max_bytes`` (see :func:`open_regular`)."""
    return decode_text(read_bytes(path, max_bytes=max_bytes, what=what), path)


def make_dir(folder: Path, what: str) -> None:
    """Create ``folder`` (and its parents) or raise a UserError naming it and why not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"{folder}: cannot create the {what} ({exc.strerror or exc})") from None


def _size(n: int) -> str:
    if n >= MIB:
        return f"{n / MIB:,.0f} MiB"
    return f"{n:,} bytes"


# --- JSON ---------------------------------------------------------------------------------


class JsonProblem(ValueError):
    """A JSON document that is not standard, safe JSON.

    Attributes:
        field: Dotted path of the offending value, when known.
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def reject_json_constant(name: str) -> Any:
    """A ``parse_constant`` hook for :mod:`json` that refuses ``NaN`` and infinities."""
    raise JsonProblem(f"{name} is not a number in standard JSON")


def loads_json(text: str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse standard JSON: no ``NaN``/``Infinity``, bounded nesting, no lone surrogates.

    Raises:
        JsonProblem: For any of those (``field`` names the value when it can).
        json.JSONDecodeError: For text that is not JSON at all.
    """
    try:
        data = json.loads(text, parse_constant=reject_json_constant)
    except RecursionError:
        raise JsonProblem(f"nested more than {max_depth} levels deep") from None
    check_json_tree(data, max_depth)
    return data


def check_json_tree(data: Any, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Refuse a parsed JSON value nested deeper than ``max_depth`` or holding a lone surrogate.

    Raises:
        JsonProblem: Naming the value (``field``) when it can.
    """
    # Iterative, so a deep document cannot exhaust the stack here either.
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise JsonProblem(
                    "contains a lone surrogate (an invalid \\ud800-\\udfff escape)", where
                )
        elif isinstance(value, dict | list):
            if depth >= max_depth:
                raise JsonProblem(f"nested more than {max_depth} levels deep")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and _SURROGATE.search(key):
                    raise JsonProblem("a key contains a lone surrogate", where)
                stack.append((item, f"{where}.{key}" if where else str(key), depth + 1))
