"""What the two JSON readers (Discord, Telegram) share: streaming, errors, field checks.

Both exports are one object with a few header fields and a ``messages`` array;
:func:`stream_messages` walks it with :class:`JsonStream` and turns its errors
into one line naming the file, the line, and the message (the last one read,
when the file was cut off), with what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from rednote_sim.domain import ChatSource
from rednote_sim.errors import ContentError
from rednote_sim.importers.jsonstream import Item, JsonStream, JsonStreamError
from rednote_sim.importers.model import ChatMessage, ReadNotes, message_ref, problem
from rednote_sim.importers.source import open_text

HeaderHandler = Callable[[str, Any, int], None]
"""Told each top-level field that is not the messages: (key, value, line)."""


class JsonChatReader:
    """A reader of a JSON export: header fields, then the ``messages`` array, streamed.

    Subclasses say whose export it is (``source``, ``app``, ``fix``,
    ``header_keys``) and turn one header field and one message into ours.
    """

    source: ChatSource
    app: str
    fix: str
    header_keys: frozenset[str]
    x_escapes = False

    def __init__(self, path: Path) -> None:
        self.path = path
        self.info = ReadNotes()

    def header(self, key: str, value: Any, line: int) -> None:
        """Take one top-level field that is not the messages."""

    def message(self, line: int, raw: dict[str, Any]) -> ChatMessage | None:
        """One element of ``messages`` as a message, or None when it is left out."""
        raise NotImplementedError

    def messages(self) -> Iterator[ChatMessage]:
        """Every message people wrote, in file order."""
        stream = stream_messages(
            self.path,
            app=self.app,
            on_field=self.header,
            fix=self.fix,
            header_keys=self.header_keys,
            x_escapes=self.x_escapes,
        )
        for line, raw in stream:
            message = self.message(line, raw)
            if message is not None:
                yield message


def stream_messages(
    path: Path,
    *,
    app: str,
    on_field: HeaderHandler,
    fix: str,
    header_keys: frozenset[str],
    x_escapes: bool = False,
) -> Iterator[tuple[int, dict[str, Any]]]:
    r"""Each element of the export's ``messages`` array, with the line it starts on.

    Args:
        path: The export.
        app: Whose export it is, for messages ("a DiscordChatExporter JSON export").
        on_field: Told every other top-level field, as it is read.
        fix: What to do about an export that is not what it should be.
        header_keys: Top-level keys the app writes before ``messages``; with none of
            them, the file is another app's export (or no export at all).
        x_escapes: Read Telegram's ``\xHH`` escapes.

    Raises:
        ContentError: One problem, naming the file, the line and the message.
    """
    last_id = ""
    seen_messages = False
    seen_header: set[str] = set()
    with open_text(path) as chunks:
        stream = JsonStream(chunks, x_escapes=x_escapes)
        try:
            for event in stream.top_level("messages"):
                if isinstance(event, Item):
                    if event.index == 0 and not seen_header:
                        raise _not_this_app(path, event.line, app, header_keys, fix)
                    if not isinstance(event.value, dict):
                        raise problem(
                            path,
                            event.line,
                            f"messages[{event.index}]",
                            "is not an object",
                            fix,
                        )
                    last_id = str(event.value.get("id", ""))
                    yield event.line, event.value
                elif event.key == "messages":
                    seen_messages = True
                    if event.value is not None:  # not an array
                        raise problem(path, event.line, "messages", "is not a list", fix)
                elif event.key == "":
                    raise problem(path, event.line, "", f"not {app} (not a JSON object)", fix)
                else:
                    if event.key in header_keys:
                        seen_header.add(event.key)
                    on_field(event.key, event.value, event.line)
        except JsonStreamError as exc:
            raise _stream_problem(path, exc, last_id) from None
    if not seen_messages:
        raise problem(path, None, "", f'no "messages" list: not {app}', fix)


def _not_this_app(
    path: Path, line: int, app: str, header_keys: frozenset[str], fix: str
) -> ContentError:
    keys = " or ".join(f'"{k}"' for k in sorted(header_keys))
    return problem(path, line, "", f"not {app} (it has no {keys} before its messages)", fix)


def _stream_problem(path: Path, exc: JsonStreamError, last_id: str) -> ContentError:
    if exc.truncated:
        after = f" after {message_ref(last_id)}" if last_id else ""
        return problem(
            path,
            exc.line,
            "",
            f"the file ends early{after}: the export was cut off",
            "export the chat again and let the export finish",
        )
    where = f"after {message_ref(last_id)}" if last_id else ""
    return problem(path, exc.line, where, exc.reason, "export the chat again; do not edit the file")


def text_field(path: Path, line: int, ref: str, message: dict[str, Any], key: str, fix: str) -> str:
    """``message[key]`` as a string ("" when missing or null); another type is an error."""
    value = message.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise problem(path, line, f"{ref}: {key}", "is not a string", fix)
    return value


def count_field(path: Path, line: int, ref: str, value: Any, fix: str) -> int:
    """A reaction count: a whole number (a count of 0 is returned and later dropped)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise problem(
            path, line, f"{ref}: reactions", "a reaction count is not a whole number", fix
        )
    return value
