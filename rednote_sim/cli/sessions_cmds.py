"""``sessions``, ``export`` and ``import``: recorded sessions in the database."""

from __future__ import annotations

from pathlib import Path

import click

from rednote_sim.cli.common import db_option, run_async, settings_from, tell_waiting
from rednote_sim.cli.tables import print_table
from rednote_sim.textsafe import json_text, visible

EXPORT_FORMATS = ("jsonl", "md", "html", "anki")


@click.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
def sessions(db: Path | None, as_json: bool) -> None:
    """List recorded sessions, newest first."""
    from rednote_sim.headless import format_time
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
                r["note"],
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
@db_option
def export(session: str, fmt: str, output: Path | None, db: Path | None) -> None:
    """Export a recorded SESSION (id, unique prefix, or 'latest')."""
    from rednote_sim.store import open_store
    from rednote_sim.workshop.exports import export_session

    settings = settings_from(db)

    async def run() -> tuple[str, Path | None]:
        async with await open_store(settings, tell_waiting) as store:
            return await export_session(store, session, fmt, output)

    summary, written = run_async(run())
    if written is None:
        click.echo(summary, nl=False)
    else:
        click.echo(summary, err=True)


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@db_option
def import_(file: Path, db: Path | None) -> None:
    """Import a session from FILE.jsonl (an export, or `demo --headless --jsonl` output)."""
    from rednote_sim.store import open_store
    from rednote_sim.workshop.jsonl_io import import_parsed, parse_jsonl

    settings = settings_from(db)
    parsed = parse_jsonl(file)  # a bad file is refused before the database is touched

    async def run() -> str:
        async with await open_store(settings, tell_waiting) as store:
            session = await import_parsed(store, parsed)
            return (
                f"imported {visible(session.id)} ({session.message_count} messages) "
                f"into {store.path}"
            )

    click.echo(run_async(run()))


COMMANDS: list[click.Command] = [sessions, export, import_]
