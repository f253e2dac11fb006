"""``replay`` and ``demo`` check what they can before the terminal switches to the TUI.

A session or scenario that does not exist is one line and exit 2, and the
full-screen app never opens (as ``workshop --scenario nope`` already did).
"""

from __future__ import annotations

import asyncio
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rednote_sim.cli.common import RootGroup
from rednote_sim.cli.run_cmds import COMMANDS
from rednote_sim.settings import Settings
from tests.functional.tui.helpers import REPLAY_SESSION, record_session


def _cli() -> RootGroup:
    group = RootGroup(name="rednote-sim")
    for command in COMMANDS:
        group.add_command(command)
    return group


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Stand in for the TUI: record how it was asked to open."""
    calls: list[dict[str, Any]] = []
    fake = types.ModuleType("rednote_sim.tui")

    def run_tui(settings: Any, **kwargs: Any) -> None:
        calls.append(kwargs)

    fake.run_tui = run_tui  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "rednote_sim.tui", fake)
    monkeypatch.setattr("rednote_sim.tui", fake, raising=False)
    return calls


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
    ],
)
def test_unknown_session_or_scenario_exits_2_before_the_tui_opens(
    opened: list[dict[str, Any]], db: Path, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(_cli(), [*args, "--db", str(db)])
    assert result.exit_code == 2, result.output
    (line,) = [ln for ln in result.output.splitlines() if ln.strip()]
    assert message in line and "Traceback" not in result.output
    assert opened == []


def test_a_recorded_session_opens(opened: list[dict[str, Any]], db: Path) -> None:
    result = CliRunner().invoke(_cli(), ["replay", REPLAY_SESSION[:10], "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert [(c["mode"], c["session"]) for c in opened] == [("replay", REPLAY_SESSION[:10])]
