"""The pure rules behind hardening: session ids, export names, strict JSON in and out."""

from __future__ import annotations

import json

import pytest

from rednote_sim.domain import check_session_id
from rednote_sim.export.formats import default_file_name
from rednote_sim.safefiles import JsonProblem, loads_json
from rednote_sim.textsafe import json_text, visible


@pytest.mark.parametrize(
    "good", ["arrival-20250113-093012-7f3a", "A.b_c-1", "x" * 100, "latest-2", "0"]
)
def test_good_session_ids_pass_unchanged(good: str) -> None:
    assert check_session_id(good) == good


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("", "must not be empty"),
        ("latest", "reserved"),
        ("x" * 101, "at most 100 characters (this one has 101)"),
        ("../x", "only ASCII letters"),
        ("a/b", "only ASCII letters"),
        (".hidden", "starts with a letter or digit"),
        ("-x", "starts with a letter or digit"),
        ("tab\there", "only ASCII letters"),
        ("中文", "only ASCII letters"),
    ],
)
def test_bad_session_ids_say_which_rule_they_break(bad: str, why: str) -> None:
    with pytest.raises(ValueError, match=why.replace("(", r"\(").replace(")", r"\)")):
        check_session_id(bad)


@pytest.mark.parametrize(
    ("session_id", "name"),
    [
        ("arrival-20250113-093012-7f3a", "arrival-20250113-093012-7f3a.html"),
        ("../../etc/passwd", "_.._etc_passwd.html"),
        ("/abs/path", "_abs_path.html"),
        ("...", "session.html"),
        ("", "session.html"),
        ("a\x1b]0;t\x07", "a__0_t_.html"),
        ("x" * 300, "x" * 100 + ".html"),
    ],
)
def test_export_names_are_one_plain_file_name(session_id: str, name: str) -> None:
    path = default_file_name(session_id, ".html")
    assert str(path) == name
    assert len(path.parts) == 1


def test_json_text_is_standard_json_that_reads_back_the_same() -> None:
    value = {"t": "a\x9b\u202e\u2028\ud800\x1b 中文 😀", "n": 1.5}
    line = json_text(value)
    assert json.loads(line) == value
    assert all(ch not in line for ch in "\x9b\u202e\u2028\ud800\x1b")
    assert "中文 😀" in line
    with pytest.raises(ValueError):
        json_text({"t": float("inf")})


def test_visible_escapes_lone_surrogates_so_they_can_be_printed() -> None:
    assert visible("bad\udc80byte") == "bad\\udc80byte"


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ('{"t": NaN}', "", "NaN is not a number"),
        ('{"t": -Infinity}', "", "-Infinity is not a number"),
        ('{"a": {"b": ["\\udfff"]}}', "a.b.0", "lone surrogate"),
        ("[" * 5000 + "]" * 5000, "", "nested more than 64 levels"),
        ("[" * 100_000 + "]" * 100_000, "", "nested more than 64 levels"),
    ],
)
def test_loads_json_refuses_what_is_not_standard_or_safe(
    text: str, field: str, message: str
) -> None:
    with pytest.raises(JsonProblem, match=message) as caught:
        loads_json(text)
    assert caught.value.field == field
