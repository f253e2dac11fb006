"""The seeded plan of a live run, and the responders that answer the user."""

from __future__ import annotations

import itertools
import random

from rednote_sim.domain import Beat, Persona, Responder, ResponderReply, Scenario
from rednote_sim.sim.responders import Responders
from rednote_sim.sim.schedule import PlannedPost, PlannedReaction, PlannedTyping, plan


def _persona(pid: str, lang: str = "en") -> Persona:
    return Persona.model_validate(
        {
            "id": pid,
            "name": pid.title(),
            "handle": f"@{pid}",
            "language": lang,
            "country": "US" if lang == "en" else "CN",
            "home": "Somewhere",
            "avatar": "🙂",
            "bio": "bio",
        }
    )


PERSONAS = {"ann": _persona("ann"), "bo": _persona("bo", "zh")}
SCENARIO = Scenario(
    id="s",
    title="S",
    title_zh="S",
    description="d",
    beats=[
        Beat(
            key="q",
            persona="ann",
            at=0,
            text="Hello?",
            reference="你好？",
            reactions={"❤️": 40, "😂": 3},
        ),
        Beat(persona="bo", at=0, text="你好", reference="Hi", reply_to="q"),  # same time
        Beat(persona="ann", at=10, text="Thanks!", reference="谢谢！"),
    ],
)


def test_same_seed_same_plan_other_seed_other_plan() -> None:
    assert plan(SCENARIO, PERSONAS, 7) == plan(SCENARIO, PERSONAS, 7)
    assert plan(SCENARIO, PERSONAS, 7) != plan(SCENARIO, PERSONAS, 8)


def test_posts_keep_authored_order_and_typing_precedes_each_post() -> None:
    for seed in range(50):
        events = plan(SCENARIO, PERSONAS, seed)
        posts = [e for e in events if isinstance(e, PlannedPost)]
        assert [p.index for p in posts] == [0, 1, 2]
        assert all(b.t > a.t for a, b in itertools.pairwise(posts))
        typing = [e for e in events if isinstance(e, PlannedTyping)]
        assert all(t.t <= p.t for t, p in zip(typing, posts, strict=True))
        assert all(e.t >= 0 for e in events)


def test_reaction_bursts_add_up_to_the_authored_counts_after_the_post() -> None:
    for seed in range(50):
        events = plan(SCENARIO, PERSONAS, seed)
        post_time = next(e.t for e in events if isinstance(e, PlannedPost) and e.index == 0)
        reactions = [e for e in events if isinstance(e, PlannedReaction)]
        assert all(r.t > post_time and r.beat_key == "q" for r in reactions)
        totals: dict[str, int] = {}
        for r in reactions:
            totals[r.emoji] = totals.get(r.emoji, 0) + r.count
        assert totals == {"❤️": 40, "😂": 3}


def _responder(persona: str, triggers: list[str], *texts: str) -> Responder:
    return Responder(
        persona=persona, triggers=triggers, replies=[ResponderReply(text=t) for t in texts]
    )


def test_english_triggers_match_whole_words_case_insensitively() -> None:
    responders = Responders([_responder("ann", ["hi"], "Hey!")], random.Random(1))
    assert [a.reply.text for a in responders.answer("HI there")] == ["Hey!"]
    assert responders.answer("this and that") == []


def test_chinese_triggers_match_inside_text() -> None:
    responders = Responders([_responder("bo", ["猫"], "好可爱")], random.Random(1))
    assert [a.persona for a in responders.answer("我的小猫咪")] == ["bo"]


def test_one_answer_per_persona_and_at_most_two_in_all() -> None:
    responders = Responders(
        [
            _responder("ann", ["cat"], "a1"),
            _responder("ann", ["cat"], "a2"),
            _responder("bo", ["cat"], "b1"),
            _responder("cy", ["cat"], "c1"),
        ],
        random.Random(1),
    )
    assert [(a.persona, a.reply.text) for a in responders.answer("cat!")] == [
        ("ann", "a1"),
        ("bo", "b1"),
    ]


def test_replies_rotate_instead_of_repeating() -> None:
    responders = Responders([_responder("ann", ["hi"], "one", "two", "three")], random.Random(3))
    said = [responders.answer("hi")[0].reply.text for _ in range(12)]
    assert all(a != b for a, b in itertools.pairwise(said))
