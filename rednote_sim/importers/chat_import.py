"""Importing a real chat: read and check it, translate every message, store it at once.

Three steps, each streaming, so a 100,000-message export needs memory for a
batch of messages, not for the chat:

1. **Read and check** (:func:`read_chat`, before the database is opened): the
   reader's messages are numbered, timed and counted per person, and written to
   a spool file (an unnamed temporary file, gone when the import ends, however
   it ends). Any bad input stops here with one line naming the file, the line or
   message and the fix. What stays in memory is the people and, for replies, the
   message numbers by export id.
2. **Translate** (:meth:`ChatImport.store`): the spool is read back in batches;
   each message's names are replaced (``--anonymize``), its language detected
   and its text sent to the :class:`~rednote_sim.translate.TranslationService`,
   whose consumer batches the engine calls. The translated messages go to a
   second spool. The translation memory learns each new translation as usual.
3. **Store**: the session, its people, messages, reactions and day markers are
   written in one transaction, from the second spool: all or nothing.

The session clock: the first message is at 0:00 and each gap is the real one,
but at most the idle cap (the replay's, 5 s, unless ``--idle-cap`` says
otherwise), so a night's silence does not stall a replay. The real times are
kept (``posted_at``) and shown.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from rednote_sim.domain import (
    CHAT_SOURCE_NAMES,
    ENGINE_PASSTHROUGH,
    MAX_REACTIONS,
    MAX_SEQ,
    MAX_SESSION_SECONDS,
    GlossaryTerm,
    Lang,
    Marker,
    Message,
    Persona,
    Reaction,
    Session,
    Translation,
    other_lang,
)
from rednote_sim.domain.terms import has_han
from rednote_sim.errors import ContentError
from rednote_sim.importers.anonymize import Anonymizer
from rednote_sim.importers.model import ChatMessage, ChatReader, problem
from rednote_sim.importers.people import (
    Participant,
    Pseudonym,
    PseudonymBook,
    build_personas,
    find_me,
)
from rednote_sim.settings import DEFAULT_IDLE_CAP
from rednote_sim.store import Store
from rednote_sim.store.store import new_session_id
from rednote_sim.translate import TranslationService, detect_lang
from rednote_sim.translate.mixed import mixes_languages
from rednote_sim.translate.scripts import MENTION_RE

IMPORT_BATCH = 256
"""Messages handed to the translation service together; it cuts them into calls
of :data:`~rednote_sim.translate.service.ENGINE_BATCH` texts."""

MAX_TEXT_CHARS = 100_000
"""Longest message imported (WhatsApp's limit is 65,536 characters; Discord's 4,000)."""

MAX_NAME_CHARS = 200
"""Longest name or handle of a person (the apps allow 32 to 128 characters)."""

MAX_EMOJI_CHARS = 64
"""Longest reaction (an emoji sequence, or a Discord server emoji's :name:)."""

_NAME_PART = 3
"""Shortest word of a name ("Wei" of "Wei Zhang") also replaced on its own."""

PENDING = "pending"
"""Session id of messages before the store chooses the real one."""

Progress = Callable[[int, int], None]
"""Told (messages translated so far, messages in all) after each batch."""


@dataclass(frozen=True)
class ImportOptions:
    """How to import a chat.

    Attributes:
        me: The name (or handle) of the participant who is the user.
        anonymize: Replace names and handles with pseudonyms.
        idle_cap: Longest gap kept between two messages, in seconds.
    """

    me: str | None = None
    anonymize: bool = False
    idle_cap: float = DEFAULT_IDLE_CAP


def placeholders(kinds: tuple[str, ...] | list[str]) -> str:
    """The one-line placeholder of attachments: ``[photo]``, ``[photo] [voice message]``."""
    return " ".join(f"[{kind}]" for kind in kinds)


def day_label(when: datetime) -> str:
    """A day marker's label: ``Tue 14 Jan 2025``."""
    return f"{when:%a} {when.day} {when:%b %Y}"


class _Spool:
    """JSON lines in an unnamed temporary file (deleted on close, even after a crash)."""

    def __init__(self) -> None:
        # Unnamed (O_TMPFILE/unlinked): the chat's text never stays on disk after the import.
        self._file: IO[str] = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115

    def write(self, record: Any) -> None:
        self._file.write(json.dumps(record, ensure_ascii=False) + "\n")

    def records(self) -> Iterator[Any]:
        """Every record, from the start (the file may be read more than once)."""
        self._file.flush()
        self._file.seek(0)
        for line in self._file:
            yield json.loads(line)

    def close(self) -> None:
        self._file.close()


class ChatImport:
    """A chat export that was read and checked, ready to translate and store.

    Made by :func:`read_chat`; use as a context manager (the spool files are
    removed on exit).
    """

    def __init__(self, reader: ChatReader, options: ImportOptions) -> None:
        self.source = reader.source
        self.path = reader.path
        self.options = options
        self._read = _Spool()
        self._translated: _Spool | None = None
        self.count = 0
        self.participants: dict[str, Participant] = {}
        self.mentioned: dict[str, tuple[str, ...]] = {}
        self.markers: list[tuple[float, str, int]] = []
        self.untranslated: Counter[str] = Counter()
        try:
            self._scan(reader)
            self.title = reader.info.title
            self.skipped = reader.info.skipped
            self.notes = list(reader.info.notes)
            me_key = (
                find_me(self.participants.values(), options.me, self.path.name)
                if options.me
                else None
            )
            self.book = PseudonymBook() if options.anonymize else None
            self.personas = build_personas(
                self.participants.values(), source=self.source, me_key=me_key, book=self.book
            )
            self.anonymizer = self._anonymizer() if self.book is not None else None
            if self.anonymizer is not None:
                self.title = self.anonymizer(self.title)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> ChatImport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove the spool files."""
        self._read.close()
        if self._translated is not None:
            self._translated.close()

    # --- 1. read and check ----------------------------------------------------------------

    def _scan(self, reader: ChatReader) -> None:
        path, cap = self.path, self.options.idle_cap
        seqs: dict[str | int, int] = {}  # export id -> seq, for replies (ints take less room)
        t = 0.0
        previous: float | None = None
        last_day = None
        for message in reader.messages():
            seq = self.count + 1
            if seq > MAX_SEQ:
                raise problem(
                    path, message.line, "", f"more than {MAX_SEQ:,} messages", "split the export"
                )
            if previous is not None:
                t += min(max(message.instant - previous, 0.0), cap)
            previous = message.instant
            if t > MAX_SESSION_SECONDS:
                raise problem(
                    path,
                    message.line,
                    "",
                    f"the chat is longer than a session can be at --idle-cap {cap:g}",
                    "import it with a smaller --idle-cap, or export a shorter date range",
                )
            if len(message.text) > MAX_TEXT_CHARS:
                raise self._refused(
                    message,
                    "",
                    f"is longer than {MAX_TEXT_CHARS:,} characters",
                    "remove that message from the export",
                )
            reply = seqs.get(_id_key(message.reply_to)) if message.reply_to else None
            seqs[_id_key(message.source_id)] = seq
            self._count_author(message, seq)
            day = message.posted_at.date()
            if day != last_day:
                self.markers.append((t, day_label(message.posted_at), seq))
                last_day = day
            self._read.write(
                [
                    seq,
                    t,
                    message.author.key,
                    message.posted_at.isoformat(),
                    message.text,
                    list(message.attachments),
                    reply,
                    self._reactions(message),
                ]
            )
            self.count = seq
        for key in self.participants:
            self.mentioned.pop(key, None)
        if self.count == 0:
            skipped = sum(reader.info.skipped.values())
            detail = f" ({skipped:,} service or empty messages skipped)" if skipped else ""
            raise problem(
                path, None, "", f"no messages to import{detail}", "export a chat with messages"
            )

    def _count_author(self, message: ChatMessage, seq: int) -> None:
        author = message.author
        if any(len(n) > MAX_NAME_CHARS for n in (author.name, author.handle, *author.aliases)):
            raise self._refused(
                message,
                "",
                f"its author's name or handle is longer than {MAX_NAME_CHARS} characters",
            )
        person = self.participants.get(author.key)
        if person is None:
            person = self.participants[author.key] = Participant(author, seq)
        person.messages += 1
        person.aliases.update(n for n in (author.name, author.handle, *author.aliases) if n)
        lang = detect_lang(message.text)
        if lang is not None:
            person.langs[lang] += 1
        for other in message.mentioned:
            if other.key not in self.participants:
                known = self.mentioned.get(other.key, ())
                names = (other.name, other.handle, *other.aliases)
                self.mentioned[other.key] = tuple(dict.fromkeys((*known, *(n for n in names if n))))

    def _reactions(self, message: ChatMessage) -> list[tuple[str, int]]:
        found = []
        for emoji, count in message.reactions:
            if len(emoji) > MAX_EMOJI_CHARS:
                raise self._refused(
                    message, "reactions", f"a reaction of {len(emoji):,} characters is not an emoji"
                )
            if count > MAX_REACTIONS:
                raise self._refused(
                    message, "reactions", f"a count of {count:,} (at most {MAX_REACTIONS:,})"
                )
            if count >= 1:
                found.append((emoji, count))
        return found

    def _refused(
        self, message: ChatMessage, field: str, what: str, fix: str = "export the chat again"
    ) -> ContentError:
        where = f"message {message.source_id}" + (f": {field}" if field else "")
        return problem(self.path, message.line, where, what, fix)

    def _anonymizer(self) -> Anonymizer:
        assert self.book is not None
        names: dict[str, str] = {}
        people: list[tuple[Pseudonym, set[str], str]] = []
        for key, person in self.participants.items():
            author = person.author
            # A handle that is only the name again (WhatsApp) is a name.
            handle = author.handle if author.handle != author.name else ""
            people.append((self.book.get(key, self.personas[key].language), person.aliases, handle))
        for key, known in self.mentioned.items():
            lang: Lang = "zh" if any(has_han(a) for a in known) else "en"
            people.append((self.book.get(key, lang), set(known), ""))
        for pseudonym, aliases, handle in people:
            for alias in aliases:
                if alias.startswith("@") or alias == handle:
                    names[alias.removeprefix("@")] = pseudonym.handle.removeprefix("@")
                    continue
                names[alias] = pseudonym.name
                # "Wei Zhang" is also "Wei" in a message ("Hi Wei!").
                for part in alias.split():
                    if part != alias and len(part) >= _NAME_PART and part.isalpha():
                        names.setdefault(part, pseudonym.name)
        return Anonymizer(names)

    # --- what the CLI shows and needs -----------------------------------------------------

    @property
    def glossary_terms(self) -> list[GlossaryTerm]:
        """Mentions of the chat's people that the translator must copy as written.

        ASCII handles (``@lena_l``) are protected anyway; a name with spaces or
        Chinese characters (``@Lena L``, ``@小王``) is added as a term that
        translates to itself.
        """
        terms = []
        for persona in self.personas.values():
            mention = f"@{persona.name}"
            if not MENTION_RE.fullmatch(mention):
                terms.append(GlossaryTerm(en=mention, zh=mention))
        return terms

    def report_lines(self) -> list[str]:
        """What the user should know after the import: what was left out, notes, failures."""
        lines = []
        skipped = ", ".join(f"{n:,} {what}" for what, n in self.skipped.items())
        if skipped:
            lines.append(f"left out: {skipped}")
        lines += [f"note: {note}" for note in self.notes]
        for error, n in self.untranslated.most_common():
            lines.append(f"{n:,} message{'' if n == 1 else 's'} not translated: {error}")
        return lines

    @property
    def people(self) -> list[Persona]:
        """The chat's personas, in the order they first wrote."""
        return list(self.personas.values())

    # --- 2. translate, 3. store -----------------------------------------------------------

    async def store(
        self,
        store: Store,
        service: TranslationService,
        *,
        on_progress: Progress | None = None,
    ) -> Session:
        """Translate every message and write the session in one transaction.

        Args:
            store: The open database (also the translation memory of ``service``).
            service: The translation service (its glossary should include
                :attr:`glossary_terms`).
            on_progress: Told how far the translation is after each batch.

        Returns:
            The stored session.
        """
        self._translated = _Spool()
        batch: list[list[Any]] = []
        done = 0
        for record in self._read.records():
            batch.append(record)
            if len(batch) == IMPORT_BATCH:
                done = await self._translate(service, batch, done, on_progress)
                batch = []
        if batch:
            await self._translate(service, batch, done, on_progress)
        now = datetime.now(UTC)
        scenario = f"{self.source}-chat"
        session = Session(
            id=new_session_id(scenario, now),
            scenario=scenario,
            created_at=now,
            title=self.title or f"{CHAT_SOURCE_NAMES[self.source]} chat",
            imported_from=self.source,
            anonymized=self.book is not None,
        )
        spool = self._translated
        return await store.import_session(
            session,
            (Message.model_validate(r["m"]) for r in spool.records()),
            (
                Reaction(session=PENDING, seq=r["m"]["seq"], emoji=e, count=n, t=r["m"]["t"])
                for r in spool.records()
                for e, n in r["r"]
            ),
            [
                Marker(session=PENDING, t=t, label=label, seq=seq, kind="scenario")
                for t, label, seq in self.markers
            ],
            personas=self.people,
        )

    async def _translate(
        self,
        service: TranslationService,
        batch: list[list[Any]],
        done: int,
        on_progress: Progress | None,
    ) -> int:
        prepared = [self._prepare(record) for record in batch]
        outcomes = await asyncio.gather(
            *(service.translate(caption, source=m.lang) for m, caption in prepared if caption)
        )
        # A line that mixes the languages is rendered for the reader of its own language too.
        own = await asyncio.gather(
            *(
                service.translate(caption, source=m.lang, target=m.lang)
                for m, caption in prepared
                if caption and m.mixed
            )
        )
        given, given_own = iter(outcomes), iter(own)
        assert self._translated is not None
        for (message, caption), record in zip(prepared, batch, strict=True):
            if caption:
                outcome = next(given)
                translation, error = outcome.translation, outcome.error
                if translation is not None and caption != message.text:
                    prefix = message.text[: len(message.text) - len(caption)]
                    translation = translation.model_copy(update={"text": prefix + translation.text})
                if error:
                    self.untranslated[error] += 1
            else:
                translation = Translation(
                    lang=other_lang(message.lang), text=message.text, engine=ENGINE_PASSTHROUGH
                )
                error = None
            update: dict[str, Any] = {"translation": translation, "translation_error": error}
            if caption and message.mixed:
                mixed = next(given_own)
                rendering = mixed.translation
                if rendering is not None and caption != message.text:
                    prefix = message.text[: len(message.text) - len(caption)]
                    rendering = rendering.model_copy(update={"text": prefix + rendering.text})
                update |= {"mixed_translation": rendering, "mixed_error": mixed.error}
            done_message = message.model_copy(update=update)
            self._translated.write({"m": done_message.model_dump(mode="json"), "r": record[7]})
        done += len(batch)
        if on_progress is not None:
            on_progress(done, self.count)
        return done

    def _prepare(self, record: list[Any]) -> tuple[Message, str]:
        """A spooled message as a Message (not translated yet), and the text to translate."""
        seq, t, key, posted_at, text, attachments, reply, _ = record
        persona = self.personas[key]
        caption = self.anonymizer(text) if self.anonymizer is not None else text
        prefix = placeholders(attachments)
        full = f"{prefix} {caption}" if prefix and caption.strip() else prefix or caption
        words = caption.strip() and detect_lang(caption) is not None
        lang = detect_lang(caption) or persona.language
        message = Message(
            session=PENDING,
            seq=seq,
            t=t,
            persona=persona.id,
            name=persona.name,
            lang=lang,
            text=full,
            reply_to=reply,
            posted_at=datetime.fromisoformat(posted_at),
            mixed=bool(words) and mixes_languages(caption, lang),
        )
        return message, (caption if words else "")


def _id_key(source_id: str) -> str | int:
    """An export id as a dict key: as a number when it is one (it takes less memory)."""
    return int(source_id) if source_id.isdigit() and len(source_id) < 20 else source_id


@contextlib.contextmanager
def read_chat(reader: ChatReader, options: ImportOptions) -> Iterator[ChatImport]:
    """Read and check a chat export (step 1), as a context manager.

    Raises:
        ContentError: For bad input, naming the file, the line or message, and the fix.
        UserError: For a ``--me`` that names nobody in the chat.
    """
    chat = ChatImport(reader, options)
    try:
        yield chat
    finally:
        chat.close()
