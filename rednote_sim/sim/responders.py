"""Answers to what the user types, chosen by trigger words in either language."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rednote_sim.domain import Responder, ResponderReply

MAX_ANSWERS = 2
"""At most this many personas answer one user message, so the room stays readable."""

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _trigger_pattern(trigger: str) -> re.Pattern[str]:
    """Latin triggers match whole words (``hi`` not in ``this``); Chinese ones as substrings."""
    escaped = re.escape(trigger.strip())
    if _HAN.search(trigger):
        return re.compile(escaped)
    return re.compile(rf"(?<![A-Za-z0-9]){escaped}(?![A-Za-z0-9])", re.IGNORECASE)


@dataclass(frozen=True)
class Fix:
    """The user's line with a persona's slips fixed (a line correction by that persona)."""

    text: str
    note: str


@dataclass(frozen=True)
class Answer:
    """A reply a responder's persona will post (and, for a slip, the correction it stores)."""

    persona: str
    reply: ResponderReply
    responder: Responder
    fix: Fix | None = None


def _fixed(slip: re.Pattern[str], fix: str, text: str) -> str:
    """``text`` with every ``slip`` replaced by ``fix`` (a capital at the start kept)."""

    def replace(match: re.Match[str]) -> str:
        found = match.group()
        if found[:1].isupper() and fix[:1].islower():
            return fix[:1].upper() + fix[1:]
        return fix

    return slip.sub(replace, text)


class Responders:
    """Picks answers for user input.

    Correcting responders (``correct``: slips and their fixes) are tried first,
    then scenario responders, then room-wide ones; one persona answers at most
    once per message; replies rotate so the same line is not repeated. A
    persona that corrects fixes every slip of the line it has a fix for (its
    correcting responders'), in one correction.

    Args:
        responders: In priority order.
        rng: Seeded random source (same seed, same answers).
    """

    def __init__(self, responders: Sequence[Responder], rng: random.Random) -> None:
        self._rng = rng
        # A slip is the point of the message: its correction comes first (stable order).
        ordered = sorted(responders, key=lambda r: not r.correct)
        self._entries = [
            (responder, [_trigger_pattern(t) for t in responder.triggers if t.strip()])
            for responder in ordered
        ]
        self._slips = [
            (responder.persona, _trigger_pattern(slip), fix, responder.correct_note)
            for responder in ordered
            for slip, fix in responder.correct.items()
        ]
        self._last_used: dict[int, int] = {}

    def fix(self, persona: str, text: str) -> Fix | None:
        """``text`` with every slip ``persona`` corrects fixed, or None when it has none."""
        fixed, notes = text, []
        for who, slip, fix, note in self._slips:
            if who != persona or not slip.search(fixed):
                continue
            fixed = _fixed(slip, fix, fixed)
            if note and note not in notes:
                notes.append(note)
        if fixed == text or not fixed.strip():
            return None
        return Fix(fixed, " · ".join(notes))

    def answer(self, text: str, *, name: str | None = None) -> list[Answer]:
        """The answers to ``text`` (possibly none).

        Args:
            text: What was typed.
            name: The speaker's name (a classroom guest): a responder that has
                replies addressing people by name (``{name}``) picks one of those,
                with the name put in. Without a name only the other replies are
                chosen (the person at the keyboard is "You").
        """
        answers: list[Answer] = []
        personas: set[str] = set()
        for number, (responder, patterns) in enumerate(self._entries):
            if responder.persona in personas:
                continue
            if not any(p.search(text) for p in patterns):
                continue
            choices = self._choices(responder, named=name is not None)
            if not choices:
                continue
            last = self._last_used.get(number)
            if last is not None and len(choices) > 1 and last in choices:
                choices.remove(last)
            pick = self._rng.choice(choices)
            self._last_used[number] = pick
            reply = responder.replies[pick]
            if name is not None:
                reply = reply.for_name(name)
            fix = self.fix(responder.persona, text) if responder.correct else None
            answers.append(Answer(responder.persona, reply, responder, fix))
            personas.add(responder.persona)
            if len(answers) == MAX_ANSWERS:
                break
        return answers

    @staticmethod
    def _choices(responder: Responder, *, named: bool) -> list[int]:
        """Indexes of the replies to choose from: by name for a named speaker, if any."""
        plain = [i for i, reply in enumerate(responder.replies) if not reply.named]
        if not named:
            return plain
        by_name = [i for i, reply in enumerate(responder.replies) if reply.named]
        return by_name or plain
