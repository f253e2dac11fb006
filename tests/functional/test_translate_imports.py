"""The product never imports argostranslate.translate, stanza or torch (2 s, and the internet)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("argostranslate", "stanza", "torch")

_SCRIPT = """
import asyncio, json, sys
from pathlib import Path
import rednote_sim.translate as t
from rednote_sim.cli import cli  # every command module, as `rednote-sim` loads them
cheap = [m for m in ("ctranslate2", "sentencepiece", *HEAVY) if m in sys.modules]
outcome = None
if sys.argv[1]:
    from rednote_sim.domain import Glossary
    async def main():
        service = t.TranslationService(glossary=Glossary(), models_dir=Path(sys.argv[1]))
        out = await service.translate("你好，我来自上海。")
        await service.aclose()
        return out.translation.text if out.translation else out.error
    outcome = asyncio.run(main())
after = [m for m in HEAVY if m in sys.modules]
print(json.dumps({"on_import": cheap, "after": after, "outcome": outcome}))
"""


def _run(models_dir: str) -> dict[str, object]:
    script = f"HEAVY = {HEAVY!r}\n" + _SCRIPT
    done = subprocess.run(
        [sys.executable, "-c", script, models_dir],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_importing_the_translation_layer_is_cheap() -> None:
    result = _run("")
    assert result["on_import"] == []


@pytest.mark.model
def test_translating_never_imports_argos_translate_or_torch(zh_en_models_dir: Path) -> None:
    result = _run(str(zh_en_models_dir))
    assert "Shanghai" in str(result["outcome"])
    assert result["after"] == []
