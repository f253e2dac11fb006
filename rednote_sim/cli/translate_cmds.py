"""``translate``: translate text from the command line, like the room does."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rednote_sim.cli.common import db_option, run_async, settings_from, tell_waiting
from rednote_sim.errors import UserError
from rednote_sim.textsafe import json_text, visible

if TYPE_CHECKING:
    from rednote_sim.domain import Lang
    from rednote_sim.settings import Settings
    from rednote_sim.translate import TranslationOutcome


def _lang(value: str | None) -> Lang | None:
    if value == "en":
        return "en"
    if value == "zh":
        return "zh"
    return None


async def _translate_all(
    settings: Settings, texts: list[str], source: Lang | None, target: Lang | None
) -> list[TranslationOutcome]:
    from rednote_sim.slang import SLANG_FILE, load_slang
    from rednote_sim.store import open_store
    from rednote_sim.translate import TranslationService
    from rednote_sim.translate.glossary import load_glossary

    glossary = load_glossary(settings.personas_dir / "glossary.toml")
    slang = load_slang(settings.personas_dir / SLANG_FILE)
    # The store is the translation memory: what was translated once is not translated again.
    async with await open_store(settings, tell_waiting) as store:
        service = TranslationService(
            glossary=glossary,
            slang=slang,
            models_dir=settings.models_dir,
            memory=store,
            beam_size=settings.beam_size,
            threads=settings.translate_threads,
        )
        try:
            return await service.translate_many(texts, source=source, target=target)
        finally:
            await service.aclose()


def _record(text: str, outcome: TranslationOutcome) -> dict[str, object]:
    record: dict[str, object] = {
        "text": text,
        "lang": outcome.source_lang,
        "translation": outcome.translation.to_jsonl() if outcome.translation else None,
        "translation_error": outcome.error,
    }
    if outcome.parts:
        record["parts"] = True  # a mixed text in its own language: only the other parts
    return record


def _show(text: str, outcome: TranslationOutcome) -> None:
    # Input and output are text, never terminal control: escaped like the headless printer.
    click.echo(f"[{outcome.source_lang or '?'}] {visible(text)}")
    if outcome.translation is not None:
        t = outcome.translation
        how = t.engine if t.origin == "machine" and t.machine is None else t.label or t.engine
        if outcome.parts and t.origin == "machine":
            how += ", other-language parts translated"
        click.echo(f"[{t.lang}] {visible(t.text)}  ({visible(how)})")
    if outcome.error is not None:
        click.echo(f"[!] not translated: {visible(outcome.error)}")


def _plain(inputs: list[str], outcomes: dict[int, TranslationOutcome]) -> None:
    """One line out per line in: the translation, else the line as it was (reason on stderr)."""
    for number, line in enumerate(inputs, start=1):
        outcome = outcomes.get(number - 1)
        if outcome is None:  # a blank line stays a blank line
            click.echo(visible(line))
            continue
        if outcome.translation is None:
            click.echo(f"line {number}: not translated: {visible(outcome.error or '')}", err=True)
            click.echo(visible(line))
            continue
        # A translation never spans lines here, so line N of the output is line N's;
        # control characters are escaped as everywhere else (one line stays one line).
        click.echo(visible(" ".join(outcome.translation.text.splitlines())))


@click.command("translate")
@click.option(
    "--from",
    "source",
    type=click.Choice(["auto", "en", "zh"]),
    default="auto",
    show_default=True,
    help="Language of the input (auto: detect per message).",
)
@click.option(
    "--to",
    "target",
    type=click.Choice(["en", "zh"]),
    default=None,
    help="Language to translate into (default: the other one).",
)
@click.option("--jsonl", is_flag=True, help="One JSON object per input message.")
@click.option(
    "--plain",
    is_flag=True,
    help="Only the translations: exactly one line out per line in (a filter for pipes).",
)
@db_option
@click.argument("text", nargs=-1)
def translate(
    source: str,
    target: str | None,
    jsonl: bool,
    plain: bool,
    db: Path | None,
    text: tuple[str, ...],
) -> None:
    """Translate each TEXT (quote a message with spaces), or each line of stdin.

    Uses the installed Argos models, the glossary and the translation memory in
    the database; a message that cannot be translated is shown with the reason.
    With --plain, line N of the output is the translation of line N of the
    input (a blank line stays blank; a line that cannot be translated is
    printed as it was, its reason on stderr), and nothing else is printed.

    \b
    Examples:
      rednote-sim translate "你好，我来自上海。"
      rednote-sim translate --to zh "Pay the cat tax!"
      printf '你好\\n谢谢\\n' | rednote-sim translate --jsonl
      printf '你好\\n谢谢\\n' | rednote-sim translate --plain > out.txt
    """  # noqa: D301 (click's no-rewrap marker is a real backspace, "\b" alone on its line)
    src, tgt = _lang(source), _lang(target)
    if src is not None and src == tgt:
        raise UserError(f"--from and --to are both {src}: pick two different languages")
    if jsonl and plain:
        raise UserError("--jsonl and --plain both choose the output: pick one")
    if text:
        texts = list(text)
    else:
        if sys.stdin.isatty():
            raise UserError("nothing to translate: give TEXT arguments or pipe lines on stdin")
        texts = [line.rstrip("\r\n") for line in sys.stdin]
    if plain:
        inputs = [line for t in texts for line in (t.splitlines() or [""])]
        wanted = [i for i, line in enumerate(inputs) if line.strip()]
        found = (
            run_async(_translate_all(settings_from(db), [inputs[i] for i in wanted], src, tgt))
            if wanted
            else []
        )
        _plain(inputs, dict(zip(wanted, found, strict=True)))
        return
    texts = [t for t in texts if t.strip()]
    if not texts:
        return
    outcomes = run_async(_translate_all(settings_from(db), texts, src, tgt))
    for i, (message, outcome) in enumerate(zip(texts, outcomes, strict=True)):
        if jsonl:
            click.echo(json_text(_record(message, outcome)))
        else:
            if i:
                click.echo()
            _show(message, outcome)


COMMANDS: list[click.Command] = [translate]
