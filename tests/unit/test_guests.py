"""Guest names, liveness and inbox payloads (domain/guests.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from rednote_sim.domain.guests import (
    HOST_TIMEOUT,
    MAX_NAME,
    MAX_TEXT,
    AnswerPayload,
    Guest,
    GuestInputError,
    HostState,
    SayPayload,
    VocabPayload,
    guest_name_of,
    guest_persona_id,
    is_guest_persona,
    kind_of,
    parse_payload,
    unique_name,
    validate_guest_name,
)

AT = datetime(2025, 1, 14, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Ana", "Ana"),
        ("  Ana  ", "Ana"),
        ("Ana  María", "Ana María"),
        ("小红", "小红"),
        ("[b]x", "[b]x"),
    ],
)
def test_valid_names_are_trimmed(raw: str, name: str) -> None:
    assert validate_guest_name(raw) == name


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("x" * (MAX_NAME + 1), f"at most {MAX_NAME}"),
        ("Ana\nBob", "U+000A"),
        ("Ana\x1b[31m", "U+001B"),
        ("Ana\u202e", "U+202E"),
        ("A\u200bna", "U+200B"),
        ("you", "host's own name"),
        ("YOU", "host's own name"),
    ],
)
def test_bad_names_are_refused_in_one_line(raw: str, says: str) -> None:
    with pytest.raises(GuestInputError) as caught:
        validate_guest_name(raw)
    message = str(caught.value)
    assert says in message
    assert "\n" not in message and "--as" in message


def test_unique_name_counts_up_case_insensitively() -> None:
    assert unique_name("Ana", []) == "Ana"
    assert unique_name("Ana", ["ana"]) == "Ana (2)"
    assert unique_name("Ana", ["Ana", "Ana (2)", "Bob"]) == "Ana (3)"
    long = "x" * MAX_NAME
    again = unique_name(long, [long])
    assert again.endswith(" (2)") and len(again) == MAX_NAME


def test_guest_persona_ids() -> None:
    assert guest_persona_id("Ana") == "guest:Ana"
    assert is_guest_persona("guest:Ana") and not is_guest_persona("ating")
    assert guest_name_of("guest:Ana (2)") == "Ana (2)"
    assert guest_name_of("you") == ""


def test_host_is_live_while_it_beats_and_until_it_finishes() -> None:
    host = HostState(session="s", pid=1, mode="demo", started_at=AT, beat_at=100.0)
    assert host.live(100.0 + HOST_TIMEOUT)
    assert not host.live(100.0 + HOST_TIMEOUT + 0.1)
    assert not host.model_copy(update={"finished": True}).live(100.0)


def test_guest_presence_and_typing() -> None:
    guest = Guest(session="s", name="Ana", joined_at=AT, seen_at=100.0, typing_at=99.0)
    assert guest.present(101.0) and guest.typing(101.0)
    assert not guest.typing(103.0)
    assert not guest.present(100.0 + HOST_TIMEOUT + 1)
    assert not guest.model_copy(update={"left_at": AT}).present(100.0)


def test_payloads_parse_and_round_trip() -> None:
    say = SayPayload(text="  hello  ", lang="en")
    assert say.text == "hello"
    assert parse_payload("say", say.model_dump_json()) == say
    vocab = VocabPayload(seq=3, lang="zh", term="救命", translation="help")
    assert parse_payload(kind_of(vocab), vocab.model_dump_json()) == vocab
    assert kind_of(AnswerPayload(seq=1, answer="x")) == "answer"


@pytest.mark.parametrize(
    ("kind", "raw", "says"),
    [
        ("shout", "{}", "unknown request kind"),
        ("say", "{not json", "not valid JSON"),
        ("say", "[1, 2]", "JSON object"),
        ("say", '{"text": "   "}', "text is empty"),
        ("say", json.dumps({"text": "x" * (MAX_TEXT + 1)}), f"at most {MAX_TEXT}"),
        ("say", '{"text": "hi", "lang": "fr"}', "lang"),
        ("say", '{"text": "hi", "admin": true}', "admin is not a field"),
        ("answer", '{"seq": 0, "answer": "x"}', "seq"),
        ("answer", '{"answer": "x"}', "seq is missing"),
        ("say", "[" * 100_000, "too long"),
        ("say", "[" * 5000 + "]" * 5000, "not valid JSON"),
    ],
    ids=lambda value: value[:20] if isinstance(value, str) else None,
)
def test_bad_payloads_are_refused_with_a_reason(kind: str, raw: str, says: str) -> None:
    with pytest.raises(GuestInputError) as caught:
        parse_payload(kind, raw)
    assert says in str(caught.value)
