from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from rednote_sim.domain import ENGINE_PASSTHROUGH, ENGINE_SCRIPT, Glossary, GlossaryTerm
from rednote_sim.translate import TranslationService
from tests.support.translate_stubs import DictMemory, StubTranslator, stub_service

GLOSSARY = Glossary(terms=[GlossaryTerm(en="RedNote", zh="小红书")])


def make(*engines: StubTranslator, memory: DictMemory | None = None) -> TranslationService:
    return stub_service(GLOSSARY, *engines, memory=memory)


# --- the happy path -----------------------------------------------------------------------


async def test_translates_with_engine_id_and_detected_language() -> None:
    service = make(StubTranslator())
    outcome = await service.translate("你好，我来自上海。")
    assert outcome.source_lang == "zh"
    assert outcome.error is None
    assert outcome.translation is not None
    assert outcome.translation.lang == "en"
    assert outcome.translation.engine == "stub:test@1"
    # The stub echoes its input; full-width stops in English output become ASCII.
    assert outcome.translation.text == "[en] 你好, 我来自上海."
    await service.aclose()


async def test_explicit_source_wins_over_detection() -> None:
    engine = StubTranslator(source="en", target="zh")
    service = make(engine)
    outcome = await service.translate("你好朋友 hi", source="en")
    assert outcome.source_lang == "en"
    # In an English line, Han is a foreign run: protected, not translated.
    assert engine.texts_seen == ["XQ0 hi"]
    assert outcome.translation is not None and outcome.translation.text == "[zh] 你好朋友 hi"
    await service.aclose()


async def test_glossary_and_spans_go_round_the_engine() -> None:
    engine = StubTranslator()
    service = make(engine)
    outcome = await service.translate("我爱小红书 @amy_ohio 的猫🐱真可爱")
    # The engine saw placeholders, the reader sees the glossary term and the spans.
    # The emoji cuts the message: two pieces, one engine call; the two spans side by
    # side share one placeholder.
    assert engine.texts_seen == ["我爱XQ0 的猫", "真可爱"]
    assert len(engine.calls) == 1
    assert outcome.translation is not None
    assert outcome.translation.text == "[en] 我爱RedNote @amy_ohio 的猫 🐱 [en] 真可爱"
    await service.aclose()


async def test_spans_survive_an_engine_that_drops_placeholders() -> None:
    engine = StubTranslator(render=lambda text: "I love it.")
    service = make(engine)
    outcome = await service.translate("我爱小红书，#猫税 真可爱 https://xhslink.com/x 好")
    assert outcome.translation is not None
    text = outcome.translation.text
    for span in ("RedNote", "#猫税", "https://xhslink.com/x"):
        assert span in text
    await service.aclose()


# --- batching across callers --------------------------------------------------------------


async def test_concurrent_calls_share_one_engine_call() -> None:
    engine = StubTranslator()
    service = make(engine)
    texts = [f"第{i}条消息 你好" for i in range(20)]
    outcomes = await asyncio.gather(*(service.translate(t) for t in texts))
    assert len(engine.calls) <= 2
    assert sorted(engine.texts_seen) == sorted(texts)
    assert [o.translation.text for o in outcomes if o.translation] == [f"[en] {t}" for t in texts]
    assert service.engine_calls == len(engine.calls)
    await service.aclose()


async def test_calls_made_while_the_engine_is_busy_form_the_next_batch() -> None:
    import threading

    engine = StubTranslator()
    engine.gate = threading.Event()
    service = make(engine)
    first = asyncio.create_task(service.translate("第一条"))
    await asyncio.to_thread(engine.started.wait, 10)
    later = [asyncio.create_task(service.translate(f"后来的第{i}条")) for i in range(10)]
    await asyncio.sleep(0.01)
    engine.gate.set()
    await asyncio.gather(first, *later)
    assert [len(call) for call in engine.calls] == [1, 10]
    await service.aclose()


async def test_batches_are_capped() -> None:
    from rednote_sim.translate.service import ENGINE_BATCH

    engine = StubTranslator()
    service = make(engine)
    await service.translate_many([f"消息{i}" for i in range(ENGINE_BATCH + 5)])
    assert max(len(call) for call in engine.calls) <= ENGINE_BATCH
    assert len(engine.texts_seen) == ENGINE_BATCH + 5
    await service.aclose()


async def test_same_text_in_flight_is_translated_once() -> None:
    engine = StubTranslator()
    service = make(engine)
    outcomes = await asyncio.gather(*(service.translate("一样的话") for _ in range(5)))
    assert engine.texts_seen == ["一样的话"]
    assert len({o.translation for o in outcomes}) == 1
    await service.aclose()


async def test_directions_have_their_own_engines() -> None:
    zh_en, en_zh = StubTranslator(), StubTranslator(source="en", target="zh")
    service = make(zh_en, en_zh)
    a, b = await asyncio.gather(service.translate("你好"), service.translate("hello there"))
    assert a.translation is not None and a.translation.text == "[en] 你好"
    assert b.translation is not None and b.translation.text == "[zh] hello there"
    assert zh_en.texts_seen == ["你好"] and en_zh.texts_seen == ["hello there"]
    await service.aclose()


# --- cache and memory ---------------------------------------------------------------------


async def test_second_call_is_served_from_the_cache() -> None:
    engine = StubTranslator()
    service = make(engine)
    first = await service.translate("你好")
    second = await service.translate("你好")
    assert first == second
    assert len(engine.calls) == 1
    await service.aclose()


async def test_memory_hit_skips_the_engine() -> None:
    engine, memory = StubTranslator(), DictMemory()
    service = make(engine, memory=memory)
    memory.data[(service.memory_key("stub:test@1"), "zh", "en", "你好")] = "Hello (remembered)"
    outcome = await service.translate("你好")
    assert outcome.translation is not None
    assert outcome.translation.text == "Hello (remembered)"
    assert outcome.translation.engine == "stub:test@1"
    assert engine.calls == []
    await service.aclose()


async def test_engine_results_are_remembered() -> None:
    engine, memory = StubTranslator(), DictMemory()
    service = make(engine, memory=memory)
    await service.translate_many(["你好", "再见"])
    assert sorted(memory.remembered) == [("你好", "[en] 你好"), ("再见", "[en] 再见")]
    # A new service (a new run) with the same memory never calls its engine.
    engine2 = StubTranslator()
    service2 = make(engine2, memory=memory)
    outcome = await service2.translate("再见")
    assert outcome.translation is not None and outcome.translation.text == "[en] 再见"
    assert engine2.calls == []
    await service.aclose()
    await service2.aclose()


async def test_lookups_are_batched_too() -> None:
    engine, memory = StubTranslator(), DictMemory()
    service = make(engine, memory=memory)
    await service.translate_many([f"消息{i}" for i in range(10)])
    assert len(memory.lookups) == len(engine.calls) <= 2
    await service.aclose()


async def test_a_broken_memory_does_not_stop_translation() -> None:
    engine, memory = StubTranslator(), DictMemory()
    memory.fail = True
    service = make(engine, memory=memory)
    outcome = await service.translate("你好")
    assert outcome.translation is not None and outcome.error is None
    await service.aclose()


async def test_memory_is_keyed_by_pipeline_and_glossary() -> None:
    """A fix to the pipeline or a new glossary term is not hidden behind old translations."""
    engine, memory = StubTranslator(), DictMemory()
    memory.data[("stub:test@1", "zh", "en", "你好")] = "made before the key had a revision"
    service = make(engine, memory=memory)
    outcome = await service.translate("你好")
    assert outcome.translation is not None and outcome.translation.text == "[en] 你好"
    other = TranslationService(
        glossary=Glossary(terms=[GlossaryTerm(en="cat tax", zh="猫税")]),
        engines={("zh", "en"): engine},
    )
    key = service.memory_key("stub:test@1")
    assert key.startswith("stub:test@1|p") and key != other.memory_key("stub:test@1")
    assert key == make(engine).memory_key("stub:test@1")  # stable for one glossary
    await service.aclose()


async def test_pieces_of_many_messages_share_one_engine_call() -> None:
    engine = StubTranslator(render=lambda text: f"<{text}>")
    service = make(engine)
    texts = ["哈哈哈哈小红书国际化了", "好可爱😭 想养猫", "🐱🐱"]
    outcomes = await service.translate_many(texts)
    assert engine.calls == [["XQ0国际化了", "好可爱", "想养猫"]]
    assert [o.translation.text for o in outcomes if o.translation] == [
        "hahahaha <RedNote国际化了>",
        "<好可爱> 😭 <想养猫>",
        "🐱🐱",
    ]
    await service.aclose()


async def test_messages_without_words_never_call_the_engine() -> None:
    engine = StubTranslator()
    service = make(engine)
    outcome = await service.translate("哈哈哈哈 🐱", source="zh")
    assert outcome.translation is not None and outcome.translation.text == "hahahaha 🐱"
    assert engine.calls == [] and service.engine_calls == 0
    await service.aclose()


# --- no model, failures, nothing to translate ---------------------------------------------


async def test_no_model_says_how_to_install() -> None:
    service = make()
    outcome = await service.translate("hello there")
    assert outcome.translation is None
    assert outcome.error is not None
    assert "en→zh" in outcome.error
    assert "rednote-sim models install" in outcome.error
    assert "--from" in outcome.error
    await service.aclose()


async def test_no_model_uses_the_script_reference() -> None:
    service = make()
    outcome = await service.translate("hello there", reference="你好")
    assert outcome.translation is not None
    assert outcome.translation.engine == ENGINE_SCRIPT
    assert outcome.translation.text == "你好"
    assert outcome.translation.lang == "zh"
    assert outcome.error is None
    await service.aclose()


async def test_engine_failure_is_an_outcome_not_an_exception() -> None:
    engine = StubTranslator()
    engine.fail_with = RuntimeError("boom\nsecond line")
    service = make(engine)
    outcome = await service.translate("你好")
    assert outcome.translation is None
    assert outcome.error == "translation failed: RuntimeError: boom"
    with_ref = await service.translate("再见", reference="Bye")
    assert with_ref.translation is not None and with_ref.translation.engine == ENGINE_SCRIPT
    assert with_ref.error == "translation failed: RuntimeError: boom"
    # The service keeps working, and failures were not cached.
    engine.fail_with = None
    again = await service.translate("你好")
    assert again.translation is not None and again.translation.text == "[en] 你好"
    await service.aclose()


async def test_engine_returning_the_wrong_count_is_a_failure() -> None:
    class Short(StubTranslator):
        def translate_batch(self, texts: object) -> list[str]:
            return []

    service = make(Short())
    outcome = await service.translate("你好")
    assert outcome.error is not None and "0 results for 1 texts" in outcome.error
    await service.aclose()


@pytest.mark.parametrize("text", ["🐱🐱🐱", "123", "#TikTokRefugee", "👍🏽 https://x.com/a"])
async def test_nothing_to_translate_passes_through(text: str) -> None:
    engine = StubTranslator()
    service = make(engine)
    outcome = await service.translate(text)
    assert outcome.source_lang is None
    assert outcome.error is None
    assert outcome.translation is not None
    assert outcome.translation.engine == ENGINE_PASSTHROUGH
    assert outcome.translation.text == text
    with_source = await service.translate(text, source="zh")
    assert with_source.translation is not None and with_source.translation.lang == "en"
    assert engine.calls == []
    await service.aclose()


async def test_same_language_passes_through() -> None:
    service = make(StubTranslator())
    outcome = await service.translate("你好", target="zh")
    assert outcome.translation is not None
    assert outcome.translation.engine == ENGINE_PASSTHROUGH
    await service.aclose()


async def test_own_language_of_a_mixed_text_translates_only_its_parts() -> None:
    engine = StubTranslator("zh", "en", render=lambda text: "NOT LEAVING")
    service = make(engine)
    outcome = await service.translate("two apps, one heart ❤️ 我不走！", source="en", target="en")
    assert outcome.parts and outcome.error is None
    assert outcome.translation is not None and outcome.translation.engine == "stub:test@1"
    assert outcome.translation.text == "two apps, one heart ❤️ NOT LEAVING"
    assert engine.texts_seen == ["我不走！"]  # the part alone, the English kept as written
    await service.aclose()


async def test_a_reference_in_the_wrong_language_does_not_stand_in() -> None:
    # "第一题：The meeting…" is English-dominant; its reference is English too.
    service = make()
    text, reference = "第一题：The meeting ___ by the time we arrived.", "Question 1: The meeting"
    chinese = await service.translate(text, source="en", target="zh", reference=reference)
    assert chinese.translation is None and chinese.error is not None
    english = await service.translate(text, source="en", target="en", reference=reference)
    assert english.translation is not None and english.translation.engine == ENGINE_SCRIPT
    assert english.translation.text == reference and english.parts
    await service.aclose()


async def test_class_corrections_come_from_the_memory_and_are_learned() -> None:
    memory = DictMemory()
    memory.corrections = [("en", "家人们别慌", "Folks, don't panic")]
    service = make(StubTranslator(), memory=memory)
    outcome = await service.translate("家人们别慌")
    assert outcome.translation is not None and outcome.translation.origin == "corrected"
    assert outcome.translation.text == "Folks, don't panic"
    assert outcome.translation.machine == "[en] 家人们别慌"  # the machine output, kept
    service.learn("en", "你好", "Hi there")
    learned = await service.translate("你好")
    assert learned.translation is not None and learned.translation.text == "Hi there"
    service.forget("en", "你好")
    forgotten = await service.translate("你好")
    assert forgotten.translation is not None and forgotten.translation.origin == "machine"
    await service.aclose()


async def test_a_broken_memory_does_not_stop_corrected_translation() -> None:
    memory = DictMemory()
    memory.fail = True
    service = make(StubTranslator(), memory=memory)
    outcome = await service.translate("你好")
    assert outcome.translation is not None and outcome.translation.text == "[en] 你好"
    await service.aclose()


async def test_translate_many_keeps_order_and_references() -> None:
    service = make()
    outcomes = await service.translate_many(["hi", "yo"], references=["嗨", None])
    assert outcomes[0].translation is not None and outcomes[0].translation.text == "嗨"
    assert outcomes[1].translation is None and outcomes[1].error
    with pytest.raises(ValueError):
        await service.translate_many(["hi"], references=[])
    await service.aclose()


# --- lifecycle ----------------------------------------------------------------------------


async def test_aclose_finishes_queued_work_and_then_refuses() -> None:
    engine = StubTranslator()
    service = make(engine)
    pending = [asyncio.create_task(service.translate(f"消息{i}")) for i in range(3)]
    await asyncio.sleep(0)
    await service.aclose()
    outcomes = await asyncio.gather(*pending)
    assert all(o.translation is not None for o in outcomes)
    late = await service.translate("新消息")
    assert late.translation is None
    assert late.error is not None and "closed" in late.error
    await service.aclose()  # idempotent


def test_service_survives_a_new_event_loop() -> None:
    engine = StubTranslator()
    service = make(engine)
    asyncio.run(service.translate("第一"))
    outcome = asyncio.run(service.translate("第二"))
    assert outcome.translation is not None and outcome.translation.text == "[en] 第二"


async def test_warm_up_tolerates_engines_without_load() -> None:
    service = make(StubTranslator())
    await service.warm_up()
    await service.aclose()


# --- discovery ----------------------------------------------------------------------------


def fake_package(models_dir: Path, source: str, target: str, version: str = "1.9") -> Path:
    path = models_dir / f"translate-{source}_{target}-{version.replace('.', '_')}"
    (path / "model").mkdir(parents=True)
    (path / "model" / "model.bin").write_bytes(b"not a real model")
    (path / "sentencepiece.model").write_bytes(b"not a real model")
    meta = {"package_version": version, "from_code": source, "to_code": target}
    (path / "metadata.json").write_text(json.dumps(meta))
    return path


async def test_discovery_is_cheap_and_labels_the_engine(tmp_path: Path) -> None:
    fake_package(tmp_path, "zh", "en")
    service = TranslationService(glossary=GLOSSARY, models_dir=tmp_path)
    assert service.has_model("zh", "en")
    assert not service.has_model("en", "zh")
    assert service.engine_id("zh", "en") == "argos:translate-zh_en@1.9"
    assert service.engine_id("en", "zh") is None
    await service.aclose()


async def test_a_model_that_fails_to_load_gives_error_outcomes(tmp_path: Path) -> None:
    fake_package(tmp_path, "zh", "en")
    service = TranslationService(glossary=GLOSSARY, models_dir=tmp_path)
    await service.warm_up()  # logs, does not raise
    outcome = await service.translate("你好", reference="Hello")
    assert outcome.translation is not None and outcome.translation.engine == ENGINE_SCRIPT
    assert outcome.error is not None and outcome.error.startswith("translation failed:")
    await service.aclose()


async def test_no_models_dir_means_no_models() -> None:
    service = TranslationService(glossary=GLOSSARY)
    assert not service.has_model("zh", "en")
    await service.aclose()


async def test_the_in_process_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    import rednote_sim.translate.service as service_module

    monkeypatch.setattr(service_module, "CACHE_SIZE", 10)
    engine = StubTranslator()
    service = make(engine)
    await service.translate_many([f"消息{i}" for i in range(12)])
    await service.translate("消息11")  # recent: still cached
    assert len(engine.texts_seen) == 12
    await service.translate("消息0")  # the oldest was dropped: translated again
    assert engine.texts_seen[-1] == "消息0"
    await service.aclose()


async def test_a_known_term_the_model_dropped_is_translated_again_protected() -> None:
    glossary = Glossary(terms=[GlossaryTerm(en="Chengdu", zh="成都", model_translates_zh=True)])

    def model(text: str) -> str:
        # Like the real model on "到了成都记得@我": the city is dropped when unprotected.
        return "When you get there, @ me" if "成都" in text else text.replace("到了", "Arrive ")

    engine = StubTranslator(render=model)
    service = TranslationService(glossary=glossary, engines={("zh", "en"): engine})
    outcome = await service.translate("到了成都记得@我")
    assert outcome.translation is not None
    assert "Chengdu" in outcome.translation.text
    assert len(engine.calls) == 2 and "XQ" in engine.calls[1][0]  # the retry, protected
    await service.aclose()
