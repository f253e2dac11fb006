"""The real personas/ directory: cast, scenarios, responders and glossary.

These tests read the content the demo and the workshops ship with, so a typo in
a TOML file, a beat without a reference translation, or a real person's name
slipping into the script fails the suite with a message naming the file and beat.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from rednote_sim.content import validate_dir
from rednote_sim.domain import Cast, Lang, Responder, Scenario

SCENARIO_IDS = (
    "arrival",
    "cat-tax",
    "homework",
    "early-c-late-a",
    "recipes-travel",
    "no-politics",
    "learning-mandarin",
    "deadline-night",
)

MIN_BEATS, MAX_BEATS = 25, 60

# Real people named in the news reports in ../shared/seeds: the cast is fictional.
REAL_NAMES = (
    "Crystal",
    "Gwenna",
    "Lithland",
    "Heather Roberts",
    "Dakota",
    "WakoGeek",
    "Vladdy",
    "Liu",
    "Ivy Yang",
    "Gan Liyi",
    "Elizabeth Prelogar",
    "Prelogar",
    "Donald Trump",
    "Trump",
    "Zuckerberg",
    "Elon Musk",
)

REQUIRED_GLOSSARY = (
    ("RedNote", "小红书"),
    ("Douyin", "抖音"),
    ("IELTS", "雅思"),
    ("TOEFL", "托福"),
    ("early C, late A", "早C晚A"),
    ("cat tax", "猫税"),
    ("TikTok refugee", "TikTok难民"),
    ("ByteDance", "字节跳动"),
    ("Zuoyebang", "作业帮"),
    ("Chengdu", "成都"),
)

# (topic, a sample English input, a sample Chinese input) a workshop participant might type.
RESPONDER_TOPICS = (
    ("greetings", "Hello everyone!", "你好呀"),
    ("cats", "Here is my cat", "我家的猫"),
    ("food", "What do you eat for dinner?", "今天吃什么"),
    ("homework", "Can you help with my math homework?", "帮我看看作业"),
    ("where-from", "Where are you from?", "你是哪里人"),
    ("thanks", "Thank you so much", "谢谢你"),
)

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_MENTION = re.compile(r"(?<![\w.])@[\w.\-]*\w")


@pytest.fixture(scope="module")
def cast(personas_dir: Path) -> Cast:
    loaded, problems = validate_dir(personas_dir)
    assert not problems, "personas/ has problems:\n" + "\n".join(map(str, problems))
    assert loaded is not None
    return loaded


def _beat_lang(cast: Cast, persona: str) -> Lang:
    return cast.personas[persona].language


def _scenarios(cast: Cast) -> list[Scenario]:
    return list(cast.scenarios.values())


def _triggered(responder: Responder, text: str) -> bool:
    """The documented trigger rule: Latin triggers are whole words, Chinese ones substrings."""
    for trigger in responder.triggers:
        word = trigger.strip()
        if not word:
            continue
        if _HAN.search(word):
            if word in text:
                return True
        elif re.search(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])", text, re.I):
            return True
    return False


def test_directory_validates_without_problems(personas_dir: Path) -> None:
    cast, problems = validate_dir(personas_dir)
    assert problems == [], "\n".join(map(str, problems))
    assert cast is not None


def test_cast_has_sixteen_personas_eight_per_country(cast: Cast) -> None:
    countries = Counter(p.country for p in cast.personas.values())
    assert len(cast.personas) >= 16, f"only {len(cast.personas)} personas"
    assert countries["US"] >= 8, f"only {countries['US']} American personas"
    assert countries["CN"] >= 8, f"only {countries['CN']} Chinese personas"


def test_personas_are_complete_and_distinct(cast: Cast) -> None:
    handles = Counter(p.handle for p in cast.personas.values())
    assert all(n == 1 for n in handles.values()), f"duplicate handles: {handles}"
    for persona in cast.personas.values():
        where = f"cast/{persona.id}.toml"
        assert persona.handle.startswith("@"), f"{where}: handle should start with @"
        assert persona.bio_translation, f"{where}: bio_translation is empty"
        assert persona.age_range, f"{where}: age_range is empty"
        assert persona.interests, f"{where}: no interests"
        assert len(persona.habits) >= 2, f"{where}: give at least two habits"
        bio_has_han = bool(_HAN.search(persona.bio))
        assert bio_has_han == (persona.language == "zh"), (
            f"{where}: the bio should be in the persona's own language ({persona.language})"
        )
        expected = "zh" if persona.country == "CN" else "en"
        assert persona.language == expected, f"{where}: language does not match country"


def test_all_scenarios_exist_with_25_to_60_beats(cast: Cast) -> None:
    missing = [sid for sid in SCENARIO_IDS if sid not in cast.scenarios]
    assert not missing, f"missing scenarios: {missing}"
    assert len(cast.scenarios) >= 8
    for scenario in _scenarios(cast):
        count = len(scenario.beats)
        assert MIN_BEATS <= count <= MAX_BEATS, (
            f"scenarios/{scenario.id}.toml has {count} beats (want {MIN_BEATS}-{MAX_BEATS})"
        )
        assert scenario.title_zh and scenario.description_zh, (
            f"scenarios/{scenario.id}.toml: title_zh and description_zh are required"
        )


def test_arrival_is_a_bilingual_starter(cast: Cast) -> None:
    arrival = cast.scenarios["arrival"]
    assert len(arrival.beats) >= 25
    langs = {_beat_lang(cast, b.persona) for b in arrival.beats}
    assert langs == {"en", "zh"}, f"arrival speaks only {langs}"
    assert arrival.beats[0].at <= 2, "the demo's first message should come within 2 seconds"


def test_every_beat_has_a_reference(cast: Cast) -> None:
    missing = [
        f"scenarios/{s.id}.toml beat {b.key!r}"
        for s in _scenarios(cast)
        for b in s.beats
        if not b.reference.strip()
    ]
    assert not missing, "beats without a reference translation:\n" + "\n".join(missing)


def test_references_are_in_the_other_language(cast: Cast) -> None:
    # A Chinese beat's reference is English and vice versa; quoted terms are allowed,
    # so this checks only that the reference is not a copy of the original.
    copies = [
        f"scenarios/{s.id}.toml beat {b.key!r}"
        for s in _scenarios(cast)
        for b in s.beats
        if b.reference.strip() == b.text.strip()
    ]
    assert not copies, "references that repeat the text:\n" + "\n".join(copies)


def test_every_scenario_is_bilingual_with_a_reply_thread(cast: Cast) -> None:
    for scenario in _scenarios(cast):
        langs = {_beat_lang(cast, b.persona) for b in scenario.beats}
        assert langs == {"en", "zh"}, f"scenarios/{scenario.id}.toml speaks only {langs}"
        replies = [b for b in scenario.beats if b.reply_to]
        assert replies, f"scenarios/{scenario.id}.toml has no reply_to thread"


def test_every_persona_appears_in_a_scenario(cast: Cast) -> None:
    used = {b.persona for s in _scenarios(cast) for b in s.beats}
    unused = sorted(set(cast.personas) - used)
    assert not unused, f"personas that never speak in a scenario: {unused}"


def test_timing_suits_live_playback(cast: Cast) -> None:
    for scenario in _scenarios(cast):
        where = f"scenarios/{scenario.id}.toml"
        assert scenario.beats[0].at <= 2, f"{where}: first beat after {scenario.beats[0].at}s"
        for before, after in zip(scenario.beats, scenario.beats[1:], strict=False):
            assert after.at >= before.at, (
                f"{where}: beat {after.key!r} at {after.at}s comes before {before.key!r}"
            )
        assert 180 <= scenario.duration <= 420, (
            f"{where}: lasts {scenario.duration:.0f}s (want 3-7 minutes)"
        )


def test_mentions_name_cast_handles(cast: Cast) -> None:
    handles = {p.handle for p in cast.personas.values()}
    unknown = [
        f"scenarios/{s.id}.toml beat {b.key!r}: {mention}"
        for s in _scenarios(cast)
        for b in s.beats
        for mention in _MENTION.findall(b.text)
        if mention not in handles
    ]
    assert not unknown, "mentions of handles not in the cast:\n" + "\n".join(unknown)


@pytest.mark.parametrize("name", REAL_NAMES)
def test_no_real_names(cast: Cast, name: str) -> None:
    pattern = re.compile(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", re.IGNORECASE)
    hits = [
        f"cast/{p.id}.toml"
        for p in cast.personas.values()
        if pattern.search(" ".join((p.name, p.handle, p.bio, p.bio_translation)))
    ]
    hits += [
        f"scenarios/{s.id}.toml beat {b.key!r}"
        for s in _scenarios(cast)
        for b in s.beats
        if pattern.search(f"{b.text} {b.reference}")
    ]
    assert not hits, f"real name {name!r} found in: {hits}"


def test_glossary_has_the_required_terms(cast: Cast) -> None:
    pairs = {(t.en.casefold(), t.zh) for t in cast.glossary.terms}
    missing = [pair for pair in REQUIRED_GLOSSARY if (pair[0].casefold(), pair[1]) not in pairs]
    assert not missing, f"glossary.toml lacks {missing}"


def test_glossary_has_no_duplicates_or_hashtags(cast: Cast) -> None:
    en = Counter(t.en.casefold() for t in cast.glossary.terms)
    zh = Counter(t.zh for t in cast.glossary.terms)
    assert [k for k, n in en.items() if n > 1] == [], "duplicate English glossary terms"
    assert [k for k, n in zh.items() if n > 1] == [], "duplicate Chinese glossary terms"
    hashtags = [t.en for t in cast.glossary.terms if "#" in t.en or "#" in t.zh]
    assert not hashtags, f"hashtags are kept verbatim, not glossary terms: {hashtags}"


@pytest.mark.parametrize(("topic", "english", "chinese"), RESPONDER_TOPICS)
def test_responders_cover_topic_in_both_languages(
    cast: Cast, topic: str, english: str, chinese: str
) -> None:
    for sample in (english, chinese):
        matched = [r for r in cast.responders if _triggered(r, sample)]
        assert matched, f"responders.toml: nothing answers {sample!r} ({topic})"
        langs = {cast.personas[r.persona].language for r in matched}
        assert langs == {"en", "zh"}, (
            f"responders.toml: {sample!r} ({topic}) is answered only in {langs}"
        )


def test_responder_replies_have_references(cast: Cast) -> None:
    responders = [("responders.toml", r) for r in cast.responders] + [
        (f"scenarios/{s.id}.toml", r) for s in _scenarios(cast) for r in s.responders
    ]
    missing = [
        f"{where} ({r.persona}): {reply.text!r}"
        for where, r in responders
        for reply in r.replies
        if not reply.reference.strip()
    ]
    assert not missing, "responder replies without a reference:\n" + "\n".join(missing)
