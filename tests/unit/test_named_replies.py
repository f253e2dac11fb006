"""Responder replies that greet a classroom guest by name (``{name}``)."""

from __future__ import annotations

import random

import pytest
from pydantic import ValidationError

from rednote_sim.domain import Responder, ResponderReply
from rednote_sim.sim.responders import Responders

PLAIN = ResponderReply(text="hi there", reference="你好")
NAMED = ResponderReply(text="welcome {name}!", reference="欢迎{name}！")


def _responders(*replies: ResponderReply) -> Responders:
    responder = Responder(persona="jaylen", triggers=["hello"], replies=list(replies))
    return Responders([responder], random.Random(1))


def test_a_guest_is_answered_by_name_in_text_and_reference() -> None:
    responders = _responders(PLAIN, NAMED)
    for _ in range(5):
        (answer,) = responders.answer("hello", name="Ana")
        assert (answer.reply.text, answer.reply.reference) == ("welcome Ana!", "欢迎Ana！")


def test_the_host_user_never_gets_a_named_reply() -> None:
    responders = _responders(PLAIN, NAMED)
    for _ in range(5):
        (answer,) = responders.answer("hello")
        assert answer.reply == PLAIN
    assert _responders(NAMED).answer("hello") == []  # only named replies: no answer for "You"


def test_a_guest_gets_a_plain_reply_when_there_is_no_named_one() -> None:
    (answer,) = _responders(PLAIN).answer("hello", name="Ana")
    assert answer.reply == PLAIN


def test_text_and_reference_must_agree_on_the_name() -> None:
    with pytest.raises(ValidationError, match=r"both use \{name\}"):
        ResponderReply(text="welcome {name}!", reference="欢迎！")
    with pytest.raises(ValidationError, match=r"both use \{name\}"):
        ResponderReply(text="welcome!", reference="欢迎{name}！")
    assert ResponderReply(text="welcome {name}!").named  # no reference: nothing to agree with
