"""``sessions``, ``export`` and ``import``: recorded sessions in the database."""

from __future__ import annotations

from pathlib import Path

import click

from rednote_sim.cli.common import db_option, run_async, settings_from, tell_waiting
from rednote_sim.cli.tables import print_table
from rednote_sim.errors import UserError
from rednote_sim.settings import DEFAULT_IDLE_CAP, Settings
from rednote_sim.textsafe import json_text, visible

EXPORT_FORMATS = ("jsonl", "md", "html", "anki")

NOTE_CHARS = 60
"""Most characters of a session's note in the ``sessions`` table (``--json`` has all of it)."""


def note_summary(note: str) -> str:
    """A note as one short line: its first line, cut, with … when there is more.

    The table keeps one row per session (for the eye and for grep); ``--json``
    gives the whole note.
    """
    lines = [line.strip() for line in note.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    first = lines[0]
    if len(first) > NOTE_CHARS:
        return first[: NOTE_CHARS - 1].rstrip() + "…"
    return first + (" …" if len(lines) > 1 else "")


@click.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
def sessions(db: Path | None, as_json: bool) -> None:
    """List recorded sessions, newest first."""
    from rednote_sim.domain.terms import format_time
    from rednote_sim.store import open_store

    settings = settings_from(db)

    async def load() -> list[dict[str, object]]:
        async with await open_store(settings, tell_waiting) as store:
            return [s.model_dump(mode="json") for s in await store.list_sessions()]

    rows = run_async(load())
    if as_json:
        click.echo(json_text(rows, indent=2))
        return
    if not rows:
        click.echo(f"no sessions in {settings.db} yet; run `rednote-sim demo` to record one")
        return
    print_table(
        ["session", "scenario", "recorded (UTC)", "messages", "length", "note"],
        [
            (
                r["id"],
                r["scenario"],
                str(r["created_at"])[:19].replace("T", " "),
                r["message_count"] or "0 (empty)",
                format_time(float(str(r["duration"]))),
                note_summary(str(r["note"] or "")),
            )
            for r in rows
        ],
    )


@click.command()
@click.argument("session")
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True, help="Output format."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write here (default: stdout for jsonl/md, <session>.<ext> for html/anki).",
)
@click.option(
    "--tone-colours/--no-tone-colours",
    default=True,
    show_default=True,
    help="Colour pinyin by tone (html, anki; Pleco's palette, tone marks kept).",
)
@db_option
def export(
    session: str, fmt: str, output: Path | None, tone_colours: bool, db: Path | None
) -> None:
    """Export a recorded SESSION (id, unique prefix, or 'latest')."""
    from rednote_sim.export.formats import cast_if_any, export_session
    from rednote_sim.store import open_store

    settings = settings_from(db)
    cast = cast_if_any(settings.personas_dir) if fmt != "jsonl" else None

    async def run() -> tuple[str, Path | None]:
        async with await open_store(settings, tell_waiting) as store:
            return await export_session(
                store, session, fmt, output, cast=cast, tone_colours=tone_colours
            )

    summary, written = run_async(run())
    if written is None:
        click.echo(summary, nl=False)
    else:
        click.echo(summary, err=True)


IMPORT_FORMATS = ("auto", "rednote", "discord", "telegram", "whatsapp")


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(IMPORT_FORMATS),
    default="auto",
    show_default=True,
    help="What FILE is: rednote-sim JSONL, or a Discord, Telegram or WhatsApp chat export "
    "(auto: judged by its content).",
)
@click.option(
    "--me", default=None, metavar="NAME", help="In a chat export: the participant who is you."
)
@click.option(
    "--anonymize",
    is_flag=True,
    help="In a chat export: replace names and handles (also in the text) with pseudonyms.",
)
@click.option(
    "--idle-cap",
    type=click.FloatRange(min=0.5, max=3600),
    default=DEFAULT_IDLE_CAP,
    show_default=True,
    help="In a chat export: the longest gap kept between two messages (seconds).",
)
@db_option
def import_(
    file: Path, fmt: str, me: str | None, anonymize: bool, idle_cap: float, db: Path | None
) -> None:
    """Import FILE: a session (JSONL) or a real chat from Discord, Telegram or WhatsApp.

    A chat export is checked whole, then every message is translated and the
    session is stored in one transaction.
    """
    from rednote_sim.importers import detect_format

    settings = settings_from(db)
    chosen = detect_format(file) if fmt == "auto" else fmt
    if chosen != "rednote":
        _import_chat(settings, file, chosen, me=me, anonymize=anonymize, idle_cap=idle_cap)
        return
    for option, given in (("--me", me is not None), ("--anonymize", anonymize)):
        if given:
            raise UserError(
                f"{option}: {file} is a rednote-sim JSONL file, not a chat export "
                f"(fix: drop {option})"
            )
    from rednote_sim.export.jsonl_io import import_parsed, parse_jsonl
    from rednote_sim.store import open_store

    parsed = parse_jsonl(file)  # a bad file is refused before the database is touched

    async def run() -> str:
        async with await open_store(settings, tell_waiting) as store:
            session = await import_parsed(store, parsed)
            return (
                f"imported {visible(session.id)} ({session.message_count} messages) "
                f"into {store.path}"
            )

    click.echo(run_async(run()))


def _import_chat(
    settings: Settings, file: Path, fmt: str, *, me: str | None, anonymize: bool, idle_cap: float
) -> None:
    from rednote_sim.cli.progress import progress_reporter
    from rednote_sim.domain import CHAT_SOURCE_NAMES, Glossary
    from rednote_sim.importers import ImportOptions, chat_reader, read_chat
    from rednote_sim.store import open_store
    from rednote_sim.translate import TranslationService
    from rednote_sim.translate.glossary import load_glossary

    options = ImportOptions(me=me, anonymize=anonymize, idle_cap=idle_cap)
    reader = chat_reader(file, fmt)
    glossary = load_glossary(settings.personas_dir / "glossary.toml")
    with read_chat(reader, options) as chat:  # a bad export stops here, before the database
        app = CHAT_SOURCE_NAMES[chat.source]

        async def run() -> str:
            async with await open_store(settings, tell_waiting) as store:
                service = TranslationService(
                    glossary=Glossary(terms=[*glossary.terms, *chat.glossary_terms]),
                    models_dir=settings.models_dir,
                    memory=store,
                    beam_size=settings.beam_size,
                    threads=settings.translate_threads,
                )
                with progress_reporter(chat.count, "translating") as report:
                    try:
                        session = await chat.store(store, service, on_progress=report)
                    finally:
                        await service.aclose()
                people = len(chat.people)
                return (
                    f"imported {visible(session.id)} ({session.message_count:,} messages from "
                    f"{people} {'person' if people == 1 else 'people'}, {app}"
                    f"{', anonymized' if chat.book is not None else ''}) into {store.path}; "
                    f"replay it with: rednote-sim replay {visible(session.id)}"
                )

        summary = run_async(run())
        for line in chat.report_lines():
            click.echo(visible(line), err=True)
    click.echo(summary)


COMMANDS: list[click.Command] = [sessions, export, import_]
