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
