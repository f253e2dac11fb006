"""Settings, read from the environment (``RNSIM_*``) with XDG defaults.

Nothing is created or read at import time: paths are computed when a
``Settings`` is made, and directories are created by the code that writes there.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "rednote-sim"

DEFAULT_SCENARIO = "arrival"
"""The starter scenario the demo plays: day one of the migration."""

DEFAULT_IDLE_CAP = 5.0
"""Longest silence a replay waits through (scenario seconds), and the longest gap an
imported chat keeps between two messages."""


def default_data_dir() -> Path:
    """rednote-sim's own data folder (the only folder it creates for a database)."""
    return Path(platformdirs.user_data_dir(APP_NAME))


def _default_db() -> Path:
    return default_data_dir() / "rednote-sim.db"


def default_models_dir() -> Path:
    """Where Argos Translate keeps installed packages (the same rule as argostranslate).

    ``ARGOS_PACKAGES_DIR`` wins; otherwise ``$XDG_DATA_HOME/argos-translate/packages``.
    Sharing Argos's directory means models installed with ``argospm`` are found too.
    """
    explicit = os.environ.get("ARGOS_PACKAGES_DIR")
    if explicit:
        return Path(explicit)
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "argos-translate" / "packages"


def _default_personas() -> Path:
    # personas/ sits beside the package in a checkout or an editable install.
    return Path(__file__).resolve().parent.parent / "personas"


class Settings(BaseSettings):
    """Configuration for one run of rednote-sim."""

    # An empty variable (RNSIM_DB=) means "not set", never the current directory.
    model_config = SettingsConfigDict(env_prefix="RNSIM_", extra="ignore", env_ignore_empty=True)

    db: Path = Field(
        default_factory=_default_db,
        description="SQLite database holding sessions, messages and the translation memory.",
    )
    personas_dir: Path = Field(
        default_factory=_default_personas,
        description="Directory with cast/, scenarios/ and glossary.toml.",
    )
    models_dir: Path = Field(
        default_factory=default_models_dir,
        description="Directory of installed Argos packages (shared with argospm).",
    )
    beam_size: int = Field(
        default=2,  # translate.engine.DEFAULT_BEAM: as good as 4 and 1.6x faster (bench)
        ge=1,
        le=16,
        description="Beam size for the Argos (CTranslate2) models.",
    )
    translate_threads: int = Field(
        default=0, ge=0, description="CTranslate2 intra-op threads; 0 lets it use every core."
    )
    lock_timeout: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="Seconds a write waits for another process's write before giving up.",
    )
    debug: bool = Field(default=False, description="Show tracebacks for internal errors.")
