"""Headless demo, replay, sessions, export and import through the real CLI.

These run the real scenario through the real store and the real Argos zh->en
package (en->zh has no model here, so English lines carry the scenario's human
reference, labelled `script`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rednote_sim.cli import cli

ZH_EN_ENGINE = "argos:translate-zh_en@1.9"


@pytest.fixture
def env(zh_en_models_dir: Path, tmp_path: Path) -> dict[str, str]:
    """Environment for a run: the installed zh->en model and a fresh database."""
    return {"RNSIM_MODELS_DIR": str(zh_en_models_dir), "RNSIM_DB": str(tmp_path / "run.db")}


def run(env: dict[str, str], *args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result


def jsonl(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


DEMO = ("demo", "--headless", "--jsonl", "--speed", "max", "--seed", "11")


def test_demo_jsonl_follows_the_contract(env: dict[str, str]) -> None:
    result = run(env, *DEMO)
    assert result.exit_code == 0, result.output
    records = jsonl(result.stdout)
    assert len(records) >= 25
    required = {
        "session": str,
        "seq": int,
        "t": float,
        "persona": str,
        "name": str,
        "lang": str,
        "text": str,
    }
    for record in records:
        for key, kind in required.items():
            assert isinstance(record[key], kind), (key, record)
        assert record["lang"] in ("en", "zh")
        assert "reply_to" in record and "translation" in record and "translation_error" in record
    assert [r["seq"] for r in records] == list(range(1, len(records) + 1))
    times = [float(str(r["t"])) for r in records]
    assert times == sorted(times)
    assert any(r["reply_to"] is not None for r in records)


def test_chinese_is_machine_translated_and_english_falls_back_to_the_reference(
    env: dict[str, str],
) -> None:
    records = jsonl(run(env, *DEMO).stdout)
    chinese = [r for r in records if r["lang"] == "zh"]
    english = [r for r in records if r["lang"] == "en"]
    assert chinese and english
    for record in chinese:
        translation = record["translation"]
        assert isinstance(translation, dict), record
        assert translation["engine"] == ZH_EN_ENGINE and translation["lang"] == "en"
        assert str(translation["text"]).strip()
    for record in english:
        translation = record["translation"]
        assert isinstance(translation, dict), record
        assert translation["engine"] == "script" and translation["lang"] == "zh"
        assert translation["text"] == record["reference"]


def test_same_seed_gives_the_same_session(env: dict[str, str], tmp_path: Path) -> None:
    first = jsonl(run(env, *DEMO).stdout)
    other_db = {**env, "RNSIM_DB": str(tmp_path / "other.db")}
    second = jsonl(run(other_db, *DEMO).stdout)

    def strip(records: list[dict[str, object]]) -> list[dict[str, object]]:
        return [{k: v for k, v in r.items() if k != "session"} for r in records]

    assert strip(first) == strip(second)
    different = jsonl(run(env, *DEMO[:-1], "12").stdout)
    assert [r["t"] for r in different] != [r["t"] for r in first]


def test_replay_yields_the_same_messages_translations_and_order(env: dict[str, str]) -> None:
    live = run(env, *DEMO)
    assert live.exit_code == 0, live.output
    replay = run(env, "replay", "latest", "--headless", "--jsonl", "--speed", "max")
    assert replay.exit_code == 0, replay.output
    assert jsonl(replay.stdout) == jsonl(live.stdout)


def test_human_output_shows_who_when_original_and_translation_under_it(
    env: dict[str, str],
) -> None:
    result = run(env, "demo", "--headless", "--speed", "max", "--seed", "3")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "🇺🇸" in out and "🇨🇳" in out
    assert "[0:0" in out  # scenario time m:ss
    assert "Argos translate-zh_en 1.9" in out and "human reference" in out
    blocks = [b for b in out.split("\n\n") if b.strip()]
    for block in blocks:
        lines = block.splitlines()
        assert lines[0].startswith("["), block
        assert any(line.lstrip().startswith("⤷") for line in lines[1:]), block
    assert "replay it with: rednote-sim replay" in result.stderr


def test_sessions_lists_recorded_runs(env: dict[str, str]) -> None:
    run(env, *DEMO)
    listed = json.loads(run(env, "sessions", "--json").stdout)
    assert len(listed) == 1
    assert listed[0]["scenario"] == "arrival" and listed[0]["seed"] == 11
    assert listed[0]["message_count"] >= 25
    table = run(env, "sessions")
    assert listed[0]["id"] in table.stdout


def test_export_import_export_round_trips_without_loss(env: dict[str, str], tmp_path: Path) -> None:
    run(env, *DEMO)
    exported = run(env, "export", "latest", "--format", "jsonl")
    assert exported.exit_code == 0, exported.output
    file = tmp_path / "session.jsonl"
    file.write_text(exported.stdout, encoding="utf-8")
    fresh = {**env, "RNSIM_DB": str(tmp_path / "fresh.db")}
    imported = run(fresh, "import", str(file))
    assert imported.exit_code == 0, imported.output
    again = run(fresh, "export", "latest", "--format", "jsonl")
    assert again.stdout == exported.stdout
    kinds = {r.get("type") for r in jsonl(exported.stdout)}
    assert {"session", "message", "reaction", "marker"} <= kinds


def test_importing_into_the_same_database_keeps_both(env: dict[str, str], tmp_path: Path) -> None:
    run(env, *DEMO)
    file = tmp_path / "s.jsonl"
    file.write_text(run(env, "export", "latest", "--format", "jsonl").stdout, encoding="utf-8")
    result = run(env, "import", str(file))
    assert result.exit_code == 0 and "-imported" in result.stdout
    assert len(json.loads(run(env, "sessions", "--json").stdout)) == 2


def test_a_headless_jsonl_capture_can_be_imported(env: dict[str, str], tmp_path: Path) -> None:
    capture = tmp_path / "capture.jsonl"
    capture.write_text(run(env, *DEMO).stdout, encoding="utf-8")
    fresh = {**env, "RNSIM_DB": str(tmp_path / "fresh.db")}
    assert run(fresh, "import", str(capture)).exit_code == 0
    replayed = run(fresh, "replay", "latest", "--headless", "--jsonl", "--speed", "max")
    assert jsonl(replayed.stdout) == jsonl(capture.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('{"session": "s", "seq": 1}\n', "line 1"),
        ("not json\n", "not valid JSON"),
        ('{"type": "weird"}\n', "unknown record type"),
    ],
)
def test_bad_import_files_exit_2_and_write_nothing(
    env: dict[str, str], tmp_path: Path, content: str, needle: str
) -> None:
    file = tmp_path / "bad.jsonl"
    file.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(file)], env=env)
    assert result.exit_code == 2, result.output
    assert "bad.jsonl:1" in result.output or needle in result.output
    assert "Traceback" not in result.output
    assert json.loads(run(env, "sessions", "--json").stdout) == []


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("demo", "--headless", "--scenario", "nope"), "unknown scenario 'nope'"),
        (("demo", "--headless", "--speed", "fast"), "--speed"),
        (("replay", "missing-session", "--headless"), "not found"),
        (("export", "latest", "--format", "jsonl"), "no recorded sessions"),
    ],
)
def test_bad_arguments_exit_2_with_one_clear_line(
    env: dict[str, str], args: tuple[str, ...], needle: str
) -> None:
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exit_code == 2, result.output
    assert needle in result.output
    assert "Traceback" not in result.output


def test_the_headless_path_never_imports_textual(env: dict[str, str]) -> None:
    script = textwrap.dedent(
        """
        import sys
        from rednote_sim.cli import cli
        args = ["demo", "--headless", "--speed", "max", "--seed", "1"]
        try:
            cli.main(args, standalone_mode=False)
        finally:
            loaded = "textual" in sys.modules
            print("TEXTUAL-LOADED" if loaded else "TEXTUAL-ABSENT", file=sys.stderr)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env},
    )
    assert proc.returncode == 0, proc.stderr
    assert "TEXTUAL-ABSENT" in proc.stderr
