"""Fixtures for the TUI tests: settings on a temp database, a recorded session.

Every test runs the real store on a real SQLite file under ``tmp_path``, the
real content in ``personas/`` and, unless it says otherwise, the fast
:func:`~tests.functional.tui.fakes.stub_translator`.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from rednote_sim.settings import Settings
from tests.functional.tui.helpers import record_session


@pytest.fixture
def tui_settings(tmp_path: Path, personas_dir: Path) -> Settings:
    """A fresh database, the real personas, an empty models dir."""
    return Settings(
        db=tmp_path / "room.db", personas_dir=personas_dir, models_dir=tmp_path / "no-models"
    )


@pytest.fixture
def recorded(tui_settings: Settings) -> Settings:
    """Settings whose database holds :data:`REPLAY_SESSION`."""
    asyncio.run(record_session(tui_settings))
    return tui_settings
