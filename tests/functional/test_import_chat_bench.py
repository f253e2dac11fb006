"""The chat-import benchmark, and the memory an import takes (streamed, not held)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rednote_sim.bench.chat_bench import run_memory, write_export
from rednote_sim.bench.translate_bench import load_lines
from rednote_sim.importers import chat_reader


def test_bench_import_chat_runs_with_the_real_model(zh_en_package_file: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "rednote_sim.bench",
            "import-chat",
            "--messages",
            "30",
            "--memory-messages",
            "500",
            "--model",
            str(zh_en_package_file),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "speed: 30 messages (15 translated by the real zh→en model):"
    assert lines[4].strip().startswith("whole import") and "translation included" in lines[4]
    assert lines[5].strip().startswith("the same 15 texts through the service alone")
    assert lines[6].startswith("memory: 500 messages") and "peak traced memory" in lines[6]


def test_the_synthetic_export_is_a_telegram_export_the_reader_takes(tmp_path: Path) -> None:
    file = write_export(tmp_path / "result.json", 50, load_lines())
    messages = list(chat_reader(file, "telegram").messages())
    assert len(messages) == 50
    assert len({m.text for m in messages if m.text}) == 45  # every text differs
    assert sum(1 for m in messages if m.reply_to) == 10


def test_memory_grows_by_a_small_index_per_message_not_by_the_chat() -> None:
    """An import keeps the reply index (about 100 bytes a message), never the messages."""
    lines = load_lines()
    run_memory(200, lines)  # imports and caches that happen once are not part of the measure
    small, large = run_memory(3_000, lines), run_memory(12_000, lines)
    more_file = (large.file_mib - small.file_mib) * (1 << 20)
    more_memory = (large.peak_mib - small.peak_mib) * (1 << 20)
    assert more_memory / 9_000 < 250  # bytes per extra message
    assert more_memory < more_file / 2
    assert large.peak_mib < 16
