"""Installed Argos packages: finding them, and installing ``.argosmodel`` files.

An Argos package is a zip holding one directory with ``metadata.json``, a
CTranslate2 model in ``model/`` and ``sentencepiece.model``. argostranslate's own
``install_from_path`` imports ``argostranslate.translate`` (stanza and torch,
about 2 s), extracts without checking, and always into its global directory, so
installing is done here: validate, extract safely into a temporary directory
beside the target, then swap it into place.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from rednote_sim.domain import ENGINE_ARGOS
from rednote_sim.errors import UserError
from rednote_sim.safefiles import loads_json, make_dir, open_regular, read_text

Progress = Callable[[int, int], None]
"""``progress(done, total)``, in bytes."""

_CHUNK = 1 << 20

INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
"""The online Argos package index (what ``argospm`` uses)."""

INSTALL_HINT = (
    "run `rednote-sim models install` (needs internet) or "
    "`rednote-sim models install --from FILE.argosmodel`"
)


@dataclass(frozen=True)
class InstalledPackage:
    """An Argos translation package installed in a models directory.

    Attributes:
        name: The argospm name, e.g. ``translate-zh_en``.
        from_code: Source language code, e.g. ``zh``.
        to_code: Target language code, e.g. ``en``.
        version: The package version, e.g. ``1.9``.
        path: The package directory.
        target_prefix: A token the model expects at the start of every output
            (multilingual packages); empty for most.
    """

    name: str
    from_code: str
    to_code: str
    version: str
    path: Path
    target_prefix: str = ""

    @property
    def engine_id(self) -> str:
        """How translations made with this package are labelled: ``argos:<name>@<version>``."""
        return f"{ENGINE_ARGOS}{self.name}@{self.version}"

    @property
    def model_dir(self) -> Path:
        """The CTranslate2 model directory."""
        return self.path / "model"

    @property
    def sentencepiece_model(self) -> Path:
        """The SentencePiece model file."""
        return self.path / "sentencepiece.model"


_LANG_CODE = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})?")
_VERSION = re.compile(r"\d{1,6}(?:\.\d{1,6}){0,3}")
_TOP_DIR = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


def _parse_metadata(data: Any, where: str) -> dict[str, str]:
    """The fields we need from ``metadata.json``, or a UserError naming what is wrong.

    Language codes must look like language codes (``zh``, ``en``, ``pt_BR``) and
    the version like a version (``1.9``): they become the package's name and
    the engine label shown under every translation.
    """
    if not isinstance(data, dict):
        raise UserError(f"{where}: metadata.json must be a JSON object")
    fields: dict[str, str] = {}
    for key in ("from_code", "to_code", "package_version"):
        value = data.get(key)
        if value is None or value == "":
            raise UserError(f"{where}: metadata.json has no {key!r} (not an Argos package?)")
        if not isinstance(value, str):
            raise UserError(
                f"{where}: metadata.json: {key} must be a string, not {type(value).__name__}"
            )
        pattern, what = (
            (_VERSION, "a version like 1.9")
            if key == "package_version"
            else (
                _LANG_CODE,
                "a language code like zh or en",
            )
        )
        if not pattern.fullmatch(value):
            raise UserError(f"{where}: metadata.json: {key} {value!r} is not {what}")
        fields[key] = value
    kind = data.get("type", "translate")
    if kind != "translate":
        raise UserError(
            f"{where}: metadata.json: type {kind!r} is not a translation package "
            "(only type 'translate' can be installed)"
        )
    fields["type"] = "translate"
    prefix = data.get("target_prefix", "")
    if not isinstance(prefix, str) or len(prefix) > 64:
        raise UserError(f"{where}: metadata.json: target_prefix must be a short string")
    fields["target_prefix"] = prefix
    return fields


def read_package(path: Path) -> InstalledPackage | None:
    """Read an installed package directory; None if it is not a usable package."""
    try:
        raw = read_text(path / "metadata.json", max_bytes=MAX_METADATA_BYTES, what="metadata.json")
        meta = _parse_metadata(loads_json(raw), str(path))
    except (ValueError, UserError):
        return None
    if not (path / "model").is_dir() or not (path / "sentencepiece.model").is_file():
        return None  # e.g. a BPE package or a half-deleted one: not something we can run
    return InstalledPackage(
        name=f"{meta['type']}-{meta['from_code']}_{meta['to_code']}",
        from_code=meta["from_code"],
        to_code=meta["to_code"],
        version=meta["package_version"],
        path=path,
        target_prefix=meta["target_prefix"],
    )


def _version_key(version: str) -> tuple[int, ...]:
    parts = []
    for part in version.replace("-", ".").split("."):
        parts.append(int(part) if part.isdigit() else 0)
    return tuple(parts)


def installed_packages(models_dir: Path) -> list[InstalledPackage]:
    """The usable translation packages in ``models_dir``, sorted by name then version.

    A missing directory simply has no packages; nothing is created.
    """
    if not models_dir.is_dir():
        return []
    found = []
    for child in sorted(models_dir.iterdir()):
        if child.is_dir() and not child.name.startswith("."):
            package = read_package(child)
            if package is not None:
                found.append(package)
    found.sort(key=lambda p: (p.name, _version_key(p.version)))
    return found


def find_package(models_dir: Path, source: str, target: str) -> InstalledPackage | None:
    """The newest installed package translating ``source`` into ``target``, if any."""
    matches = [
        p for p in installed_packages(models_dir) if p.from_code == source and p.to_code == target
    ]
    return matches[-1] if matches else None


# --- installing ---------------------------------------------------------------------------


MAX_PACKAGE_FILE_BYTES = 4 << 30
"""Largest ``.argosmodel`` file accepted (the zh->en one is 71 MiB)."""

MAX_UNPACKED_BYTES = 2 << 30
"""Largest total an archive may unpack to (the zh->en one unpacks to 82 MiB)."""

MAX_RATIO = 10
"""Largest unpacked/packed ratio for packages over ``RATIO_FLOOR`` (real ones are about 1.2)."""

RATIO_FLOOR = 64 << 20

MAX_METADATA_BYTES = 1 << 20

_COMPRESSIONS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}

_STAGING = ".install-"
"""Prefix of the temporary directories an install extracts into (``.install-<pid>-…``)."""


def _package_files(path: Path) -> list[Path]:
    if path.is_dir():
        # Every *.argosmodel entry, also ones that are not regular files: opening
        # them reports what they are instead of silently skipping a package.
        files = sorted(p for p in path.iterdir() if p.suffix == ".argosmodel")
        if not files:
            raise UserError(f"{path}: no .argosmodel files in this directory")
        return files
    return [path]


def _inspect(archive: zipfile.ZipFile, where: str, packed_size: int) -> tuple[str, dict[str, str]]:
    """Check an archive's layout, sizes and metadata; return its top directory and metadata."""
    infos = archive.infolist()
    names: set[str] = set()
    files: set[str] = set()
    dirs: set[str] = set()
    tops = set()
    for info in infos:
        pure = PurePosixPath(info.filename.replace("\\", "/"))
        # Zip-slip: no absolute paths, no "..", nothing outside one top directory.
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            raise UserError(f"{where}: unsafe path in archive: {info.filename!r}")
        name = pure.as_posix()
        if name in names:
            raise UserError(f"{where}: the archive holds {name!r} twice")
        names.add(name)
        (dirs if info.is_dir() else files).add(name)
        dirs.update(parent.as_posix() for parent in pure.parents if parent.parts)
        tops.add(pure.parts[0])
        if info.flag_bits & 0x1:
            raise UserError(f"{where}: {name!r} is encrypted (Argos packages never are)")
        if info.compress_type not in _COMPRESSIONS:
            raise UserError(
                f"{where}: {name!r} uses an unsupported compression method "
                f"({info.compress_type}); re-create the archive with a plain zip tool"
            )
    clash = sorted(files & dirs)
    if clash:
        raise UserError(f"{where}: {clash[0]!r} is both a file and a directory in the archive")
    if len(tops) != 1:
        raise UserError(
            f"{where}: expected one top-level directory in the archive, found {len(tops)}"
        )
    top = tops.pop()
    if not _TOP_DIR.fullmatch(top):
        raise UserError(f"{where}: the top-level directory {top!r} is not a plain package name")
    _check_sizes(infos, where, packed_size)
    try:
        info = archive.getinfo(f"{top}/metadata.json")
    except KeyError:
        raise UserError(f"{where}: no {top}/metadata.json (not an Argos package?)") from None
    if info.file_size > MAX_METADATA_BYTES:
        raise UserError(f"{where}: {top}/metadata.json is too large ({info.file_size:,} bytes)")
    try:
        meta = _parse_metadata(loads_json(archive.read(info).decode("utf-8")), where)
    except (ValueError, UnicodeDecodeError) as exc:
        raise UserError(f"{where}: metadata.json is not valid JSON ({exc})") from None
    if not any(n.startswith(f"{top}/model/") for n in files):
        raise UserError(f"{where}: no {top}/model/ directory (the CTranslate2 model)")
    if f"{top}/sentencepiece.model" not in files:
        raise UserError(f"{where}: no {top}/sentencepiece.model (BPE packages are not supported)")
    return top, meta


def _check_sizes(infos: list[zipfile.ZipInfo], where: str, packed_size: int) -> None:
    """Refuse a zip bomb: too much in total, or far more than the archive could hold."""
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise UserError(
            f"{where}: unpacks to {unpacked / (1 << 20):,.0f} MiB, more than the "
            f"{MAX_UNPACKED_BYTES >> 20:,} MiB a translation package may hold"
        )
    if unpacked > RATIO_FLOOR and unpacked > MAX_RATIO * max(packed_size, 1):
        raise UserError(
            f"{where}: unpacks to {unpacked / max(packed_size, 1):,.0f} times its size "
            f"(a zip bomb?); real packages barely compress"
        )


def _extract(
    archive: zipfile.ZipFile, dest: Path, progress: Progress | None, done: int, total: int
) -> int:
    for info in archive.infolist():
        out = dest.joinpath(*PurePosixPath(info.filename.replace("\\", "/")).parts)
        if info.is_dir():
            out.mkdir(parents=True, exist_ok=True)
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        with archive.open(info) as src, out.open("wb") as dst:
            while chunk := src.read(_CHUNK):
                written += len(chunk)
                if written > info.file_size:  # zipfile stops at file_size; be sure anyway
                    raise zipfile.BadZipFile(f"{info.filename} is larger than declared")
                dst.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
    return done


def check_model_loads(package_dir: Path, where: str) -> None:
    """Load the CTranslate2 model and the SentencePiece model once, as translating would.

    A package whose files are there but do not load would otherwise count as
    installed and turn every line it should translate into "not translated".

    Raises:
        UserError: Naming the package file and what failed to load.
    """
    import ctranslate2
    import sentencepiece

    try:
        sentencepiece.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
    except (RuntimeError, OSError, ValueError) as exc:
        raise UserError(
            f"{where}: its sentencepiece.model does not load ({_reason(exc)}); "
            "the package is damaged (fix: download it again)"
        ) from None
    try:
        translator = ctranslate2.Translator(
            str(package_dir / "model"), device="cpu", inter_threads=1, intra_threads=1
        )
    except (RuntimeError, OSError, ValueError) as exc:
        raise UserError(
            f"{where}: its CTranslate2 model does not load ({_reason(exc)}); "
            "the package is damaged or not for this CTranslate2 (fix: download it again)"
        ) from None
    del translator


def _replace_dir(staged: Path, final: Path) -> None:
    """Move ``staged`` to ``final``, replacing an older install with little downtime."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        final.rename(old)
    try:
        staged.rename(final)
    except OSError:
        if old is not None:
            old.rename(final)  # put the previous install back
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


_LEFTOVER = re.compile(rf"^(?:{re.escape(_STAGING)}(\d+)-.*|\..+\.old-(\d+))$")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: leave its files alone
    return True


def clean_leftovers(models_dir: Path) -> list[Path]:
    """Remove staging and ``.old`` directories left by installs that were killed.

    Each carries the pid of the install that made it; only those whose process
    is gone are removed, so an install running beside this one is left alone.

    Returns:
        The directories removed.
    """
    removed: list[Path] = []
    if not models_dir.is_dir():
        return removed
    for child in models_dir.iterdir():
        match = _LEFTOVER.match(child.name)
        if match is None or not child.is_dir() or child.is_symlink():
            continue
        pid = int(match.group(1) or match.group(2))
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child)
    return removed


def _open_archive(file: Path) -> tuple[zipfile.ZipFile, int]:
    """Open a package file as a zip; also return its size on disk."""
    handle = open_regular(file, max_bytes=MAX_PACKAGE_FILE_BYTES, what=".argosmodel file")
    try:
        size = os.fstat(handle.fileno()).st_size
        return zipfile.ZipFile(handle), size
    except zipfile.BadZipFile:
        handle.close()
        raise UserError(f"{file}: not a zip archive (an .argosmodel file is a zip)") from None
    except (OSError, ValueError, EOFError) as exc:
        handle.close()
        raise UserError(f"{file}: cannot open the archive ({_reason(exc)})") from None


def _install_one(
    file: Path,
    archive: zipfile.ZipFile,
    top: str,
    models_dir: Path,
    progress: Progress | None,
    done: int,
    total: int,
) -> tuple[InstalledPackage, int]:
    # Extract beside the target (same file system), so the final step is a rename.
    staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING}{os.getpid()}-", dir=models_dir))
    try:
        try:
            done = _extract(archive, staging, progress, done, total)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
            raise UserError(f"{file}: damaged archive ({exc})") from None
        except (RuntimeError, NotImplementedError) as exc:  # encrypted, unknown method
            raise UserError(f"{file}: cannot extract ({_reason(exc)})") from None
        if read_package(staging / top) is None:
            raise UserError(f"{file}: the extracted package is not usable")
        check_model_loads(staging / top, str(file))
        final = models_dir / top
        _replace_dir(staging / top, final)
    except OSError as exc:
        raise UserError(
            f"{models_dir}: cannot install there ({exc.strerror or exc}) "
            "(fix: free some space or point RNSIM_MODELS_DIR at a writable folder)"
        ) from None
    finally:
        # Also on Ctrl-C and (through the CLI's handler) SIGTERM.
        shutil.rmtree(staging, ignore_errors=True)
    package = read_package(final)
    assert package is not None  # it was readable a moment ago, in staging
    return package, done


def install_from(
    path: Path,
    models_dir: Path,
    progress: Progress | None = None,
    *,
    skip_same_version: bool = False,
    skipped: list[InstalledPackage] | None = None,
) -> list[InstalledPackage]:
    """Install one ``.argosmodel`` file, or every one in a directory.

    Every file is checked before anything is installed, so a bad file in a
    directory installs nothing. Installing the same package again replaces it.

    Args:
        path: A ``.argosmodel`` file or a directory of them.
        models_dir: Where packages are installed (created if missing).
        progress: Called with (bytes extracted, total bytes) as extraction proceeds.
        skip_same_version: Keep an installed package of the same version instead
            of extracting it again (``make demo`` installs on every run).
        skipped: If given, the packages kept that way are appended to it.

    Returns:
        The packages from those files, as now installed.

    Raises:
        UserError: Naming the file and what is wrong with it.
    """
    archives: list[_Archive] = []
    try:
        for file in _package_files(path):
            opened, size = _open_archive(file)
            archive = _Archive(file, opened)
            archives.append(archive)
            try:
                archive.top, archive.meta = _inspect(archive.zip, str(file), size)
            except zipfile.BadZipFile as exc:
                raise UserError(f"{file}: damaged archive ({exc})") from None
        result: list[InstalledPackage | None] = [None] * len(archives)
        todo = []
        for i, archive in enumerate(archives):
            current = read_package(models_dir / archive.top)
            if skip_same_version and current is not None and archive.same_as(current):
                result[i] = current
                if skipped is not None:
                    skipped.append(current)
            else:
                todo.append(i)
        total = sum(info.file_size for i in todo for info in archives[i].zip.infolist())
        if todo:
            make_dir(models_dir, "models folder")
            clean_leftovers(models_dir)
        done = 0
        for i in todo:
            archive = archives[i]
            result[i], done = _install_one(
                archive.file, archive.zip, archive.top, models_dir, progress, done, total
            )
        return [p for p in result if p is not None]
    finally:
        for archive in archives:
            archive.zip.close()


@dataclass
class _Archive:
    """An opened package file and what its inspection found."""

    file: Path
    zip: zipfile.ZipFile
    top: str = ""
    meta: dict[str, str] = field(default_factory=dict)

    def same_as(self, installed: InstalledPackage) -> bool:
        """Whether ``installed`` is this package at the same version."""
        return (installed.from_code, installed.to_code, installed.version) == (
            self.meta["from_code"],
            self.meta["to_code"],
            self.meta["package_version"],
        )


def install_from_index(
    models_dir: Path,
    progress: Progress | None = None,
    *,
    pairs: tuple[str, ...] = ("en_zh", "zh_en"),
) -> list[InstalledPackage]:
    """Download and install the en<->zh packages from the online Argos index.

    The only function in rednote-sim that opens a network connection.

    Raises:
        UserError: When the index or a package cannot be downloaded.
    """
    import http.client
    import urllib.request

    # pytest-socket's SocketBlockedError is a RuntimeError; urllib raises OSErrors.
    failures = (OSError, RuntimeError, ValueError, http.client.HTTPException)

    def fetch(url: str) -> bytes:
        with urllib.request.urlopen(url, timeout=30) as response:
            return bytes(response.read())

    try:
        raw_index = fetch(INDEX_URL)
    except failures as exc:
        raise UserError(
            "cannot reach the Argos package index (offline?): install from a file with "
            f"`rednote-sim models install --from FILE.argosmodel` ({_reason(exc)})"
        ) from None
    try:
        index = loads_json(raw_index.decode("utf-8"))
    except ValueError:
        raise UserError(f"the Argos package index at {INDEX_URL} is not valid JSON") from None
    newest: dict[str, dict[str, Any]] = {}
    for entry in index if isinstance(index, list) else []:
        if not isinstance(entry, dict) or not entry.get("links"):
            continue
        pair = f"{entry.get('from_code')}_{entry.get('to_code')}"
        version = str(entry.get("package_version", ""))
        if pair in pairs and (
            pair not in newest
            or _version_key(version) > _version_key(str(newest[pair].get("package_version")))
        ):
            newest[pair] = entry
    if not newest:
        raise UserError(f"the Argos package index has no {' or '.join(pairs)} packages")
    installed: list[InstalledPackage] = []
    with tempfile.TemporaryDirectory(prefix="rnsim-download-") as tmp:
        for pair, entry in sorted(newest.items()):
            file = Path(tmp) / f"translate-{pair}.argosmodel"
            last = "no links"
            for link in entry["links"]:
                try:
                    file.write_bytes(fetch(str(link)))
                    break
                except failures as exc:
                    last = f"{link}: {_reason(exc)}"
            else:
                raise UserError(
                    f"cannot download the {pair} package ({last}); "
                    "install from a file with `rednote-sim models install --from FILE.argosmodel`"
                )
            installed.extend(install_from(file, models_dir, progress))
    return installed


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    return str(reason or exc).splitlines()[0] if str(reason or exc) else type(exc).__name__
