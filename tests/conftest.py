"""Suite-wide set-up: isolated XDG/Argos dirs, the network guard, the real model.

Environment variables are set at import time of this file, before any test
module imports argostranslate (which reads and creates its XDG directories
when imported).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_TMP = Path(tempfile.mkdtemp(prefix="rnsim-tests-"))

for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(_TMP / _var.lower())
# The user's own models and database are never touched by the tests.
os.environ["ARGOS_PACKAGES_DIR"] = str(_TMP / "argos-packages-empty")
os.environ["RNSIM_MODELS_DIR"] = str(_TMP / "argos-packages-empty")
os.environ["RNSIM_DB"] = str(_TMP / "default.db")
# Subprocesses import tests/netguard/sitecustomize.py and cannot reach the network.
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(ROOT / "tests" / "netguard"), str(ROOT), os.environ.get("PYTHONPATH")) if p
)

SHARED_MODELS = Path(os.environ.get("RNSIM_SHARED_MODELS", ROOT.parent / "shared" / "models"))
ZH_EN_PACKAGE = SHARED_MODELS / "translate-zh_en-1_9.argosmodel"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def zh_en_package_file() -> Path:
    """The official Argos zh->en package; missing is a failure under CI=true."""
    if not ZH_EN_PACKAGE.is_file():
        message = (
            f"the Argos zh->en package is missing: {ZH_EN_PACKAGE} "
            "(set RNSIM_SHARED_MODELS to the folder holding translate-zh_en-1_9.argosmodel)"
        )
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return ZH_EN_PACKAGE


@pytest.fixture(scope="session")
def personas_dir() -> Path:
    """The project's real personas/ directory."""
    return ROOT / "personas"


# --- translation: installed models for the translation tests -------------------------------


@pytest.fixture(scope="session")
def zh_en_models_dir(zh_en_package_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models dir holding the official zh->en package, installed by our own installer."""
    from rednote_sim.translate.packages import install_from

    models_dir = tmp_path_factory.mktemp("models-zh-en")
    install_from(zh_en_package_file, models_dir)
    return models_dir


@pytest.fixture(scope="session")
def tiny_en_zh_package_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny but real en->zh ``.argosmodel`` built for this session (random weights)."""
    from tests.support.tiny_model import build_argosmodel

    return build_argosmodel(tmp_path_factory.mktemp("tiny-en-zh"))


@pytest.fixture(scope="session")
def tiny_en_zh_models_dir(
    tiny_en_zh_package_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A models dir where the tiny en->zh package was installed with the CLI, like a real one."""
    from click.testing import CliRunner

    from rednote_sim.cli import cli

    models_dir = tmp_path_factory.mktemp("models-en-zh")
    result = CliRunner().invoke(
        cli,
        ["models", "install", "--from", str(tiny_en_zh_package_file), "--quiet"],
        env={"RNSIM_MODELS_DIR": str(models_dir)},
    )
    assert result.exit_code == 0, result.output
    return models_dir
