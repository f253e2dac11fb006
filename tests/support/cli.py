"""Running CLI commands in-process, with the TUI stood in for."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterable
from typing import Any

import click
import pytest

from rednote_sim.cli.common import RootGroup


def root_group(commands: Iterable[click.Command]) -> RootGroup:
    """The same wiring as ``rednote_sim.cli``: the root group's error policy plus ``commands``."""
    group = RootGroup(name="rednote-sim")
    for command in commands:
        group.add_command(command)
    return group


def stand_in_tui(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Replace ``rednote_sim.tui`` with a recorder: each ``run_tui`` call's db and options."""
    calls: list[dict[str, Any]] = []
    fake = types.ModuleType("rednote_sim.tui")

    def run_tui(settings: Any, **kwargs: Any) -> Any:
        calls.append({"db": settings.db, **kwargs})
        # Like ``rednote_sim.tui.TuiRun`` of a room closed before its first message.
        return types.SimpleNamespace(session_id=None, exit_code=0)

    fake.run_tui = run_tui  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "rednote_sim.tui", fake)
    monkeypatch.setattr("rednote_sim.tui", fake, raising=False)
    return calls
