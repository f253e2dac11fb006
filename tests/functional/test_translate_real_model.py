"""The official zh->en Argos package, run by our engine and service."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from rednote_sim.domain import Glossary
from rednote_sim.settings import Settings
from rednote_sim.translate import ArgosEngine, TranslationService, find_package
from rednote_sim.translate.engine import DEFAULT_BEAM, batch_size_for
from rednote_sim.translate.glossary import load_glossary
from rednote_sim.translate.protect import lost_placeholders
from tests.support.translate_stubs import DictMemory, count_engine_calls

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def engine(zh_en_models_dir: Path) -> ArgosEngine:
    package = find_package(zh_en_models_dir, "zh", "en")
    assert package is not None
    engine = ArgosEngine(package)
    engine.load()
    return engine


@pytest.fixture(scope="module")
def glossary(personas_dir: Path) -> Glossary:
    return load_glossary(personas_dir / "glossary.toml")


class CountingCT2:
    """Wraps the ctranslate2.Translator to count translate_batch calls."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[int] = []

    def translate_batch(self, tokens: Sequence[Sequence[str]], **kwargs: Any) -> Any:
        self.calls.append(len(tokens))
        return self.inner.translate_batch(tokens, **kwargs)


@pytest.fixture
def counted(engine: ArgosEngine) -> Any:
    original = engine._translator
    counter = CountingCT2(original)
    engine._translator = counter
    yield counter
    engine._translator = original


def test_engine_id(engine: ArgosEngine) -> None:
    assert engine.engine_id == "argos:translate-zh_en@1.9"
    assert (engine.source, engine.target) == ("zh", "en")


def test_known_sentences_come_back_in_english(engine: ArgosEngine) -> None:
    out = engine.translate_batch(
        ["你好，我来自上海。", "我的猫很可爱。", "谢谢你！", "我喜欢吃火锅。"]
    )
    assert "Shanghai" in out[0]
    assert "cat" in out[1].lower()
    assert "thank" in out[2].lower()
    assert "hot pot" in out[3].lower() or "hotpot" in out[3].lower()


def test_one_model_call_for_many_messages(engine: ArgosEngine, counted: CountingCT2) -> None:
    texts = [f"我今天吃了{n}个饺子。你呢？" for n in "一二三四五六七八九十"]
    out = engine.translate_batch(texts)
    assert len(out) == 10 and all(out)
    assert len(counted.calls) == 1
    assert counted.calls[0] == 11  # 20 sentences, "你呢？" ten times: translated once


def test_sentences_and_lines_are_kept_apart(engine: ArgosEngine) -> None:
    [out] = engine.translate_batch(["你好！我来自上海。\n我的猫很可爱。"])
    first, second = out.split("\n")
    assert "Shanghai" in first
    assert "cat" in second.lower()


def test_sentences_with_placeholders_keep_them(engine: ArgosEngine) -> None:
    # The model's single best translation drops these placeholders; a restored span
    # would land at the sentence's edge ("Dale This catfish is huge!").
    texts = ["XQ0这条鲶鱼真大！", "XQ0别慌", "明天XQ0天气不错", "XQ0今天下雪了"]
    best = [h[0] for h in engine._decode(texts, engine.beam_size, 1)]
    assert sum(bool(lost_placeholders(t, b)) for t, b in zip(texts, best, strict=True)) >= 3
    for text, out in zip(texts, engine.translate_batch(texts), strict=True):
        assert not lost_placeholders(text, out), (text, out)


def test_the_default_beam_and_its_sub_batches(engine: ArgosEngine) -> None:
    assert engine.beam_size == DEFAULT_BEAM == 2 == Settings().beam_size
    assert batch_size_for(2) == 64 and batch_size_for(4) == 32
    # Two workers: a batch of 40 sentences is two sub-batches of 20, not one of 64.
    assert batch_size_for(2, 40, workers=2) == 20 and batch_size_for(2, 300, workers=2) == 64


def test_sentences_without_words_are_copied(engine: ArgosEngine, counted: CountingCT2) -> None:
    assert engine.translate_batch(["XQ0 XQ1", "！！！", ""]) == ["XQ0 XQ1", "！！！", ""]
    assert counted.calls == []


async def test_service_protects_spans_and_applies_the_glossary(
    zh_en_models_dir: Path, glossary: Glossary
) -> None:
    service = TranslationService(glossary=glossary, models_dir=zh_en_models_dir)
    text = (
        "欢迎 @catmom_ohio 来到小红书！看 https://xhslink.com/a1B2c 交猫税🐈‍⬛👍🏽 "
        "#TikTokRefugee 我的电话13800138000，我在准备雅思托福"
    )
    outcome = await service.translate(text)
    assert outcome.error is None and outcome.translation is not None
    out = outcome.translation.text
    assert outcome.translation.engine == "argos:translate-zh_en@1.9"
    for span in (
        "@catmom_ohio",
        "https://xhslink.com/a1B2c",
        "🐈‍⬛",
        "👍🏽",
        "#TikTokRefugee",
        "13800138000",
        "RedNote",
        "IELTS",
        "TOEFL",
    ):
        assert span in out, (span, out)
    assert "Little Red" not in out
    assert "XQ" not in out
    await service.aclose()


async def test_service_batches_caches_and_remembers(
    zh_en_models_dir: Path, glossary: Glossary
) -> None:
    memory = DictMemory()
    service = TranslationService(glossary=glossary, models_dir=zh_en_models_dir, memory=memory)
    engine = service.engine("zh", "en")
    assert isinstance(engine, ArgosEngine)
    calls = count_engine_calls(engine)
    texts = ["你好，我来自上海。", "交猫税了吗？🐱", "晚安，明天见！", "我的猫很可爱。"]
    first = await asyncio.gather(*(service.translate(t) for t in texts))
    assert calls == [4]
    assert all(o.translation and o.translation.engine.startswith("argos:") for o in first)
    second = await service.translate_many(texts)
    assert calls == [4]  # the cache answered
    assert first == second
    assert {t for t, _ in memory.remembered} == set(texts)
    await service.aclose()

    # A new service (a new run) with the same memory never runs the model for them.
    again = TranslationService(glossary=glossary, models_dir=zh_en_models_dir, memory=memory)
    fresh = again.engine("zh", "en")
    assert isinstance(fresh, ArgosEngine)
    outcome = await again.translate("晚安，明天见！")
    assert not fresh.loaded
    assert outcome == first[2]
    await again.aclose()


async def test_warm_up_loads_the_model(zh_en_models_dir: Path) -> None:
    service = TranslationService(glossary=Glossary(), models_dir=zh_en_models_dir)
    engine = service.engine("zh", "en")
    assert isinstance(engine, ArgosEngine) and not engine.loaded
    await service.warm_up()
    assert engine.loaded
    await service.aclose()


async def test_real_store_is_the_translation_memory(zh_en_models_dir: Path, tmp_path: Path) -> None:
    from rednote_sim.store import Store

    async with await Store.open(tmp_path / "tm.db") as store:
        service = TranslationService(glossary=Glossary(), models_dir=zh_en_models_dir, memory=store)
        outcome = await service.translate("你好，我来自上海。")
        await service.aclose()
        remembered = await store.tm_lookup(
            service.memory_key("argos:translate-zh_en@1.9"), "zh", "en", ["你好，我来自上海。"]
        )
    assert outcome.translation is not None
    assert remembered == {"你好，我来自上海。": outcome.translation.text}
