"""Persona avatars are drawn by the app: they must be one emoji of a width all terminals share."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from rednote_sim.cli import cli
from rednote_sim.glyphs import chrome_glyph, glyph_slot, wide_emoji


@pytest.mark.parametrize(
    ("avatar", "points"),
    [
        ("🕵️", "U+1F575 U+FE0F"),  # a variation selector: 1 cell for wcwidth, 2 for Rich
        ("🙋‍♂️", "U+1F64B U+200D U+2642 U+FE0F"),  # a ZWJ sequence
        ("👍🏽", "U+1F44D U+1F3FD"),  # a skin tone
        ("⏱", "U+23F1"),  # a text-style emoji: some terminals draw it two cells wide
        ("🇺🇸", "U+1F1FA U+1F1F8"),  # a flag: the persona's country shows it already
    ],
)
def test_an_avatar_without_an_agreed_width_is_refused(
    tmp_path: Path, personas_dir: Path, avatar: str, points: str
) -> None:
    root = tmp_path / "personas"
    shutil.copytree(personas_dir, root)
    path = root / "cast" / "maddie.toml"
    text = path.read_text(encoding="utf-8")
    assert 'avatar = "🐱"' in text
    path.write_text(text.replace('avatar = "🐱"', f'avatar = "{avatar}"'), encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("avatar"))

    result = CliRunner().invoke(cli, ["personas", "validate", str(root)])

    assert result.exit_code == 2, result.output
    (error,) = [row for row in result.output.splitlines() if "avatar" in row]
    assert f"maddie.toml:{line}: avatar:" in error
    assert points in error and "(fix: use one emoji that is wide on its own" in error


def test_the_shipped_avatars_are_wide_emoji(personas_dir: Path) -> None:
    from rednote_sim.content import load_cast

    cast = load_cast(personas_dir)
    assert all(wide_emoji(p.avatar) for p in cast.personas.values())


@pytest.mark.parametrize(
    ("raw", "glyph", "slot"),
    [
        ("❤️", "❤", "❤ "),  # the selector goes; the narrow heart gets a second cell
        ("😂", "😂", "😂"),
        ("🙋‍♂️", "🙋", "🙋"),
        ("👍🏽", "👍", "👍"),
        ("1️⃣", "1", "1 "),
        ("🇨🇳", "🇨🇳", "🇨🇳"),
        ("", "?", "? "),
    ],
)
def test_chrome_glyphs(raw: str, glyph: str, slot: str) -> None:
    assert chrome_glyph(raw) == glyph
    assert glyph_slot(raw) == slot
