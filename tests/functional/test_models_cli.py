"""``rednote-sim models status`` and ``models install``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rednote_sim.cli import cli


def run(models_dir: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env={"RNSIM_MODELS_DIR": str(models_dir)})


def test_status_with_nothing_installed(tmp_path: Path) -> None:
    result = run(tmp_path / "models", "models", "status")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("en→zh") and "missing" in line for line in lines)
    assert any(line.startswith("zh→en") and "missing" in line for line in lines)
    assert "rednote-sim models install --from FILE.argosmodel" in result.output
    assert not (tmp_path / "models").exists()  # looking does not create anything


def test_install_from_file_then_status(tmp_path: Path, tiny_en_zh_package_file: Path) -> None:
    models = tmp_path / "models"
    result = run(models, "models", "install", "--from", str(tiny_en_zh_package_file))
    assert result.exit_code == 0, result.output
    assert "installed: translate-en_zh 0.1 (en→zh)" in result.output
    status = run(models, "models", "status")
    [line] = [ln for ln in status.output.splitlines() if ln.startswith("en→zh")]
    assert "translate-en_zh" in line and "0.1" in line and str(models) in line


def test_install_is_idempotent(tmp_path: Path, tiny_en_zh_package_file: Path) -> None:
    models = tmp_path / "models"
    args = ("models", "install", "--quiet", "--from", str(tiny_en_zh_package_file))
    assert run(models, *args).exit_code == 0
    again = run(models, *args)
    assert again.exit_code == 0
    assert "already installed: translate-en_zh 0.1" in again.output
    forced = run(models, *args, "--force")
    assert forced.exit_code == 0 and "\ninstalled:" in "\n" + forced.output
    assert [p.name for p in models.iterdir()] == ["translate-en_zh-0_1"]


def test_install_from_a_directory(tmp_path: Path, tiny_en_zh_package_file: Path) -> None:
    models = tmp_path / "models"
    result = run(
        models, "models", "install", "--quiet", "--from", str(tiny_en_zh_package_file.parent)
    )
    assert result.exit_code == 0, result.output
    assert "translate-en_zh 0.1" in result.output


def _error_line(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


def test_bad_zip_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.argosmodel"
    bad.write_bytes(b"PK\x03\x04 but not really a zip")
    line = _error_line(run(tmp_path / "models", "models", "install", "--from", str(bad)))
    assert str(bad) in line and "zip" in line


def test_missing_metadata_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "no-meta.argosmodel"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("pkg/model/model.bin", b"x")
        zf.writestr("pkg/sentencepiece.model", b"x")
    line = _error_line(run(tmp_path / "models", "models", "install", "--from", str(bad)))
    assert str(bad) in line and "metadata.json" in line


def test_missing_file(tmp_path: Path) -> None:
    line = _error_line(
        run(tmp_path / "models", "models", "install", "--from", str(tmp_path / "nope.argosmodel"))
    )
    assert "nope.argosmodel" in line


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_install_without_from_is_a_clear_error_offline(tmp_path: Path) -> None:
    line = _error_line(run(tmp_path / "models", "models", "install"))
    assert "cannot reach the Argos package index (offline?)" in line
    assert "rednote-sim models install --from FILE.argosmodel" in line


def test_real_process_install_and_offline_error(
    tmp_path: Path, tiny_en_zh_package_file: Path
) -> None:
    """The installed console script, as a user runs it (the network guard is on)."""
    env = {**os.environ, "RNSIM_MODELS_DIR": str(tmp_path / "models")}
    exe = [sys.executable, "-m", "rednote_sim"]
    done = subprocess.run(
        [*exe, "models", "install", "--from", str(tiny_en_zh_package_file)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "installed: translate-en_zh 0.1" in done.stdout
    offline = subprocess.run(
        [*exe, "models", "install", "--quiet"], capture_output=True, text=True, env=env, timeout=120
    )
    assert offline.returncode == 2
    assert offline.stderr.startswith("error: cannot reach the Argos package index (offline?)")
    assert len(offline.stderr.strip().splitlines()) == 1


def test_installed_package_metadata_is_what_argos_reads(
    tmp_path: Path, tiny_en_zh_package_file: Path
) -> None:
    """argostranslate itself can read what we installed (we share its directory layout)."""
    models = tmp_path / "models"
    assert (
        run(
            models, "models", "install", "--quiet", "--from", str(tiny_en_zh_package_file)
        ).exit_code
        == 0
    )
    from argostranslate.package import Package

    package = Package(models / "translate-en_zh-0_1")
    assert (package.from_code, package.to_code, package.package_version) == ("en", "zh", "0.1")
    meta = json.loads((models / "translate-en_zh-0_1" / "metadata.json").read_text())
    assert meta["from_code"] == "en"
