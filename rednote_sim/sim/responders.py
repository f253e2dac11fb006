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
class Answer:
    """A reply a responder's persona will post."""

    persona: str
    reply: ResponderReply
    responder: Responder


class Responders:
    """Picks answers for user input.

    Scenario responders are tried before room-wide ones; one persona answers at
    most once per message; replies rotate so the same line is not repeated.

    Args:
        responders: In priority order.
        rng: Seeded random source (same seed, same answers).
    """

    def __init__(self, responders: Sequence[Responder], rng: random.Random) -> None:
        self._rng = rng
        self._entries = [
            (responder, [_trigger_pattern(t) for t in responder.triggers if t.strip()])
            for responder in responders
        ]
        self._last_used: dict[int, int] = {}

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
            answers.append(Answer(responder.persona, reply, responder))
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
