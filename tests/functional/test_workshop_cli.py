"""``rednote-sim workshop``: checks its input, then opens the TUI in workshop mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rednote_sim.cli.common import RootGroup
from rednote_sim.cli.workshop_cmds import COMMANDS, workshop
from tests.support.cli import root_group, stand_in_tui


def _cli() -> RootGroup:
    return root_group(COMMANDS)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Stand in for the TUI: record how it was asked to open."""
    return stand_in_tui(monkeypatch)


def test_it_opens_the_room_in_workshop_mode(opened: list[dict[str, Any]], tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    args = ["workshop", "--scenario", "cat-tax", "--seed", "3", "--db", str(db)]
    result = CliRunner().invoke(_cli(), args)
    assert result.exit_code == 0, result.output
    assert opened == [
        {"db": db, "mode": "workshop", "scenario": "cat-tax", "seed": 3, "speed": 0.5, "hsk": None}
    ]


def test_hsk_n_reaches_the_room(opened: list[dict[str, Any]]) -> None:
    result = CliRunner().invoke(_cli(), ["workshop", "--hsk", "3"])
    assert result.exit_code == 0, result.output
    assert [call["hsk"] for call in opened] == [3]


def test_defaults_are_the_starter_scenario_at_half_speed(opened: list[dict[str, Any]]) -> None:
    result = CliRunner().invoke(_cli(), ["workshop", "--speed", "2"])
    assert result.exit_code == 0, result.output
    (call,) = opened
    assert (call["scenario"], call["speed"]) == ("arrival", 2.0)
    assert isinstance(call["seed"], int)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scenario", "nope"], "unknown scenario 'nope'"),
        (["--speed", "fast"], "--speed:"),
        (["--hsk", "7"], "'--hsk'"),
        (["--hsk", "three"], "'--hsk'"),
    ],
)
def test_bad_input_exits_2_before_the_tui_opens(
    opened: list[dict[str, Any]], args: list[str], message: str
) -> None:
    result = CliRunner().invoke(_cli(), ["workshop", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert opened == []


def test_help_names_the_aids() -> None:
    result = CliRunner().invoke(workshop, ["--help"])
    assert result.exit_code == 0
    assert "phrasebook" in result.output and "--scenario" in result.output
