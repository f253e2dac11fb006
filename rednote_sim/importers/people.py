"""The people of an imported chat: who spoke, in which language, and how they are shown.

Each participant becomes a :class:`~rednote_sim.domain.Persona` of the session:

* **id** ``p1``, ``p2``… in the order they first wrote; ``--me`` makes that
  person ``you`` (shown like the user in the room);
* **language** the one most of their messages are written in (as
  :func:`~rednote_sim.translate.langid.detect_lang` reads them; someone who only
  sent photos gets the chat's main language);
* **flag** from that language (🇺🇸 English, 🇨🇳 中文): a chat export does not say
  where anyone lives, and the room sorts its members by which side of the
  exchange they write on;
* **avatar** one of :data:`AVATARS`, in order: single code points that every
  terminal draws two cells wide (no U+FE0F variation selector, no ZWJ sequence);
* **handle** the app's (``@username`` on Discord, the user id on Telegram, the
  name or phone number on WhatsApp); **home** the app.

With ``--anonymize`` names and handles are pseudonyms, stable for the file:
the first English writer is Alex, the first Chinese writer 小安, and so on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rednote_sim.domain import (
    CHAT_SOURCE_NAMES,
    USER_PERSONA_ID,
    ChatSource,
    Country,
    Lang,
    Persona,
)
from rednote_sim.errors import UserError
from rednote_sim.importers.model import Author
from rednote_sim.textsafe import visible

AVATARS = (
    "🦊🐼🐯🦁🐸🐙🦉🐝🐢🐳🦄🐧🐨🐰🐻🐶🐭🐹🐮🐷🐵🦋🌵🌻🍄🌙"
    "🍀🍉🍋🍑🍒🥝🍩🍪🎈🎨🎲🎸🚀🌈🌊🔥🍁🌸🐞🦀🐬🍓🌽🎯⛵🐘"
)
"""Avatars for imported people: each one code point, East Asian Width "W", from Unicode 9
or older (terminals with older width tables still draw them two cells wide)."""

ME_AVATAR = "🙂"
"""The user's avatar, as in the live room."""

_EN_PSEUDONYMS = (
    "Alex Avery Blake Casey Dana Eli Finley Gray Harper Indy Jordan Kai Logan Morgan "
    "Noor Oakley Parker Quinn Reese Sage Taylor Uri Val Wren Yael Zion"
)

PSEUDONYMS: dict[Lang, tuple[tuple[str, str], ...]] = {
    "en": tuple((name, f"@{name.lower()}") for name in _EN_PSEUDONYMS.split(" ")),
    "zh": (
        ("小安", "@xiaoan"),
        ("小北", "@xiaobei"),
        ("小晨", "@xiaochen"),
        ("小丁", "@xiaoding"),
        ("小方", "@xiaofang"),
        ("小高", "@xiaogao"),
        ("小禾", "@xiaohe"),
        ("小吉", "@xiaoji"),
        ("小可", "@xiaoke"),
        ("小林", "@xiaolin"),
        ("小米", "@xiaomi"),
        ("小南", "@xiaonan"),
        ("小鸥", "@xiaoou"),
        ("小琪", "@xiaoqi"),
        ("小榕", "@xiaorong"),
        ("小森", "@xiaosen"),
        ("小唐", "@xiaotang"),
        ("小薇", "@xiaowei"),
        ("小夏", "@xiaoxia"),
        ("小叶", "@xiaoye"),
        ("小周", "@xiaozhou"),
    ),
}
"""Pseudonyms by the language someone writes, with their handles, in the order given out."""

_COUNTRY: dict[Lang, Country] = {"en": "US", "zh": "CN"}


@dataclass
class Participant:
    """Someone who wrote in the chat, and what their messages were like.

    Attributes:
        author: How the export names them (the first time they wrote).
        first_seq: Their first message.
        messages: How many messages they wrote.
        langs: Their messages by detected language.
        aliases: Every name the export used for them.
    """

    author: Author
    first_seq: int
    messages: int = 0
    langs: Counter[str] = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)

    def language(self, default: Lang) -> Lang:
        """The language most of their messages are in (``default`` when none has words)."""
        if not self.langs:
            return default
        zh, en = self.langs.get("zh", 0), self.langs.get("en", 0)
        return "zh" if zh > en else "en" if en > zh else default


@dataclass(frozen=True)
class Pseudonym:
    """What a real person is called in an anonymized import."""

    name: str
    handle: str


class PseudonymBook:
    """Stable pseudonyms: the same person (by export key) always gets the same one."""

    def __init__(self) -> None:
        self._given: dict[str, Pseudonym] = {}
        self._next: Counter[str] = Counter()

    def get(self, key: str, lang: Lang) -> Pseudonym:
        """The pseudonym of ``key``, giving the next one of ``lang``'s list the first time."""
        found = self._given.get(key)
        if found is None:
            pool = PSEUDONYMS[lang]
            n = self._next[lang]
            self._next[lang] += 1
            name, handle = pool[n % len(pool)]
            round_ = n // len(pool)
            if round_:
                name, handle = f"{name}{round_ + 1}", f"{handle}{round_ + 1}"
            found = self._given[key] = Pseudonym(name, handle)
        return found


def chat_language(participants: Iterable[Participant]) -> Lang:
    """The language most messages of the chat are in (English when none has words)."""
    total: Counter[str] = Counter()
    for p in participants:
        total.update(p.langs)
    return "zh" if total.get("zh", 0) > total.get("en", 0) else "en"


def _label(text: str) -> str:
    """A name or handle from an export, made safe to show on one line."""
    return " ".join(visible(text).split()) or "?"


def find_me(participants: Iterable[Participant], me: str, file_name: str) -> str:
    """The export key of the participant called ``me`` (name, handle or alias; any case).

    Raises:
        UserError: When nobody, or more than one person, goes by that name.
    """
    wanted = me.strip().removeprefix("@").casefold()
    people = list(participants)
    matches = [
        p
        for p in people
        if wanted
        in {
            n.strip().removeprefix("@").casefold()
            for n in (p.author.name, p.author.handle, *p.aliases)
            if n
        }
    ]
    if len(matches) == 1:
        return matches[0].author.key
    names = ", ".join(_label(p.author.name) for p in people[:12])
    more = ", …" if len(people) > 12 else ""
    if not matches:
        raise UserError(
            f"--me {visible(me)!r}: nobody of that name wrote in {file_name} "
            f"(fix: use one of: {names}{more})"
        )
    handles = ", ".join(_label(p.author.handle or p.author.key) for p in matches)
    raise UserError(
        f"--me {visible(me)!r}: {len(matches)} people in {file_name} go by that name "
        f"(fix: give the handle of the one you mean: {handles})"
    )


def build_personas(
    participants: Iterable[Participant],
    *,
    source: ChatSource,
    me_key: str | None,
    book: PseudonymBook | None,
) -> dict[str, Persona]:
    """A persona for every participant, by export key, in the order they first wrote.

    Args:
        participants: Who wrote, in order of their first message.
        source: The app (the personas' home).
        me_key: The export key of the user (``--me``), if any.
        book: Pseudonyms to use (``--anonymize``), or None for the real names.
    """
    people = list(participants)
    default = chat_language(people)
    app = CHAT_SOURCE_NAMES[source]
    personas: dict[str, Persona] = {}
    for index, p in enumerate(people):
        lang = p.language(default)
        if book is not None:
            alias = book.get(p.author.key, lang)
            name, handle = alias.name, alias.handle
        else:
            name, handle = _label(p.author.name), _label(p.author.handle or p.author.name)
        is_me = p.author.key == me_key
        personas[p.author.key] = Persona(
            id=USER_PERSONA_ID if is_me else f"p{index + 1}",
            name=name,
            handle=handle,
            language=lang,
            country=_COUNTRY[lang],
            home=app,
            avatar=ME_AVATAR if is_me else AVATARS[index % len(AVATARS)],
            bio=f"Imported from a real {app} chat.",
        )
    return personas
