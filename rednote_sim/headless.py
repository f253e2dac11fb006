"""Headless output: a room's messages printed for a person, or as JSON lines.

Messages are printed in posting order, each once its translation step has
finished (translations run concurrently and may complete out of order). Each
message was committed to the store before its event reached this printer.
"""

from __future__ import annotations

from collections.abc import Callable

from rednote_sim.domain import Lang, Message, Persona, other_lang
from rednote_sim.domain.guests import is_guest_persona
from rednote_sim.domain.terms import LANG_WORDS, format_when
from rednote_sim.sim.events import Finished, Posted, RoomEvent, Snapshot, Translated
from rednote_sim.textsafe import json_text, visible


def _rendering_lines(message: Message, reader: Lang) -> list[str]:
    translation, error = message.rendering(reader)
    lines: list[str] = []
    if translation is not None and translation.origin != "passthrough":
        label = message.rendering_label(reader)
        text_lines = visible(translation.text).splitlines() or [""]
        lines.append(f"  ⤷ {translation.lang}: {text_lines[0]}   [{label}]")
        lines += [f"      {line}" for line in text_lines[1:]]
        if translation.machine is not None and translation.machine != translation.text:
            machine = visible(translation.machine).splitlines() or [""]
            lines.append(f"    machine said: {machine[0]}")
            lines += [f"      {line}" for line in machine[1:]]
    if error:
        what = "not translated"
        if reader == message.lang:
            what = f"{LANG_WORDS[other_lang(message.lang)]} parts not translated"
        reason = visible(error)
        lines.append(
            f"  ⚠ {reason}" if reason.startswith("not translated") else f"  ⚠ {what}: {reason}"
        )
    return lines


def format_message(message: Message, persona: Persona | None, replied: Message | None) -> str:
    """A message as a few readable lines: who, when, the original, its renderings.

    Every message shows its rendering for the reader of the other language; one
    that mixes the languages shows its own-language rendering too (its
    other-language parts translated), each with its label.
    """
    flag = persona.flag if persona else ""
    who = f"{flag} {visible(message.name)}".strip()
    handle = persona.shown_handle if persona else ""
    detail = f" ({' · '.join(visible(p) for p in (handle, persona.home) if p)})" if persona else ""
    if persona is None and is_guest_persona(message.persona):
        detail = " (guest)"  # a classroom guest, posting through the host
    lines = [f"[{format_when(message)}] #{message.seq} {who}{detail}"]
    if message.reply_to is not None:
        target = visible(replied.name) if replied else "?"
        lines.append(f"  ↪ replying to #{message.reply_to} {target}")
    lines += [f"  {line}" for line in visible(message.text).splitlines() or [""]]
    lines += _rendering_lines(message, other_lang(message.lang))
    if message.mixed:
        lines += _rendering_lines(message, message.lang)
    return "\n".join(lines)


class HeadlessPrinter:
    """Prints a room's messages in order as their translations complete.

    Args:
        personas: Cast by id, for flags, handles and home towns.
        jsonl: One JSON object per message (the ``--jsonl`` record, docs/ARCHITECTURE.md).
        write: Where lines go (``click.echo`` in the CLI).
    """

    def __init__(
        self, personas: dict[str, Persona], *, jsonl: bool, write: Callable[[str], None]
    ) -> None:
        self.personas = personas
        self.jsonl = jsonl
        self.write = write
        self.printed: list[Message] = []
        self._ready: dict[int, Message] = {}
        self._known: dict[int, Message] = {}
        self._next = 1

    def handle(self, event: RoomEvent) -> bool:
        """Take one event; returns True when the room has finished."""
        if isinstance(event, Posted):
            self._known[event.message.seq] = event.message
            if event.message.translated:
                self._ready[event.message.seq] = event.message
        elif isinstance(event, Translated):
            self._ready[event.message.seq] = event.message
        elif isinstance(event, Snapshot):  # headless never seeks; kept for completeness
            self._next = max([m.seq for m in event.messages], default=0) + 1
        self._flush()
        return isinstance(event, Finished)

    def _flush(self) -> None:
        while self._next in self._ready:
            message = self._ready.pop(self._next)
            self._emit(message)
            self.printed.append(message)
            self._next += 1

    def _emit(self, message: Message) -> None:
        if self.jsonl:
            self.write(json_text(message.to_jsonl()))
            return
        replied = self._known.get(message.reply_to) if message.reply_to else None
        self.write(format_message(message, self.personas.get(message.persona), replied) + "\n")

    @property
    def waiting(self) -> int:
        """Messages posted but not printed yet."""
        return len(self._known) - len(self.printed)

    def finish(self) -> None:
        """Print what is still waiting, in seq order: the room has ended.

        Normally nothing is left. A recorded session may still have a gap in its
        numbering (from an older version) or a message whose translation never
        finished: it is printed as stored rather than lost or fatal.
        """
        printed = {m.seq for m in self.printed}
        for seq in sorted(set(self._known) - printed):
            message = self._ready.pop(seq, None) or self._known[seq]
            self._emit(message)
            self.printed.append(message)
        self._next = max(self._next, max(self._known, default=0) + 1)
