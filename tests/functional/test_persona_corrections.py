"""Personas correct the participant's common slips (issue 13, item 6), from ``personas/`` data.

The real responder rules (``personas/responders.toml``), a live room on a real
SQLite file, the stub translator (this is about what the room stores): a slip gets
the persona's reply and a line correction by that persona, which the workshop
loads with the session; lines that only look like a slip are left alone.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from rednote_sim.content import load_cast
from rednote_sim.domain import Responder
from rednote_sim.errors import ContentError
from rednote_sim.sim.events import LineCorrected
from rednote_sim.sim.responders import Responders
from rednote_sim.store import Store
from rednote_sim.store.corrections_repo import CorrectionsRepo
from tests.functional.test_rooms import _drain, _live_room


@pytest.mark.parametrize(
    ("line", "persona", "fixed"),
    [
        ("I am agree with you!", "marcus", "I agree with you!"),
        ("i'm agree, and I very like this app", "marcus", "I agree, and I really like this app"),
        ("Chinese food is more better", "marcus", "Chinese food is better"),
        ("we can discuss about it", "marcus", "we can discuss it"),
        ("She don't know TikTok", "marcus", "She doesn't know TikTok"),
        ("我是很高兴认识你们", "teacherchen", "我很高兴认识你们"),
        ("我有去过北京，非常很好玩", "teacherchen", "我去过北京，非常好玩"),
    ],
)
def test_each_slip_is_fixed_by_its_persona(
    personas_dir: Path, line: str, persona: str, fixed: str
) -> None:
    cast = load_cast(personas_dir)
    answers = Responders(cast.responders, random.Random(0)).answer(line)
    first = answers[0]  # a slip is answered first, before any topic
    assert first.persona == persona and first.fix is not None
    assert first.fix.text == fixed
    assert first.fix.note and first.reply.text


@pytest.mark.parametrize(
    "line",
    ["Did he go to school?", "我没有去过北京", "I agree!", "this is very likely", "我很高兴"],
)
def test_correct_lines_are_left_alone(personas_dir: Path, line: str) -> None:
    answers = Responders(load_cast(personas_dir).responders, random.Random(0)).answer(line)
    assert all(a.fix is None for a in answers)


async def test_the_persona_replies_and_stores_the_correction(
    tmp_path: Path, personas_dir: Path
) -> None:
    cast = load_cast(personas_dir)
    async with await Store.open(tmp_path / "c.db") as store:
        room = await _live_room(store, cast, "arrival", 2)
        room.timeline.entries.clear()  # only the user and the responders
        mine = await room.say("I am agree, RedNote is more better")
        assert mine is not None
        await room.run()
        marcus = cast.personas["marcus"]
        replies = [m for m in await store.messages(room.session.id) if m.reply_to == mine.seq]
        assert marcus.id in [m.persona for m in replies]
        (saved,) = await CorrectionsRepo.of(store).corrections(room.session.id)
        assert (saved.seq, saved.author, saved.text) == (
            mine.seq,
            marcus.name,
            "I agree, RedNote is better",
        )
        assert "agree is a verb" in saved.note and "no second more" in saved.note
        events = [e for e in _drain(room.events) if isinstance(e, LineCorrected)]
        assert [(e.seq, e.author) for e in events] == [(mine.seq, marcus.name)]
        loaded = await room.classwork.load()  # a replay's workshop shows it
        assert loaded.corrections[mine.seq] == [saved]


def test_a_responder_needs_triggers_or_slips() -> None:
    with pytest.raises(ValueError, match="needs triggers"):
        Responder.model_validate({"persona": "marcus", "replies": [{"text": "hi"}]})
    slips = Responder.model_validate(
        {"persona": "marcus", "correct": {"I am agree": "I agree"}, "replies": [{"text": "x"}]}
    )
    assert slips.triggers == ["I am agree"]


def test_a_bad_rule_in_the_files_names_the_file_and_line(
    tmp_path: Path, personas_dir: Path
) -> None:
    import shutil

    copy = tmp_path / "personas"
    shutil.copytree(personas_dir, copy)
    path = copy / "responders.toml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\n[[responders]]\npersona = "marcus"\ncorrect_note = "why"\n'
        + 'replies = [{ text = "x" }]\n',
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        load_cast(copy)
    assert "responders.toml" in str(caught.value)
    assert "needs triggers" in str(caught.value)
