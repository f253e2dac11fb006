from __future__ import annotations

import pytest

from rednote_sim.bench.chrf import corpus_chrf


def test_identical_is_100() -> None:
    assert corpus_chrf(["I love hot pot."], ["I love hot pot."]) == pytest.approx(100)


def test_disjoint_is_0() -> None:
    assert corpus_chrf(["abc"], ["xyz"]) == 0


def test_whitespace_is_ignored() -> None:
    assert corpus_chrf(["hot pot"], ["hotpot"]) == pytest.approx(100)


def test_hand_computed() -> None:
    # "ab" vs "abc": unigrams P=1 R=2/3 -> F2=5/7; bigrams P=1 R=1/2 -> F2=5/9;
    # no trigrams in "ab", so two effective orders.
    assert corpus_chrf(["ab"], ["abc"]) == pytest.approx(100 * (5 / 7 + 5 / 9) / 2)


def test_recall_weighs_more_than_precision() -> None:
    short = corpus_chrf(["the cat"], ["the cat sat on the mat"])
    long = corpus_chrf(["the cat sat on the mat"], ["the cat"])
    assert 0 < short < long < 100  # beta=2: missing reference text costs more than extra text


def test_corpus_level_and_lengths() -> None:
    assert corpus_chrf(["", ""], ["", ""]) == 100
    with pytest.raises(ValueError):
        corpus_chrf(["a"], [])
