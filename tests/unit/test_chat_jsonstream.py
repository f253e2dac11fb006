"""The streaming JSON reader: the same values as json.loads, in any chunking, with lines."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from rednote_sim.importers.jsonstream import Field, Item, JsonStream, JsonStreamError

DOC = {
    "guild": {"id": "1", "name": "Language Exchange 语言交换"},
    "messages": [
        {"id": str(i), "content": f"消息 {i} " + "x" * (i * 37 % 500), "n": i * 1.5}
        for i in range(60)
    ],
    "messageCount": 60,
}
TEXT = json.dumps(DOC, ensure_ascii=False, indent=2)


def chunks(text: str, size: int) -> Iterator[str]:
    for start in range(0, len(text), size):
        yield text[start : start + size]


def events(text: str, size: int = 4096, **kw: bool) -> list[Field | Item]:
    return list(JsonStream(chunks(text, size), **kw).top_level("messages"))


@pytest.mark.parametrize("size", [1, 2, 7, 64, 1000, 1 << 20])
def test_any_chunking_gives_the_same_values_as_json_loads(size: int) -> None:
    found = events(TEXT, size)
    items = [e.value for e in found if isinstance(e, Item)]
    fields = {e.key: e.value for e in found if isinstance(e, Field)}
    assert items == DOC["messages"]
    assert fields == {"guild": DOC["guild"], "messages": None, "messageCount": 60}


def test_items_know_the_line_they_start_on() -> None:
    found = [e for e in events(TEXT, 5) if isinstance(e, Item)]
    lines = TEXT.split("\n")
    for item in found:
        assert lines[item.line - 1].strip() == "{"
        assert f'"id": "{item.index}"' in lines[item.line]


def test_a_number_cut_by_a_chunk_boundary_is_read_whole() -> None:
    text = '{"id": 1234567890123, "messages": []}'
    for size in range(1, len(text)):
        values = {e.key: e.value for e in events(text, size) if isinstance(e, Field)}
        assert values["id"] == 1234567890123


@pytest.mark.parametrize("cut", [1, 30, len(TEXT) // 2, len(TEXT) - 40, len(TEXT) - 2])
def test_a_file_cut_off_anywhere_is_reported_as_truncated(cut: int) -> None:
    with pytest.raises(JsonStreamError) as caught:
        events(TEXT[:cut], 13)
    assert caught.value.truncated
    assert 1 <= caught.value.line <= TEXT[:cut].count("\n") + 1


def test_a_syntax_error_is_not_called_truncated_and_names_its_line() -> None:
    bad = TEXT.replace('"content"', '"content" oops', 1)
    with pytest.raises(JsonStreamError) as caught:
        events(bad, 50)
    assert not caught.value.truncated
    assert "not valid JSON" in caught.value.reason
    assert bad.split("\n")[caught.value.line - 1].strip().startswith('"content" oops')


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"messages": [{"n": NaN}]}', "NaN is not a number"),
        ('{"messages": [{"t": "\\ud800"}]}', "lone surrogate"),
        ('{"messages": [' + "[" * 80 + "]" * 80 + "]}", "nested more than"),
        ('{"a": 1} trailing', "more text after the end"),
    ],
)
def test_what_is_not_safe_standard_json_is_refused(text: str, reason: str) -> None:
    with pytest.raises(JsonStreamError, match=reason):
        events(text)


def test_telegrams_x_escapes_are_read_as_control_characters_only_when_asked() -> None:
    text = '{"messages": [{"text": "tab\\x0Bhere \\\\x41 stays"}]}'
    item = next(e for e in events(text, 3, x_escapes=True) if isinstance(e, Item))
    assert item.value["text"] == "tab\x0bhere \\x41 stays"
    with pytest.raises(JsonStreamError, match="invalid"):
        events(text)


def test_one_value_larger_than_the_bound_is_refused_instead_of_filling_memory() -> None:
    text = '{"messages": [{"text": "' + "x" * 5000 + '"}]}'
    stream = JsonStream(chunks(text, 100), max_value_chars=1000)
    with pytest.raises(JsonStreamError, match="larger than"):
        list(stream.top_level("messages"))


def test_a_top_level_that_is_not_an_object_is_one_field_without_a_key() -> None:
    found = events("[1, 2]")
    assert [(e.key, e.value) for e in found if isinstance(e, Field)] == [("", [1, 2])]
    assert len(found) == 1
