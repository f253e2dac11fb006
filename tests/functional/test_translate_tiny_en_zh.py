"""en->zh code paths on a tiny real package the session builds (random weights, real CTranslate2).

Its "translations" are nonsense; what is tested is that the package installs,
loads and decodes like a real one, that messages are batched, cached and
remembered, and that protected spans come through whatever the model does.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rednote_sim.cli import cli
from rednote_sim.domain import Glossary, GlossaryTerm
from rednote_sim.translate import ArgosEngine, TranslationService, find_package, installed_packages
from tests.support.translate_stubs import DictMemory, count_engine_calls

GLOSSARY = Glossary(terms=[GlossaryTerm(en="RedNote", zh="小红书")])


@pytest.fixture
def service(tiny_en_zh_models_dir: Path) -> TranslationService:
    return TranslationService(
        glossary=GLOSSARY, models_dir=tiny_en_zh_models_dir, memory=DictMemory()
    )


def test_installed_like_a_real_package(tiny_en_zh_models_dir: Path) -> None:
    [package] = installed_packages(tiny_en_zh_models_dir)
    assert (package.name, package.version) == ("translate-en_zh", "0.1")
    assert package.engine_id == "argos:translate-en_zh@0.1"
    assert (package.path / "model" / "model.bin").is_file()


def test_engine_loads_and_decodes_a_batch(tiny_en_zh_models_dir: Path) -> None:
    package = find_package(tiny_en_zh_models_dir, "en", "zh")
    assert package is not None
    engine = ArgosEngine(package, beam_size=2)
    texts = ["Hello from Ohio!", "I love my cat. Where are you from?", "Thank you so much!"]
    out = engine.translate_batch(texts)
    assert len(out) == 3 and all(isinstance(t, str) for t in out)
    assert engine.loaded
    # Deterministic: the same input gives the same output.
    assert engine.translate_batch(texts) == out


async def test_spans_survive_a_garbling_model(service: TranslationService) -> None:
    text = (
        "Welcome @amy_ohio to RedNote! See https://xhslink.com/abc 🐈‍⬛ "
        "#TikTokRefugee 13800138000 ok"
    )
    outcome = await service.translate(text)
    assert outcome.source_lang == "en"
    assert outcome.error is None and outcome.translation is not None
    assert outcome.translation.lang == "zh"
    assert outcome.translation.engine == "argos:translate-en_zh@0.1"
    for span in (
        "@amy_ohio",
        "小红书",
        "https://xhslink.com/abc",
        "🐈‍⬛",
        "#TikTokRefugee",
        "13800138000",
    ):
        assert span in outcome.translation.text
    assert "RedNote" not in outcome.translation.text
    await service.aclose()


async def test_concurrent_messages_share_engine_calls(service: TranslationService) -> None:
    engine = service.engine("en", "zh")
    assert isinstance(engine, ArgosEngine)
    calls = count_engine_calls(engine)
    texts = [f"message number {i}, hello from ohio!" for i in range(20)]
    outcomes = await asyncio.gather(*(service.translate(t) for t in texts))
    assert all(o.translation is not None for o in outcomes)
    assert len(calls) <= 2 and sum(calls) == 20
    # The second time, the cache answers.
    await service.translate_many(texts)
    assert sum(calls) == 20
    await service.aclose()


@pytest.mark.model
async def test_both_directions_side_by_side(
    tiny_en_zh_models_dir: Path, zh_en_package_file: Path, tmp_path: Path
) -> None:
    from rednote_sim.translate import install_from

    models = tmp_path / "models"
    install_from(zh_en_package_file, models)
    # The tiny package joins the real one (a link: it is the same installed package).
    for child in tiny_en_zh_models_dir.iterdir():
        (models / child.name).symlink_to(child, target_is_directory=True)
    service = TranslationService(glossary=GLOSSARY, models_dir=models)
    assert service.engine_id("en", "zh") == "argos:translate-en_zh@0.1"
    assert service.engine_id("zh", "en") == "argos:translate-zh_en@1.9"
    en, zh = await service.translate_many(["Hello from Ohio!", "你好，我来自上海。"])
    assert en.translation is not None and en.translation.lang == "zh"
    assert zh.translation is not None and "Shanghai" in zh.translation.text
    await service.aclose()


def test_cli_translate_into_chinese(tiny_en_zh_models_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["translate", "--jsonl", "--to", "zh", "Pay the cat tax! 🐱"],
        env={"RNSIM_MODELS_DIR": str(tiny_en_zh_models_dir), "RNSIM_DB": str(tmp_path / "t.db")},
    )
    assert result.exit_code == 0, result.output
    [record] = [json.loads(line) for line in result.output.splitlines()]
    assert record["lang"] == "en"
    assert record["translation"]["engine"] == "argos:translate-en_zh@0.1"
    assert record["translation"]["text"].endswith("🐱")
