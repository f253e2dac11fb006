"""``rednote-sim translate``."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rednote_sim.cli import cli


def run(models_dir: Path, db: Path, *args: str, stdin: str | None = None) -> Result:
    env = {"RNSIM_MODELS_DIR": str(models_dir), "RNSIM_DB": str(db)}
    return CliRunner().invoke(cli, ["translate", *args], input=stdin, env=env)


def test_help_shows_the_examples_unwrapped() -> None:
    result = CliRunner().invoke(cli, ["translate", "--help"])
    assert result.exit_code == 0
    assert "\b" not in result.output and "\\b" not in result.output
    assert '\n  Examples:\n    rednote-sim translate "你好，我来自上海。"\n' in result.output
    assert "\n    printf '你好\\n谢谢\\n' | rednote-sim translate --jsonl\n" in result.output


@pytest.mark.model
def test_text_arguments(zh_en_models_dir: Path, tmp_path: Path) -> None:
    result = run(zh_en_models_dir, tmp_path / "t.db", "你好，我来自上海。", "小红书上见！")
    assert result.exit_code == 0, result.output
    assert "[zh] 你好，我来自上海。" in result.output
    assert "Shanghai" in result.output
    assert "RedNote" in result.output  # the project's glossary
    assert "(argos:translate-zh_en@1.9)" in result.output


@pytest.mark.model
def test_stdin_lines_and_jsonl(zh_en_models_dir: Path, tmp_path: Path) -> None:
    result = run(
        zh_en_models_dir, tmp_path / "t.db", "--jsonl", stdin="你好，我来自上海。\n\n🐱🐱\nhello\n"
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["text"] for r in records] == ["你好，我来自上海。", "🐱🐱", "hello"]
    for record in records:
        assert set(record) == {"text", "lang", "translation", "translation_error"}
    zh, emoji, en = records
    assert zh["lang"] == "zh" and "Shanghai" in zh["translation"]["text"]
    assert zh["translation"]["engine"] == "argos:translate-zh_en@1.9"
    assert zh["translation_error"] is None
    assert emoji["translation"] == {
        "lang": "en",
        "text": "🐱🐱",
        "engine": "passthrough",
        "origin": "passthrough",
    }
    assert zh["translation"]["origin"] == "machine"
    # No en->zh model here: the line is kept, with the reason and how to fix it.
    assert en["lang"] == "en" and en["translation"] is None
    assert "rednote-sim models install" in en["translation_error"]


def test_no_model_exits_zero_with_the_reason(tmp_path: Path) -> None:
    result = run(tmp_path / "no-models", tmp_path / "t.db", "hello there")
    assert result.exit_code == 0, result.output
    assert "not translated: no en→zh model installed" in result.output


@pytest.mark.model
def test_from_and_to(zh_en_models_dir: Path, tmp_path: Path) -> None:
    # Forced source: an English-looking line treated as Chinese still goes to the zh->en model.
    result = run(zh_en_models_dir, tmp_path / "t.db", "--from", "zh", "--to", "en", "--jsonl", "好")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["translation"]["lang"] == "en"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "zh", "--to", "zh", "你好"), "--from and --to are both zh"),
        (("--from", "fr", "bonjour"), "Invalid value for '--from'"),
        (("--to", "de", "hello"), "Invalid value for '--to'"),
    ],
)
def test_bad_options_exit_2(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = run(tmp_path / "models", tmp_path / "t.db", *args)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.model
def test_translations_are_remembered_in_the_database(
    zh_en_models_dir: Path, tmp_path: Path
) -> None:
    from rednote_sim.store import Store

    db = tmp_path / "tm.db"
    assert run(zh_en_models_dir, db, "晚安，明天见！").exit_code == 0

    # Filed under the engine, the pipeline revision, the glossary and the slang the CLI uses.
    from rednote_sim.settings import Settings
    from rednote_sim.slang import SLANG_FILE, load_slang
    from rednote_sim.translate import TranslationService
    from rednote_sim.translate.glossary import load_glossary

    personas = Settings().personas_dir
    service = TranslationService(
        glossary=load_glossary(personas / "glossary.toml"),
        slang=load_slang(personas / SLANG_FILE),
    )
    key = service.memory_key("argos:translate-zh_en@1.9")
    assert "|p3|g" in key and "|s" in key

    async def lookup() -> dict[str, str]:
        async with await Store.open(db) as store:
            return await store.tm_lookup(key, "zh", "en", ["晚安，明天见！"])

    remembered = asyncio.run(lookup())
    assert list(remembered) == ["晚安，明天见！"]
    # A second run is answered from the memory, identically.
    again = run(zh_en_models_dir, db, "--jsonl", "晚安，明天见！")
    assert json.loads(again.output)["translation"]["text"] == remembered["晚安，明天见！"]


HOSTILE_INPUTS = (
    "你好\x1b]0;owned title\x07世界",  # OSC: sets the terminal's title
    "小红书\x1b[2J\x1b[31m清屏",  # CSI: clears the screen, recolours
    "谢谢\x9b31m朋友",  # C1 CSI
    "猫税\x07\x07",  # BEL
    "abc\u202edef 你好",  # RLO: reverses the rest of the line
)
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e")


@pytest.mark.model
def test_control_characters_in_the_input_never_reach_the_terminal(
    zh_en_models_dir: Path, tmp_path: Path
) -> None:
    from tests.support.files import run_cli

    env = {"RNSIM_MODELS_DIR": str(zh_en_models_dir), "RNSIM_DB": str(tmp_path / "t.db")}
    plain = run_cli("translate", *HOSTILE_INPUTS, env=env)
    assert plain.returncode == 0, plain.stderr
    for raw in RAW_CONTROLS:
        assert raw not in plain.stdout and raw not in plain.stderr
    assert "[zh] 你好\\x1b]0;owned title\\x07世界" in plain.stdout
    assert "abc\\u202edef 你好" in plain.stdout
    as_jsonl = run_cli("translate", "--jsonl", *HOSTILE_INPUTS, env=env)
    assert as_jsonl.returncode == 0, as_jsonl.stderr
    for raw in RAW_CONTROLS:
        assert raw not in as_jsonl.stdout
    records = [json.loads(line) for line in as_jsonl.stdout.splitlines()]
    assert [r["text"] for r in records] == list(HOSTILE_INPUTS)  # escaped, not changed
    as_filter = run_cli("translate", "--plain", *HOSTILE_INPUTS, env=env)
    assert as_filter.returncode == 0, as_filter.stderr
    assert len(as_filter.stdout.splitlines()) == len(HOSTILE_INPUTS)  # still one line each
    for raw in RAW_CONTROLS:
        assert raw not in as_filter.stdout and raw not in as_filter.stderr


@pytest.mark.model
def test_plain_is_a_filter_one_line_out_per_line_in(zh_en_models_dir: Path, tmp_path: Path) -> None:
    lines = ["你好，我来自上海。", "", "🐱🐱", "hello there", "小红书上见！"]
    result = CliRunner().invoke(
        cli,
        ["translate", "--plain"],
        input="\n".join(lines) + "\n",
        env={"RNSIM_MODELS_DIR": str(zh_en_models_dir), "RNSIM_DB": str(tmp_path / "p.db")},
    )
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    assert len(out) == len(lines)
    assert "Shanghai" in out[0] and not out[0].startswith("[")  # no labels, no language tags
    assert out[1] == ""  # a blank line stays blank
    assert out[2] == "🐱🐱"  # nothing to translate: as written
    assert out[3] == "hello there"  # no en->zh model: as written, the reason on stderr only
    assert "RedNote" in out[4]
    assert "machine" not in result.stdout and "argos" not in result.stdout
    assert "line 4: not translated: no en→zh model" in result.stderr


@pytest.mark.model
def test_plain_splits_a_text_argument_into_its_lines(
    zh_en_models_dir: Path, tmp_path: Path
) -> None:
    result = run(zh_en_models_dir, tmp_path / "p.db", "--plain", "你好\n谢谢", "晚安")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 3


def test_plain_and_jsonl_exclude_each_other(tmp_path: Path) -> None:
    result = run(tmp_path, tmp_path / "p.db", "--plain", "--jsonl", "你好")
    assert result.exit_code == 2
    assert "pick one" in result.output
