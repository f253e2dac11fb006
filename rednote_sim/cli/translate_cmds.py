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
    from rednote_sim.store import open_store
    from rednote_sim.translate import TranslationService
    from rednote_sim.translate.glossary import load_glossary

    glossary = load_glossary(settings.personas_dir / "glossary.toml")
    # The store is the translation memory: what was translated once is not translated again.
    async with await open_store(settings, tell_waiting) as store:
        service = TranslationService(
            glossary=glossary,
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
    return {
        "text": text,
        "lang": outcome.source_lang,
        "translation": outcome.translation.model_dump() if outcome.translation else None,
        "translation_error": outcome.error,
    }


def _show(text: str, outcome: TranslationOutcome) -> None:
    # Input and output are text, never terminal control: escaped like the headless printer.
    click.echo(f"[{outcome.source_lang or '?'}] {visible(text)}")
    if outcome.translation is not None:
        t = outcome.translation
        click.echo(f"[{t.lang}] {visible(t.text)}  ({visible(t.engine)})")
    if outcome.error is not None:
        click.echo(f"[!] not translated: {visible(outcome.error)}")


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
@db_option
@click.argument("text", nargs=-1)
def translate(
    source: str, target: str | None, jsonl: bool, db: Path | None, text: tuple[str, ...]
) -> None:
    """Translate each TEXT (quote a message with spaces), or each line of stdin.

    Uses the installed Argos models, the glossary and the translation memory in
    the database; a message that cannot be translated is shown with the reason.

    \b
    Examples:
      rednote-sim translate "你好，我来自上海。"
      rednote-sim translate --to zh "Pay the cat tax!"
      printf '你好\\n谢谢\\n' | rednote-sim translate --jsonl
    """  # noqa: D301 (click's no-rewrap marker is a real backspace, "\b" alone on its line)
    src, tgt = _lang(source), _lang(target)
    if src is not None and src == tgt:
        raise UserError(f"--from and --to are both {src}: pick two different languages")
    if text:
        texts = list(text)
    else:
        if sys.stdin.isatty():
            raise UserError("nothing to translate: give TEXT arguments or pipe lines on stdin")
        texts = [line.rstrip("\r\n") for line in sys.stdin]
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
