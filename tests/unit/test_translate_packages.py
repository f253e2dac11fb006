from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from rednote_sim.errors import UserError
from rednote_sim.translate.packages import (
    InstalledPackage,
    find_package,
    install_from,
    install_from_index,
    installed_packages,
)
from tests.support.packages import make_argosmodel


def test_install_and_find(tmp_path: Path) -> None:
    file = make_argosmodel(tmp_path)
    models = tmp_path / "models"
    installed = install_from(file, models)
    assert installed == [
        InstalledPackage(
            name="translate-zh_en",
            from_code="zh",
            to_code="en",
            version="1.9",
            path=models / "translate-zh_en-1_9",
        )
    ]
    assert installed[0].engine_id == "argos:translate-zh_en@1.9"
    assert installed_packages(models) == installed
    assert find_package(models, "zh", "en") == installed[0]
    assert find_package(models, "en", "zh") is None
    # Nothing is left behind but the package.
    assert [p.name for p in models.iterdir()] == ["translate-zh_en-1_9"]


def test_install_a_directory_of_packages_with_progress(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    make_argosmodel(src)
    make_argosmodel(src, source="en", target="zh")
    (src / "notes.txt").write_text("not a package")
    seen: list[tuple[int, int]] = []
    installed = install_from(src, tmp_path / "models", lambda d, t: seen.append((d, t)))
    assert {(p.from_code, p.to_code) for p in installed} == {("zh", "en"), ("en", "zh")}
    assert seen and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_reinstall_replaces_and_skip_keeps(tmp_path: Path) -> None:
    models = tmp_path / "models"
    install_from(make_argosmodel(tmp_path), models)
    marker = models / "translate-zh_en-1_9" / "stale.txt"
    marker.write_text("from the old install")
    skipped: list[InstalledPackage] = []
    kept = install_from(make_argosmodel(tmp_path), models, skip_same_version=True, skipped=skipped)
    assert skipped == kept and marker.exists()
    install_from(make_argosmodel(tmp_path), models)
    assert not marker.exists()
    assert len(installed_packages(models)) == 1


def test_newest_version_wins(tmp_path: Path) -> None:
    models = tmp_path / "models"
    install_from(make_argosmodel(tmp_path, version="1.9"), models)
    install_from(make_argosmodel(tmp_path, version="1.10"), models)
    package = find_package(models, "zh", "en")
    assert package is not None and package.version == "1.10"


def test_target_prefix_is_read(tmp_path: Path) -> None:
    meta = {"package_version": "1.0", "from_code": "en", "to_code": "zh", "target_prefix": "__zh__"}
    [package] = install_from(make_argosmodel(tmp_path, metadata=meta, top="multi"), tmp_path / "m")
    assert package.target_prefix == "__zh__"


def test_missing_models_dir_has_no_packages(tmp_path: Path) -> None:
    assert installed_packages(tmp_path / "nope") == []
    assert not (tmp_path / "nope").exists()


def test_unusable_dirs_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "junk").mkdir()
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "metadata.json").write_text('{"from_code": "zh"}')
    (tmp_path / "bad-json").mkdir()
    (tmp_path / "bad-json" / "metadata.json").write_text("{")
    assert installed_packages(tmp_path) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"drop": ("metadata.json",)}, "metadata.json (not an Argos package?)"),
        ({"drop": ("model/",)}, "no translate-zh_en-1_9/model/ directory"),
        ({"drop": ("sentencepiece.model",)}, "sentencepiece.model"),
        ({"metadata": {"from_code": "zh", "to_code": "en"}}, "no 'package_version'"),
        ({"metadata": ["not", "an", "object"]}, "must be a JSON object"),
        ({"extra": {"../evil.txt": b"x"}}, "unsafe path"),
        ({"extra": {"/etc/evil": b"x"}}, "unsafe path"),
        ({"extra": {"other/file": b"x"}}, "one top-level directory"),
    ],
)
def test_bad_packages_name_the_file_and_the_problem(
    tmp_path: Path, kwargs: dict[str, object], message: str
) -> None:
    file = make_argosmodel(tmp_path, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(UserError) as info:
        install_from(file, tmp_path / "models")
    text = str(info.value)
    assert str(file) in text and message in text
    assert "\n" not in text
    assert installed_packages(tmp_path / "models") == []


def test_metadata_that_is_not_json(tmp_path: Path) -> None:
    file = tmp_path / "broken.argosmodel"
    with zipfile.ZipFile(file, "w") as zf:
        zf.writestr("p/metadata.json", b"{nope")
        zf.writestr("p/model/model.bin", b"x")
        zf.writestr("p/sentencepiece.model", b"x")
    with pytest.raises(UserError, match="not valid JSON"):
        install_from(file, tmp_path / "models")


def test_not_a_zip(tmp_path: Path) -> None:
    file = tmp_path / "fake.argosmodel"
    file.write_text("definitely not a zip")
    with pytest.raises(UserError, match=r"fake\.argosmodel: not a zip archive"):
        install_from(file, tmp_path / "models")


def test_missing_path_and_empty_dir(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such file"):
        install_from(tmp_path / "missing.argosmodel", tmp_path / "models")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match=r"no \.argosmodel files"):
        install_from(tmp_path / "empty", tmp_path / "models")


def test_one_bad_file_in_a_directory_installs_nothing(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    make_argosmodel(src)
    (src / "z-bad.argosmodel").write_text("nope")
    with pytest.raises(UserError, match=r"z-bad\.argosmodel"):
        install_from(src, tmp_path / "models")
    assert installed_packages(tmp_path / "models") == []


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_install_from_index_offline_is_a_clear_user_error(tmp_path: Path) -> None:
    # pytest-socket blocks the connection, like a machine without internet.
    with pytest.raises(UserError) as info:
        install_from_index(tmp_path / "models")
    message = str(info.value)
    assert message.startswith("cannot reach the Argos package index (offline?)")
    assert "rednote-sim models install --from FILE.argosmodel" in message
    assert "\n" not in message


class FakeResponse:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self) -> bytes:
        return self.data

    def __enter__(self) -> FakeResponse:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def test_install_from_index_picks_the_newest_and_tries_every_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import urllib.request

    old = make_argosmodel(tmp_path, version="1.0")
    new = make_argosmodel(tmp_path, version="1.9")
    index = [
        {"from_code": "zh", "to_code": "en", "package_version": "1.0", "links": ["http://x/old"]},
        {
            "from_code": "zh",
            "to_code": "en",
            "package_version": "1.9",
            "links": ["http://x/dead", "http://x/new"],
        },
        {"from_code": "de", "to_code": "en", "package_version": "9", "links": ["http://x/de"]},
    ]
    served = {
        "http://x/old": old.read_bytes(),
        "http://x/new": new.read_bytes(),
    }
    asked: list[str] = []

    def urlopen(url: str, timeout: float = 0) -> FakeResponse:
        asked.append(url)
        if url.endswith("index.json"):
            return FakeResponse(json.dumps(index).encode())
        if url not in served:
            raise OSError("connection refused")
        return FakeResponse(served[url])

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    installed = install_from_index(tmp_path / "models")
    assert [(p.name, p.version) for p in installed] == [("translate-zh_en", "1.9")]
    assert "http://x/dead" in asked and "http://x/de" not in asked and "http://x/old" not in asked


def test_install_from_index_download_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import urllib.request

    index = [
        {"from_code": "en", "to_code": "zh", "package_version": "1.9", "links": ["http://x/a"]}
    ]

    def urlopen(url: str, timeout: float = 0) -> FakeResponse:
        if url.endswith("index.json"):
            return FakeResponse(json.dumps(index).encode())
        raise OSError("reset by peer")

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    with pytest.raises(UserError, match=r"cannot download the en_zh package \(http://x/a: reset"):
        install_from_index(tmp_path / "models")
