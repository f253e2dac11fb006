from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rednote_sim.translate.splitter import sentence_bounds, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("你好！我来自上海。", ["你好！", "我来自上海。"]),
        ("Hello. Nice to meet you!", ["Hello.", "Nice to meet you!"]),
        ("真的吗？？？太好了！！！", ["真的吗？？？", "太好了！！！"]),
        ("wait... what?!", ["wait...", "what?!"]),
        ("嗯……好吧", ["嗯……", "好吧"]),
        ("第一行\n\n第二行", ["第一行", "第二行"]),
        ("太好了！！🎉🎉 我也是", ["太好了！！🎉🎉", "我也是"]),
        ("“你好。”他说", ["“你好。”", "他说"]),
        (
            "It is 3.5 miles from the U.S. border. Wow",
            ["It is 3.5 miles from the U.S. border.", "Wow"],
        ),
        ("Mr. Smith says hi. ok", ["Mr. Smith says hi.", "ok"]),
        ("no punctuation at all", ["no punctuation at all"]),
        ("😂", ["😂"]),
        ("   ", []),
        ("", []),
        ("好的~ 明天见", ["好的~ 明天见"]),
        ("I said hi.你好", ["I said hi.", "你好"]),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@given(st.text(alphabet=st.sampled_from(list("ab 你好。！？!?.…\n🐱👍🏽~")), max_size=60))
def test_split_loses_nothing_but_whitespace(text: str) -> None:
    pieces = split_sentences(text)
    assert all(p and p == p.strip() for p in pieces)
    # Only whitespace between sentences (and at line ends) is dropped.
    assert "".join("".join(p.split()) for p in pieces) == "".join(text.split())
    assert not any("\n" in p for p in pieces)


@given(st.text(alphabet=st.sampled_from(list("ab 你好。！？!?.…\n🐱~")), max_size=60))
def test_bounds_are_where_the_sentences_are(text: str) -> None:
    assert [text[s:e] for s, e in sentence_bounds(text)] == split_sentences(text)
