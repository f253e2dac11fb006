"""``replay`` and ``demo`` check what they can before the terminal switches to the TUI.

A session or scenario that does not exist is one line and exit 2, and the
full-screen app never opens (as ``workshop --scenario nope`` already did).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rednote_sim.cli.run_cmds import COMMANDS
from rednote_sim.settings import Settings
from tests.functional.tui.helpers import REPLAY_SESSION, record_session
from tests.support.cli import root_group, stand_in_tui


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Stand in for the TUI: record how it was asked to open."""
    return stand_in_tui(monkeypatch)


@pytest.fixture
def db(tmp_path: Path, personas_dir: Path) -> Path:
    settings = Settings(db=tmp_path / "r.db", personas_dir=personas_dir)
    asyncio.run(record_session(settings))
    return settings.db


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["replay", "nosuchsession"], "session 'nosuchsession' not found"),
        (["demo", "--scenario", "nope"], "unknown scenario 'nope'"),
        (["replay", REPLAY_SESSION, "--headless", "--hsk", "3"], "--hsk underlines words"),
    ],
)
def test_unknown_session_or_scenario_exits_2_before_the_tui_opens(
    opened: list[dict[str, Any]], db: Path, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(root_group(COMMANDS), [*args, "--db", str(db)])
    assert result.exit_code == 2, result.output
    (line,) = [ln for ln in result.output.splitlines() if ln.strip()]
    assert message in line and "Traceback" not in result.output
    assert opened == []


def test_a_recorded_session_opens(opened: list[dict[str, Any]], db: Path) -> None:
    result = CliRunner().invoke(
        root_group(COMMANDS), ["replay", REPLAY_SESSION[:10], "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert [(c["mode"], c["session"]) for c in opened] == [("replay", REPLAY_SESSION[:10])]


def test_replay_hsk_n_reaches_the_room(opened: list[dict[str, Any]], db: Path) -> None:
    result = CliRunner().invoke(
        root_group(COMMANDS), ["replay", REPLAY_SESSION, "--hsk", "4", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert [(c["mode"], c["hsk"]) for c in opened] == [("replay", 4)]
