"""`models install` on hostile packages, and installs that are stopped or killed.

Each bad package is refused by the real CLI in a real process with exit 2 and
one line naming the file; nothing is installed and no staging directory is left.
"""

from __future__ import annotations

import os
import signal
import struct
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from rednote_sim.translate.packages import installed_packages
from tests.support.files import one_error_line, run_cli
from tests.support.packages import make_argosmodel

TOP = "translate-zh_en-1_9"


def _install(file: Path, models: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(
        "models", "install", "--from", str(file), "--quiet", env={"RNSIM_MODELS_DIR": str(models)}
    )


def _dev_zero(tmp: Path) -> Path:
    path = tmp / "zero.argosmodel"
    path.symlink_to("/dev/zero")
    return path


def _fifo(tmp: Path) -> Path:
    path = tmp / "pipe.argosmodel"
    os.mkfifo(path)
    return path


def _patch_headers(path: Path, member: str, field: str, value: Callable[[int], int]) -> None:
    """Rewrite a 2-byte field of ``member`` in its local and central zip headers.

    ``field`` is ``"flags"`` (general purpose bits) or ``"method"`` (compression).
    """
    # (signature, offset of the field, offset of the file name) per header kind
    layout = {
        "flags": ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)),
        "method": ((b"PK\x03\x04", 8, 30), (b"PK\x01\x02", 10, 46)),
    }
    data = bytearray(path.read_bytes())
    name = member.encode()
    for signature, offset, name_offset in layout[field]:
        start = 0
        while (start := data.find(signature, start)) != -1:
            if data[start + name_offset : start + name_offset + len(name)] == name:
                (old,) = struct.unpack_from("<H", data, start + offset)
                struct.pack_into("<H", data, start + offset, value(old))
            start += 4
    path.write_bytes(bytes(data))


def _encrypted(tmp: Path) -> Path:
    path = make_argosmodel(tmp)
    _patch_headers(path, f"{TOP}/README.md", "flags", lambda flags: flags | 0x1)
    return path


def _unsupported_compression(tmp: Path) -> Path:
    path = make_argosmodel(tmp)
    # Zstandard (93): not in this Python's zipfile.
    _patch_headers(path, f"{TOP}/README.md", "method", lambda _: 93)
    return path


def _file_and_directory(tmp: Path) -> Path:
    return make_argosmodel(
        tmp, extra={f"{TOP}/model/extra": b"a file", f"{TOP}/model/extra/x": b"x"}
    )


def _deep_metadata(tmp: Path) -> Path:
    deep = b"[" * 100_000 + b"]" * 100_000
    return make_argosmodel(tmp, extra={f"{TOP}/metadata.json": deep})


def _zip_bomb(tmp: Path) -> Path:
    path = make_argosmodel(tmp)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf,
        zf.open(f"{TOP}/padding.bin", "w", force_zip64=True) as member,
    ):
        chunk = b"\0" * (1 << 20)
        for _ in range(256):  # 256 MiB of zeros, a few hundred KiB packed
            member.write(chunk)
    return path


def _metadata(**fields: object) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        meta = {"package_version": "1.9", "from_code": "zh", "to_code": "en", **fields}
        return make_argosmodel(tmp, metadata=meta)

    return make


def _garbage_model(tmp: Path) -> Path:
    return make_argosmodel(tmp, extra={f"{TOP}/model/model.bin": os.urandom(4096)})


def _garbage_sentencepiece(tmp: Path) -> Path:
    return make_argosmodel(tmp, extra={f"{TOP}/sentencepiece.model": b"not a model" * 50})


CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "/dev/zero": (_dev_zero, "character device"),
    "a FIFO": (_fifo, "named pipe"),
    "an encrypted member": (_encrypted, "is encrypted"),
    "unsupported compression": (_unsupported_compression, "unsupported compression method"),
    "a file and a directory of one name": (_file_and_directory, "both a file and a directory"),
    "deeply nested metadata": (_deep_metadata, "nested more than"),
    "a zip bomb": (_zip_bomb, "times its size"),
    "from_code not a string": (_metadata(from_code=5), "from_code must be a string"),
    "from_code not a language code": (_metadata(from_code="../zh"), "is not a language code"),
    "version not a version": (_metadata(package_version="1.9; rm -rf"), "is not a version"),
    "not a translation package": (_metadata(type="sbd"), "is not a translation package"),
    "target_prefix not a string": (_metadata(target_prefix=["x"]), "target_prefix"),
    "a model that does not load": (_garbage_model, "CTranslate2 model does not load"),
    "a tokenizer that does not load": (_garbage_sentencepiece, "sentencepiece.model does not load"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_package_is_refused_in_one_line(tmp_path: Path, case: str) -> None:
    make, needle = CASES[case]
    file = make(tmp_path)
    models = tmp_path / "models"
    error = one_error_line(_install(file, models))
    assert str(file) in error and needle in error, error
    assert installed_packages(models) == []
    assert not models.exists() or list(models.iterdir()) == []  # no staging left


def test_a_directory_with_a_fifo_named_like_a_package_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    make_argosmodel(src)
    os.mkfifo(src / "z.argosmodel")
    error = one_error_line(_install(src, tmp_path / "models"))
    assert "z.argosmodel" in error and "named pipe" in error
    assert installed_packages(tmp_path / "models") == []


# --- stopping and killing an install ---------------------------------------------------------

_SLOW_INSTALL = textwrap.dedent(
    """
    import sys, time
    import rednote_sim.translate.packages as packages

    def stuck(archive, dest, progress, done, total):
        print("extracting", flush=True)
        time.sleep(600)  # the signal arrives here, in the middle of the extraction

    packages._extract = stuck
    from rednote_sim.cli import main
    sys.argv = ["rednote-sim", "models", "install", "--from", sys.argv[1], "--quiet"]
    main()
    """
)


def _start_stuck_install(file: Path, models: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_INSTALL, str(file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "RNSIM_MODELS_DIR": str(models)},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "extracting"
    assert [p.name[:9] for p in models.iterdir()] == [".install-"]
    return proc


@pytest.mark.parametrize(
    ("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["SIGTERM", "SIGINT"]
)
def test_a_stopped_install_removes_its_staging_directory(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    models = tmp_path / "models"
    proc = _start_stuck_install(make_argosmodel(tmp_path), models)
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr
    assert list(models.iterdir()) == []


def test_the_next_install_cleans_what_a_killed_one_left(tmp_path: Path) -> None:
    models = tmp_path / "models"
    file = make_argosmodel(tmp_path)
    stuck = _start_stuck_install(file, models)
    stuck.kill()  # SIGKILL: no cleanup can run
    stuck.communicate(timeout=60)
    (leftover,) = models.iterdir()
    # A staging directory of an install that is still running is left alone.
    running = models / f".install-{os.getpid()}-inprogress"
    running.mkdir()
    proc = _install(file, models)
    assert proc.returncode == 0, proc.stderr
    assert not leftover.exists() and running.exists()
    assert sorted(p.name for p in models.iterdir()) == [running.name, TOP]
