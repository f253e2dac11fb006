"""``rednote-sim export`` through the real CLI: every format, default files, clear errors.

The last test records a session with the real Argos zh->en model (``demo --headless``),
annotates it the way the workshop TUI does, and exports it in every format.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rednote_sim.cli import cli
from rednote_sim.content import load_cast
from rednote_sim.store import Store
from rednote_sim.store.workshop_repo import WorkshopRepo
from rednote_sim.workshop.vocab import make_entry
from tests.conftest import WorkshopSession


def run(db: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, [*args, "--db", str(db)], env=env)


def test_markdown_goes_to_stdout(workshop_session: WorkshopSession) -> None:
    result = run(workshop_session.db, "export", "latest", "--format", "md")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Arrival: day one of the migration · 初来乍到")
    assert "## Phrasebook" in result.stdout


def test_html_and_anki_default_to_files_named_after_the_session(
    workshop_session: WorkshopSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    sid = workshop_session.session_id
    for fmt, suffix in (("html", ".html"), ("anki", ".apkg")):
        result = run(workshop_session.db, "export", sid[:12], "--format", fmt)
        assert result.exit_code == 0, result.output
        assert result.stdout == ""
        assert result.stderr.startswith(f"wrote {sid}{suffix} ({sid}, ")
        assert (tmp_path / f"{sid}{suffix}").is_file()
    assert (tmp_path / f"{sid}.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert zipfile.is_zipfile(tmp_path / f"{sid}.apkg")


def test_jsonl_round_trips_through_the_cli(
    workshop_session: WorkshopSession, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    exported = run(workshop_session.db, "export", "latest", "--format", "jsonl", "-o", str(first))
    assert exported.exit_code == 0, exported.output
    fresh = tmp_path / "fresh.db"
    imported = run(fresh, "import", str(first))
    assert imported.exit_code == 0, imported.output
    again = run(fresh, "export", "latest", "--format", "jsonl", "-o", str(second))
    assert again.exit_code == 0, again.output
    assert second.read_bytes() == first.read_bytes()
    kinds = {json.loads(line)["type"] for line in first.read_text(encoding="utf-8").splitlines()}
    assert {"vocab", "mt_error", "quiz_answer"} <= kinds


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "nope", "--format", "md"], "session 'nope' not found"),
        (["export", "latest", "--format", "pdf"], "'pdf' is not one of"),
        (["export", "latest", "--format", "html", "-o", "/nonexistent/dir/x.html"], "cannot write"),
        (["export", "latest", "--format", "anki", "-o", "/nonexistent/dir/x.apkg"], "cannot write"),
    ],
)
def test_bad_exports_exit_2_with_one_line(
    workshop_session: WorkshopSession, args: list[str], message: str
) -> None:
    result = run(workshop_session.db, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_real_process_writes_the_handout(
    workshop_session: WorkshopSession, tmp_path: Path
) -> None:
    out = tmp_path / "real.html"
    args = [
        "export",
        "latest",
        "--format",
        "html",
        "-o",
        str(out),
        "--db",
        str(workshop_session.db),
    ]
    done = subprocess.run(
        [sys.executable, "-m", "rednote_sim", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(f"wrote {out}")
    assert "初来乍到" in out.read_text(encoding="utf-8")


@pytest.mark.model
def test_a_session_recorded_with_the_real_model_exports_in_every_format(
    zh_en_models_dir: Path, personas_dir: Path, tmp_path: Path
) -> None:
    db = tmp_path / "real.db"
    env = {"RNSIM_MODELS_DIR": str(zh_en_models_dir)}
    demo = run(db, "demo", "--headless", "--speed", "max", "--seed", "1", env=env)
    assert demo.exit_code == 0, demo.output

    async def annotate() -> None:
        cast = load_cast(personas_dir)
        async with await Store.open(db) as store:
            session = await store.get_session("latest")
            messages = await store.messages(session.id)
            eyes = next(m for m in messages if m.beat == "eyes")
            assert eyes.translation is not None
            assert eyes.translation.engine == "argos:translate-zh_en@1.9"
            repo = WorkshopRepo.of(store)
            await repo.save_vocab(make_entry(eyes, "小红书", glossary=cast.glossary))
            await repo.mark_mt_error(session.id, eyes.seq, "compare with the reference")
            await repo.add_quiz_answer(session.id, eyes.seq, "Help! RedNote is all English")

    asyncio.run(annotate())
    md = run(db, "export", "latest", "--format", "md")
    assert md.exit_code == 0, md.output
    assert "machine · Argos translate-zh\\_en 1.9" in md.stdout
    assert "- **小红书** *xiǎohóngshū* — RedNote *(glossary)*" in md.stdout
    assert "*jiùmìng，" in md.stdout
    for fmt, name in (("html", "h.html"), ("anki", "d.apkg"), ("jsonl", "s.jsonl")):
        result = run(db, "export", "latest", "--format", fmt, "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    html = (tmp_path / "h.html").read_text(encoding="utf-8")
    assert "Interesting MT error" in html and "compare with the reference" in html
    imported = run(tmp_path / "copy.db", "import", str(tmp_path / "s.jsonl"))
    assert imported.exit_code == 0, imported.output
