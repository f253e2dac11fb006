"""Package-shaped archives for installer tests, built around the tiny real model."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from tests.support.tiny_model import tiny_model_files


def make_argosmodel(
    dest: Path,
    *,
    source: str = "zh",
    target: str = "en",
    version: str = "1.9",
    top: str | None = None,
    metadata: object | None = None,
    drop: tuple[str, ...] = (),
    extra: dict[str, bytes] | None = None,
    name: str | None = None,
) -> Path:
    """A package-shaped zip holding the tiny real model (it loads; it translates nonsense)."""
    top = top or f"translate-{source}_{target}-{version.replace('.', '_')}"
    meta = (
        metadata
        if metadata is not None
        else {
            "package_version": version,
            "from_code": source,
            "to_code": target,
        }
    )
    files = {
        f"{top}/metadata.json": json.dumps(meta).encode(),
        **{f"{top}/{name}": data for name, data in tiny_model_files().items()},
        f"{top}/README.md": b"readme",
    }
    for key in drop:
        files = {k: v for k, v in files.items() if not k.startswith(f"{top}/{key}")}
    files.update(extra or {})
    path = dest / (name or f"{top}.argosmodel")
    with zipfile.ZipFile(path, "w") as zf:
        for arcname, data in files.items():
            zf.writestr(arcname, data)
    return path
