"""Rewriting a message's text so that real names and handles become pseudonyms.

``--anonymize`` promises that the people of a real chat cannot be read off the
imported session. Their names are in the messages too ("thanks Lena!", "@wei_zh
你好"), so every name, nickname and handle the export gives for a participant
(and for anyone it says was @mentioned) is replaced by that person's pseudonym,
whole words only for Latin names, case-insensitively; a Chinese name is
replaced wherever it appears. On top of that:

* any other ``@handle`` becomes a stable ``@member1``, ``@member2``… (``@everyone``
  and ``@here`` stay);
* e-mail addresses become ``[email]`` and international phone numbers ``[phone]``.

Names of people who never wrote and were never @mentioned cannot be told apart
from ordinary words, and stay as written. One compiled pattern does all names at
once: a trie of the alternatives, so a server with thousands of members costs
about as much per message as a chat of two.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rednote_sim.translate.scripts import MENTION_RE

KEEP_MENTIONS = frozenset({"@everyone", "@here"})

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE_RE = re.compile(r"\+[0-9](?:[ \-]?[0-9]){7,14}")

_MIN_NAME = 2
"""Shorter names ("A", "J") are not replaced in text: they would hit ordinary words."""


def trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words`` (longest first), built as a trie.

    Matching is then proportional to the text, not to the number of words.
    """
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:  # type: ignore[type-arg]
        ends = "" in node
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


class Anonymizer:
    """Replaces known names, other @handles, e-mail addresses and phone numbers in text.

    Args:
        names: A real name, nickname or handle (without ``@``) → what replaces it
            (also without ``@``). A name may be written with an ``@`` in front
            (a mention); the ``@`` stays.
    """

    def __init__(self, names: dict[str, str]) -> None:
        self._names = {
            k.strip().lower(): v for k, v in names.items() if len(k.strip()) >= _MIN_NAME
        }
        self._members: dict[str, str] = {}
        latin = [n for n in self._names if n.isascii()]
        other = [n for n in self._names if not n.isascii()]
        parts = []
        if latin:
            parts.append(rf"(?<![A-Za-z0-9_.@])@?(?:{trie_pattern(latin)})(?![A-Za-z0-9_])")
        if other:
            parts.append(f"@?(?:{trie_pattern(other)})")
        parts.append(MENTION_RE.pattern)
        self._pattern = re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)

    def __call__(self, text: str) -> str:
        """``text`` with names and handles replaced (see the module docstring)."""
        if not text:
            return text
        text = EMAIL_RE.sub("[email]", text)
        text = self._pattern.sub(self._replace, text)
        return PHONE_RE.sub("[phone]", text)

    def _replace(self, match: re.Match[str]) -> str:
        found = match.group()
        at = "@" if found.startswith("@") else ""
        known = self._names.get(found[len(at) :].lower())
        if known is not None:
            return at + known
        if found.lower() in KEEP_MENTIONS:
            return found
        key = found.lower()
        if key not in self._members:
            self._members[key] = f"@member{len(self._members) + 1}"
        return self._members[key]
